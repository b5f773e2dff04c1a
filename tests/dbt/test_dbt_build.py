"""`dbt build` on hand-made raw tables (shaped like docs/interfaces.md), then the marts.

Independent of the parser: tests/dbt/raw_fixture.py writes what a careful parser
extracts from the five seed articles.
"""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from concurrent.futures import ThreadPoolExecutor

from tests.dbt.raw_fixture import A0, A1, A2, A4, build_raw, copy_project, query, run_dbt, seed_like_corpus

SHARED = Path(__file__).resolve().parents[3] / "shared"
GOLD = SHARED / "eval" / "seeds_gold.json"
EVALUATE = SHARED / "tools" / "evaluate.py"
CHECK_CONTRACT = SHARED / "tools" / "check_contract.py"

# Seed and models only, without the quality checks (tested elsewhere) and without tests: fast.
MODELS_ONLY = ("build", "--exclude", "path:models/intermediate/quality", "quality_issues",
               "resource_type:test", "resource_type:unit_test")


def _shuffled_corpus() -> dict[str, list[dict]]:
    """Same corpus, every table written in another order."""
    corpus = seed_like_corpus()
    rng = random.Random(3)
    for rows in corpus.values():
        rng.shuffle(rows)
    return corpus


def _corpus_without_last_article() -> dict[str, list[dict]]:
    corpus = seed_like_corpus()
    return {table: [r for r in rows if r.get("article_id") != A4] for table, rows in corpus.items()}


def _corpus_with_hf_abbreviated() -> dict[str, list[dict]]:
    corpus = seed_like_corpus()
    hf = next(m for m in corpus["round_mentions"] if m["article_id"] == A2 and m["amount"] == 100e6)
    hf["company"] = "HF"
    return corpus


@pytest.fixture(scope="module")
def warehouses(tmp_path_factory) -> dict[str, Path]:
    """Every warehouse these tests read, built by dbt in parallel (dbt is slow to start).

    seeds: the full `dbt build` (models, seed, unit tests, data tests: all must pass);
    the others build the seed and the models only.
    """
    root = tmp_path_factory.mktemp("dbt")
    override_project = copy_project(root / "override_project")
    seed_csv = override_project / "seeds" / "entity_alias_overrides.csv"
    seed_csv.write_text(seed_csv.read_text(encoding="utf-8").rstrip("\n") + "\ncompany,HF,Hugging Face\n",
                        encoding="utf-8")
    jobs = {
        "seeds": (seed_like_corpus(), ("build",), None),
        "shuffled": (_shuffled_corpus(), MODELS_ONLY, None),
        "earlier": (_corpus_without_last_article(), MODELS_ONLY, None),
        "override": (_corpus_with_hf_abbreviated(), MODELS_ONLY, override_project),
    }
    paths = {name: build_raw(root / f"{name}.duckdb", corpus) for name, (corpus, _, _) in jobs.items()}
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        futures = [pool.submit(run_dbt, paths[name], *args, project_dir=project)
                   for name, (_, args, project) in jobs.items()]
        for future in futures:
            future.result()
    return paths


@pytest.fixture(scope="module")
def seeds_db(warehouses) -> Path:
    return warehouses["seeds"]


def rounds_by(db: Path) -> dict[tuple[str, float], dict]:
    return {(r["company"], r["amount"]): r for r in query(db, "select * from marts.rounds")}


def test_build_is_clean_and_contract_holds(seeds_db):
    if CHECK_CONTRACT.exists():
        proc = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(seeds_db)], capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def test_marts_types_are_exact(seeds_db):
    types = {(r["table_name"], r["column_name"]): r["data_type"] for r in query(
        seeds_db, "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts'")}
    assert types[("rounds", "investor_count")] == "INTEGER"
    assert types[("rounds", "source_count")] == "INTEGER"
    assert types[("rounds", "announced_on")] == "DATE"
    assert types[("rounds", "fx_rate_date")] == "DATE"
    assert types[("rounds", "amount_eur")] == "DOUBLE"
    assert types[("round_investors", "is_lead")] == "BOOLEAN"
    assert types[("investors", "rounds_count")] == "INTEGER"
    assert types[("ecosystem_by_city", "companies_count")] == "INTEGER"


def test_schemas_are_exactly_staging_intermediate_marts(seeds_db):
    schemas = {r["table_schema"] for r in query(seeds_db, "select distinct table_schema from information_schema.tables")}
    assert {"raw", "staging", "intermediate", "marts"} <= schemas
    assert not {s for s in schemas if s.startswith("main_")}


def test_eight_rounds_one_per_real_round(seeds_db):
    rounds = rounds_by(seeds_db)
    assert sorted(rounds) == sorted([
        ("Hugging Face", 235e6), ("Hugging Face", 100e6), ("Hugging Face", 40e6),
        ("Scale AI", 1e9), ("Scale AI", 325e6), ("Mistral AI", 105e6), ("Poolside", 100e6), ("Kyutai", 300e6),
    ])


def test_series_d_merges_dollars_and_euros(seeds_db):
    d = rounds_by(seeds_db)[("Hugging Face", 235e6)]
    assert d["currency"] == "USD" and d["round_type"] == "series_d"
    assert d["source_count"] == 3
    assert str(d["announced_on"]) == "2023-08-24" and d["announced_precision"] == "day"
    assert str(d["fx_rate_date"]) == "2023-08-24"
    assert d["amount_eur"] == pytest.approx(235e6 / 1.084)
    assert d["amount_usd"] == pytest.approx(235e6)
    assert d["valuation"] == 4.5e9 and d["valuation_currency"] == "USD"
    assert d["lead_investor"] == "Salesforce Ventures"
    sources = query(seeds_db, f"select * from marts.round_sources where round_id = '{d['round_id']}' order by article_id")
    assert [s["article_id"] for s in sources] == sorted([A0, A1, A4])
    euro = next(s for s in sources if s["article_id"] == A4)
    assert (euro["reported_amount"], euro["reported_currency"], euro["reported_valuation"]) == (218e6, "EUR", 4.2e9)


def test_series_c_takes_the_announcing_article(seeds_db):
    c = rounds_by(seeds_db)[("Hugging Face", 100e6)]
    assert c["round_type"] == "series_c" and c["source_count"] == 3
    assert str(c["announced_on"]) == "2022-05-09" and c["announced_precision"] == "day"
    assert c["valuation"] == 2e9
    assert c["investor_count"] == 10 and c["lead_investor"] is None


def test_same_numeral_in_two_currencies_is_one_round(seeds_db):
    mistral = [r for r in rounds_by(seeds_db).values() if r["company"] == "Mistral AI"]
    assert len(mistral) == 1
    assert mistral[0]["currency"] == "EUR"  # the announcing headline, not the figure recalled in passing
    mentions = query(seeds_db, "select currency from intermediate.int_round_mentions_resolved "
                               f"where round_id = '{mistral[0]['round_id']}' order by currency")
    assert [m["currency"] for m in mentions] == ["EUR", "USD"]


def test_qualifier_type_and_location(seeds_db):
    rounds = rounds_by(seeds_db)
    assert rounds[("Poolside", 100e6)]["amount_qualifier"] == "at_least"
    kyutai = rounds[("Kyutai", 300e6)]
    assert (kyutai["round_type"], kyutai["city"], kyutai["country"], kyutai["investor_count"]) == ("grant", "Paris", "FR", 3)
    assert rounds[("Scale AI", 1e9)]["city"] == "San Francisco"


def test_interface_for_quality_checks(seeds_db):
    cols = [r["column_name"] for r in query(
        seeds_db, "select column_name from information_schema.columns "
                  "where table_schema = 'intermediate' and table_name = 'int_round_mentions_resolved' order by ordinal_position")]
    required = ["round_id", "mention_id", "article_id", "company", "company_key", "amount", "currency", "amount_text",
                "currency_inferred", "amount_qualifier", "valuation", "valuation_currency", "valuation_text",
                "round_type", "announced_on", "announced_precision", "is_recalled", "article_published_on",
                "fx_rate_date", "amount_eur", "amount_usd", "valuation_eur", "valuation_usd", "quote"]
    assert cols[: len(required)] == required
    # each mention converted at its own date: the euro mention of August 2023 at the rate of 1 August
    row = query(seeds_db, f"select * from intermediate.int_round_mentions_resolved where mention_id = '{A4}:3100'")[0]
    assert str(row["fx_rate_date"]) == "2023-08-01"
    assert row["amount_usd"] == pytest.approx(218e6 * 1.097)


def test_investors_and_companies(seeds_db):
    investors = {r["investor"]: r for r in query(seeds_db, "select * from marts.investors")}
    assert investors["Nvidia"]["rounds_count"] == 2 and investors["Nvidia"]["companies_count"] == 2
    assert investors["Accel"]["lead_count"] == 1
    types = {name: r["investor_type"] for name, r in investors.items()}
    assert types["Y Combinator"] == "accelerator"
    assert types["Sequoia Capital"] == "vc" and types["Founders Fund"] == "vc"
    assert types["Intel Capital"] == "cvc" and types["AMD Ventures"] == "cvc"  # Intel and AMD invest too
    assert types["Intel"] == "corporate" and types["Salesforce"] == "corporate"  # parents of an arm
    assert types["Xavier Niel"] == "angel" and types["Rodolphe Saadé"] == "angel"
    assert types["Google"] is None
    companies = {r["company"]: r for r in query(seeds_db, "select * from marts.companies")}
    assert companies["Hugging Face"]["rounds_count"] == 3
    assert companies["Scale AI"]["latest_valuation_eur"] == pytest.approx(13.8e9 / 1.0864)
    cities = {r["city"]: r for r in query(seeds_db, "select * from marts.ecosystem_by_city")}
    assert cities["Paris"]["companies_count"] == 3 and cities["Paris"]["country"] == "FR"
    assert cities["Paris"]["largest_round_company"] == "Kyutai"


@pytest.mark.skipif(not (EVALUATE.exists() and GOLD.exists()), reason="shared scorer not available")
def test_scorer_finds_every_round(seeds_db, tmp_path):
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, str(EVALUATE), "--warehouse", str(seeds_db), "--gold", str(GOLD),
                           "--json", str(out)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    assert (report["matched"], report["rounds_required"], report["rounds_predicted"]) == (8, 8, 8)
    assert report["non_round_figures_taken_as_rounds"] == []


def test_round_ids_do_not_depend_on_arrival_order(warehouses):
    """Same corpus, every table written in another order: same rounds, same ids."""
    sql = "select round_id, company, amount, source_count from marts.rounds order by round_id"
    assert query(warehouses["shuffled"], sql) == query(warehouses["seeds"], sql)
    sql = "select round_id, mention_id from intermediate.int_round_mentions_resolved order by mention_id"
    assert query(warehouses["shuffled"], sql) == query(warehouses["seeds"], sql)


def test_a_later_article_keeps_existing_round_ids(warehouses):
    """Without the last article (004) the Series D still has the same id: 004 only adds a source."""
    def ids(db: Path) -> dict:
        return {(r["company"], r["amount"]): (r["round_id"], r["source_count"])
                for r in query(db, "select * from marts.rounds")}

    before, after = ids(warehouses["earlier"]), ids(warehouses["seeds"])
    assert before[("Hugging Face", 235e6)] == (after[("Hugging Face", 235e6)][0], 2)
    assert after[("Hugging Face", 235e6)][1] == 3
    for key in [("Hugging Face", 100e6), ("Scale AI", 1e9), ("Mistral AI", 105e6)]:
        assert before[key] == after[key]


def test_override_seed_pins_a_name(warehouses):
    """A user's seed row wins: 'HF' written by one article resolves to Hugging Face."""
    rows = query(warehouses["override"],
                 "select company, source_count from marts.rounds where amount = 100e6 and currency = 'USD'")
    assert rows == [{"company": "Hugging Face", "source_count": 3}]
