"""Shared fixtures. The dbt manifest is prepared once, before anything imports the definitions."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
SEEDS = REPO / "raw"

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    from orchestration.dbt_project import ensure_manifest

    return ensure_manifest()


def copy_corpus(source: Path, target: Path) -> Path:
    """A private copy of a corpus folder (tests may add, edit and delete files in it)."""
    shutil.copytree(source, target)
    return target


@pytest.fixture(scope="session")
def seed_warehouse(tmp_path_factory, dbt_manifest) -> Path:
    """The whole pipeline run once on the seed articles into a temporary warehouse."""
    from tests.helpers import run_pipeline

    root = tmp_path_factory.mktemp("seeds")
    raw = copy_corpus(SEEDS, root / "raw")
    result = run_pipeline(raw, root / "warehouse" / "fundwatch.duckdb", home=root / "dagster_home")
    assert result.exit_code == 0, result.output
    return root / "warehouse" / "fundwatch.duckdb"
