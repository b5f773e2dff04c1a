"""The extraction judged on our own labelled articles, through the whole pipeline and the shared scorer.

Two corpora: `dev_corpus` (the engine is tuned on it) and `holdout_corpus` (written for issue #3 and
labelled before the engine saw it; its first score is in its README). One pipeline run each.

The floors only ever go up: raise them when the engine improves (see the closing
notes of each change for the figures measured).
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO, SHARED
from tests.helpers import run_pipeline

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not (SHARED / "tools" / "evaluate.py").exists(), reason="shared/ not beside the repo")]

FIXTURES = REPO / "tests" / "fixtures"
DEV_CORPUS = FIXTURES / "dev_corpus"
FLOORS = {
    "dev_corpus": {"f1": 0.98, "investors_precision": 0.98, "investors_recall": 0.96},  # measured 1.00, 0.995, 0.979 (63 articles)
    "holdout_corpus": {"f1": 0.97, "investors_precision": 0.98, "investors_recall": 0.93},  # measured 0.978, 0.982, 0.948 or 0.931 (20 articles;
    # Terres Vives' title total and body equity part are two rounds that tie in the scorer: which one it matches varies)
}
# non-round figures (prices, revenues, market totals...) a corpus may see taken for rounds
NON_ROUNDS_TAKEN = {"dev_corpus": 2, "holdout_corpus": 1}  # holdout measured 0


NOT_ARTICLES = ("README.md", "gold.json")


def _run(corpus: str, tmp_path_factory):
    """One pipeline run over a corpus folder (its README and gold file left out)."""
    root = tmp_path_factory.mktemp(corpus)
    shutil.copytree(FIXTURES / corpus, root / "raw", ignore=shutil.ignore_patterns(*NOT_ARTICLES))
    warehouse = root / "fundwatch.duckdb"
    result = run_pipeline(root / "raw", warehouse, home=root / "home")
    assert result.exit_code == 0, result.output
    return warehouse


@pytest.fixture(scope="module")
def dev_warehouse(tmp_path_factory, dbt_manifest):
    """The dev corpus in one run."""
    return _run("dev_corpus", tmp_path_factory)


@pytest.fixture(scope="module", params=sorted(FLOORS))
def corpus_score(request, tmp_path_factory, dbt_manifest) -> tuple[str, dict]:
    """(corpus, the shared scorer's report); the dev corpus shares the run of `dev_warehouse`."""
    corpus = request.param
    warehouse = request.getfixturevalue("dev_warehouse") if corpus == "dev_corpus" else _run(corpus, tmp_path_factory)
    report = tmp_path_factory.mktemp(f"{corpus}_score") / "score.json"
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "evaluate.py"), "--warehouse", str(warehouse),
                           "--gold", str(FIXTURES / corpus / "gold.json"), "--json", str(report), "-v"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    print(done.stdout)
    return corpus, json.loads(report.read_text())


@pytest.mark.parametrize("measure", sorted(FLOORS["dev_corpus"]))
def test_score_stays_above_its_floor(corpus_score, measure):
    corpus, score = corpus_score
    assert score[measure] is not None and score[measure] >= FLOORS[corpus][measure], score


def test_no_market_total_price_or_revenue_taken_for_a_round(corpus_score):
    corpus, score = corpus_score
    assert len(score["non_round_figures_taken_as_rounds"]) <= NON_ROUNDS_TAKEN[corpus], score["non_round_figures_taken_as_rounds"]


def _marts(warehouse) -> dict[str, list[tuple]]:
    """Every row of every mart, in a canonical order."""
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [t for (t,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'marts' order by 1").fetchall()]
        return {t: sorted(con.execute(f"select * from marts.{t}").fetchall(), key=repr) for t in tables}


def test_the_same_articles_in_another_order_give_identical_marts(dev_warehouse, tmp_path):
    """Issue #4: the articles arrive in two nightly batches, latest files first, then the rest;
    the marts equal those of the one-run warehouse, row for row and column for column."""
    articles = sorted(p for p in DEV_CORPUS.iterdir() if p.name not in NOT_ARTICLES and p.name != "manifest.csv")
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(DEV_CORPUS / "manifest.csv", raw)
    warehouse = tmp_path / "fundwatch.duckdb"
    half = len(articles) // 2
    for batch in (articles[half:][::-1], articles[:half]):
        for p in batch:
            shutil.copy(p, raw)
        result = run_pipeline(raw, warehouse, home=tmp_path / "home")
        assert result.exit_code == 0, result.output
    batched, at_once = _marts(warehouse), _marts(dev_warehouse)
    assert set(batched) == set(at_once) and at_once["rounds"]
    for table in at_once:
        assert batched[table] == at_once[table], table
