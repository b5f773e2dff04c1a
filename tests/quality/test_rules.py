"""The quality rules (dbt models int_quality__* and marts.quality_issues) on hand-made raw tables.

One `dbt build` on a warehouse holding every case of tests/quality/scenarios.py (one company
per case); then each case's findings are compared with what it expects. No parser involved:
these tests pin the rules, whatever the extraction does.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.dbt.raw_fixture import build_raw, query, run_dbt
from tests.quality import scenarios


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict, dict]:
    tables, expect, info = scenarios.build()
    path = tmp_path_factory.mktemp("quality") / "rules.duckdb"
    build_raw(path, tables, resolve_aliases=False)
    run_dbt(path, "build")  # unit tests and data tests included: a failure raises with dbt's output
    return path, expect, info


def findings(path: Path) -> dict[str, list[dict]]:
    rows = query(path, """
        select q.*, coalesce(r.company, m.company) as company
        from marts.quality_issues q
        left join marts.rounds r using (round_id)
        left join (select distinct article_id, company from intermediate.int_quality__mentions) m
          on q.round_id is null and m.article_id = q.article_id
    """)
    by_company: dict[str, list[dict]] = {}
    for row in rows:
        by_company.setdefault(row["company"], []).append(row)
    return by_company


def test_every_case_gets_exactly_the_findings_it_expects(built):
    path, expect, _ = built
    found = findings(path)
    problems = []
    for company, expected in expect.items():
        got = {(f["check_name"], f["severity"]) for f in found.get(company, [])}
        if expected is None:
            errors = {g for g in got if g[1] == "error"}
            if errors:
                problems.append(f"{company}: expected no error, got {sorted(errors)}")
        elif got != expected:
            problems.append(f"{company}: expected {sorted(expected)}, got {sorted(got)}")
    unknown = set(found) - set(expect)
    assert not unknown, f"findings on companies with no case: {unknown}"
    assert not problems, "\n".join(problems)


def test_issue_ids_are_unique_and_deterministic(built, tmp_path):
    path, _, _ = built
    first = query(path, "select issue_id from marts.quality_issues order by issue_id")
    assert len({r["issue_id"] for r in first}) == len(first)
    tables, _, _ = scenarios.build()
    again = tmp_path / "again.duckdb"
    build_raw(again, tables, resolve_aliases=False)
    run_dbt(again, "build", "--select", "+quality_issues", "--resource-type", "model", "--resource-type", "seed")
    assert query(again, "select issue_id from marts.quality_issues order by issue_id") == first


def test_cross_currency_message_names_figures_articles_and_ecb_rate(built):
    path, _, _ = built
    (row,) = [r for r in findings(path)["Brisa Labs"]]
    message = row["message"]
    assert "60 M EUR" in message and "50 M USD" in message
    assert "case_" in message  # the articles, by file name
    assert "ECB rate on 2024-03-1" in message
    assert "0.833 USD/EUR" in message
    assert row["observed"].startswith("0.8333 USD/EUR")
    assert "USD/EUR" in row["expected"] and row["round_id"] and row["article_id"]


def test_consistent_comparisons_are_kept_as_evidence_not_findings(built):
    path, _, _ = built
    rows = query(path, """
        select m.company, c.message, c.is_finding from intermediate.int_quality__cross_currency c
        join (select distinct round_id, company from intermediate.int_quality__mentions) m using (round_id)
    """)
    consistent = {r["company"] for r in rows if not r["is_finding"]}
    for company in ["Ondaline", "Kerneo", "Stellaris Fusion", "Orbitale", "Marees", "Thistle Bio", "Glaciem",
                    "Noel Robotics", "Rounded Two", "Margin Days Apart", "Bound High In", "Bound Low In"]:
        assert company in consistent, company
    assert all(r["message"].endswith(": consistent") for r in rows if not r["is_finding"])


@pytest.mark.parametrize("company, rate_date", [
    ("Orbitale", date(2024, 6, 14)),       # Saturday 15 June -> Friday
    ("Marees", date(2024, 9, 13)),         # Sunday 15 September -> Friday
    ("Noel Robotics", date(2023, 12, 22)),  # 26 December (ECB holiday) -> Friday 22
])
def test_weekends_and_holidays_use_the_last_business_day(built, company, rate_date):
    path, _, _ = built
    rows = query(path, f"""
        select c.reference_rate_date, c.fx_margin from intermediate.int_quality__cross_currency c
        where c.message like '{company}%'
    """)
    assert rows, company
    assert all(r["reference_rate_date"] == rate_date for r in rows)
    assert all(r["fx_margin"] == pytest.approx(0.01) for r in rows), "one calendar day: the 1 % margin"


def test_tolerance_boundaries(built):
    path, expect, info = built
    found = findings(path)
    assert "cross_currency" in {f["check_name"] for f in found.get("Bound High Out", [])}
    assert "cross_currency" in {f["check_name"] for f in found.get("Bound Low Out", [])}
    assert not found.get("Bound High In") and not found.get("Bound Low In")
    bounds = info["bounds"]
    assert bounds["Bound High Out"] == bounds["Bound High In"] + 1
    assert bounds["Bound Low Out"] == bounds["Bound Low In"] - 1


def test_precision_of_printed_figures(built):
    path, _, _ = built
    rows = query(path, """
        select figure_text, significant_digits, qualifier, value_lo, value_hi, value
        from intermediate.int_quality__mention_figures
    """)
    digits = {r["figure_text"]: r["significant_digits"] for r in rows}
    assert digits["1,2 milliard d'euros"] == "12"
    assert digits["$1.3 billion"] == "13"
    assert digits["€1.18 billion"] == "118"
    assert digits["29,8 millions d'euros"] == "298"
    assert digits["240 millions de dollars"] == "24"      # trailing zero not significant
    assert digits["100 millions de dollars"] == "10"      # but two digits kept
    assert digits["5\u202f000\u00a0€"] == "50"
    assert digits["12,5 millions d'euros"] == "125"
    at_least = [r for r in rows if r["qualifier"] == "at_least"]
    assert at_least and all(r["value_hi"] == float("inf") for r in at_least)
    approx = [r for r in rows if r["qualifier"] == "approx"]
    assert approx and all(r["value_hi"] >= r["value"] * 1.05 - 1e-6 for r in approx)
    four_two = 0.5 / 12
    (stellaris,) = [r for r in rows if r["figure_text"] == "1,2 milliard d'euros"]
    assert stellaris["value_lo"] == pytest.approx(1.2e9 * (1 - four_two))
    assert stellaris["value_hi"] == pytest.approx(1.25e9)


def test_rounds_with_no_date_raise_only_the_date_warning(built):
    path, _, _ = built
    (row,) = findings(path)["Quillo"]
    assert row["check_name"] == "date_unknown" and row["severity"] == "warning"
    assert "not converted" in row["message"]


def test_same_period_warning_names_the_company_and_quotes_the_sentence(built):
    path, _, _ = built
    (row,) = findings(path)["Tournesol"]
    assert row["message"].startswith("Tournesol: article case_")
    assert "même période de 2024" in row["quote"]
    assert "2023" in row["message"]  # the year it probably meant


def test_swapped_currency_message_and_parity_exception(built):
    path, _, _ = built
    found = findings(path)
    (row,) = found["Halcyon Pay"]
    assert "40 M EUR" in row["message"] and "40 M USD" in row["message"]
    assert "one of the two currencies is wrong" in row["message"]
    assert "Novalith" not in found
    rows = query(path, "select message, is_finding from intermediate.int_quality__swapped_currency "
                       "where message like 'Novalith%'")
    assert rows and not any(r["is_finding"] for r in rows) and "parity" in rows[0]["message"]


def test_conflicting_amounts_message_has_both_figures_and_both_sources(built):
    path, _, _ = built
    (row,) = findings(path)["Celeste Analytics"]
    assert "30 M EUR" in row["message"] and "38 M EUR" in row["message"]
    assert row["message"].count("case_") >= 2
