"""The parse stage's bar: extraction in batches gives exactly what one call over the whole corpus gives."""
from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

DEV = Path(__file__).resolve().parents[1] / "fixtures" / "dev_corpus"


class Log:
    def __init__(self):
        self.lines: list[str] = []

    def info(self, message: str) -> None:
        self.lines.append(message)


class Context:
    def __init__(self):
        self.log = Log()


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def test_batches_give_the_same_facts():
    from orchestration.ingest import read_raw_folder
    from orchestration.parsing import extract
    from orchestration.progress import extract_in_batches

    raw = DEV / "raw" if (DEV / "raw").is_dir() else DEV
    articles = read_raw_folder(raw).articles
    if articles.height < 10:
        pytest.skip("the dev corpus is too small to batch")
    whole = extract(articles)
    context = Context()
    batched = extract_in_batches(extract, articles, context, batch=7)
    for field in whole._fields:
        a, b = getattr(whole, field), getattr(batched, field)
        assert a.schema == b.schema, field
        assert _sorted(a).equals(_sorted(b)), field
    n = articles.height
    assert context.log.lines[-1] == f"progress {n}/{n} articles" and len(context.log.lines) == -(-n // 7)
