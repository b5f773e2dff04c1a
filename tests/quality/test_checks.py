"""The Dagster asset checks of orchestration/quality/checks.py on small hand-made warehouses.

Press rules: non-blocking, severity WARN, evidence in metadata. Warehouse checks: blocking,
severity ERROR. No dbt, no GX here (the GX check is exercised by tests/quality/test_gx_suites.py).
"""
from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.quality import checks

ISSUES_DDL = """
create schema if not exists marts;
create schema if not exists intermediate;
create table marts.quality_issues (issue_id varchar, check_name varchar, severity varchar, round_id varchar,
    article_id varchar, message varchar, observed varchar, expected varchar, quote varchar);
create table marts.rounds (round_id varchar, company varchar, amount double, currency varchar, announced_on date,
    fx_rate_date date, amount_eur double, amount_usd double, valuation double, valuation_eur double,
    valuation_usd double);
create table intermediate.int_quality__cross_currency (round_id varchar, article_id varchar, message varchar,
    observed varchar, expected varchar, quote varchar, is_finding boolean);
"""


@pytest.fixture
def warehouse(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "fundwatch.duckdb"
    monkeypatch.setenv("FUNDWATCH_WAREHOUSE", str(path))
    con = duckdb.connect(str(path))
    con.execute(ISSUES_DDL)
    con.execute("""
        insert into marts.rounds values
          ('r1', 'Mistral AI', 105e6, 'EUR', null, date '2023-08-24', 96e6, 105e6, null, null, null),
          ('r2', 'Hugging Face', 235e6, 'USD', date '2023-08-24', date '2023-08-24', 216e6, 235e6, 4.5e9, 4.1e9, 4.5e9);
        insert into marts.quality_issues values
          ('i1', 'swapped_currency', 'error', 'r1', 'a1',
           'Mistral AI: the same figure is reported as 105 M EUR and as 105 M USD', '105 M EUR = 105 M USD',
           '105 M EUR is about 113.82 M USD', 'les 105 millions de dollars | lève 105 millions d''euros'),
          ('i2', 'date_unknown', 'warning', 'r1', 'a1', 'Mistral AI 105 M USD: no date for the round',
           'announced_on unknown', 'a date', 'q');
        insert into intermediate.int_quality__cross_currency values
          ('r2', 'a4', 'Hugging Face Series D: 218 M EUR against 235 M USD implies 1.078 USD/EUR: consistent',
           '1.0780 USD/EUR', '1.026 to 1.124 USD/EUR', '218 millions d''euros | 235 millions de dollars', false);
    """)
    con.close()
    return path


def test_checks_are_on_the_two_mart_assets_and_load_in_definitions():
    keys = [k for c in checks.quality_asset_checks for k in c.check_keys]
    assert {k.asset_key for k in keys} == {dg.AssetKey(["marts", "quality_issues"]), dg.AssetKey(["marts", "rounds"])}
    names = {k.name for k in keys}
    assert set(checks.PRESS_RULES) <= names
    assert {f"gx_{f}" for f in checks.GX_FAMILIES} <= names
    assert {"quality_issues_contract", "rounds_dated_are_converted"} <= names
    assert len(names) == len(keys), "check names are unique"
    defs = dg.Definitions(
        assets=[dg.AssetSpec(["marts", "quality_issues"]), dg.AssetSpec(["marts", "rounds"])],
        asset_checks=checks.quality_asset_checks,
    )
    defs.resolve_asset_graph()


def test_press_checks_never_block_and_warehouse_checks_do():
    for definition in checks.quality_asset_checks:
        for spec in definition.check_specs:
            if spec.name in ("quality_issues_contract", "rounds_dated_are_converted"):
                assert spec.blocking, spec.name
            else:
                assert not spec.blocking, spec.name


def test_press_check_with_findings_warns_with_evidence(warehouse):
    result = checks.press_rule_result("swapped_currency")
    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["errors"].value == 1
    table = result.metadata["findings"].value
    assert "Mistral AI" in table and "105 millions de dollars" in table and "113.82 M USD" in table


def test_press_check_without_findings_passes_and_shows_consistent_comparisons(warehouse):
    result = checks.press_rule_result("cross_currency")
    assert result.passed is True
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert "1.078 USD/EUR: consistent" in result.metadata["consistent comparisons"].value
    assert result.metadata["consistent count"].value == 1


def test_press_check_counts_warnings(warehouse):
    result = checks.press_rule_result("inferred_facts")
    assert result.passed is False
    assert result.metadata["warnings"].value == 1 and result.metadata["errors"].value == 0


def test_press_check_on_a_warehouse_without_the_table_warns(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    monkeypatch.setenv("FUNDWATCH_WAREHOUSE", str(path))
    result = checks.press_rule_result("plausibility")
    assert result.passed is False and result.severity == dg.AssetCheckSeverity.WARN
    assert "does not exist" in result.description


def test_contract_check_passes_on_a_good_table(warehouse):
    result = checks.quality_issues_contract()
    assert result.passed is True and result.severity == dg.AssetCheckSeverity.ERROR


@pytest.mark.parametrize("sql, problem", [
    ("insert into marts.quality_issues select * from marts.quality_issues where issue_id = 'i1'", "more than once"),
    ("update marts.quality_issues set severity = 'fatal' where issue_id = 'i2'", "severities"),
    ("update marts.quality_issues set check_name = 'made_up' where issue_id = 'i2'", "unknown check_name"),
    ("update marts.quality_issues set round_id = 'nowhere' where issue_id = 'i2'", "not in marts.rounds"),
    ("alter table marts.quality_issues drop column expected", "column expected is missing"),
])
def test_contract_check_blocks_on_a_broken_table(warehouse, sql, problem):
    con = duckdb.connect(str(warehouse))
    con.execute(sql)
    con.close()
    result = checks.quality_issues_contract()
    assert result.passed is False and result.severity == dg.AssetCheckSeverity.ERROR
    assert problem in result.description


def test_rounds_dated_are_converted(warehouse):
    assert checks.rounds_dated_are_converted().passed is True
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.rounds set amount_eur = null where round_id = 'r2'")
    con.close()
    result = checks.rounds_dated_are_converted()
    assert result.passed is False and result.severity == dg.AssetCheckSeverity.ERROR
    assert "Hugging Face" in result.metadata["unconverted"].value


def test_markdown_table_escapes_pipes_and_cuts_long_tables():
    rows = [{"message": "a | b", "quote": "x\ny"}] * 30
    text = checks.markdown_table(rows, ["message", "quote"], limit=5)
    assert "a \\| b" in text and "x y" in text
    assert text.count("\n| a") == 5 and "25 more rows" in text
    assert checks.markdown_table([], ["message"]) == "_none_"


def test_a_press_check_that_cannot_read_the_warehouse_warns_instead_of_failing(tmp_path, monkeypatch):
    path = tmp_path / "not_a_database.duckdb"
    path.write_text("this is not a DuckDB file")
    monkeypatch.setenv("FUNDWATCH_WAREHOUSE", str(path))
    result = checks.press_rule_result("cross_currency")
    assert result.passed is False and result.severity == dg.AssetCheckSeverity.WARN
    assert "could not be evaluated" in result.description


def test_the_gx_check_warns_when_great_expectations_cannot_run(warehouse, monkeypatch):
    from orchestration.quality import gx_suites

    def broken(*args, **kwargs):
        raise RuntimeError("no GX today")

    monkeypatch.setattr(gx_suites, "run_suites", broken)
    results = list(checks.great_expectations_suites())
    assert len(results) == len(checks.GX_FAMILIES)
    assert all(not r.passed and r.severity == dg.AssetCheckSeverity.WARN for r in results)
    assert "no GX today" in results[0].description
