"""Great Expectations suites on small pandas frames: pure Python, no warehouse, no dbt.

One run of every suite (GX costs ~10 s to import), frames with one good and one bad row
each, then what each suite says and the Data Docs it wrote.
"""
from __future__ import annotations

import math
import subprocess
import sys
from datetime import datetime

import pandas as pd
import pytest

from orchestration.quality import gx_suites
from tests.conftest import REPO


def frames() -> dict[str, pd.DataFrame]:
    inf = math.inf
    mentions = pd.DataFrame({
        "mention_id": ["ok", "small", "late", "below"],
        "amount": [5e6, 5_000.0, 2e6, 20e6],
        "amount_eur": [5e6, 5_000.0, 2e6, 20e6],
        "valuation_eur": [50e6, None, None, 15e6],
        "announced_on": pd.to_datetime(["2024-01-10", "2024-01-10", "2024-06-03", "2024-04-16"]),
        "article_published_on": pd.to_datetime(["2024-01-10", "2024-01-12", "2024-05-20", "2024-04-16"]),
    })
    return {
        "cross_currency": pd.DataFrame({
            "round_id": ["consistent", "inconsistent", "open"], "article_id": ["a", "b", "c"],
            "implied_lo": [1.073, 0.82, 1.0], "implied_hi": [1.083, 0.84, inf],
            "accepted_lo": [1.047, 1.07, 1.05], "accepted_hi": [1.102, 1.11, 1.10],
            "fx_margin": [0.02, 0.01, 0.02],
        }),
        "swapped_currency": pd.DataFrame({"round_id": ["r"], "article_id": ["a"], "is_finding": [True]}),
        "conflicting_amounts": pd.DataFrame({
            "round_id": ["touch", "apart"], "article_id": ["a", "b"],
            "lo_a": [12.45e6, 12.45e6], "hi_a": [12.55e6, 12.55e6],
            "lo_b": [12.55e6, 12.65e6], "hi_b": [12.65e6, 12.75e6],
        }),
        "valuation_below_amount": mentions,
        "dates": mentions,
        "plausibility": mentions,
        "same_period": pd.DataFrame({"article_id": [], "message": []}),
        "round_order": pd.DataFrame({"round_id": ["r"], "message": ["Series C before Series B"]}),
        "inferred_facts": pd.DataFrame({
            "round_id": ["dated", "undated"],
            "announced_on": [datetime(2024, 1, 1), None],
        }),
        "warehouse": pd.DataFrame({
            "issue_id": ["x", "y"], "severity": ["error", "warning"], "message": ["m", "n"],
        }),
    }


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    docs = tmp_path_factory.mktemp("gx") / "gx_docs"
    return gx_suites.run_suites(frames(), docs_dir=docs), docs


def unexpected(result, key: str) -> set:
    return {row.get(key) for f in result.failures for row in f["unexpected_rows"]}


def test_every_family_has_a_suite(results):
    res, _ = results
    assert set(res) == set(gx_suites.SUITE_TABLES)


@pytest.mark.parametrize("family, success", [
    ("cross_currency", False), ("swapped_currency", False), ("conflicting_amounts", False),
    ("valuation_below_amount", False), ("dates", False), ("plausibility", False),
    ("same_period", True), ("round_order", False), ("inferred_facts", False), ("warehouse", True),
])
def test_suite_verdicts(results, family, success):
    res, _ = results
    assert res[family].success is success


def test_failures_name_the_offending_rows(results):
    res, _ = results
    assert unexpected(res["cross_currency"], "round_id") == {"inconsistent"}
    assert unexpected(res["conflicting_amounts"], "round_id") == {"apart"}  # touching bounds agree
    assert unexpected(res["plausibility"], "mention_id") == {"small"}
    assert unexpected(res["dates"], "mention_id") == {"late"}
    assert unexpected(res["valuation_below_amount"], "mention_id") == {"below"}
    assert unexpected(res["inferred_facts"], "round_id") == {"undated"}


def test_results_are_plain_python_for_dagster(results):
    res, _ = results
    for result in res.values():
        assert type(result.success) is bool and type(result.evaluated) is int and type(result.failed) is int
        for failure in result.failures:
            for row in failure["unexpected_rows"]:
                for value in row.values():
                    assert value is None or type(value) in (str, int, float, bool), (result.family, row)


def test_data_docs_are_static_html(results):
    _, docs = results
    index = gx_suites.docs_index(docs)
    assert index.exists()
    html = index.read_text(encoding="utf-8")
    assert "fundwatch_plausibility" in html
    assert (docs / "validations").is_dir()


def test_duplicate_issue_ids_fail_the_warehouse_suite(tmp_path):
    frame = pd.DataFrame({"issue_id": ["x", "x"], "severity": ["error", "fatal"], "message": ["m", None]})
    res = gx_suites.run_suites({"warehouse": frame}, docs_dir=None, families=["warehouse"])["warehouse"]
    assert not res.success
    assert {f["expectation"] for f in res.failures} == {
        "expect_column_values_to_be_unique", "expect_column_values_to_be_in_set", "expect_column_values_to_not_be_null",
    }


def test_frames_are_not_hashed_for_batch_markers(monkeypatch):
    """GX's per-batch DataFrame fingerprint (a hash of every row) is never computed: nothing reads it."""
    from great_expectations.execution_engine import pandas_execution_engine

    def refuse(_frame):
        raise AssertionError("a validated DataFrame was hashed")

    monkeypatch.setattr(pandas_execution_engine, "hash_pandas_dataframe", refuse)
    res = gx_suites.run_suites(frames(), docs_dir=None, families=["dates", "warehouse"])
    assert set(res) == {"dates", "warehouse"} and all(r.evaluated for r in res.values())
    assert not any(f.get("exception") for r in res.values() for f in r.failures)


PRELOAD_THEN_EXIT = """
import gc, duckdb
duckdb.connect().execute("select 1").fetchall()  # DuckDB's objects exist before the import, as in a run
from orchestration.quality import gx_suites
gx_suites.preload()
print(gc.isenabled(), gc.get_freeze_count())
"""


def test_preload_exempts_gx_from_collection_and_the_process_still_ends_clean():
    """GX's objects are frozen once imported (never walked by the collector), the collector is on again,
    and the process ends without a word on stderr (DuckDB's bindings report objects still frozen at the
    interpreter's teardown as leaked; preload thaws them at exit)."""
    done = subprocess.run([sys.executable, "-c", PRELOAD_THEN_EXIT], cwd=REPO, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    enabled, frozen = done.stdout.split()
    assert enabled == "True" and int(frozen) > 100_000
    assert done.stderr == ""
