"""Write, audit, publish: the published warehouse is replaced whole, only after the audit passed.

Users hold read-only DuckDB connections to the published file; DuckDB would lock a
writer out (and a writer would lock them out), so a run never opens that file. It
builds a separate file, audits it here, copies it beside the published one and
renames it over it: a reader sees the old file or the new one, never half of one.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

TEXT, NUM, INT, DATE, BOOL = "text", "number", "integer", "date", "boolean"
_TYPES = {
    TEXT: {"VARCHAR"}, NUM: {"DOUBLE", "FLOAT", "DECIMAL", "HUGEINT", "BIGINT", "INTEGER"},
    INT: {"INTEGER", "BIGINT", "HUGEINT", "SMALLINT"}, DATE: {"DATE"}, BOOL: {"BOOLEAN"},
}
#: The tables and columns of schema `marts` that users and outside tools rely on (CONTRACT.md).
CONTRACT: dict[str, dict[str, str | None]] = {
    "rounds": {
        "round_id": TEXT, "company": TEXT, "round_type": TEXT, "announced_on": DATE, "announced_precision": TEXT,
        "amount": NUM, "currency": TEXT, "amount_qualifier": TEXT, "amount_eur": NUM, "amount_usd": NUM,
        "fx_rate_date": DATE, "valuation": NUM, "valuation_currency": TEXT, "valuation_eur": NUM,
        "valuation_usd": NUM, "lead_investor": TEXT, "investor_count": INT, "city": TEXT, "country": TEXT,
        "source_count": INT,
    },
    "round_investors": {"round_id": TEXT, "investor": TEXT, "is_lead": BOOL},
    "round_sources": {
        "round_id": TEXT, "article_id": TEXT, "quote": TEXT, "reported_amount": NUM, "reported_currency": TEXT,
        "reported_valuation": NUM, "reported_valuation_currency": TEXT,
    },
    "investors": {
        "investor": TEXT, "investor_type": TEXT, "rounds_count": INT, "lead_count": INT, "companies_count": INT,
        "total_rounds_eur": NUM, "first_round_on": DATE, "last_round_on": DATE,
    },
    "companies": {"company": TEXT, "city": TEXT, "country": TEXT, "rounds_count": INT, "total_raised_eur": NUM,
                  "latest_valuation_eur": NUM},
    "ecosystem_by_city": {
        "city": TEXT, "country": TEXT, "companies_count": INT, "rounds_count": INT, "total_raised_eur": NUM,
        "total_raised_usd": NUM, "median_round_eur": NUM, "largest_round_company": TEXT, "largest_round_eur": NUM,
        "investors_count": INT, "last_round_on": DATE,
    },
    "quality_issues": {"issue_id": TEXT, "check_name": TEXT, "severity": TEXT, "round_id": TEXT,
                       "article_id": TEXT, "message": TEXT, "observed": None, "expected": None},
}
UNIQUE_KEYS = {"rounds": "round_id", "investors": "investor", "companies": "company", "quality_issues": "issue_id"}


def audit(path: Path) -> list[str]:
    """Every way the built warehouse breaks the contract (empty list: publishable)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found: dict[str, dict[str, str]] = {}
        for table, column, dtype in con.execute(
            "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts'"
        ).fetchall():
            found.setdefault(table, {})[column] = dtype.split("(")[0].upper()
        problems = []
        for table, columns in CONTRACT.items():
            if table not in found:
                problems.append(f"missing table marts.{table}")
                continue
            for column, kind in columns.items():
                actual = found[table].get(column)
                if actual is None:
                    problems.append(f"missing column marts.{table}.{column}")
                elif kind and actual not in _TYPES[kind]:
                    problems.append(f"marts.{table}.{column} is {actual}, the contract wants {kind}")
        for table, key in UNIQUE_KEYS.items():
            if key in found.get(table, {}):
                bad = con.execute(f'select count(*) - count(distinct "{key}") + count(*) filter (where "{key}" is null) '
                                  f'from marts."{table}"').fetchone()[0]
                if bad:
                    problems.append(f"marts.{table}.{key} is not a unique non-null key ({bad} offending rows)")
        if {"amount", "amount_eur", "fx_rate_date"} <= set(found.get("rounds", {})):
            unconverted = con.execute("select count(*) from marts.rounds where amount is not null "
                                      "and fx_rate_date is not null and amount_eur is null").fetchone()[0]
            if unconverted:
                problems.append(f"{unconverted} dated round(s) in marts.rounds have no amount_eur")
        return problems
    finally:
        con.close()


def publish(build: Path, published: Path) -> None:
    """Copy the audited build beside the published file, flush it, and rename it over atomically."""
    con = duckdb.connect(str(build))
    try:
        con.execute("checkpoint")  # fold the WAL into the file so the copy is complete on its own
    finally:
        con.close()
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(published.name + ".tmp")
    shutil.copyfile(build, staging)
    with open(staging, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


# ---------------------------------------------------------------------------------------------
# One build at a time, and a build file that is always usable.
# ---------------------------------------------------------------------------------------------
import fcntl  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from orchestration import settings  # noqa: E402

_held = threading.local()
_HELD_BY_PROCESS: dict[str, int] = {}  # lock path → depth: the lock is re-entrant within one process


class BuildLocked(RuntimeError):
    """Another run is building this warehouse."""


def _lock_owner(path: Path) -> str:
    try:
        return path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"


@contextmanager
def build_lock(wait_seconds: float = 0.0, on_wait=None):
    """Hold the warehouse's build lock (flock on settings.lock_path()) for the duration of the block.

    Every run takes it: `make run` (cli.py) and the runs Dagster launches (schedule, sensor,
    UI), through the `fundwatch_build` resource. It is re-entrant within one process, so
    `make run`, which takes it before executing the job in process, does not deadlock with
    the resource that takes it again. The kernel drops it when the process dies (kill -9).
    """
    path = settings.lock_path()
    key = str(path)
    if _HELD_BY_PROCESS.get(key):
        _HELD_BY_PROCESS[key] += 1
        try:
            yield
        finally:
            _HELD_BY_PROCESS[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+")
    try:
        deadline = time.monotonic() + wait_seconds
        waited = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise BuildLocked(
                        f"another fundwatch run ({_lock_owner(path)}) is already building "
                        f"{settings.warehouse_path()} (lock {path}); wait for it to finish and run again"
                    ) from None
                if not waited and on_wait:
                    on_wait(f"waiting for another fundwatch run ({_lock_owner(path)}) to finish (lock {path})")
                waited = True
                time.sleep(0.5)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%d %H:%M:%S')}\n")
        handle.flush()
        _HELD_BY_PROCESS[key] = 1
        try:
            yield
        finally:
            _HELD_BY_PROCESS.pop(key, None)
            fcntl.flock(handle, fcntl.LOCK_UN)
    finally:
        handle.close()


def _usable(path: Path) -> bool:
    """Can DuckDB open this file (and replay its WAL) and list its tables?"""
    try:
        con = duckdb.connect(str(path))
        try:
            con.execute("select count(*) from information_schema.tables").fetchone()
            con.execute("checkpoint")
        finally:
            con.close()
        return True
    except Exception:  # duckdb.Error subclasses, and IO errors on a truncated file
        return False


def _remove_build(build: Path) -> None:
    for leftover in (build, build.with_name(build.name + ".wal")):
        leftover.unlink(missing_ok=True)


def prepare_build(log=None) -> str:
    """Make the build file usable before a run writes to it; say what was done.

    The build file persists between runs (it carries the parse ledger, so a run only parses
    what changed). A run killed mid-write may leave it, its WAL or the publish staging copy
    half-written: such leftovers are dropped and the build restarts from a copy of the
    published warehouse, or from nothing. Never touches the published file.
    """
    build, published = settings.build_path(), settings.warehouse_path()
    build.parent.mkdir(parents=True, exist_ok=True)
    published.with_name(published.name + ".tmp").unlink(missing_ok=True)  # a publish killed before its rename
    if build.exists() and _usable(build):
        return "reusing the previous build"
    what = "previous build unusable (a run was killed?), " if build.exists() else ""
    _remove_build(build)
    if published.exists():
        shutil.copyfile(published, build)
        if _usable(build):
            what += "started from a copy of the published warehouse"
        else:
            _remove_build(build)
            what += "published warehouse unreadable, building from scratch"
    else:
        what += "no published warehouse yet, building from scratch"
    if log:
        log(what)
    return what
