"""Fixtures for the operational tests: a fake extraction engine and a private warehouse per test."""
from __future__ import annotations

import sys
import types
from pathlib import Path
from typing import NamedTuple

import polars as pl
import pytest

from tests.helpers import environment


class FakeExtraction(NamedTuple):
    article_facts: pl.DataFrame
    figures: pl.DataFrame
    round_mentions: pl.DataFrame
    investor_mentions: pl.DataFrame
    company_facts: pl.DataFrame


class FakeParsing(types.ModuleType):
    """Stands in for orchestration.parsing: one 'round' per article (its title), and a record of what it parsed."""

    def __init__(self):
        super().__init__("orchestration.parsing")
        self.calls: list[list[str]] = []
        self.runs: list[list[str]] = []  # what each run handed the engine (nothing, when it was not called)
        self.fail_with: Exception | None = None

    def extract(self, articles: pl.DataFrame) -> FakeExtraction:
        if self.fail_with:
            raise self.fail_with
        self.calls.append(sorted(articles["path"].to_list()))
        if self.runs:
            self.runs[-1] = sorted(self.runs[-1] + articles["path"].to_list())
        ids = articles["article_id"].to_list()
        return FakeExtraction(
            article_facts=pl.DataFrame({"article_id": ids, "lang": ["fr"] * len(ids),
                                        "published_on": articles["published_on"]}, schema_overrides={"article_id": pl.Utf8, "lang": pl.Utf8}),
            figures=pl.DataFrame({"figure_id": [f"{i}:0" for i in ids], "article_id": ids},
                                 schema={"figure_id": pl.Utf8, "article_id": pl.Utf8}),
            round_mentions=pl.DataFrame({"mention_id": [f"{i}:0" for i in ids], "article_id": ids,
                                         "company": articles["title"].to_list(), "source": articles["source"].to_list()},
                                        schema={"mention_id": pl.Utf8, "article_id": pl.Utf8, "company": pl.Utf8,
                                                "source": pl.Utf8}),
            investor_mentions=pl.DataFrame(schema={"mention_id": pl.Utf8, "article_id": pl.Utf8, "investor": pl.Utf8}),
            company_facts=pl.DataFrame(schema={"article_id": pl.Utf8, "company": pl.Utf8, "city": pl.Utf8}),
        )

    @property
    def last(self) -> list[str]:
        """The articles the last run parsed (a run with nothing to parse need not call the engine)."""
        if self.runs:
            return self.runs[-1]
        return self.calls[-1] if self.calls else []


@pytest.fixture
def fake_parsing(monkeypatch) -> FakeParsing:
    fake = FakeParsing()
    monkeypatch.setitem(sys.modules, "orchestration.parsing", fake)
    return fake


class Workspace(NamedTuple):
    raw: Path
    warehouse: Path

    def write(self, name: str, content: str | bytes) -> Path:
        path = self.raw / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return path

    def env(self):
        return environment(FUNDWATCH_RAW_DIR=str(self.raw), FUNDWATCH_WAREHOUSE=str(self.warehouse))


@pytest.fixture
def workspace(tmp_path) -> Workspace:
    raw = tmp_path / "raw"
    raw.mkdir()
    return Workspace(raw, tmp_path / "warehouse" / "fundwatch.duckdb")


def ingest_and_parse(ws: Workspace, raise_on_error: bool = True):
    """Materialise raw_articles and parsed_mentions (no dbt) into the workspace's build file."""
    import dagster as dg

    from orchestration.assets.ingest import raw_articles
    from orchestration.assets.parse import parsed_mentions

    fake = sys.modules.get("orchestration.parsing")
    if isinstance(fake, FakeParsing):
        fake.runs.append([])
    with ws.env():
        return dg.materialize([raw_articles, parsed_mentions], raise_on_error=raise_on_error)
