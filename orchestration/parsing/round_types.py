"""Round types named in the text, mapped to the contract vocabulary:
pre_seed, seed, series_a..series_j, growth, bridge, debt, grant, ipo."""
from __future__ import annotations

import polars as pl

from .text import find_all, mentions_any, rx

ROUND_TYPE = (
    r"(?i)(?P<pre>\bpr[ée][- ]?amor[çc]age|\bpre[- ]?seed)"
    r"|(?P<seed>\bamor[çc]age|\bseed\b(?:\s+(?:round|funding|financing))?)"
    r"|\b(?:s[ée]ries?|tour(?:\s+de\s+(?:table\s+de\s+)?s[ée]rie)?)\s*[«\"“']?\s*(?P<letter>(?-i:[A-J]))(?:\d|\+)?\b"
    r"|(?P<growth>\bgrowth\s+(?:round|equity|financing|funding|stage)|\btour\s+de\s+croissance|\bcapital[- ](?:développement|croissance)|\blate[- ]stage)"
    r"|(?P<bridge>\bbridge\b|\btour\s+relais|\bfinancement\s+relais|\bextension\b)"
    r"|(?P<debt>\bventure\s+debt|\bdette\b|\bdebt\b|\bprêts?\s+(?:de|garanti|bancaire|participatif)|\bemprunt\w*|\bobligataire|\bobligations\s+convertibles|\bconvertible\s+notes?)"
    r"|(?P<grant>\bsubventions?|\bdotation|\bmécénat|\bmécènes?|\bgrants?\b|\bendowment|\bphilanthrop\w*|\bdonations?)"
    r"|(?P<ipo>\bintroduction\s+en\s+bourse|\bentrée\s+en\s+bourse|\bIPO\b|\binitial\s+public\s+offering|\bgoing\s+public|\bcotation\s+en\s+bourse)"
)

# "25 M€, dont 10 M€ de dette", "$30M, including $8M of venture debt": the debt is a part, the whole is no debt round
PART_BEFORE = r"(?i)\b(?:dont|including|of\s+which|incl\.)\s+[^,;.()]{0,30}$"


def find_round_types(sentences: pl.DataFrame) -> pl.DataFrame:
    """article_id, sentence_idx, t_start, round_type for every round-type phrase."""
    words = ["amorcage", "seed", "serie", "tour", "growth", "croissance", "capital", "late", "bridge", "relais", "extension",
             "debt", "dette", "pret", "emprunt", "obligat", "convertible", "subvention", "dotation", "mecen", "grant",
             "endowment", "philanthrop", "donation", "bourse", "ipo", "public"]
    spans = find_all(sentences.select("article_id", "sentence_idx", "sfold").filter(mentions_any(words)), "sfold", ROUND_TYPE, "_t")
    if spans.height == 0:
        return pl.DataFrame(schema={"article_id": pl.Utf8, "sentence_idx": pl.Int64, "t_start": pl.Int64, "round_type": pl.Utf8})
    # the groups depend on the phrase alone ("série A", "seed" recur): captured once per distinct phrase
    g = pl.col("_t").str.extract_groups(rx(ROUND_TYPE))
    s = spans.join(spans.select(pl.col("_t").unique()).with_columns(g.alias("_g")), on="_t", how="left", maintain_order="left")
    f = lambda n: pl.col("_g").struct.field(n).is_not_null()  # noqa: E731
    letter = pl.col("_g").struct.field("letter")
    rt = (
        pl.when(f("pre")).then(pl.lit("pre_seed"))
        .when(f("seed")).then(pl.lit("seed"))
        .when(letter.is_not_null()).then(pl.lit("series_") + letter.str.to_lowercase())
        .when(f("growth")).then(pl.lit("growth"))
        .when(f("bridge")).then(pl.lit("bridge"))
        .when(f("debt")).then(pl.lit("debt"))
        .when(f("grant")).then(pl.lit("grant"))
        .when(f("ipo")).then(pl.lit("ipo"))
    )
    before = pl.col("sfold").str.slice((pl.col("_t_start") - 40).clip(lower_bound=0), pl.col("_t_start").clip(upper_bound=40))
    s = s.filter(~(f("debt") & before.str.contains(rx(PART_BEFORE))))
    out = s.select("article_id", "sentence_idx", pl.col("_t_start").alias("t_start"), rt.alias("round_type"),
                   pl.col("_t").str.contains(r"(?i)extension").alias("_ext"))
    # "Series B extension", "une extension de son amorçage": the extended stage wins over the extension
    stage = pl.col("round_type").str.starts_with("series_") | pl.col("round_type").is_in(["seed", "pre_seed"])
    has_stage = stage.any().over("article_id", "sentence_idx")
    return out.filter(~(pl.col("_ext") & has_stage)).drop("_ext")
