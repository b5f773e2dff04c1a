"""fundwatch extraction engine: press articles (polars) -> mention tables.

`extract(articles)` returns an `Extraction` of five polars DataFrames whose
columns are those of docs/interfaces.md, section 2. Pure polars: no dagster.
"""
from .extract import Extraction, extract

__all__ = ["Extraction", "extract"]
