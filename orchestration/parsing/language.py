"""French or English, by counting frequent function words."""
from __future__ import annotations

import polars as pl

from .text import fold_expr, rx

FR = r"(?i)\b(?:le|la|les|des|du|une|est|et|dans|pour|qui|sur|avec|pas|au|aux|ce|cette|sont|été|d['’]|l['’])\b"
EN = r"(?i)\b(?:the|and|of|to|is|for|with|that|on|by|from|has|was|are|its|have|this|which|raised)\b"

FR, EN = rx(FR), rx(EN)


def detect_language(text: pl.Expr) -> pl.Expr:
    """'fr' or 'en' from the first 5,000 characters (ties go to French)."""
    return language_of_head(fold_expr(head(text)))


def head(text: pl.Expr) -> pl.Expr:
    """The characters the language is judged on."""
    return text.fill_null("").str.slice(0, 5000)


def language_of_head(head: pl.Expr) -> pl.Expr:
    """`detect_language` on the folded head (pass a column: eager polars evaluates `head` once per use)."""
    return pl.when(head.str.count_matches(EN) > head.str.count_matches(FR)).then(pl.lit("en")).otherwise(pl.lit("fr"))
