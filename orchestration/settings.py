"""Where fundwatch reads and writes, from the environment, in one place.

Every entry point (make, `dagster dev`, `dagster asset materialize`, tests) goes
through these functions, so `FUNDWATCH_RAW_DIR` and `FUNDWATCH_WAREHOUSE` mean the
same thing everywhere. Relative paths are taken from the repository root, so the
defaults work whatever the current directory.
"""
from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt_project"


def _from_env(name: str, default: str) -> Path:
    value = os.environ.get(name) or default
    path = Path(value).expanduser()
    return path if path.is_absolute() else (REPO_ROOT / path)


def raw_dir() -> Path:
    """The folder of articles, read recursively."""
    return _from_env("FUNDWATCH_RAW_DIR", "raw")


def warehouse_path() -> Path:
    """The published DuckDB file users query; replaced whole, never written in place."""
    return _from_env("FUNDWATCH_WAREHOUSE", "warehouse/fundwatch.duckdb")


def build_path() -> Path:
    """The run's working copy, beside the published file (same filesystem, so the rename is atomic)."""
    published = warehouse_path()
    return published.with_name(f"{published.stem}.build{published.suffix or '.duckdb'}")


def lock_path() -> Path:
    published = warehouse_path()
    return published.with_name(f"{published.stem}.lock")


def state_path() -> Path:
    """What the last successful `make run` was built from (JSON beside the published file, read without DuckDB)."""
    published = warehouse_path()
    return published.with_name(f"{published.stem}.state.json")


def artifacts_dir() -> Path:
    """Static artifacts (Data Docs, reports, screenshots) live beside the published warehouse."""
    return warehouse_path().parent


def export_for_dbt() -> None:
    """dbt runs as a subprocess: hand it the file being built through its profile's env var."""
    os.environ["FUNDWATCH_DBT_DATABASE"] = str(build_path())
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
