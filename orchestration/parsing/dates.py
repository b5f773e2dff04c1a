"""Dates in the text, with their precision: explicit ("le 17 novembre 2023",
"en mai 2022", "au premier trimestre 2024", "en 2021"), relative to the article
("ce jeudi", "l'an dernier", "en août", "il y a un an") or to the date
mentioned just before ("un an plus tôt"). Years after "fondée en" are not
dates of a round.
"""
from __future__ import annotations

import polars as pl

from .text import find_all, rx

MONTHS = {
    "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12, "decembre": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
QUARTERS = {"premier": 1, "1er": 1, "first": 1, "deuxième": 2, "second": 2, "2e": 2, "2ème": 2, "troisième": 3, "third": 3,
            "3e": 3, "3ème": 3, "quatrième": 4, "fourth": 4, "4e": 4, "4ème": 4, "dernier": 4, "last": 4}
NUMBERS = {"un": 1, "une": 1, "a": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4, "four": 4,
           "cinq": 5, "five": 5}
MONTHS.update({k.replace("é", "e").replace("û", "u"): v for k, v in list(MONTHS.items())})
QUARTERS.update({k.replace("è", "e"): v for k, v in list(QUARTERS.items())})
# a bare month ("en août") needs its full name: "sept" is also seven, "mar" a word
_M_FULL = "|".join(sorted((k for k in MONTHS if len(k) > 4 or k in ("mai", "juin", "may", "june", "july", "aout", "août")),
                          key=len, reverse=True))
_M = "|".join(sorted(MONTHS, key=len, reverse=True))
_DAYS = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_N = r"un|une|a|one|deux|two|trois|three|quatre|four|cinq|five|\d+"
DATE = (
    r"(?i)(?:"
    rf"\b(?P<dd>\d{{1,2}})(?:er|st|nd|rd|th)?\s+(?P<dm>{_M})\.?\s+(?P<dy>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<em>{_M})\.?\s+(?P<ed>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<ey>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<bpre>en|in|début|fin|mi-|courant|depuis|since|early|late|mid-)\s*(?P<bm>{_M_FULL})\b(?:\s+(?:de\s+|of\s+)?(?P<bmy>(?:19|20)\d{{2}})\b)?"
    rf"|\b(?P<mm>{_M})\s+(?:de\s+|of\s+)?(?P<my>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<q>premier|1er|deuxième|second|2e|2ème|troisième|3e|3ème|quatrième|4e|4ème|dernier|first|third|fourth|last)\s+(?:trimestre|quarter)\s+(?:de\s+|of\s+)?(?P<qy>(?:19|20)\d{{2}})\b"
    rf"|\b(?:T|Q)(?P<qn>[1-4])\s*(?P<qny>(?:19|20)\d{{2}})\b"
    rf"|(?P<found>\b(?:fond|cré|lanc|found|establish|launch|incorporat|immatricul|née?\b|born|start)\w*\s+(?:\S+\s+){{0,4}}?)?\b(?:en|in|depuis|since|début|fin|courant|l['’]année|l['’]an|année|year|for|of|remont\w*\s+à|datant\s+de|datait\s+de|date\s+de|dates?\s+back\s+to|dating\s+from|back\s+in)\s+(?P<y>(?:19|20)\d{{2}})\b"
    rf"|\b(?P<rd>ce\s+(?:{_DAYS}|matin)|aujourd['’]hui|today|this\s+week|cette\s+semaine|hier|yesterday|on\s+(?:{_DAYS})|(?:{_DAYS})\s+dernier|last\s+(?:{_DAYS}))\b"
    rf"|\b(?P<pr>(?P<prn>{_N})\s+(?:ans?|années?|years?)\s+(?:plus\s+tôt|auparavant|avant|earlier|before))"
    rf"|\b(?P<pr1>l['’]année\s+précédente|the\s+(?:previous|prior)\s+year|the\s+year\s+before)"
    rf"|\b(?P<lm>le\s+mois\s+(?:dernier|passé|précédent)|last\s+month|the\s+previous\s+month|la\s+semaine\s+(?:dernière|passée)|last\s+week)"
    rf"|\b(?P<ly>l['’]an\s+(?:dernier|passé)|l['’]année\s+(?:dernière|passée)|last\s+year)"
    rf"|\b(?P<ago>il\s+y\s+a\s+(?:(?:à\s+peine|environ|près\s+d['’]|plus\s+d['’]|un\s+peu\s+plus\s+d['’]|moins\s+d['’]|presque)\s*)*(?P<agon>{_N})\s+ans?|(?P<agon2>{_N})\s+years?\s+ago)\b"
    rf"|\b(?P<ty>cette\s+année|this\s+year|en\s+début\s+d['’]année)\b"
    r")"
)
GROUPS = ["lm", "dd", "dm", "dy", "em", "ed", "ey", "bpre", "bm", "bmy", "mm", "my", "q", "qy", "qn", "qny", "found", "y", "rd",
          "pr", "prn", "pr1", "ly", "ago", "agon", "agon2", "ty"]
SCHEMA = {"article_id": pl.Utf8, "sentence_idx": pl.Int64, "d_start": pl.Int64, "d_end": pl.Int64, "g_pos": pl.Int64,
          "date": pl.Date, "precision": pl.Utf8, "rel_years": pl.Int64, "founded": pl.Boolean}


def _month(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().replace_strict(list(MONTHS), list(MONTHS.values()), default=None, return_dtype=pl.Int32)


def _num(col: str) -> pl.Expr:
    c = pl.col(col).str.to_lowercase()
    return pl.coalesce(c.replace_strict(list(NUMBERS), list(NUMBERS.values()), default=None, return_dtype=pl.Int32),
                       c.cast(pl.Int32, strict=False))


def date_spans(sentences: pl.DataFrame) -> pl.DataFrame:
    """The date phrases of `sentences` with their groups, before anchoring (`find_dates` anchors them:
    a caller anchoring the same sentences twice finds them once)."""
    spans = find_all(sentences.select("article_id", "sentence_idx", "s_start", "sfold"), "sfold", DATE, "_d")
    if spans.height == 0:
        return spans
    # the groups depend on the phrase alone, and phrases recur (365 distinct of 13k in 5,000 articles): the
    # capturing search runs once per distinct phrase, joined back
    g = pl.col("_d").str.extract_groups(rx(DATE))
    per_phrase = spans.select(pl.col("_d").unique()).with_columns(g.alias("_g")).with_columns(
        [pl.col("_g").struct.field(n).alias(n) for n in GROUPS])
    return spans.join(per_phrase, on="_d", how="left", maintain_order="left")


def find_dates(sentences: pl.DataFrame | None, published: pl.DataFrame, spans: pl.DataFrame | None = None) -> pl.DataFrame:
    """Date mentions: article_id, sentence_idx, d_start, d_end, g_pos, date, precision, rel_years, founded.

    `published` (article_id, published_on) anchors relative dates; `rel_years`
    marks "un an plus tôt" mentions that the caller anchors on the previous date.
    `spans`: the `date_spans` of `sentences`, when the caller has them.
    """
    if spans is None:
        spans = date_spans(sentences)
    if spans.height == 0:
        return pl.DataFrame(schema=SCHEMA)
    spans = spans.join(published.select("article_id", "published_on"), on="article_id", how="left")
    pub = pl.col("published_on")
    py, pm = pub.dt.year().cast(pl.Int32), pub.dt.month().cast(pl.Int32)
    int_ = lambda c: pl.col(c).cast(pl.Int32, strict=False)  # noqa: E731
    bm = _month("bm")
    bm_year = pl.coalesce(int_("bmy"), pl.when(bm <= pm).then(py).otherwise(py - 1))
    q = pl.coalesce(pl.col("q").str.to_lowercase().replace_strict(list(QUARTERS), list(QUARTERS.values()), default=None, return_dtype=pl.Int32), int_("qn"))
    qy = pl.coalesce(int_("qy"), int_("qny"))
    ago = pl.coalesce(_num("agon"), _num("agon2"))
    def day(y: pl.Expr, m: pl.Expr, d: pl.Expr) -> pl.Expr:
        """A calendar date; an impossible day ("31 février") is clipped to the month."""
        first = pl.date(y, m, 1)
        return first.dt.offset_by(pl.format("{}d", (d.clip(1, 31) - 1).clip(0, None)))\
            .clip(upper_bound=first.dt.month_end())

    date = (
        pl.when(pl.col("dd").is_not_null()).then(day(int_("dy"), _month("dm"), int_("dd")))
        .when(pl.col("ed").is_not_null()).then(day(int_("ey"), _month("em"), int_("ed")))
        .when(pl.col("bm").is_not_null()).then(pl.date(bm_year, bm, 1))
        .when(pl.col("mm").is_not_null()).then(pl.date(int_("my"), _month("mm"), 1))
        .when(q.is_not_null()).then(pl.date(qy, (q - 1) * 3 + 1, 1))
        .when(pl.col("y").is_not_null()).then(pl.date(int_("y"), 1, 1))
        .when(pl.col("rd").is_not_null()).then(pub)
        .when(pl.col("lm").str.contains(r"(?i)semaine|week")).then((pub - pl.duration(days=7)).dt.month_start())
        .when(pl.col("lm").is_not_null()).then(pub.dt.month_start().dt.offset_by("-1mo"))
        .when(pl.col("ly").is_not_null()).then(pl.date(py - 1, 1, 1))
        .when(pl.col("ago").is_not_null()).then(pl.date(py - ago, 1, 1))
        .when(pl.col("ty").is_not_null()).then(pl.date(py, 1, 1))
    )
    precision = (
        pl.when(pl.col("dd").is_not_null() | pl.col("ed").is_not_null() | pl.col("rd").is_not_null()).then(pl.lit("day"))
        .when(pl.col("bm").is_not_null() | pl.col("mm").is_not_null() | pl.col("lm").is_not_null()).then(pl.lit("month"))
        .when(q.is_not_null()).then(pl.lit("quarter"))
        .otherwise(pl.lit("year"))
    )
    rel = pl.when(pl.col("pr").is_not_null()).then(_num("prn")).when(pl.col("pr1").is_not_null()).then(pl.lit(1, dtype=pl.Int32))
    out = spans.with_columns(
        date.alias("date"), precision.alias("precision"), rel.cast(pl.Int64).alias("rel_years"),
        pl.col("found").is_not_null().alias("founded"),
        (pl.col("s_start") + pl.col("_d_start")).alias("g_pos"),
    ).select("article_id", "sentence_idx", pl.col("_d_start").alias("d_start"), pl.col("_d_end").alias("d_end"),
             "g_pos", "date", "precision", "rel_years", "founded")
    # "un an plus tôt": N years before the previous dated mention of the article (else the article's date)
    anchors = out.filter(pl.col("date").is_not_null() & ~pl.col("founded")).select(
        "article_id", pl.col("g_pos").alias("_apos"), pl.col("date").alias("_adate")).sort("_apos")
    rel_rows = out.filter(pl.col("rel_years").is_not_null()).sort("g_pos")
    if rel_rows.height:
        rel_rows = rel_rows.join_asof(anchors, left_on="g_pos", right_on="_apos", by="article_id", strategy="backward", check_sortedness=False)
        rel_rows = rel_rows.join(published.select("article_id", "published_on"), on="article_id", how="left").with_columns(
            pl.date(pl.coalesce(pl.col("_adate"), pl.col("published_on")).dt.year() - pl.col("rel_years").cast(pl.Int32), 1, 1).alias("date"),
            pl.lit("year").alias("precision"),
        ).select(out.columns)
        out = pl.concat([out.filter(pl.col("rel_years").is_null()), rel_rows])
    return out.sort("article_id", "g_pos")


def infer_published(articles: pl.DataFrame, mentions: pl.DataFrame) -> pl.DataFrame:
    """article_id, published_on, published_precision, published_inferred: given, else the latest
    explicit full date in the text (a lower bound), else the latest explicit month."""
    explicit = mentions.filter(pl.col("precision").is_in(["day", "month"]) & ~pl.col("founded") & pl.col("rel_years").is_null())
    best = (
        explicit.with_columns((pl.col("precision") == "day").alias("_day"))
        .sort(["article_id", "_day", "date"], descending=[False, True, True])
        .unique("article_id", keep="first")
        .select("article_id", pl.col("date").alias("_inf"), pl.col("precision").alias("_prec"))
    )
    a = articles.select("article_id", "published_on").join(best, on="article_id", how="left")
    return a.select(
        "article_id",
        pl.coalesce(pl.col("published_on"), pl.col("_inf")).alias("published_on"),
        pl.when(pl.col("published_on").is_not_null()).then(pl.lit("day")).otherwise(pl.col("_prec")).alias("published_precision"),
        (pl.col("published_on").is_null() & pl.col("_inf").is_not_null()).alias("published_inferred"),
    )
