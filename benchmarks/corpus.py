"""A reproducible generator of press articles about funding rounds, with their truth.

    python -m benchmarks.corpus --articles 2000 --seed 7 --out /tmp/corpus      # /tmp/corpus/raw + gold.json
    python -m benchmarks.corpus --extend 20 --out /tmp/corpus                    # 20 more articles, gold updated

    from benchmarks.corpus import generate, extend
    info = generate(Path("/tmp/corpus"), articles=2000, seed=7)

It writes French and English articles as a newsroom would publish them: single-deal
stories, weekly round-ups of 5 to 15 deals, and stories with no round at all (market
analyses, a VC closing its own fund, acquisitions, results). Companies and investors
are invented (syllables, word lists), cities come from the geonames gazetteer, and
every article is dressed up with the noise real articles carry: quotes, clients,
revenue figures, prices, market totals, teasers to other stories, footers.

The truth (`gold.json`, in the format of shared/eval/seeds_gold.json) lists, once per
round however many articles report it, only what the text states: a city only when
an article gives it, a round type only when an article names it, investors as named.

Reproducible: article i depends on (seed, i) only, so `extend` adds articles
n, n+1, … exactly as a bigger `generate` would have written them.
Nothing here knows about the extraction engine; it is a test of generality.
"""
from __future__ import annotations

import argparse
import bisect
import csv
import datetime as dt
import json
import math
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import vocab as V

FORMAT_VERSION = 3  # 2: traps at press-like rates (v1 put a fund closing in ~40% of stories)
# 3: cities as the press writes them ("au Havre", not "à Le Havre"; "San Sebastián", not "Donostia / San Sebastián")
BASE_DATE = dt.date(2019, 1, 7)
PER_DAY = 40  # articles published per day: 100,000 articles span about seven years
NBSP, NNBSP = "\u00a0", "\u202f"

# share of article kinds
KINDS = [("single", 64), ("roundup", 18), ("noise", 18)]
# round type, weight, amount range (currency units)
ROUND_TYPES = [("pre_seed", 6, 2e5, 1.5e6), ("seed", 18, 5e5, 6e6), ("series_a", 22, 3e6, 25e6),
               ("series_b", 11, 12e6, 70e6), ("series_c", 5, 30e6, 160e6), ("series_d", 2, 60e6, 400e6),
               ("series_e", 1, 100e6, 900e6), ("growth", 3, 40e6, 1.5e9), ("bridge", 3, 1e6, 20e6),
               ("debt", 4, 5e6, 300e6), ("grant", 3, 3e5, 5e6), (None, 22, 5e5, 60e6)]
EARLIER = {"seed": "pre_seed", "series_a": "seed", "series_b": "series_a", "series_c": "series_b",
           "series_d": "series_c", "series_e": "series_d", "growth": "series_b", "bridge": "series_a",
           "debt": "series_a", "grant": None, "pre_seed": None, None: None}

MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre"]
MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
DAYS_FR = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAYS_EN = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


# =============================================================================== the facts
@dataclass
class Past:
    amount: float
    currency: str
    round_type: str | None
    year: int
    month: int | None
    investors: list[str]


@dataclass
class Deal:
    key: str
    company: str
    sector: int
    city: V.City | None
    country: str | None
    amount: float
    currency: str
    qualifier: str
    round_type: str | None
    valuation: float | None
    valuation_basis: str | None
    leads: list[str]
    others: list[str]
    existing: list[str]
    vehicle: str | None  # Bpifrance's fund: an optional investor
    angels: list[str]
    past: Past | None
    date: dt.date
    undisclosed: bool = False

    def investors(self) -> list[str]:
        return [*self.leads, *self.others, *self.angels]


@dataclass
class Mention:
    """What one article states about one round."""
    deal: Deal
    key: str
    amount: float
    currency: str
    qualifier: str
    announced: str | None
    round_type: str | None = None
    valuation: float | None = None
    leads: list[str] = field(default_factory=list)
    investors: list[str] = field(default_factory=list)
    optional: list[str] = field(default_factory=list)
    city: V.City | None = None
    country: str | None = None
    not_investors: list[str] = field(default_factory=list)
    article: str = ""


@dataclass
class Article:
    index: int
    lang: str
    kind: str
    title: str
    text: str
    published: dt.date
    mentions: list[Mention]
    non_rounds: list[dict]
    path: str = ""
    dated: str = "manifest"  # manifest | front_matter | dateline | none


# =============================================================================== names
def _perm(u: int, space: int, salt: int) -> int:
    """A bijection of [0, space): multiply by a unit mod space (space is a product of small primes)."""
    mult = 2_654_435_761
    while math.gcd(mult, space) != 1:
        mult += 2
    return (u * mult + salt) % space


_SYL = len(V.ONSETS) * len(V.NUCLEI)
_SHORT = _SYL ** 2 * len(V.CODAS)  # two syllables and a coda: "Kavor", "Trinex"
_LONG = _SYL ** 3 * len(V.CODAS)  # three: "Brimolax"
STOP_NAMES = {"cela", "sera", "data", "beta", "meta", "para", "dire", "vous", "sous", "bien", "tout", "hier",
              "soit", "dont", "mais", "pour", "sans", "sur", "nova", "vega", "dona", "gala", "coca", "pizza",
              "cola", "mode", "note", "rose", "vote", "zone", "tare", "salon", "madame", "total", "capital"}


def _syllables(v: int, count: int) -> tuple[str, int]:
    parts = []
    for _ in range(count):
        s = v % _SYL
        v //= _SYL
        parts.append(V.ONSETS[s // len(V.NUCLEI)] + V.NUCLEI[s % len(V.NUCLEI)])
    return "".join(parts), v


def company_word(u: int, seed: int) -> str:
    """The unique first word of company number u.

    Consonant runs and vowel runs alternate (onset, nucleus, …, coda), so a word splits
    into syllables one way only: different numbers give different words.
    """
    if u < _SHORT:
        v = _perm(u, _SHORT, seed * 7919)
        word, v = _syllables(v // len(V.CODAS), 2)
        word += V.CODAS[_perm(u, _SHORT, seed * 7919) % len(V.CODAS)]
        if word not in STOP_NAMES:
            return word
    v = _perm(u % _LONG, _LONG, seed * 104729)
    word, _ = _syllables(v // len(V.CODAS), 3)
    return word + V.CODAS[v % len(V.CODAS)]


def company_name(u: int, seed: int, rng: random.Random) -> str:
    """A unique, pronounceable invented name for company number u, sometimes with a sector word."""
    word = company_word(u, seed)
    word = word[:1].upper() + word[1:]
    roll = rng.random()
    if roll < 0.35:
        return f"{word} {rng.choice(V.NAME_SUFFIXES)}"
    if roll < 0.40 and len(word) <= 5:
        return word.upper()
    return word


def investor_pool(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.14:
        return rng.choice(V.WELL_KNOWN_INVESTORS)
    return f"{rng.choice(V.INVESTOR_WORDS)} {rng.choice(V.INVESTOR_KINDS)}"


FEMALE = {"Claire", "Maëlle", "Hélène", "Sophie", "Camille", "Élodie", "Inès", "Léa", "Chloé", "Amina", "Margaux",
          "Sarah", "Nadia", "Anaïs", "Fatou", "Amira", "Rachel", "Priya", "Hannah", "Grace", "Chloe", "Leah",
          "Aisha", "Nora", "Maya", "Sofia", "Elena", "Ingrid", "Freya", "Yuki"}


def person(rng: random.Random, lang: str) -> str:
    if lang == "fr":
        return f"{rng.choice(V.FR_FIRST)} {rng.choice(V.FR_LAST)}"
    return f"{rng.choice(V.EN_FIRST)} {rng.choice(V.EN_LAST)}"


# =============================================================================== numbers
def nice(rng: random.Random, lo: float, hi: float) -> float:
    """A log-uniform amount in [lo, hi], rounded the way the press rounds it."""
    x = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    if x >= 1e9:
        return round(x / 1e8) * 1e8
    if x >= 2e7:
        return round(x / 1e6) * 1e6 if rng.random() < 0.85 else round(x / 5e6) * 5e6
    if x >= 1e6:
        return round(x / 1e5) * 1e5 if rng.random() < 0.75 else round(x / 1e6) * 1e6
    return max(round(x / 1e4) * 1e4, 1e4)


def far_from(rng: random.Random, lo: float, hi: float, taken: list[float]) -> float:
    """An amount not within 10% of any amount already stated in the article."""
    for _ in range(50):
        x = nice(rng, lo, hi)
        if all(abs(x - t) > 0.1 * max(x, t) for t in taken):
            return x
    return x * 1.37


def fmt_decimal(x: float, lang: str, decimals: int = 2) -> str:
    text = f"{x:.{decimals}f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang == "fr" else text


def fmt_thousands(x: float, lang: str, sep: str) -> str:
    digits = f"{int(round(x)):,}"
    return digits.replace(",", sep) if lang == "fr" else digits


class Style:
    """Typography of one article: apostrophes, spaces, thousands separators, preferred money forms."""

    def __init__(self, rng: random.Random, lang: str):
        self.lang = lang
        self.apostrophe = "’" if rng.random() < 0.6 else "'"
        self.unit_space = rng.choice([" ", " ", NBSP, NNBSP])
        self.thousands = rng.choice([" ", NBSP, NNBSP, NNBSP]) if lang == "fr" else ","
        self.short = rng.random() < 0.45  # 12 M€ / $12M rather than 12 millions d'euros / $12 million
        self.lower_m = rng.random() < 0.3  # $12m (British press)
        self.rng = rng

    def money(self, amount: float, currency: str, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        return money_fr(amount, currency, self, rng) if self.lang == "fr" else money_en(amount, currency, self, rng)


FR_CURRENCY_WORDS = {"EUR": ("d’euros", "euros", "€"), "USD": ("de dollars", "dollars", "$"),
                     "GBP": ("de livres sterling", "livres sterling", "£"), "CHF": ("de francs suisses", "francs suisses", "CHF"),
                     "SEK": ("de couronnes suédoises", "couronnes suédoises", "SEK"),
                     "DKK": ("de couronnes danoises", "couronnes danoises", "DKK"),
                     "NOK": ("de couronnes norvégiennes", "couronnes norvégiennes", "NOK"),
                     "PLN": ("de zlotys", "zlotys", "PLN")}
EN_CURRENCY = {"EUR": "€", "USD": "$", "GBP": "£", "CHF": "CHF ", "SEK": "SEK ", "DKK": "DKK ", "NOK": "NOK ",
               "PLN": "PLN "}


def money_fr(amount: float, currency: str, st: Style, rng: random.Random) -> str:
    of, plain, sym = FR_CURRENCY_WORDS[currency]
    sp = st.unit_space
    if amount >= 1e9:
        n = amount / 1e9
        word = "milliard" if n < 2 else "milliards"
        if st.short and currency == "EUR" and rng.random() < 0.6:
            return f"{fmt_decimal(n, 'fr')}{sp}Md€"
        return f"{fmt_decimal(n, 'fr')}{sp}{word} {of}"
    if amount >= 1e6:
        n = amount / 1e6
        word = "million" if n < 2 else "millions"
        if st.short and currency in ("EUR", "USD", "GBP") and rng.random() < 0.8:
            return f"{fmt_decimal(n, 'fr')}{sp}M{sym}"
        if currency == "EUR" and rng.random() < 0.1:
            return f"{fmt_decimal(n, 'fr')}{sp}{word} €"
        if n == int(n) and n <= 10 and rng.random() < 0.15:
            spelled = ["", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix"][int(n)]
            return f"{spelled} {word} {of}"
        return f"{fmt_decimal(n, 'fr')}{sp}{word} {of}"
    number = fmt_thousands(amount, "fr", st.thousands)
    if currency == "EUR":
        return f"{number}{sp}€" if rng.random() < 0.6 else f"{number} euros"
    return f"{number} {plain}"


def money_en(amount: float, currency: str, st: Style, rng: random.Random) -> str:
    sym = EN_CURRENCY[currency]
    if currency == "USD" and rng.random() < 0.08:
        sym = "US$"
    word_forms = currency in ("EUR",) and rng.random() < 0.1
    if amount >= 1e9:
        n = fmt_decimal(amount / 1e9, "en")
        if word_forms:
            return f"{n} billion euros"
        return f"{sym}{n}bn" if st.short else f"{sym}{n} billion"
    if amount >= 1e6:
        n = fmt_decimal(amount / 1e6, "en")
        if word_forms:
            return f"{n} million euros"
        if currency == "EUR" and rng.random() < 0.05:
            return f"EUR {n} million"
        if st.short:
            return f"{sym}{n}{'m' if st.lower_m else 'M'}" if sym[-1] != " " else f"{sym}{n}m"
        return f"{sym}{n} million"
    return f"{sym}{fmt_thousands(amount, 'en', ',')}"


# how often a story carries each kind of aside (the traps at rates a newsroom's copy shows them)
INCLUDE = {"fund": 0.1, "market": 0.25, "acquisition": 0.15, "price": 0.25, "revenue": 0.4, "cumulative": 0.6}

QUAL_FR = {"approx": ["près de ", "environ ", "quelque ", "presque "], "at_least": ["plus de ", "au moins "],
           "at_most": ["jusqu’à "], "exact": [""]}
QUAL_EN = {"approx": ["nearly ", "about ", "around ", "almost ", "roughly "],
           "at_least": ["more than ", "over ", "at least "], "at_most": ["up to "], "exact": [""]}


# =============================================================================== the generator
class Generator:
    def __init__(self, seed: int = 7, html_share: float = 0.05, md_share: float = 0.15):
        self.seed = seed
        self.html_share = html_share
        self.md_share = md_share
        self._cities = V.cities_by_country()
        self._city_weights = {cc: [math.sqrt(c.population) for c in cs] for cc, cs in self._cities.items()}
        self._cum = {cc: list(_cumsum(w)) for cc, w in self._city_weights.items()}
        self._deals: dict[tuple[int, int], Deal] = {}

    # ---------------------------------------------------------------- deterministic draws
    def rng(self, *parts) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def date(self, i: int) -> dt.date:
        return BASE_DATE + dt.timedelta(days=i // PER_DAY)

    def lang(self, i: int) -> str:
        return "fr" if self.rng("lang", i).random() < 0.55 else "en"

    def kind(self, i: int) -> str:
        r = self.rng("kind", i).random() * 100
        for name, weight in KINDS:
            if r < weight:
                return name
            r -= weight
        return KINDS[-1][0]

    def city(self, rng: random.Random, lang: str) -> V.City:
        weights = V.COUNTRY_WEIGHTS_FR if lang == "fr" else V.COUNTRY_WEIGHTS_EN
        cc = rng.choices(list(weights), weights=list(weights.values()))[0]
        cum = self._cum[cc]
        return self._cities[cc][bisect.bisect_right(cum, rng.random() * cum[-1]) if cum[-1] else 0]

    def deal(self, i: int, slot: int) -> Deal:
        """The round that article i states in slot `slot` (0 for a single-deal story)."""
        cached = self._deals.get((i, slot))
        if cached is not None:
            return cached
        rng = self.rng("deal", i, slot)
        lang = self.lang(i)
        company = company_name(i * 16 + slot, self.seed, rng)
        city = self.city(rng, lang)
        located = rng.random()
        country = city.country
        if located > 0.93:  # the text will not say where the company is
            city, country = None, None
        elif located > 0.88:  # only the country
            city = None
        rt, _, lo, hi = rng.choices(ROUND_TYPES, weights=[w for _, w, _, _ in ROUND_TYPES])[0]
        cc = country or "FR"
        currency = V.LOCAL_CURRENCY.get(cc, "EUR")
        if currency not in ("EUR", "USD") and rng.random() < 0.25:
            currency = "EUR" if cc not in ("US", "CA") else "USD"
        if currency in ("SEK", "NOK", "DKK"):
            lo, hi = lo * 10, hi * 10
        if currency == "EUR" and amount_big(hi) and rng.random() < 0.2:
            currency = "USD"
        amount = nice(rng, lo, hi)
        qualifier = rng.choices(["exact", "approx", "at_least"], weights=[86, 8, 6])[0]
        if rt == "grant" and rng.random() < 0.2:
            qualifier = "at_most"
        valuation = basis = None
        if rt in ("series_b", "series_c", "series_d", "series_e", "growth") and rng.random() < 0.35:
            valuation = nice(rng, amount * 4, amount * 15)
            basis = rng.choice([None, None, "post", "pre"])
        investors: list[str] = []
        wanted = rng.choice([1, 2, 2, 3, 3, 4, 5, 6])
        while len(investors) < wanted:
            name = investor_pool(rng)
            if all(name.split()[0] != x.split()[0] for x in investors):
                investors.append(name)
        leads: list[str] = []
        vehicle = None
        angels: list[str] = []
        if rt in ("debt", "grant"):
            pass  # a lender or a grantor, no lead
        elif rng.random() < 0.72:
            leads = investors[:2] if (len(investors) > 2 and rng.random() < 0.12) else investors[:1]
        others = [x for x in investors if x not in leads]
        if rt == "grant":
            others = [rng.choice(["Bpifrance", "EIC Accelerator", "Innovate UK", "European Innovation Council",
                                  "Région Bretagne", "ADEME"] if cc == "FR" else
                                 ["EIC Accelerator", "Innovate UK", "European Innovation Council"])]
        if rt == "debt":
            others = [rng.choice(["European Investment Bank", "Atalante Dette", "Hambro Credit", "Kreos Capital",
                                  "Silicon Valley Bank", "Bpifrance", "Claret Capital", "Columbia Lake Partners",
                                  "Tikehau Capital", "Arkéa Banque"])]
        existing = [x for x in others if rng.random() < 0.3]
        if "Bpifrance" in others and rng.random() < 0.5:
            vehicle = rng.choice(V.PUBLIC_VEHICLES)
        if rt not in ("debt", "grant") and rng.random() < 0.12:
            angels = [person(rng, lang)]
        past = None
        if rng.random() < 0.22 and EARLIER.get(rt) is not None or (rt is None and rng.random() < 0.1):
            d = self.date(i)
            years_back = rng.choice([1, 1, 2, 2, 3])
            past = Past(amount=far_from(rng, amount * 0.1, amount * 0.6, [amount]), currency=currency,
                        round_type=EARLIER.get(rt) if rng.random() < 0.7 else None,
                        year=d.year - years_back, month=rng.randint(1, 12) if rng.random() < 0.5 else None,
                        investors=[x for x in others[:1] if rng.random() < 0.5])
        deal = Deal(key=f"{i}.{slot}", company=company, sector=rng.randrange(len(V.SECTORS)), city=city,
                    country=country, amount=amount, currency=currency, qualifier=qualifier, round_type=rt,
                    valuation=valuation, valuation_basis=basis, leads=leads, others=others, existing=existing,
                    vehicle=vehicle, angels=angels, past=past, date=self.date(i))
        if len(self._deals) > 20000:
            self._deals.clear()
        self._deals[(i, slot)] = deal
        return deal

    def earlier_single(self, i: int, rng: random.Random, window: int = 60, avoid: set[int] | None = None) -> int | None:
        """An earlier single-deal article close to i (a teaser or a round-up points at its deal)."""
        avoid = avoid or set()
        for _ in range(8):
            j = i - rng.randint(1, window)
            if j >= 0 and j not in avoid and self.kind(j) == "single":
                return j
        return None

    # ---------------------------------------------------------------- articles
    def article(self, i: int) -> Article:
        lang, kind = self.lang(i), self.kind(i)
        rng = self.rng("article", i)
        st = Style(rng, lang)
        writer = FrenchWriter(self, st, rng) if lang == "fr" else EnglishWriter(self, st, rng)
        art = getattr(writer, kind)(i)
        art.index, art.lang, art.kind, art.published = i, lang, kind, self.date(i)
        if st.apostrophe != "’":
            art.text = art.text.replace("’", st.apostrophe)
            art.title = art.title.replace("’", st.apostrophe)
            for m in art.mentions:
                m.investors = [x.replace("’", st.apostrophe) for x in m.investors]
                m.leads = [x.replace("’", st.apostrophe) for x in m.leads]
        return art


def amount_big(hi: float) -> bool:
    return hi >= 1e8


def _cumsum(weights):
    total = 0.0
    for w in weights:
        total += w
        yield total


def join_fr(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " et " + names[-1]


def join_en(names: list[str], oxford: bool = False) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return f"{names[0]} and {names[1]}"
    return ", ".join(names[:-1]) + ("," if oxford else "") + " and " + names[-1]


def de(name: str) -> str:
    """French 'de' with elision and contraction: d’Alto, de Kestrel, du Havre."""
    if name.startswith("Le "):
        return f"du {name[3:]}"
    if name.startswith("Les "):
        return f"des {name[4:]}"
    return f"d’{name}" if name[:1].lower() in "aeiouyéèêâîôh" else f"de {name}"


def a_fr(name: str) -> str:
    """French 'à' before a city, with contraction: à Lyon, au Havre, aux Sables-d’Olonne."""
    if name.startswith("Le "):
        return f"au {name[3:]}"
    if name.startswith("Les "):
        return f"aux {name[4:]}"
    return f"à {name}"


def _sentences(paragraph: str) -> list[str]:
    import re

    return [x for x in re.split(r"(?<=[.!?])\s+(?=[A-Z«\"ÀÉ])", paragraph) if x]


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


# =============================================================================== French
class Writer:
    def __init__(self, gen: Generator, st: Style, rng: random.Random):
        self.gen, self.st, self.rng = gen, st, rng
        self.taken: list[float] = []  # amounts stated so far: traps stay clear of them

    def m(self, amount: float, currency: str) -> str:
        self.taken.append(amount)
        return self.st.money(amount, currency, self.rng)

    def amt(self, deal: Deal) -> str:
        q = (QUAL_FR if self.st.lang == "fr" else QUAL_EN)[deal.qualifier]
        return self.rng.choice(q) + self.m(deal.amount, deal.currency)

    def announced(self, art_date: dt.date | None) -> str | None:
        return art_date.strftime("%Y-%m") if art_date else None

    def mention(self, deal: Deal, full: bool, i: int, **kw) -> Mention:
        m = Mention(deal=deal, key=deal.key, amount=deal.amount, currency=deal.currency, qualifier=deal.qualifier,
                    announced=self.gen.date(i).strftime("%Y-%m"), article=str(i))
        if full:
            m.round_type, m.valuation = deal.round_type, deal.valuation
            m.leads, m.investors = list(deal.leads), deal.investors()
            m.optional = [deal.vehicle] if deal.vehicle else []
            m.city, m.country = deal.city, deal.country
        for k, v in kw.items():
            setattr(m, k, v)
        return m

    def past_mention(self, deal: Deal, i: int, investors: list[str]) -> Mention:
        p = deal.past
        when = f"{p.year}-{p.month:02d}" if p.month else str(p.year)
        return Mention(deal=deal, key=f"{deal.key}.past", amount=p.amount, currency=p.currency, qualifier="exact",
                       announced=when, round_type=p.round_type, investors=investors, city=deal.city,
                       country=deal.country, article=str(i))

    def pad(self, paragraphs: list[str], pool: list, target: int) -> list[str]:
        """Add the story's other paragraphs in editorial order (each may be skipped or merged with the
        previous one), then generic context until the article reaches its target size; teasers and
        footers close it."""
        rng = self.rng
        size = sum(len(p) + 2 for p in paragraphs)
        body, tail = list(paragraphs[1:]), []
        merge_ok = False
        for make in pool:
            if make.__name__ in ("teaser", "footer"):
                tail.append(make)
                continue
            if rng.random() > INCLUDE.get(make.__name__, 0.8) or (size >= target and rng.random() < 0.7):
                continue
            text = make()
            if not text:
                continue
            if merge_ok and make.__name__ not in ("quote", "investor_quote") and rng.random() < 0.45:
                body[-1] += " " + text
            else:
                body.append(text)
            merge_ok = make.__name__ not in ("quote", "investor_quote")
            size += len(text) + 2
        company = getattr(self, "_company", None) or ("la société" if self.st.lang == "fr" else "the company")
        sentences = [x for para in self.FILLERS for x in _sentences(para)]
        rng.shuffle(sentences)
        while size < target and sentences:
            k = rng.randint(2, 4)
            text = " ".join(sentences[:k])
            del sentences[:k]
            text = text.replace(". {co}", ". " + cap(company)).replace("{co}", company)
            text = cap(text)
            body.append(text)
            size += len(text) + 2
        for make in tail:
            if rng.random() < 0.6:
                text = make()
                if text:
                    body.append(text)
        return [paragraphs[0], *body]

    def target(self) -> int:
        return int(self.rng.uniform(3300, 4900))


class FrenchWriter(Writer):
    FILLERS = [
        "Le pari n’est pas gagné d’avance. Les grands groupes du secteur développent leurs propres outils et les "
        "cycles de vente restent longs : il faut souvent douze à dix-huit mois pour signer un contrat cadre avec un "
        "industriel. Mais les premiers résultats commerciaux ont convaincu les investisseurs, selon qui {co} a "
        "su démontrer la valeur de sa technologie auprès de clients exigeants.",
        "Dans un marché encore fragmenté, plusieurs acteurs cherchent à s’imposer. Les concurrents américains, mieux "
        "financés, ont commencé à recruter des équipes commerciales en Europe, tandis que les acteurs historiques "
        "rachètent des start-up pour combler leur retard. Pour {co}, l’enjeu est désormais de passer à l’échelle sans "
        "perdre son avance technologique.",
        "L’équipe dirigeante reconnaît que le contexte a changé. Après l’euphorie de 2021, les investisseurs regardent "
        "de près la rentabilité et la consommation de trésorerie. Les dirigeants de {co} assurent avoir anticipé ce "
        "virage : la société affiche une marge brute supérieure à 60 % et prévoit d’atteindre l’équilibre "
        "opérationnel dans les deux prochaines années.",
        "Le recrutement reste le principal défi. Les profils techniques, notamment les ingénieurs en apprentissage "
        "automatique et les spécialistes de la donnée, sont très demandés. {co} mise sur le télétravail partiel et sur "
        "un plan d’actionnariat salarié ouvert à tous pour attirer des talents face aux géants du numérique.",
        "La réglementation européenne joue en faveur de ces nouveaux entrants. Les obligations de transparence et les "
        "exigences de souveraineté des données poussent de nombreuses entreprises à privilégier des fournisseurs "
        "installés en Europe, un argument que {co} met en avant auprès de ses prospects.",
        "Sur le plan international, la priorité va à l’Allemagne, à l’Espagne et au Benelux, avant une éventuelle "
        "implantation aux États-Unis. « Nous voulons d’abord être incontestables en Europe », résume un proche du "
        "dossier, qui rappelle que plusieurs start-up du secteur se sont brûlé les ailes en traversant l’Atlantique "
        "trop tôt.",
        "Côté produit, la feuille de route prévoit de nouvelles fonctionnalités dès le prochain trimestre, dont un "
        "module d’analyse prédictive et des intégrations avec les principaux logiciels du marché. Une partie de "
        "l’équipe technique travaille aussi sur une version allégée destinée aux petites structures.",
        "Les fondateurs ne cachent pas leur ambition. Ils comptent multiplier par trois le nombre de clients d’ici "
        "deux ans et n’excluent pas des acquisitions ciblées pour accélérer. Un conseil d’administration élargi, "
        "avec l’arrivée de deux administrateurs indépendants, accompagnera cette nouvelle étape.",
        "L’écosystème régional a joué un rôle clé dans l’aventure. Incubée dans un programme local, l’entreprise a "
        "bénéficié du soutien de la région et de prêts d’honneur avant de convaincre ses premiers investisseurs "
        "privés. Elle a depuis rejoint le programme French Tech 120.",
        "Reste à convaincre sur la durée. Plusieurs observateurs soulignent que le marché visé est encore jeune et "
        "que les budgets des clients peuvent se contracter rapidement en cas de ralentissement économique. {co} "
        "répond en diversifiant sa base de clients entre secteurs public et privé.",
    ]
    RT_NP = {"pre_seed": ["un tour de pré-amorçage", "un pré-amorçage", "une levée de pré-seed"],
             "seed": ["un tour d’amorçage", "un amorçage", "une levée de fonds en seed", "un tour de seed"],
             "growth": ["un tour de croissance", "une levée de fonds de croissance"],
             "bridge": ["un bridge", "un tour de table intermédiaire (bridge)"],
             "debt": ["un financement en dette", "un prêt"], "grant": ["une subvention"]}

    def rt_np(self, rt: str | None) -> str:
        if rt and rt.startswith("series_"):
            letter = rt[-1].upper()
            return self.rng.choice([f"une série {letter}", f"une Série {letter}", f"un tour de série {letter}"])
        return self.rng.choice(self.RT_NP[rt]) if rt else self.rng.choice(["une levée de fonds", "un tour de table"])

    def rt_clause(self, rt: str | None) -> str:
        if rt is None:
            return ""
        if rt.startswith("series_"):
            return self.rng.choice([f" en série {rt[-1].upper()}", f" lors d’une série {rt[-1].upper()}",
                                    f" dans le cadre de sa série {rt[-1].upper()}"])
        return {"pre_seed": " en pré-amorçage", "seed": self.rng.choice([" en amorçage", " en seed"]),
                "growth": " lors d’un tour de croissance", "bridge": " sous forme de bridge",
                "debt": " en dette", "grant": ""}[rt]

    def where(self, deal: Deal) -> tuple[str, str]:
        """(subject for the first sentence, location sentence placed later or '')."""
        s = V.SECTORS[deal.sector]
        noun, desc, co = s[0], s[1], deal.company
        r = self.rng.random()
        if deal.city is not None:
            demonym = V.DEMONYMS_FR.get(deal.city.name)
            city = deal.city.fr()
            if demonym and r < 0.45:
                return self.rng.choice([f"La {noun} {demonym} {co}, {desc},", f"{co}, la {noun} {demonym} {desc},",
                                        f"{co}, {noun} {demonym} {desc},"]), ""
            if r < 0.7:
                return self.rng.choice([f"Basée {a_fr(city)}, {co}, {desc},", f"Installée {a_fr(city)}, la {noun} {co}",
                                        f"{co}, {noun} basée {a_fr(city)} {desc},"]), ""
            if r < 0.85:
                return f"{co} ({city}), {desc},", ""
            return f"{co}, {desc},", self.rng.choice([f"La société est basée {a_fr(city)}.",
                                                       f"Son siège est {a_fr(city)}.",
                                                       f"L’entreprise est installée {a_fr(city)}."])
        if deal.country is not None:
            adj = V.COUNTRY_FR_ADJ.get(deal.country, "européenne")
            return f"La {noun} {adj} {co}, {desc},", ""
        return f"{co}, {desc},", ""

    def investors_sentence(self, deal: Deal) -> list[str]:
        out = []
        inv = [x for x in deal.others if x not in deal.existing]
        ex = deal.existing
        if deal.round_type in ("debt", "grant"):
            return out  # the lender or grantor is named in the lead sentence
        if deal.leads:
            lead = deal.leads
            if len(lead) == 2:
                s = f"Le tour est co-mené par {lead[0]} et {lead[1]}"
            else:
                s = self.rng.choice([f"Le tour de table est mené par {lead[0]}", f"L’opération est conduite par {lead[0]}",
                                     f"{lead[0]} mène l’opération", f"Ce tour est piloté par {lead[0]}",
                                     f"La levée est emmenée par {self.descr(lead[0])}"])
            if inv:
                s += self.rng.choice([f", avec la participation {de(join_fr(inv))}", f", aux côtés {de(join_fr(inv))}",
                                      f", accompagné par {join_fr(inv)}"])
            out.append(s + ".")
        elif inv:
            out.append(self.rng.choice([f"{join_fr(inv)} {'participent' if len(inv) > 1 else 'participe'} à l’opération.",
                                        f"Les fonds ont été apportés par {join_fr(inv)}.",
                                        f"{deal.company} a réalisé ce tour auprès {de(join_fr(inv))}."]))
        if ex:
            out.append(self.rng.choice([f"Ses actionnaires historiques, {join_fr(ex)}, remettent au pot.",
                                        f"{join_fr(ex)}, déjà {'présents' if len(ex) > 1 else 'présent'} au capital, "
                                        f"{'réinvestissent' if len(ex) > 1 else 'réinvestit'}.",
                                        f"Les investisseurs historiques {join_fr(ex)} suivent également."]))
        if deal.vehicle:
            out.append(f"Bpifrance intervient via son fonds {deal.vehicle}.")
        for a in deal.angels:
            out.append(self.rng.choice([f"{a}, cofondateur {de(self.rng.choice(V.CORPORATES))}, investit également à titre personnel.",
                                        f"Le business angel {a} complète le tour."]))
        return out

    def descr(self, name: str) -> str:
        r = self.rng.random()
        if r < 0.3:
            return f"le fonds {self.rng.choice(['parisien', 'lyonnais', 'américain', 'britannique', 'allemand', 'européen'])} {name}"
        return name

    def when(self, i: int) -> str:
        d = self.gen.date(i)
        return self.rng.choice([f"ce {DAYS_FR[d.weekday()]}", "aujourd’hui", "", f"le {d.day} {MONTHS_FR[d.month - 1]}"])

    def lead_sentence(self, deal: Deal, i: int) -> tuple[str, str]:
        subject, later = self.where(deal)
        amt, rt = self.amt(deal), deal.round_type
        if rt == "debt":
            lender = deal.others[0]
            verb = self.rng.choice([f"a obtenu un financement en dette de {amt} auprès {de(lender)}",
                                    f"annonce {self.when(i)} un prêt de {amt} accordé par {lender}"])
        elif rt == "grant":
            grantor = deal.others[0]
            verb = self.rng.choice([f"a obtenu une subvention de {amt} {de(grantor)}",
                                    f"décroche une subvention de {amt} de la part {de(grantor)}"])
        else:
            when = self.when(i)
            verb = self.rng.choice([f"annonce {when} une levée de fonds de {amt}{self.rt_clause(rt)}",
                                    f"lève {amt}{self.rt_clause(rt)}",
                                    f"vient de boucler {self.rt_np(rt)} de {amt}",
                                    f"a bouclé {when} {self.rt_np(rt)} de {amt}".replace("  ", " ")])
            if rt is None and self.rng.random() < 0.5:
                verb = self.rng.choice([f"annonce {when} une levée de fonds de {amt}", f"lève {amt}"])
        sentence = f"{subject} {verb}.".replace("  ", " ")
        return cap(sentence), later

    def valuation_sentence(self, deal: Deal) -> str:
        val = self.m(deal.valuation, deal.currency)
        basis = {"post": " post-money", "pre": " avant l’opération", None: ""}[deal.valuation_basis]
        return self.rng.choice([f"L’opération valorise {deal.company} à {val}{basis}.",
                                f"La société est désormais valorisée {val}{basis}.",
                                f"Selon nos informations, la valorisation atteint {val}{basis}."])

    def past_sentence(self, deal: Deal) -> tuple[str, list[str]]:
        p = deal.past
        amt = self.m(p.amount, p.currency)
        when = f"{MONTHS_FR[p.month - 1]} {p.year}" if p.month else str(p.year)
        inv = p.investors
        with_inv = f" auprès {de(join_fr(inv))}" if inv else ""
        np = self.rt_np(p.round_type) if p.round_type else "une première levée"
        return self.rng.choice([
            f"Sa précédente levée, de {amt}, datait de {when}{',' + with_inv + ',' if inv else ''} et lui avait permis de recruter ses premiers salariés.",
            f"{deal.company} avait déjà levé {amt} en {when}{with_inv}.",
            f"En {when}, la société avait bouclé {np} de {amt}{with_inv}.",
        ]).replace(", ,", ","), list(inv)

    # ---- noise
    def noise_pool(self, deal: Deal | None, art: dict) -> list:
        rng, co = self.rng, (deal.company if deal else None)
        nr = art["non_rounds"]
        taken = self.taken
        corp = rng.sample(V.CORPORATES, 2)
        art["not_investors"] = corp
        p1, p2 = person(rng, "fr"), person(rng, "fr")

        def founding():
            if not co:
                return ""
            return (f"Fondée en {self.gen.date(art['i']).year - rng.randint(1, 8)} par {p1} et {p2}, anciens de "
                    f"{rng.choice(V.SCHOOLS)}, {co} compte aujourd’hui {rng.randint(8, 400)} salariés.")

        def quote():
            if not co:
                return ""
            female = p1.split()[0] in FEMALE
            role = rng.choice(["sa présidente", "sa fondatrice", "sa cofondatrice", "sa directrice générale"] if female
                              else ["son président", "son fondateur", "son cofondateur", "son directeur général"])
            q = rng.choice(["Nous voulons devenir le leader européen de notre marché. Cette levée nous donne les "
                            "moyens d’aller chercher des clients plus grands et de recruter les meilleurs profils",
                            "Le marché est mûr et nos clients nous poussent à aller plus vite. Nous avions besoin "
                            "d’investisseurs capables de nous suivre sur plusieurs tours",
                            "Nous avons choisi des investisseurs qui comprennent l’industrie et ses cycles longs",
                            "Nos clients nous demandent d’être présents dans toute l’Europe : c’est ce que cet argent "
                            "va nous permettre de faire"])
            verb = rng.choice(["explique", "souligne", "affirme", "se félicite"])
            return f"« {q} », {verb} {p1}, {role}.".replace("« ", "«" + NBSP).replace(" »", NBSP + "»")

        def investor_quote():
            if not deal or not deal.investors() or deal.round_type in ("debt", "grant"):
                return ""
            firm = (deal.leads or deal.others)[0]
            q = rng.choice(["Nous avons été convaincus par la qualité de l’équipe et par la traction commerciale",
                            "C’est exactement le type d’entreprise que nous voulons accompagner sur le long terme",
                            "Le potentiel de ce marché est considérable et l’équipe a une longueur d’avance"])
            return (f"« {q} », commente {person(rng, 'fr')}, associé{'e' if rng.random() < 0.4 else ''} chez {firm}, "
                    f"qui rejoint le conseil d’administration.").replace("« ", "«" + NBSP).replace(" »", NBSP + "»")

        def use_of_funds():
            other = self.gen.city(rng, "fr").fr()
            return (f"L’argent frais doit financer le recrutement de {rng.randint(10, 120)} personnes et l’ouverture "
                    f"d’un bureau à {other}.")

        def clients():
            return (f"Elle compte parmi ses clients {corp[0]} et {corp[1]}, qui n’entrent pas au capital.")

        def revenue():
            if not co:
                return ""
            x = far_from(rng, 5e5, 8e7, taken)
            y = self.gen.date(art["i"]).year - 1
            nr.append({"amount": x, "currency": "EUR", "company": co, "what": f"revenue {y}"})
            return f"La société a réalisé un chiffre d’affaires de {self.m(x, 'EUR')} en {y}."

        def market():
            x = far_from(rng, 5e8, 2e10, taken)
            src = rng.choice(V.DATA_SOURCES)
            y = self.gen.date(art["i"]).year
            nr.append({"amount": x, "currency": "EUR", "what": "market total"})
            return (f"Selon {src}, les start-up françaises ont levé {self.m(x, 'EUR')} en {y - 1}, "
                    f"un montant en recul de {rng.randint(3, 40)} % sur un an.").replace(" %", NBSP + "%")

        def fund():
            inv = investor_pool(rng)
            x = far_from(rng, 5e7, 1.2e9, taken)
            nr.append({"amount": x, "currency": "EUR", "company": inv, "what": "fund closed by an investor"})
            return (f"Côté investisseurs, {inv} a par ailleurs bouclé son nouveau fonds, doté de {self.m(x, 'EUR')}, "
                    f"pour financer des start-up en série A et B.")

        def price():
            x = rng.choice([9, 19, 29, 49, 99, 290])
            nr.append({"amount": x, "currency": "EUR", "company": co, "what": "price"})
            return f"L’abonnement est facturé {x}{self.st.unit_space}€ par mois et par utilisateur."

        def acquisition():
            if not co:
                return ""
            target = company_name(10_000_000 + art["i"] * 4 + rng.randint(0, 3), self.gen.seed, rng)
            x = far_from(rng, 1e6, 4e7, taken)
            nr.append({"amount": x, "currency": "EUR", "company": target, "what": "acquisition price"})
            return f"En {self.gen.date(art['i']).year - 1}, {co} avait racheté son concurrent {target} pour {self.m(x, 'EUR')}."

        def cumulative():
            if not deal or not deal.past or deal.currency != deal.past.currency:
                return ""
            x = deal.amount + deal.past.amount
            nr.append({"amount": x, "currency": deal.currency, "company": co, "what": "cumulative total"})
            return f"{co} a ainsi levé {self.m(x, deal.currency)} depuis sa création."

        def teaser():
            j = self.gen.earlier_single(art["i"], rng, avoid={art["i"]})
            if j is None:
                return ""
            d = self.gen.deal(j, 0)
            art["mentions"].append(self.mention(d, False, j, article=str(art["i"])))
            return f"À lire aussi : {d.company} lève {self.amt(d)}"

        def footer():
            return rng.choice(["Partager cet article", "Newsletter : recevez chaque matin l’essentiel de l’actualité des start-up",
                               "© Tous droits réservés", "Cet article vous a plu ? Abonnez-vous."])

        def market_context():
            return rng.choice(["Le secteur attire de plus en plus d’investisseurs, malgré un contexte de marché tendu.",
                               "Les levées de fonds ont nettement ralenti depuis 2022, mais les tours de table des "
                               "start-up industrielles résistent mieux que la moyenne.",
                               "La concurrence s’intensifie, avec l’arrivée d’acteurs américains sur le marché européen.",
                               "Les régions pèsent davantage dans l’écosystème : un tiers des levées se fait hors d’Île-de-France."])

        return [founding, clients, revenue, price, acquisition, cumulative, quote, use_of_funds, investor_quote,
                fund, market_context, market, teaser, footer]

    # ---- article kinds
    def single(self, i: int) -> Article:
        deal = self.gen.deal(i, 0)
        self._company = deal.company
        art = {"i": i, "non_rounds": [], "mentions": []}
        s = V.SECTORS[deal.sector]
        first, later = self.lead_sentence(deal, i)
        amt_title = self.m(deal.amount, deal.currency)
        q = self.rng.choice(QUAL_FR[deal.qualifier])
        titles = [f"{deal.company} lève {q}{amt_title} pour {s[4]}", f"{deal.company} réalise une levée de fonds de {q}{amt_title}",
                  f"{deal.company} annonce une levée de {q}{amt_title}"]
        if deal.round_type and deal.round_type.startswith("series_"):
            titles.append(f"{deal.company} boucle une série {deal.round_type[-1].upper()} de {q}{amt_title}")
        if deal.city is not None and V.DEMONYMS_FR.get(deal.city.name):
            titles.append(f"La {s[0]} {V.DEMONYMS_FR[deal.city.name]} {deal.company} lève {q}{amt_title}")
        if deal.leads:
            titles.append(f"{cap(s[0])} : {deal.company} lève {q}{amt_title} auprès {de(deal.leads[0])}")
            titles.append(f"{deal.company} accueille {deal.leads[0]} à son capital")
        if deal.round_type == "grant":
            titles = [f"{deal.company} décroche une subvention de {q}{amt_title}"]
        if deal.round_type == "debt":
            titles = [f"{deal.company} obtient {q}{amt_title} de dette pour {s[4]}"]
        title = self.rng.choice(titles)
        paras = [title, (first + " " + " ".join(self.investors_sentence(deal))).strip()]
        mention = self.mention(deal, True, i)
        if later:
            paras[1] += " " + later
        if deal.valuation:
            paras[1] += " " + self.valuation_sentence(deal)
        if deal.past:
            text, inv = self.past_sentence(deal)
            paras.append(text)
            art["mentions"].append(self.past_mention(deal, i, inv))
        art["mentions"].insert(0, mention)
        paras = self.pad(paras, self.noise_pool(deal, art), self.target())
        mention.not_investors = art.get("not_investors", [])
        return Article(i, "fr", "single", title, "\n\n".join(paras) + "\n", self.gen.date(i), art["mentions"],
                       art["non_rounds"])

    def roundup(self, i: int) -> Article:
        rng = self.rng
        n = rng.randint(5, 15)
        deals, mentions, used = [], [], {i}
        for slot in range(n):
            j = self.gen.earlier_single(i, rng, avoid=used) if rng.random() < 0.35 else None
            if j is not None:
                used.add(j)
                deals.append((self.gen.deal(j, 0), j))
            else:
                d = self.gen.deal(i, slot + 1)
                d.undisclosed = rng.random() < 0.08
                deals.append((d, i))
        style = rng.choice(["headed", "bullets", "prose"])
        names = [d.company for d, _ in deals]
        d0 = self.gen.date(i)
        title = rng.choice([f"Les levées de fonds de la semaine : {', '.join(names[:4])}…",
                            f"French Tech : les {n} levées de fonds à retenir cette semaine",
                            f"Levées de fonds : {names[0]}, {names[1]} et {names[2]} en tête de la semaine",
                            f"Ce qu’il faut retenir des levées de fonds du {d0.day} {MONTHS_FR[d0.month - 1]}"])
        art = {"i": i, "non_rounds": [], "mentions": []}
        intro = rng.choice(["Chaque vendredi, nous faisons le point sur les principales levées de fonds de l’écosystème.",
                            "Voici les tours de table annoncés cette semaine par les start-up françaises et européennes.",
                            "Au menu cette semaine : de l’énergie, de la santé et beaucoup de régions."])
        if rng.random() < 0.5:
            x = far_from(rng, 3e8, 9e9, self.taken)
            art["non_rounds"].append({"amount": x, "currency": "EUR", "what": "market total (round-up intro)"})
            intro += f" Depuis janvier, les start-up françaises ont levé {self.m(x, 'EUR')}, selon {rng.choice(V.DATA_SOURCES)}."
        paras = [title, intro]
        prose: list[str] = []
        for d, j in deals:
            text, m = self.roundup_item(d, i, j, style)
            if m:
                mentions.append(m)
            if style == "prose":
                prose.append(text)
                if len(prose) == rng.choice([2, 3]):
                    paras.append(" ".join(prose))
                    prose = []
            else:
                paras.append(text)
        if prose:
            paras.append(" ".join(prose))
        outro = rng.choice(["Vous avez une levée à annoncer ? Écrivez-nous.", "Bon week-end à tous !",
                                 "Retrouvez toutes nos levées de fonds dans notre newsletter du vendredi."])
        pool = self.noise_pool(None, art)
        pool = [f for f in pool if f.__name__ in ("market_context", "footer", "fund")]
        paras = self.pad(paras, pool, 2500) + [outro]
        return Article(i, "fr", "roundup", title, "\n\n".join(paras) + "\n", self.gen.date(i),
                       mentions + art["mentions"], art["non_rounds"])

    def roundup_item(self, d: Deal, i: int, j: int, style: str) -> tuple[str, Mention | None]:
        rng, s = self.rng, V.SECTORS[d.sector]
        city = d.city.fr() if d.city else None
        demonym = V.DEMONYMS_FR.get(d.city.name) if d.city else None
        if d.undisclosed:
            inv = d.investors()[:2]
            where = f" ({city})" if city else ""
            if style == "headed":
                return (f"{d.company}{where} – montant non divulgué\nLa {s[0]} {s[1]} a levé un montant non divulgué "
                        f"auprès {de(join_fr(inv))}."), None
            return f"{'• ' if style == 'bullets' else ''}{d.company}{where}, {s[1]}, a levé un montant non divulgué auprès {de(join_fr(inv))}.", None
        leads = d.leads[:1] if d.leads else []
        others = [x for x in d.others if x not in leads][: rng.choice([0, 1, 2])] if rng.random() < 0.7 else []
        if d.round_type in ("debt", "grant"):
            leads, others = [], d.others[:1]
        m = self.mention(d, False, j, article=str(i), round_type=d.round_type, leads=list(leads),
                         investors=[*leads, *others], city=d.city, country=d.country if d.city else None)
        amt = self.amt(d)
        rt = d.round_type
        inv_txt = ""
        if leads:
            inv_txt = rng.choice([f", lors d’un tour mené par {leads[0]}", f", un tour conduit par {leads[0]}",
                                  f", une opération pilotée par {leads[0]}"])
            if others:
                inv_txt += f", aux côtés {de(join_fr(others))}"
        elif others:
            inv_txt = f" auprès {de(join_fr(others))}"
        if inv_txt.startswith(", lors d’un tour") and " lors d" in self.rt_clause(rt):
            inv_txt = inv_txt.replace(", lors d’un tour mené par", ", un tour mené par")
        if rt == "debt":
            body = f"{d.company} obtient un financement en dette de {amt}{inv_txt}."
        elif rt == "grant":
            body = f"{d.company} décroche une subvention de {amt}{inv_txt.replace(' auprès', '')}."
        else:
            body = f"{d.company} lève {amt}{self.rt_clause(rt)}{inv_txt}."
        if style == "headed":
            head = f"{d.company} ({city}) – {self.m(d.amount, d.currency)}" if city else f"{d.company} – {self.m(d.amount, d.currency)}"
            if d.qualifier != "exact":
                head = f"{d.company}{f' ({city})' if city else ''} – {rng.choice(QUAL_FR[d.qualifier])}{self.m(d.amount, d.currency)}"
            if demonym:
                sentence = f"La {s[0]} {demonym}, {s[1]}, {body[len(d.company) + 1:]}"
            else:
                sentence = f"{cap(s[0])} {s[1]}, {body}"
            return f"{head}\n{sentence}", m
        if style == "bullets":
            where = f" ({city})" if city else ""
            return f"• {d.company}{where}, {s[1]}, {body[len(d.company) + 1:]}", m
        where = rng.choice([cap(f"{a_fr(city)}, ") if city else "", f"Du côté {de(city)}, " if city else ""])
        if demonym and rng.random() < 0.5:
            return f"La {demonym} {d.company}, {s[1]}, {body[len(d.company) + 1:]}", m
        return f"{where}{body}" if where else f"{body}", m

    def noise(self, i: int) -> Article:
        rng = self.rng
        art = {"i": i, "non_rounds": [], "mentions": []}
        y = self.gen.date(i).year
        topic = rng.choice(["market", "fund", "acquisition", "results"])
        if topic == "market":
            x = far_from(rng, 1e9, 3e10, self.taken)
            title = f"Les start-up françaises ont levé {self.m(x, 'EUR')} en {y - 1}"
            art["non_rounds"].append({"amount": x, "currency": "EUR", "what": "market total (noise article)"})
            first = (f"Selon le baromètre annuel {de(rng.choice(V.DATA_SOURCES))}, les start-up françaises ont levé "
                     f"{self.m(x, 'EUR')} en {y - 1}, contre {self.m(far_from(rng, 1e9, 3e10, self.taken), 'EUR')} un an plus tôt.")
        elif topic == "fund":
            inv = investor_pool(rng)
            x = far_from(rng, 5e7, 1.5e9, self.taken)
            title = f"{inv} boucle un fonds de {self.m(x, 'EUR')}"
            art["non_rounds"].append({"amount": x, "currency": "EUR", "company": inv, "what": "fund closed (noise article)"})
            first = (f"Le fonds {inv} a annoncé le closing final de son nouveau véhicule à {self.m(x, 'EUR')}, au-dessus de "
                     f"son objectif initial. Il financera des tours de série A et de série B.")
        elif topic == "acquisition":
            a = company_name(20_000_000 + i * 2, self.gen.seed, rng)
            b = company_name(20_000_000 + i * 2 + 1, self.gen.seed, rng)
            x = far_from(rng, 5e6, 5e8, self.taken)
            title = f"{a} rachète {b} pour {self.m(x, 'EUR')}"
            art["non_rounds"].append({"amount": x, "currency": "EUR", "company": b, "what": "acquisition (noise article)"})
            first = (f"{a} a annoncé le rachat de {b} pour {self.m(x, 'EUR')}. L’opération, payée en numéraire et en "
                     f"actions, doit être finalisée d’ici la fin de l’année.")
        else:
            a = company_name(20_000_000 + i * 2, self.gen.seed, rng)
            x = far_from(rng, 1e6, 2e8, self.taken)
            title = f"{a} dépasse {self.m(x, 'EUR')} de chiffre d’affaires"
            art["non_rounds"].append({"amount": x, "currency": "EUR", "company": a, "what": "revenue (noise article)"})
            first = (f"{a} a réalisé un chiffre d’affaires de {self.m(x, 'EUR')} en {y - 1}, en hausse de "
                     f"{rng.randint(10, 90)}{NBSP}%, et prévoit d’être rentable l’an prochain.")
        pool = [f for f in self.noise_pool(None, art) if f.__name__ not in ("founding", "revenue", "acquisition", "cumulative", "price")]
        paras = self.pad([title, first], pool, self.target())
        return Article(i, "fr", "noise", title, "\n\n".join(paras) + "\n", self.gen.date(i), art["mentions"], art["non_rounds"])


# =============================================================================== English
class EnglishWriter(Writer):
    FILLERS = [
        "It is not an easy market. Large incumbents are building their own tools, and sales cycles are long: "
        "enterprise customers often take a year or more to sign. But early commercial traction persuaded the "
        "investors, who say {co} has shown that its technology works for demanding customers.",
        "The space is crowded. Better-funded American rivals have started hiring sales teams in Europe, while "
        "incumbents have bought startups to catch up. For {co}, the challenge now is to scale without losing its "
        "technical edge.",
        "Management acknowledges that the climate has changed. After the exuberance of 2021, investors look hard at "
        "profitability and cash burn. The leadership of {co} says it saw this coming: gross margins are above 60% "
        "and the company expects to break even within two years.",
        "Hiring remains the main challenge. Machine-learning engineers and data specialists are in short supply, and "
        "{co} is betting on flexible remote work and an employee share scheme open to all staff to compete with big "
        "tech for talent.",
        "European regulation is working in favour of newcomers. Transparency rules and data-sovereignty requirements "
        "are pushing many companies towards suppliers based in Europe, a point {co} makes to prospects.",
        "Internationally, Germany, Spain and the Benelux come first, before a possible move into the United States. "
        "\"We want to be the undisputed leader in Europe first,\" one person close to the company said, noting that "
        "several startups in the sector got burned by crossing the Atlantic too early.",
        "On the product side, the roadmap includes new features next quarter, among them a predictive analytics "
        "module and integrations with the main software suites on the market. Part of the engineering team is also "
        "working on a lighter version for smaller customers.",
        "The founders make no secret of their ambition. They aim to triple the number of customers within two years "
        "and do not rule out targeted acquisitions. An expanded board, with two independent directors, will oversee "
        "the next stage.",
        "The local ecosystem played a part. The company went through a regional accelerator and received public "
        "innovation loans before landing its first private investors, and it has since joined a national "
        "scale-up programme.",
        "Some observers remain cautious, pointing out that the target market is young and that customer budgets can "
        "shrink quickly in a downturn. {co} is responding by spreading its customer base across the public and "
        "private sectors.",
    ]
    def rt_np(self, rt: str | None) -> str:
        if rt is None:
            return self.rng.choice(["funding round", "round", "raise"])
        if rt.startswith("series_"):
            return f"Series {rt[-1].upper()}" + self.rng.choice(["", " round", " funding round"])
        return {"pre_seed": "pre-seed round", "seed": self.rng.choice(["seed round", "seed"]), "growth": "growth round",
                "bridge": "bridge round", "debt": "debt facility", "grant": "grant"}[rt]

    def a(self, word: str) -> str:
        """English article before a word or a figure: an €8 million, an 11m, a $50M, an Series… never."""
        if word[:1].lower() in "aeio":
            return "an " + word
        digits = word.lstrip("€$£US ")
        head = digits.split(" ")[0].rstrip("MmKkbn")
        whole = head.split(".")[0].replace(",", "")
        if digits[:1] == "8" or (whole[:2] in ("11", "18") and len(whole) in (2, 5, 8)):
            return "an " + word
        return "a " + word

    def where(self, deal: Deal) -> tuple[str, str]:
        s = V.SECTORS[deal.sector]
        noun, desc, co = s[2], s[3], deal.company
        r = self.rng.random()
        if deal.city is not None:
            city = deal.city.en()
            if r < 0.4:
                return f"{city}-based {co}, {desc},", ""
            if r < 0.6:
                return f"{co}, {self.a(city)} {noun} that {desc[6:]},", ""
            if r < 0.75:
                return f"{city}'s {co}, {desc},", ""
            if r < 0.85:
                return f"{co}, headquartered in {city},", ""
            return f"{co}, {desc},", self.rng.choice([f"The company is based in {city}.", f"It is headquartered in {city}."])
        if deal.country is not None:
            return f"{V.COUNTRY_EN_ADJ.get(deal.country, 'European')} {noun} {co},", ""
        return f"{co}, {desc},", ""

    def lead_sentence(self, deal: Deal, i: int) -> tuple[str, str]:
        subject, later = self.where(deal)
        amt, rt = self.amt(deal), deal.round_type
        d = self.gen.date(i)
        when = self.rng.choice([f" on {DAYS_EN[d.weekday()]}", "", " today", f" this week"])
        if rt == "debt":
            verb = self.rng.choice([f"has secured {self.a(amt)} debt facility from {deal.others[0]}",
                                    f"announced{when} {amt} in venture debt from {deal.others[0]}"])
        elif rt == "grant":
            verb = self.rng.choice([f"has won {self.a(amt)} grant from {deal.others[0]}",
                                    f"was awarded {self.a(amt)} grant by {deal.others[0]}"])
        else:
            np = self.rt_np(rt)
            lead = ""
            if deal.leads and self.rng.random() < 0.6:
                lead = (f" co-led by {deal.leads[0]} and {deal.leads[1]}" if len(deal.leads) == 2
                        else f" led by {self.descr(deal.leads[0])}")
            val = ""
            if deal.valuation and self.rng.random() < 0.5:
                val = f" at {self.a(self.m(deal.valuation, deal.currency))} valuation"
            verb = self.rng.choice([f"has raised {amt} in {self.a(np)}{lead}{val}",
                                    f"raised {amt} in {self.a(np)}{lead}{val}",
                                    f"announced{when} {self.a(amt)} {np}{lead}{val}",
                                    f"has closed {self.a(amt)} {np}{lead}{val}"])
            self._lead_in_first = bool(lead)
            self._val_in_first = bool(val)
        return cap(f"{subject} {verb}.".replace("  ", " ")), later

    def descr(self, name: str) -> str:
        r = self.rng.random()
        if r < 0.25:
            return f"{self.rng.choice(['London VC', 'US firm', 'Berlin-based', 'venture firm', 'Paris-based'])} {name}"
        return name

    def investors_sentence(self, deal: Deal) -> list[str]:
        out = []
        inv = [x for x in deal.others if x not in deal.existing]
        ex = deal.existing
        if deal.round_type in ("debt", "grant"):
            return out
        if deal.leads and not getattr(self, "_lead_in_first", False):
            if len(deal.leads) == 2:
                s = f"{deal.leads[0]} and {deal.leads[1]} co-led the round"
            else:
                s = self.rng.choice([f"The round was led by {self.descr(deal.leads[0])}", f"{deal.leads[0]} led the round",
                                     f"{deal.leads[0]} led the investment"])
            if inv:
                s += self.rng.choice([f", with participation from {join_en(inv, self.rng.random() < 0.5)}",
                                      f", joined by {join_en(inv)}"])
            out.append(s + ".")
        elif inv:
            out.append(self.rng.choice([f"{join_en(inv)} also {'participated' if self.rng.random() < 0.5 else 'took part'}.",
                                        f"Investors include {join_en(inv, True)}.",
                                        f"{join_en(inv)} backed the round."]))
        if ex:
            out.append(self.rng.choice([f"Existing investors {join_en(ex)} also participated.",
                                        f"{join_en(ex)} returned.", f"Existing backers {join_en(ex)} followed on."]))
        if deal.vehicle:
            out.append(f"Bpifrance invested through its {deal.vehicle} fund.")
        for a in deal.angels:
            out.append(self.rng.choice([f"Angel investor {a} also took part.", f"{a}, a former executive at "
                                        f"{self.rng.choice(V.CORPORATES)}, invested personally."]))
        return out

    def valuation_sentence(self, deal: Deal) -> str:
        val = self.m(deal.valuation, deal.currency)
        basis = {"post": " post-money", "pre": " pre-money", None: ""}[deal.valuation_basis]
        return self.rng.choice([f"The round values the company at {val}{basis}.",
                                f"People familiar with the deal put the valuation at {val}{basis}.",
                                f"The deal gives {deal.company} a valuation of {val}{basis}."])

    def past_sentence(self, deal: Deal) -> tuple[str, list[str]]:
        p = deal.past
        amt = self.m(p.amount, p.currency)
        when = f"{MONTHS_EN[p.month - 1]} {p.year}" if p.month else str(p.year)
        inv = p.investors
        from_inv = f" from {join_en(inv)}" if inv else ""
        np = self.rt_np(p.round_type) if p.round_type else "round"
        return self.rng.choice([f"The company previously raised {self.a(amt)} {np} in {when}{from_inv}.",
                                f"It last raised {amt} in {when}{from_inv}.",
                                f"{deal.company} had raised {amt}{from_inv} in {when}."]), list(inv)

    def noise_pool(self, deal: Deal | None, art: dict) -> list:
        rng, co = self.rng, (deal.company if deal else None)
        nr, taken = art["non_rounds"], self.taken
        corp = rng.sample(V.CORPORATES, 2)
        art["not_investors"] = corp
        p1 = person(rng, "en")
        cur = deal.currency if deal and deal.currency in ("EUR", "USD", "GBP") else rng.choice(["USD", "EUR", "GBP"])

        def founding():
            if not co:
                return ""
            return (f"Founded in {self.gen.date(art['i']).year - rng.randint(1, 8)} by {p1} and {person(rng, 'en')}, "
                    f"{co} now employs {rng.randint(8, 400)} people.")

        def quote():
            if not co:
                return ""
            q = rng.choice(["We want to build the category leader in Europe, and this round gives us the means to "
                            "go after bigger customers and hire the best people",
                            "This funding lets us hire faster and ship faster. Our customers have been asking for "
                            "more, and now we can deliver it",
                            "Our customers asked us to go bigger, and now we can",
                            "We picked investors who understand hardware and the long sales cycles that come with it"])
            return f"\"{q},\" said {p1}, {rng.choice(['chief executive', 'co-founder', 'CEO', 'founder and CEO'])}."

        def investor_quote():
            if not deal or not deal.investors() or deal.round_type in ("debt", "grant"):
                return ""
            firm = (deal.leads or deal.others)[0]
            q = rng.choice(["We were impressed by the team and by the commercial traction",
                            "This is exactly the kind of company we want to back for the long term",
                            "The market is huge and this team is well ahead of everyone else"])
            return f"\"{q},\" said {person(rng, 'en')}, a partner at {firm}, who joins the board."

        def use_of_funds():
            other = self.gen.city(rng, "en").en()
            return f"The new money will go into hiring {rng.randint(10, 120)} people and opening an office in {other}."

        def clients():
            return f"Its customers include {corp[0]} and {corp[1]}, neither of which is an investor."

        def revenue():
            if not co:
                return ""
            x = far_from(rng, 5e5, 8e7, taken)
            nr.append({"amount": x, "currency": cur, "company": co, "what": "annual recurring revenue"})
            return f"{co} says it expects to reach {self.m(x, cur)} in annual recurring revenue this year."

        def market():
            x = far_from(rng, 5e8, 4e10, taken)
            nr.append({"amount": x, "currency": "USD", "what": "market total"})
            return (f"European startups raised {self.m(x, 'USD')} in the last quarter, according to "
                    f"{rng.choice(V.DATA_SOURCES)}, down {rng.randint(3, 40)}% on a year earlier.")

        def fund():
            inv = investor_pool(rng)
            x = far_from(rng, 5e7, 1.2e9, taken)
            nr.append({"amount": x, "currency": cur, "company": inv, "what": "fund closed by an investor"})
            return f"Separately, {inv} closed a new {self.m(x, cur)} fund earlier this month."

        def price():
            x = rng.choice([9, 15, 25, 49, 99])
            nr.append({"amount": x, "currency": cur, "company": co, "what": "price"})
            return f"Customers pay {EN_CURRENCY[cur].strip()}{x} per user per month."

        def acquisition():
            if not co:
                return ""
            target = company_name(10_000_000 + art["i"] * 4 + rng.randint(0, 3), self.gen.seed, rng)
            x = far_from(rng, 1e6, 4e7, taken)
            nr.append({"amount": x, "currency": cur, "company": target, "what": "acquisition price"})
            return f"Last year {co} bought rival {target} for {self.m(x, cur)}."

        def cumulative():
            if not deal or not deal.past or deal.currency != deal.past.currency:
                return ""
            x = deal.amount + deal.past.amount
            nr.append({"amount": x, "currency": deal.currency, "company": co, "what": "cumulative total"})
            return f"That brings the total raised by {co} to {self.m(x, deal.currency)}."

        def teaser():
            j = self.gen.earlier_single(art["i"], rng, avoid={art["i"]})
            if j is None:
                return ""
            d = self.gen.deal(j, 0)
            art["mentions"].append(self.mention(d, False, j, article=str(art["i"])))
            return f"Read more: {d.company} raises {self.amt(d)}"

        def footer():
            return rng.choice(["Sign up for our daily newsletter.", "Advertisement", "Got a tip? Write to us.",
                               "Share this article"])

        def market_context():
            return rng.choice(["Investors have grown pickier since 2022, but climate and AI deals keep closing.",
                               "The sector is crowded, with well-funded US rivals moving into Europe.",
                               "Valuations remain well below their 2021 peak, founders say."])

        return [founding, clients, revenue, price, acquisition, cumulative, quote, use_of_funds, investor_quote,
                fund, market_context, market, teaser, footer]

    def single(self, i: int) -> Article:
        self._lead_in_first = self._val_in_first = False
        deal = self.gen.deal(i, 0)
        self._company = deal.company
        art = {"i": i, "non_rounds": [], "mentions": []}
        s = V.SECTORS[deal.sector]
        first, later = self.lead_sentence(deal, i)
        q = self.rng.choice(QUAL_EN[deal.qualifier])
        amt_title = q + self.m(deal.amount, deal.currency)
        titles = [f"{deal.company} raises {amt_title} to {s[5]}", f"{deal.company} secures {amt_title} in funding",
                  f"Exclusive: {deal.company} raises {amt_title}"]
        if deal.round_type and deal.round_type not in ("debt", "grant"):
            titles.append(f"{deal.company} lands {amt_title} {self.rt_np(deal.round_type)}")
        if deal.leads:
            titles.append(f"{deal.company} closes {amt_title} round led by {deal.leads[0]}")
        if deal.city is not None:
            titles.append(f"{deal.city.en()}-based {deal.company} bags {amt_title}")
        if deal.round_type == "grant":
            titles = [f"{deal.company} wins {amt_title} grant"]
        if deal.round_type == "debt":
            titles = [f"{deal.company} secures {amt_title} in debt financing"]
        title = self.rng.choice(titles)
        paras = [title, (first + " " + " ".join(self.investors_sentence(deal))).strip()]
        if later:
            paras[1] += " " + later
        if deal.valuation and not self._val_in_first:
            paras[1] += " " + self.valuation_sentence(deal)
        mention = self.mention(deal, True, i)
        art["mentions"].append(mention)
        if deal.past:
            text, inv = self.past_sentence(deal)
            paras.append(text)
            art["mentions"].append(self.past_mention(deal, i, inv))
        paras = self.pad(paras, self.noise_pool(deal, art), self.target())
        mention.not_investors = art.get("not_investors", [])
        return Article(i, "en", "single", title, "\n\n".join(paras) + "\n", self.gen.date(i), art["mentions"],
                       art["non_rounds"])

    def roundup(self, i: int) -> Article:
        rng = self.rng
        n = rng.randint(5, 15)
        deals, mentions, used = [], [], {i}
        for slot in range(n):
            j = self.gen.earlier_single(i, rng, avoid=used) if rng.random() < 0.35 else None
            if j is not None:
                used.add(j)
                deals.append((self.gen.deal(j, 0), j))
            else:
                d = self.gen.deal(i, slot + 1)
                d.undisclosed = rng.random() < 0.08
                deals.append((d, i))
        style = rng.choice(["headed", "bullets", "prose"])
        names = [d.company for d, _ in deals]
        title = rng.choice([f"This week in funding: {', '.join(names[:3])} and more",
                            f"Funding roundup: {n} deals you may have missed",
                            f"The week's biggest rounds: {names[0]}, {names[1]}, {names[2]}",
                            f"Startup funding news: {names[0]} leads a busy week"])
        art = {"i": i, "non_rounds": [], "mentions": []}
        intro = rng.choice(["Every Saturday we round up the deals you may have missed.",
                            "Here are this week's funding rounds from across Europe and the US.",
                            "A busy week for early-stage founders. Here is what closed."])
        if rng.random() < 0.5:
            x = far_from(rng, 3e9, 5e10, self.taken)
            art["non_rounds"].append({"amount": x, "currency": "USD", "what": "market total (round-up intro)"})
            intro += f" European startups have raised {self.m(x, 'USD')} so far this year, according to {rng.choice(V.DATA_SOURCES)}."
        paras = [title, intro]
        prose: list[str] = []
        for d, j in deals:
            text, m = self.roundup_item(d, i, j, style)
            if m:
                mentions.append(m)
            if style == "prose":
                prose.append(text)
                if len(prose) == rng.choice([2, 3]):
                    paras.append(" ".join(prose))
                    prose = []
            else:
                paras.append(text)
        if prose:
            paras.append(" ".join(prose))
        outro = rng.choice(["Got a deal we should cover? Write to us.", "See you next week.",
                                 "Subscribe to get this roundup in your inbox."])
        pool = [f for f in self.noise_pool(None, art) if f.__name__ in ("market_context", "footer", "fund")]
        paras = self.pad(paras, pool, 2500) + [outro]
        return Article(i, "en", "roundup", title, "\n\n".join(paras) + "\n", self.gen.date(i),
                       mentions + art["mentions"], art["non_rounds"])

    def roundup_item(self, d: Deal, i: int, j: int, style: str) -> tuple[str, Mention | None]:
        rng, s = self.rng, V.SECTORS[d.sector]
        city = d.city.en() if d.city else None
        if d.undisclosed:
            where = f" ({city})" if city else ""
            return (f"{'- ' if style == 'bullets' else ''}{d.company}{where}, {s[3]}, raised an undisclosed amount "
                    f"from {join_en(d.investors()[:2])}."), None
        leads = d.leads[:1] if d.leads else []
        others = [x for x in d.others if x not in leads][: rng.choice([0, 1, 2])] if rng.random() < 0.7 else []
        if d.round_type in ("debt", "grant"):
            leads, others = [], d.others[:1]
        m = self.mention(d, False, j, article=str(i), round_type=d.round_type, leads=list(leads),
                         investors=[*leads, *others], city=d.city, country=d.country if d.city else None)
        amt = self.amt(d)
        np = self.rt_np(d.round_type)
        inv = ""
        if leads:
            inv = f" led by {leads[0]}"
            if others:
                inv += f", with participation from {join_en(others)}"
        elif others:
            inv = f" from {join_en(others)}"
        if d.round_type == "debt":
            body = f"secured {self.a(amt)} debt facility{inv}."
        elif d.round_type == "grant":
            body = f"won {self.a(amt)} grant{inv}."
        else:
            body = rng.choice([f"raised {amt} in {self.a(np)}{inv}.", f"closed {self.a(amt)} {np}{inv}.",
                               f"announced {self.a(amt)} {np}{inv}."])
        if style == "headed":
            q = rng.choice(QUAL_EN[d.qualifier])
            label = self.rt_np(d.round_type) if d.round_type else ""
            head = f"{d.company}{f' ({city})' if city else ''} – {q}{self.m(d.amount, d.currency)} {label}".rstrip()
            lead = f"{city}-based {d.company}, {s[3]}," if city else f"{d.company}, {s[3]},"
            return f"{head}\n{lead} {body}", m
        if style == "bullets":
            return f"- {d.company}{f' ({city})' if city else ''}, {s[3]}, {body}", m
        if city and rng.random() < 0.6:
            return f"In {city}, {d.company} {body}", m
        m.city = m.country = None
        return f"{d.company} {body}", m

    def noise(self, i: int) -> Article:
        rng = self.rng
        art = {"i": i, "non_rounds": [], "mentions": []}
        y = self.gen.date(i).year
        topic = rng.choice(["market", "fund", "acquisition", "results"])
        cur = rng.choice(["USD", "EUR", "GBP"])
        if topic == "market":
            x = far_from(rng, 1e9, 5e10, self.taken)
            title = f"European startups raised {self.m(x, 'USD')} in {y - 1}"
            art["non_rounds"].append({"amount": x, "currency": "USD", "what": "market total (noise article)"})
            first = (f"European startups raised {self.m(x, 'USD')} last year, according to {rng.choice(V.DATA_SOURCES)}, "
                     f"compared with {self.m(far_from(rng, 1e9, 5e10, self.taken), 'USD')} the year before.")
        elif topic == "fund":
            inv = investor_pool(rng)
            x = far_from(rng, 5e7, 1.5e9, self.taken)
            title = f"{inv} closes {self.m(x, cur)} fund"
            art["non_rounds"].append({"amount": x, "currency": cur, "company": inv, "what": "fund closed (noise article)"})
            first = (f"Venture firm {inv} has closed its latest fund at {self.m(x, cur)}, above its target. "
                     f"It will back Series A and Series B companies.")
        elif topic == "acquisition":
            a = company_name(20_000_000 + i * 2, self.gen.seed, rng)
            b = company_name(20_000_000 + i * 2 + 1, self.gen.seed, rng)
            x = far_from(rng, 5e6, 5e8, self.taken)
            title = f"{a} buys {b} for {self.m(x, cur)}"
            art["non_rounds"].append({"amount": x, "currency": cur, "company": b, "what": "acquisition (noise article)"})
            first = f"{a} has agreed to acquire {b} for {self.m(x, cur)} in cash and stock, the companies said."
        else:
            a = company_name(20_000_000 + i * 2, self.gen.seed, rng)
            x = far_from(rng, 1e6, 2e8, self.taken)
            title = f"{a} passes {self.m(x, cur)} in annual revenue"
            art["non_rounds"].append({"amount": x, "currency": cur, "company": a, "what": "revenue (noise article)"})
            first = f"{a} said its annual revenue passed {self.m(x, cur)}, up {rng.randint(10, 90)}% on the year."
        pool = [f for f in self.noise_pool(None, art) if f.__name__ not in ("founding", "revenue", "acquisition", "cumulative", "price")]
        paras = self.pad([title, first], pool, self.target())
        return Article(i, "en", "noise", title, "\n\n".join(paras) + "\n", self.gen.date(i), art["mentions"], art["non_rounds"])


# =============================================================================== files and gold
def _slug(text: str) -> str:
    import unicodedata

    t = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    t = "".join(c if c.isascii() and c.isalnum() else "-" for c in t.lower())
    return "-".join(filter(None, t.split("-")))[:40]


def _html(art: Article) -> str:
    import html as h

    paras = art.text.split("\n\n")
    body = "\n".join(f"<p>{h.escape(p).replace(chr(10), '<br>')}</p>" for p in paras[1:] if p.strip())
    nav = "<nav><ul><li><a href='/'>Accueil</a></li><li><a href='/startups'>Start-up</a></li><li><a href='/tech'>Tech</a></li><li><a href='/newsletter'>Newsletter</a></li></ul></nav>"
    return (f"<!DOCTYPE html>\n<html lang='{art.lang}'><head><meta charset='utf-8'><title>{h.escape(art.title)}</title>"
            f"<meta property='article:published_time' content='{art.published.isoformat()}T08:00:00Z'></head>"
            f"<body>{nav}<main><article><h1>{h.escape(art.title)}</h1>\n{body}\n</article></main>"
            f"<aside><h3>Les plus lus</h3><ul><li>Top 10 des licornes</li><li>Le classement des fonds</li></ul></aside>"
            f"<footer>© Fundwatch Media — Mentions légales — Contact</footer></body></html>\n")


def write_article(gen: Generator, art: Article, raw: Path) -> tuple[str, bytes, str | None]:
    """(relative path, bytes, manifest date or None); records in art.dated how the date is given."""
    rng = gen.rng("file", art.index)
    folder = f"{art.published.year}/{art.published.month:02d}"
    stem = f"{art.index:07d}_{art.lang}_{_slug(art.title)}"
    r = rng.random()
    manifest_date: str | None = None
    if r < gen.html_share:
        name, text = f"{stem}.html", _html(art)
        manifest_date = art.published.isoformat()
        art.dated = "manifest"
    elif r < gen.html_share + gen.md_share:
        name = f"{stem}.md"
        text = (f"---\ntitle: \"{art.title.replace(chr(34), '')}\"\npublished: {art.published.isoformat()}\n"
                f"lang: {art.lang}\nsource: {rng.choice(['Maddyness-like', 'FrenchWeb-like', 'Sifted-like', 'TechEU-like'])}\n---\n\n"
                + art.text)
        art.dated = "front_matter"
    else:
        name, text = f"{stem}.txt", art.text
        undated = rng.random()
        if undated < 0.03:  # no metadata, the dateline gives the date
            d = art.published
            line = (f"Publié le {d.day} {MONTHS_FR[d.month - 1]} {d.year}" if art.lang == "fr"
                    else f"Published {MONTHS_EN[d.month - 1]} {d.day}, {d.year}")
            lines = text.split("\n", 1)
            text = f"{lines[0]}\n{line}\n{lines[1] if len(lines) > 1 else ''}"
            art.dated = "dateline"
        elif undated < 0.05:
            art.dated = "none"
        else:
            manifest_date = art.published.isoformat()
    art.text = text if not name.endswith(".html") else art.text
    art.path = f"{folder}/{name}"
    enc = rng.random()
    data = text.encode("utf-8")
    if enc < 0.03:
        data = b"\xef\xbb\xbf" + data
    elif enc < 0.06:
        try:
            data = text.encode("cp1252")
        except UnicodeEncodeError:
            pass
    path = raw / folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return art.path, data, manifest_date


class Gold:
    """Corpus-level truth: one entry per round, merged over the articles that state it."""

    def __init__(self, entries: dict[str, dict] | None = None, non_rounds: list[dict] | None = None):
        self.entries = entries or {}
        self.non_rounds = non_rounds or []

    def add(self, m: Mention, art: Article) -> None:
        announced = m.announced if (art.dated != "none" or m.key.endswith(".past")) else None
        e = self.entries.get(m.key)
        if e is None:
            e = self.entries[m.key] = {
                "key": m.key, "company": m.deal.company, "amount": m.amount, "currency": m.currency,
                "qualifier": m.qualifier, "round_type": None, "valuation": None, "valuation_currency": None,
                "lead_investor": None, "investors": [], "investors_optional": [], "not_investors": [],
                "city": None, "country": None, "announced": None, "articles": [],
            }
        e["articles"].append(art.path)
        if m.round_type and not e["round_type"]:
            e["round_type"] = m.round_type
        if m.valuation and not e["valuation"]:
            e["valuation"], e["valuation_currency"] = m.valuation, m.deal.currency
        if m.leads:
            leads = e["lead_investor"] or []
            e["lead_investor"] = leads + [x for x in m.leads if x not in leads]
        e["investors"] += [x for x in m.investors if x not in e["investors"]]
        e["investors_optional"] += [x for x in m.optional if x not in e["investors_optional"]]
        e["not_investors"] += [x for x in m.not_investors if x not in e["not_investors"] and x not in e["investors"]]
        if m.city is not None and not e["city"]:
            e["city"] = list(dict.fromkeys([m.city.name, m.city.fr(), m.city.en()]))
        if m.country and not e["country"]:
            e["country"] = [m.country]
        if announced and (e["announced"] is None or announced < e["announced"]):
            e["announced"] = announced

    def to_json(self, meta: dict) -> dict:
        rounds = []
        for e in self.entries.values():
            r = dict(e)
            r["lead_investor"] = (r["lead_investor"][0] if r["lead_investor"] and len(r["lead_investor"]) == 1
                                  else r["lead_investor"])
            r["investors"] = [x for x in r["investors"] if x not in r["investors_optional"]]
            for k in ("investors_optional", "not_investors"):
                if not r[k]:
                    del r[k]
            rounds.append(r)
        rounds.sort(key=lambda r: [int(x) for x in r["key"].replace(".past", ".99").split(".")])
        return {
            "corpus": f"generated seed={meta['seed']} articles={meta['articles']}",
            "complete": True,
            "notes": ("Generated by benchmarks/corpus.py: one entry per round, merged over the articles that state "
                      "it (articles lists them); only what the text states. Undisclosed amounts, market totals, "
                      "funds closed by investors, revenues, prices, acquisitions and cumulative totals are not "
                      "rounds (non_rounds). Lenders and grantors count as investors."),
            "generator": meta,
            "rounds": rounds,
            "non_rounds": self.non_rounds,
            "quality_issues": [],
        }


def _write(gen: Generator, out: Path, start: int, stop: int, gold: Gold) -> dict:
    raw = out / "raw"
    manifests: dict[str, dict[str, str]] = {}
    n_bytes, kinds = 0, {"single": 0, "roundup": 0, "noise": 0}
    for i in range(start, stop):
        art = gen.article(i)
        rel, data, mdate = write_article(gen, art, raw)
        n_bytes += len(data)
        kinds[art.kind] += 1
        if mdate:
            folder, name = rel.rsplit("/", 1)
            manifests.setdefault(folder, {})[name] = mdate
        for m in art.mentions:
            gold.add(m, art)
        for nr in art.non_rounds:
            gold.non_rounds.append({**{k: v for k, v in nr.items() if v is not None}, "article": rel})
    for folder, rows in manifests.items():
        path = raw / folder / "manifest.csv"
        existing: dict[str, list[str]] = {}
        if path.exists():
            with path.open(newline="", encoding="utf-8") as f:
                existing = {r["path"]: [r["path"], r["published"], r["source"], r["url"]] for r in csv.DictReader(f)}
        for name, date in rows.items():
            existing[name] = [name, date, "", ""]
        tmp = path.with_name(".manifest.csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["path", "published", "source", "url"])
            w.writerows(sorted(existing.values()))
        tmp.replace(path)  # a new file, never an edit in place: corpora may be hard-linked copies
    return {"bytes": n_bytes, "kinds": kinds}


def generate(out: Path, articles: int, seed: int = 7, html_share: float = 0.05, md_share: float = 0.15) -> dict:
    """Write articles 0..articles-1 under out/raw and their truth to out/gold.json; return a summary."""
    out = Path(out)
    if (out / "raw").exists():
        import shutil

        shutil.rmtree(out / "raw")
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed, html_share=html_share, md_share=md_share)
    gold = Gold()
    stats = _write(gen, out, 0, articles, gold)
    meta = {"version": FORMAT_VERSION, "seed": seed, "articles": articles, "html_share": html_share,
            "md_share": md_share}
    (out / "gold.json").write_text(json.dumps(gold.to_json(meta), ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "corpus.json").write_text(json.dumps({**meta, **stats}, indent=1), encoding="utf-8")
    return {**meta, **stats, "rounds": len(gold.entries), "raw": str(out / "raw"), "gold": str(out / "gold.json")}


def _replace(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def extend(out: Path, articles: int) -> dict:
    """Add `articles` new articles after the existing ones (the next indices), and update gold.json."""
    out = Path(out)
    meta = json.loads((out / "corpus.json").read_text())
    gen = Generator(meta["seed"], html_share=meta["html_share"], md_share=meta["md_share"])
    old = json.loads((out / "gold.json").read_text(encoding="utf-8"))
    entries = {}
    for r in old["rounds"]:
        r = dict(r)
        lead = r["lead_investor"]
        r["lead_investor"] = [lead] if isinstance(lead, str) else lead
        r.setdefault("investors_optional", [])
        r.setdefault("not_investors", [])
        r["investors"] = r["investors"] + r["investors_optional"]
        entries[r["key"]] = r
    gold = Gold(entries, old["non_rounds"])
    start = meta["articles"]
    stats = _write(gen, out, start, start + articles, gold)
    meta["articles"] = start + articles
    meta["bytes"] = meta.get("bytes", 0) + stats["bytes"]
    _replace(out / "gold.json", json.dumps(gold.to_json(meta), ensure_ascii=False, indent=1))
    _replace(out / "corpus.json", json.dumps(meta, indent=1))
    return {**meta, "added": articles, "added_bytes": stats["bytes"], "rounds": len(gold.entries)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, type=Path, help="corpus folder (raw/ and gold.json go in it)")
    ap.add_argument("--articles", type=int, help="write a new corpus of this many articles")
    ap.add_argument("--extend", type=int, help="add this many articles to an existing corpus")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--html-share", type=float, default=0.05)
    ap.add_argument("--md-share", type=float, default=0.15)
    args = ap.parse_args(argv)
    if args.extend:
        info = extend(args.out, args.extend)
    elif args.articles:
        info = generate(args.out, args.articles, args.seed, args.html_share, args.md_share)
    else:
        ap.error("give --articles N or --extend N")
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
