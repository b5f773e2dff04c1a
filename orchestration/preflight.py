"""Checks `make run` makes before it starts Dagster: problems a person can fix, in one sentence each."""
from __future__ import annotations

import re
from pathlib import Path

from orchestration import settings


class PreflightError(Exception):
    """What is wrong and what to do, in one sentence."""


def raw_folder_has_articles(raw: Path | None = None) -> bool:
    """Refuse an empty raw folder: publishing an empty warehouse over a good one helps nobody.

    It stops at the first entry the ingest's own listing yields (an article, a flagged file or
    folder), instead of listing the whole folder a third time before the run lists it again.
    """
    from orchestration.ingest.discover import ARTICLE_SUFFIXES, Found, listing

    raw = raw or settings.raw_dir()
    if not any(isinstance(item, Found) for item in listing(raw)):
        kinds = ", ".join(sorted(ARTICLE_SUFFIXES))
        raise PreflightError(f"the raw folder {raw} has no article files ({kinds}): put the articles there, "
                             "or point FUNDWATCH_RAW_DIR at the folder that holds them")
    return True


def duckdb_lock_holder(message: str) -> str:
    """'python3 (PID 1234)' from DuckDB's "Conflicting lock is held in /usr/bin/python3 (PID 1234) by user …"."""
    match = re.search(r"held in (\S+)(?: \(PID (\d+)\))?", message)
    if not match:
        return "another process"
    program = Path(match.group(1)).name
    return f"{program} (PID {match.group(2)})" if match.group(2) else program


def build_file_not_locked(build: Path | None = None) -> None:
    """Someone opened the build file in a DuckDB session: say who, before a step fails on it."""
    import duckdb

    build = build or settings.build_path()
    if not build.exists():
        return
    try:
        duckdb.connect(str(build)).close()
    except duckdb.IOException as exc:
        if "lock" not in str(exc).lower():
            raise
        raise PreflightError(
            f"{build} is locked by another program, {duckdb_lock_holder(str(exc))}, that opened it with DuckDB: "
            f"close that session (query {settings.warehouse_path().name} with `make sql` instead, which never "
            "blocks a run) and run again") from None
