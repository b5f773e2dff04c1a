"""Column names and dtypes of the mention tables (docs/interfaces.md, section 2)."""
from __future__ import annotations

import polars as pl

ARTICLE_FACTS = {
    "article_id": pl.Utf8, "lang": pl.Utf8, "published_on": pl.Date, "published_precision": pl.Utf8,
    "published_inferred": pl.Boolean,
}
FIGURES = {
    "figure_id": pl.Utf8, "article_id": pl.Utf8, "sentence_idx": pl.Int64, "char_start": pl.Int64, "char_end": pl.Int64,
    "raw_text": pl.Utf8, "amount": pl.Float64, "currency": pl.Utf8, "currency_inferred": pl.Boolean,
    "qualifier": pl.Utf8, "kind": pl.Utf8, "company": pl.Utf8, "quote": pl.Utf8,
}
ROUND_MENTIONS = {
    "mention_id": pl.Utf8, "article_id": pl.Utf8, "company": pl.Utf8, "amount": pl.Float64, "currency": pl.Utf8,
    "currency_inferred": pl.Boolean, "amount_qualifier": pl.Utf8, "amount_text": pl.Utf8, "valuation": pl.Float64,
    "valuation_currency": pl.Utf8, "valuation_text": pl.Utf8, "valuation_basis": pl.Utf8, "round_type": pl.Utf8,
    "announced_on": pl.Date, "announced_precision": pl.Utf8, "is_recalled": pl.Boolean, "quote": pl.Utf8,
    "char_start": pl.Int64, "char_end": pl.Int64,
}
INVESTOR_MENTIONS = {
    "mention_id": pl.Utf8, "article_id": pl.Utf8, "investor": pl.Utf8, "is_lead": pl.Boolean, "is_existing": pl.Boolean,
    "quote": pl.Utf8, "char_start": pl.Int64, "char_end": pl.Int64,
}
COMPANY_FACTS = {
    "article_id": pl.Utf8, "company": pl.Utf8, "city": pl.Utf8, "country": pl.Utf8, "quote": pl.Utf8,
    "char_start": pl.Int64, "char_end": pl.Int64, "basis": pl.Utf8,
}
ARTICLES_IN = {
    "article_id": pl.Utf8, "path": pl.Utf8, "title": pl.Utf8, "text": pl.Utf8, "lang": pl.Utf8, "published_on": pl.Date,
    "source": pl.Utf8, "url": pl.Utf8,
}


def conform(df: pl.DataFrame, schema: dict) -> pl.DataFrame:
    """Exactly the columns of `schema`, in order, with its dtypes."""
    cols = []
    for name, dtype in schema.items():
        cols.append((pl.col(name) if name in df.columns else pl.lit(None)).cast(dtype).alias(name))
    return df.select(cols) if df.height or df.columns else pl.DataFrame(schema=schema)


def empty(schema: dict) -> pl.DataFrame:
    return pl.DataFrame(schema=schema)
