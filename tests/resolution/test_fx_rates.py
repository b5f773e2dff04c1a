"""orchestration.reference.fx_rates: the ECB history, offline."""
from __future__ import annotations

import socket
from datetime import date

import polars as pl
import pytest

from orchestration.reference import fx_rates


@pytest.fixture(scope="module")
def rates(request) -> pl.DataFrame:
    return fx_rates.ecb_rates()


def test_schema_and_span(rates):
    assert rates.schema == pl.Schema({"rate_date": pl.Date, "currency": pl.Utf8, "per_eur": pl.Float64})
    assert rates["rate_date"].min() == date(1999, 1, 4)
    assert rates["rate_date"].max() >= date(2024, 12, 31)
    assert rates.filter(pl.col("per_eur").is_null() | (pl.col("per_eur") <= 0)).is_empty()
    assert rates.select(pl.struct("rate_date", "currency").is_unique().all()).item()


def test_known_reference_rates(rates):
    def rate(day: date, currency: str) -> float:
        return rates.filter((pl.col("rate_date") == day) & (pl.col("currency") == currency))["per_eur"].item()

    assert rate(date(2023, 8, 24), "USD") == pytest.approx(1.084)
    assert rate(date(2022, 5, 9), "USD") == pytest.approx(1.0559)
    assert rate(date(1999, 1, 4), "USD") == pytest.approx(1.1789)
    assert rate(date(2023, 8, 24), "GBP") == pytest.approx(0.8565)


def test_eur_is_one_on_every_business_day(rates):
    eur = rates.filter(pl.col("currency") == "EUR")
    assert eur["per_eur"].unique().to_list() == [1.0]
    assert eur.height == rates["rate_date"].n_unique()


def test_business_days_only(rates):
    weekdays = rates.select(pl.col("rate_date").dt.weekday().unique())["rate_date"].to_list()
    assert set(weekdays) <= {1, 2, 3, 4, 5}
    assert rates.filter(pl.col("rate_date") == date(2023, 8, 26)).is_empty()  # a Saturday


def test_every_currency_of_the_file(rates):
    currencies = set(rates["currency"].unique().to_list())
    assert {"EUR", "USD", "GBP", "CHF", "JPY", "CAD", "SEK"} <= currencies
    # currencies the ECB stopped quoting keep their history
    assert rates.filter(pl.col("currency") == "CYP")["rate_date"].max() < date(2009, 1, 1)


def test_no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("ecb_rates must not open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    assert fx_rates.ecb_rates().height > 100_000


def test_deterministic(rates):
    assert fx_rates.ecb_rates().equals(rates)
