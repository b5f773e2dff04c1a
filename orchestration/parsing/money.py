"""Money figures in French and English typography: spans, amount, currency.

A figure needs a currency or a scale word ("40 millions"): bare numbers are
dates, headcounts or counts. A figure without currency followed by a counted
noun ("un million de référentiels", "2 million users") is not money.
"""
from __future__ import annotations

import polars as pl

from .text import find_all, rx

SP = r"[\s\u00a0\u202f\u2009]"
NUM = r"\b\d{1,3}(?:[\u0020\u00a0\u202f\u2009.,’']\d{3})+(?:[.,]\d+)?|\b\d+(?:[.,]\d+)?"
WORDNUM = (
    r"\b(?:un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|douze|quinze|vingt|trente|cinquante|cent"
    r"|one|two|three|four|five|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|half\s+a|a|an)"
)
BIGWORD = r"(?:milliards?|billions?|millions?|trillions?)\b"
BIGSCALE = r"(?:milliards?|mds?|mrds?|billions?|bn|millions?|mlns?|mio|mn|trillions?)\b"
SCALE = r"(?:milliards?|mds?|mrds?|md|billions?|bn|b|millions?|mlns?|mio|mn|m|k|mille|thousand|trillions?|tn)\b"
CURPRE = (
    r"(?:US\s?\$|\$\s?US|CA?\$|A\$|AU\$|HK\$|S\$|€|\$|£|¥|\b(?:CHF|EUR|USD|GBP|JPY|CAD|AUD|SEK|NOK|DKK|INR|CNY|SGD|HKD|PLN|CZK)\b)"
)
CURWORD = (
    r"(?:dollars?(?:\s+(?:américains?|us|canadiens?|australiens?|de\s+singapour|de\s+hong\s+kong|singapouriens))?"
    r"|euros?|livres?\s+sterling|livres?|pounds?(?:\s+sterling)?|francs?\s+suisses|swiss\s+francs?|yens?|yuans?"
    r"|roupies?|rupees?|couronnes?\s+(?:suédoises|norvégiennes|danoises)|zlotys?|(?:usd|eur|gbp|chf|jpy|cad|aud|sek|nok|dkk|inr|cny|sgd|hkd|pln|czk)\b)"
)
CURSUF = rf"(?:US\s?\$|\$\s?US|€|\$|£|¥|(?:(?:de|d['’]|of){SP}*)?{CURWORD})"

# prefix currency | number (+scale) + suffix currency | number + big scale | words + big scale
FIGURE = (
    r"(?i)(?:"
    rf"{CURPRE}{SP}?(?:{NUM})(?:{SP}?{SCALE})?"
    rf"|(?:{NUM})(?:{SP}?{SCALE})?{SP}?{CURSUF}"
    rf"|(?:{NUM}){SP}?{BIGSCALE}"
    rf"|{WORDNUM}{SP}+{BIGWORD}(?:{SP}?{CURSUF})?"
    r")"
)
PARSE = rx(
    rf"(?i)^(?:({CURPRE}){SP}?)?({NUM}|{WORDNUM})(?:{SP}*({SCALE}))?(?:{SP}*({CURSUF}))?$"
)
WORD_VALUES = {
    "un": 1.0, "une": 1.0, "one": 1.0, "a": 1.0, "an": 1.0, "deux": 2, "two": 2, "trois": 3, "three": 3, "quatre": 4,
    "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7, "huit": 8, "eight": 8, "neuf": 9,
    "nine": 9, "dix": 10, "ten": 10, "douze": 12, "twelve": 12, "quinze": 15, "fifteen": 15, "vingt": 20,
    "twenty": 20, "trente": 30, "thirty": 30, "cinquante": 50, "fifty": 50, "cent": 100, "half a": 0.5,
}
# currency tokens, most specific first
CURRENCY_RULES = [
    (r"chf|franc", "CHF"), (r"£|livre|pound|gbp", "GBP"), (r"€|euro|eur", "EUR"), (r"^ca?\$|canadien|cad", "CAD"),
    (r"^au?\$|australien|aud", "AUD"), (r"^hk\$|hong kong|hkd", "HKD"), (r"^s\$|singapour|sgd", "SGD"),
    (r"¥|yen|jpy", "JPY"), (r"yuan|cny", "CNY"), (r"roupie|rupee|inr", "INR"), (r"suédoise|sek", "SEK"),
    (r"norvégienne|nok", "NOK"), (r"danoise|dkk", "DKK"), (r"zloty|pln", "PLN"), (r"czk", "CZK"), (r"\$|dollar|usd", "USD"),
]
SCALE_RULES = [(r"^(?:milliard|md|mrd|billion|bn|b)", 1e9), (r"^(?:trillion|tn)", 1e12), (r"^(?:million|mln|mio|mn|m)", 1e6), (r"^(?:k|mille|thousand)", 1e3)]
# what may follow a currency-less "40 millions" when it is money
MONEY_FOLLOW = rx(
    r"(?i)^(?:\s*[.,;:!?)»”\-–—]|\s*$|\s+(?:en|in|sur|au|aux|à|pour|for|lors|dans|at|on|by|par|et|and|ou|or|soit|contre"
    r"|versus|vs|selon|après|avant|depuis|since|from|to|auprès|avec|with|cette|this|last|l['’]an|l['’]année|ont|a|avait"
    r"|have|has|had|was|were|is|are|est|sont|qui|which|that|de\s+plus|désormais|now|seulement|only|supplémentaires"
    r"|additional|more|de\s+(?:financement|fonds|capital|valorisation|chiffre)|d['’](?:investissement|euros|dollars)"
    r"|of\s+(?:funding|capital|investment)|in\s+(?:funding|capital|new)|levés?|raised|obtenus?|récoltés?)\b)"
)


def _number(raw: pl.Expr, has_scale: pl.Expr) -> pl.Expr:
    """Digits to float: spaces always group thousands; one ',' or '.' before 3 digits
    groups thousands only without a scale word ('10.000', but '1,125 milliard')."""
    n = raw.str.replace_all(r"[\s\u00a0\u202f\u2009’']", "")
    grouped = n.str.contains(r"^\d{1,3}(?:[.,]\d{3})+$")
    many = n.str.count_matches(r"[.,]") > 1
    mixed = n.str.contains(r"^\d{1,3}(?:[.,]\d{3})+[.,]\d{1,2}$|^\d{1,3}(?:[.,]\d{3}){2,}[.,]\d+$")
    as_int = n.str.replace_all(r"[.,]", "")
    as_mixed = n.str.extract(r"^(.*)[.,]\d+$", 1).str.replace_all(r"[.,]", "") + pl.lit(".") + n.str.extract(r"[.,](\d+)$", 1)
    return (
        pl.when(grouped & (many | ~has_scale)).then(as_int)
        .when(mixed).then(as_mixed)
        .otherwise(n.str.replace(",", "."))
        .cast(pl.Float64, strict=False)
    )


def _currency(token: pl.Expr) -> pl.Expr:
    t = token.str.to_lowercase()
    expr = pl.lit(None, dtype=pl.Utf8)
    for pattern, code in reversed(CURRENCY_RULES):
        expr = pl.when(t.str.contains(rx(pattern))).then(pl.lit(code)).otherwise(expr)
    return expr


def _scale(token: pl.Expr) -> pl.Expr:
    t = token.str.to_lowercase()
    expr = pl.lit(1.0)
    for pattern, value in reversed(SCALE_RULES):
        expr = pl.when(t.str.contains(pattern)).then(pl.lit(value)).otherwise(expr)
    return expr


def parse_figure(raw: pl.Expr) -> pl.Expr:
    """A struct (amount, currency, has_scale) for a matched figure string."""
    return parse_groups(raw.str.extract_groups(PARSE))


def parse_groups(g: pl.Expr) -> pl.Expr:
    """`parse_figure` from the groups of PARSE (pass a column: eager polars evaluates `g` once per use)."""
    pre, num, scale, suf = g.struct.field("1"), g.struct.field("2"), g.struct.field("3"), g.struct.field("4")
    has_scale = scale.is_not_null()
    word = num.str.to_lowercase().str.replace_all(r"\s+", " ").replace_strict(list(WORD_VALUES), [float(v) for v in WORD_VALUES.values()], default=None, return_dtype=pl.Float64)
    value = pl.coalesce(word, _number(num, has_scale))
    amount = value * pl.when(has_scale).then(_scale(scale)).otherwise(1.0)
    currency = pl.coalesce(_currency(pre), _currency(suf))
    return pl.struct(amount.alias("amount"), currency.alias("currency"), has_scale.alias("has_scale"),
                     scale.fill_null("").str.contains(r"(?i)^(?:milliard|billion|million|trillion|bn|md|mrd|mn|mln|mio)").alias("big_scale"))


# a figure that is money holds an ASCII digit or a big scale word: other digits ("٣") parse to no
# amount, so a sentence without either holds no figure (a cheap scan spares most the FIGURE pattern)
MAY_HOLD_FIGURE = r"[0-9]|(?i:illi)"
# scanned as two patterns: each alone is a literal search (a byte class, a cased literal), twice as fast as the
# alternation's automaton; a row holds a match of the alternation when it holds one of either
_MAY_HOLD_PARTS = MAY_HOLD_FIGURE.split("|")


def find_figures(sentences: pl.DataFrame) -> pl.DataFrame:
    """Money figures of every sentence: article_id, sentence_idx, char_start/end (in the article), raw_text, amount, currency."""
    digit, scale = _MAY_HOLD_PARTS
    candidates = sentences.filter(pl.col("sfold").str.contains(digit) | pl.col("sfold").str.contains(scale))
    spans = find_all(candidates, "sfold", FIGURE, "_fig", orig="sentence").rename(
        {"_fig": "raw_fold", "_fig_orig": "raw_text", "_fig_start": "raw_text_start", "_fig_end": "raw_text_end"})
    # amount, currency and scale depend on the figure's text alone, and texts recur (9k distinct of 27k in
    # 5,000 articles): parsed once per distinct text, joined back
    parsed = (
        spans.select(pl.col("raw_fold").unique())
        .with_columns(pl.col("raw_fold").str.extract_groups(PARSE).alias("_g"))
        .with_columns(parse_groups(pl.col("_g")).alias("_p"))
        .drop("_g")
        .unnest("_p")
    )
    out = (
        spans.join(parsed, on="raw_fold", how="left", maintain_order="left")
        .with_columns(
            (pl.col("s_start") + pl.col("raw_text_start")).alias("char_start"),
            (pl.col("s_start") + pl.col("raw_text_end")).alias("char_end"),
            pl.col("sfold").str.slice(pl.col("raw_text_end")).alias("_after"),
        )
        .filter(pl.col("amount").is_not_null() & (pl.col("amount") > 0))
        # currency-less figures need a big scale word and must not count things
        .filter(
            pl.col("currency").is_not_null()
            | (pl.col("big_scale") & pl.col("_after").str.contains(MONEY_FOLLOW))
        )
        .drop("_after", "has_scale", "big_scale", "raw_fold")
    )
    return out
