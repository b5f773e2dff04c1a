"""The engine on the five seed articles: the facts a careful reader extracts."""
import csv
import datetime as dt
import unicodedata
from pathlib import Path

import polars as pl
import pytest

from orchestration.parsing import extract
from tests.parsing.gold_score import same_name

ROOT = Path(__file__).resolve().parents[2]


def seed_folder() -> Path:
    raw = ROOT / "raw"
    if raw.is_dir() and len(list(raw.glob("00*_*.txt"))) >= 5:
        return raw
    return Path("/work/shared/seeds")


def seed_articles(folder: Path) -> pl.DataFrame:
    """The seed files as the articles frame the engine reads (manifest dates, first line as title)."""
    manifest = {r["path"]: r["published"] for r in csv.DictReader(open(folder / "manifest.csv", encoding="utf-8"))}
    rows = []
    for p in sorted(folder.glob("00*_*.txt")):
        text = unicodedata.normalize("NFC", p.read_bytes().decode("utf-8-sig").replace("&nbsp;", "\u00a0"))
        pub = manifest.get(p.name)
        rows.append({"article_id": p.name[:3], "path": p.name, "title": text.strip().splitlines()[0], "text": text,
                     "lang": None, "published_on": dt.date.fromisoformat(pub) if pub else None, "source": None, "url": None})
    return pl.DataFrame(rows, schema_overrides={"published_on": pl.Date})


@pytest.fixture(scope="module")
def ex():
    folder = seed_folder()
    if not folder.is_dir():
        pytest.skip("no seed articles")
    return extract(seed_articles(folder))


def mentions(ex, company, amount, currency=None):
    out = []
    for r in ex.round_mentions.to_dicts():
        if same_name(r["company"], company) and abs(r["amount"] - amount) / amount < 0.03 and currency in (None, r["currency"]):
            out.append(r)
    return out


def investors(ex, mention_ids):
    return [r for r in ex.investor_mentions.to_dicts() if r["mention_id"] in mention_ids]


def test_all_articles_french_and_004_dated_from_its_text(ex):
    facts = {r["article_id"]: r for r in ex.article_facts.to_dicts()}
    assert {r["lang"] for r in facts.values()} == {"fr"}
    assert facts["004"]["published_on"] == dt.date(2023, 11, 17) and facts["004"]["published_inferred"]


def test_hugging_face_series_d(ex):
    ms = mentions(ex, "Hugging Face", 235e6, "USD")
    assert {m["article_id"] for m in ms} == {"000", "001"}
    m000 = next(m for m in ms if m["article_id"] == "000")
    assert m000["round_type"] == "series_d" and m000["valuation"] == 4.5e9 and m000["valuation_currency"] == "USD"
    assert all(str(m["announced_on"]).startswith("2023-08") and not m["is_recalled"] for m in ms)
    inv = investors(ex, {m["mention_id"] for m in ms})
    names = {r["investor"] for r in inv}
    for expected in ["Google", "Amazon", "Nvidia", "Intel", "AMD", "Qualcomm", "IBM", "Salesforce Ventures", "Sound Ventures"]:
        assert any(same_name(n, expected) for n in names), expected
    assert any(r["is_lead"] and same_name(r["investor"], "Salesforce Ventures") for r in inv)


def test_hugging_face_series_c_and_its_recalls(ex):
    ms = mentions(ex, "Hugging Face", 100e6, "USD")
    assert {m["article_id"] for m in ms} == {"000", "001", "002"}
    assert all(str(m["announced_on"]).startswith("2022-05") for m in ms)
    m002 = next(m for m in ms if m["article_id"] == "002")
    assert m002["round_type"] == "series_c" and m002["valuation"] == 2e9 and not m002["is_recalled"]
    assert all(m["is_recalled"] for m in ms if m["article_id"] != "002")
    names = {r["investor"] for r in investors(ex, {m002["mention_id"]})}
    for expected in ["Lux Capital", "Addition", "Betaworks", "Kevin Durant", "Olivier Pomel", "Florian Douetteau",
                     "Thibault Elzière", "Sequoia Capital", "Coatue Management"]:
        assert any(same_name(n, expected) for n in names), expected
    assert not any(same_name(n, x) for n in names for x in ["Datadog", "Dataiku", "Upflow"])


def test_hugging_face_40_million_in_2021(ex):
    ms = mentions(ex, "Hugging Face", 40e6, "USD")
    assert {m["article_id"] for m in ms} == {"000", "002"}
    assert all(str(m["announced_on"]).startswith("2021") and m["is_recalled"] for m in ms)
    assert next(m for m in ms if m["article_id"] == "000")["currency_inferred"]


def test_scale_ai(ex):
    (m,) = mentions(ex, "Scale AI", 1e9, "USD")
    assert m["valuation"] == 13.8e9 and str(m["announced_on"]).startswith("2024-05")
    inv = investors(ex, {m["mention_id"]})
    assert len({r["investor"] for r in inv}) == 21
    assert [r["investor"] for r in inv if r["is_lead"]] == ["Accel"]
    (old,) = mentions(ex, "Scale AI", 325e6, "USD")
    assert old["valuation"] == 7.3e9 and old["is_recalled"] and str(old["announced_on"]).startswith("2021")
    assert investors(ex, {old["mention_id"]}) == []


def test_mistral_105_million_in_both_currencies(ex):
    assert {m["currency"] for m in mentions(ex, "Mistral AI", 105e6)} == {"USD", "EUR"}
    teaser = mentions(ex, "Mistral AI", 105e6, "EUR")[0]
    assert teaser["announced_on"] is None


def test_kyutai_grant_from_three_patrons(ex):
    (m,) = mentions(ex, "Kyutai", 300e6, "EUR")
    assert m["round_type"] == "grant" and str(m["announced_on"]).startswith("2023-11")
    assert sorted(r["investor"] for r in investors(ex, {m["mention_id"]})) == ["Eric Schmidt", "Rodolphe Saadé", "Xavier Niel"]


def test_poolside_at_least_100_million_in_paris(ex):
    (m,) = mentions(ex, "Poolside", 100e6, "EUR")
    assert m["amount_qualifier"] == "at_least"
    facts = ex.company_facts.filter(pl.col("company") == "Poolside").to_dicts()
    assert any(f["city"] == "Paris" and f["country"] == "FR" for f in facts)


def test_non_rounds_are_not_rounds(ex):
    kinds = {(r["amount"], r["currency"]): r["kind"] for r in ex.figures.to_dicts()}
    assert kinds[(19.15e9, "USD")] == "market_total" and kinds[(16.36e9, "USD")] == "market_total"
    assert kinds[(20.0, "USD")] == "price"
    assert kinds[(30e6, "USD")] != "round"
    assert not mentions(ex, "Mistral AI", 500e6)  # cumulative, a company-level fact


def test_places(ex):
    facts = {(r["company"], r["city"], r["country"]) for r in ex.company_facts.to_dicts()}
    assert ("Scale AI", "San Francisco", "US") in facts
    assert ("Hugging Face", "Paris", "FR") in facts
