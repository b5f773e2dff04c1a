"""End to end: the seed articles → every asset materialised → a published warehouse with real rows."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from orchestration.publication import audit
from tests.conftest import SHARED
from tests.helpers import query

pytestmark = pytest.mark.e2e


def test_the_published_warehouse_honours_the_contract(seed_warehouse):
    assert audit(seed_warehouse) == []


@pytest.mark.skipif(not (SHARED / "tools" / "check_contract.py").exists(), reason="shared/ not beside the repo")
def test_the_shared_contract_checker_finds_no_problem(seed_warehouse):
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "check_contract.py"), str(seed_warehouse)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 problem(s)" in done.stdout


def test_one_row_per_round_with_its_sources(seed_warehouse):
    rows = query(seed_warehouse, """
        select amount, currency, round_type, valuation, lead_investor, source_count, amount_eur, fx_rate_date
        from marts.rounds where company ilike 'hugging%' and round_type = 'series_d'""")
    assert len(rows) == 1
    amount, currency, _, valuation, lead, sources, amount_eur, fx_date = rows[0]
    assert (amount, currency, valuation) == (235e6, "USD", 4.5e9)
    assert lead == "Salesforce Ventures"
    assert sources == 3  # two articles in dollars, one in euros
    assert 200e6 < amount_eur < 230e6 and fx_date is not None


def test_every_round_traces_back_to_a_quote(seed_warehouse):
    orphans = query(seed_warehouse, """
        select r.round_id from marts.rounds r
        left join marts.round_sources s using (round_id)
        group by r.round_id having count(s.quote) = 0""")
    assert orphans == []
    quote = query(seed_warehouse, """
        select s.quote from marts.round_sources s join marts.rounds r using (round_id)
        where r.company = 'Scale AI' and r.amount = 1e9""")
    assert any("milliard de dollars" in q for (q,) in quote)


def test_investors_and_leads(seed_warehouse):
    leads = dict(query(seed_warehouse, "select investor, lead_count from marts.investors where lead_count > 0"))
    assert {"Salesforce Ventures", "Accel"} <= set(leads)
    scale = {i for (i,) in query(seed_warehouse, """
        select ri.investor from marts.round_investors ri join marts.rounds r using (round_id)
        where r.company = 'Scale AI' and r.amount = 1e9""")}
    assert {"Accel", "Y Combinator", "Elad Gil", "Meta"} <= scale
    assert not {"Forbes", "OpenAI", "PitchBook"} & scale


def test_ecosystem_counts_companies_where_they_are_based(seed_warehouse):
    cities = {c: n for c, n in query(seed_warehouse, "select city, companies_count from marts.ecosystem_by_city")}
    assert cities.get("Paris", 0) >= 2
    assert cities.get("San Francisco") == 1


@pytest.mark.skipif(not (SHARED / "eval" / "seeds_gold.json").exists(), reason="shared/ not beside the repo")
def test_seed_score(seed_warehouse, tmp_path):
    report = tmp_path / "score.json"
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "evaluate.py"), "--warehouse", str(seed_warehouse),
                           "--gold", str(SHARED / "eval" / "seeds_gold.json"), "--json", str(report), "-v"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    score = json.loads(report.read_text())
    assert score["recall"] == 1.0 and score["precision"] == 1.0, done.stdout
    assert score["non_round_figures_taken_as_rounds"] == []
