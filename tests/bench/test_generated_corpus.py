"""The engine at scale: 2,000 generated articles (FR/EN, single deals, round-ups, traps) through the
whole pipeline, scored by shared/tools/evaluate.py against the generator's truth.

The generator knows nothing of the engine (benchmarks/corpus.py), so this is a test of generality:
names, cities, amounts and phrasings the engine was never tuned on.
"""
from __future__ import annotations

import json
import time

import pytest

from benchmarks.corpus import generate
from benchmarks.score import EVALUATE, score
from tests.helpers import run_pipeline

pytestmark = pytest.mark.e2e

# Runtime: 1.5 min on the 2-core machine (session 2, corpus v3; it was 14.5 min while two dbt quality
# models grew with the square of the corpus, see benchmarks/RESULTS.md).

ARTICLES = 2000
SEED = 2026
# floors, not targets: set a little below what the engine scored when the test was written
# (see benchmarks/RESULTS.md), so that a regression fails and an improvement does not
# measured at 4496102 (corpus v3, seed 2026): P 0.996 R 0.994 F1 0.995, investors P 0.958 R 0.94
MIN_F1 = 0.98
MIN_PRECISION = 0.98
MIN_RECALL = 0.98
MIN_INVESTOR_PRECISION = 0.94
MIN_INVESTOR_RECALL = 0.92


@pytest.fixture(scope="module")
def generated(tmp_path_factory, dbt_manifest):
    root = tmp_path_factory.mktemp("generated")
    info = generate(root / "corpus", ARTICLES, seed=SEED)
    started = time.monotonic()
    result = run_pipeline(root / "corpus" / "raw", root / "warehouse" / "fundwatch.duckdb", home=root / "home")
    return {"root": root, "info": info, "result": result, "seconds": time.monotonic() - started,
            "warehouse": root / "warehouse" / "fundwatch.duckdb", "gold": root / "corpus" / "gold.json"}


def test_the_pipeline_publishes_a_generated_corpus(generated):
    assert generated["result"].exit_code == 0, generated["result"].output[-3000:]
    assert generated["info"]["rounds"] > ARTICLES  # round-ups make more rounds than articles


@pytest.mark.skipif(not EVALUATE.exists(), reason="shared/ not beside the repo")
def test_extraction_score_on_generated_truth(generated):
    assert generated["warehouse"].exists(), generated["result"].output[-3000:]
    report = score(generated["warehouse"], generated["gold"])
    (generated["root"] / "score.json").write_text(json.dumps(report, indent=2))
    summary = (f"P {report['precision']} R {report['recall']} F1 {report['f1']} "
               f"investors P {report['investors_precision']} R {report['investors_recall']} fields {report['fields']}")
    print(summary)
    assert report["precision"] >= MIN_PRECISION, summary
    assert report["recall"] >= MIN_RECALL, summary
    assert report["f1"] >= MIN_F1, summary
    assert (report["investors_precision"] or 0) >= MIN_INVESTOR_PRECISION, summary
    assert (report["investors_recall"] or 0) >= MIN_INVESTOR_RECALL, summary
