"""What a stage's output was built from, so a run can skip the stages whose inputs did not change.

A fingerprint is a short hash of a stage's inputs: the content of the raw tables (an
order-independent sum of DuckDB row hashes, plus row counts), the files of the dbt project,
the versions of the code that reads them. The build file keeps, in `ops.run_state`, the
fingerprint each stage last completed with (and what it reported then); a stage whose
inputs hash the same reuses its output instead of rebuilding it. The table travels with
the build into the published file, so the published warehouse says what it was built from.
"""
from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path
from typing import Any

from orchestration import settings

STATE_SCHEMA, STATE_TABLE = "ops", "run_state"
#: raw tables that only serve the next run's bookkeeping: dbt reads neither
BOOKKEEPING = {"ingest_files", "parse_ledger"}


def digest(*parts: Any) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(json.dumps(part, sort_keys=True, default=str).encode())
        h.update(b"\0")
    return h.hexdigest()[:20]


def files_hash(root: Path, folders: tuple[str, ...] = (), names: tuple[str, ...] = ()) -> str:
    """Hash of the paths and bytes of the files under root/folders plus root/names (content, not mtime)."""
    h = hashlib.sha256()
    paths = [root / n for n in names]
    for folder in folders:
        paths.extend(sorted((root / folder).rglob("*")))
    for path in paths:
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()[:20]


def dbt_project_hash() -> str:
    """The dbt project as dbt reads it: models, macros, seeds, tests, project and profile."""
    return files_hash(settings.DBT_PROJECT_DIR, ("models", "macros", "seeds", "tests", "snapshots", "analyses"),
                      ("dbt_project.yml", "profiles.yml"))


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "none"


def table_fingerprints(con, schema: str, exclude: set[str] = frozenset()) -> dict[str, list]:
    """table → [rows, sum of row hashes] for every table of the schema (content, whatever the row order)."""
    tables = [r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = ? order by 1", [schema]).fetchall()]
    found = {}
    for table in tables:
        if table in exclude:
            continue
        rows, total = con.execute(f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from {schema}."{table}" t').fetchall()[0]
        found[table] = [int(rows), str(total)]
    return found


def dbt_inputs(con) -> str:
    """Everything `dbt build` reads: the raw tables' content, the project's files, dbt itself."""
    return digest("dbt", table_fingerprints(con, "raw", BOOKKEEPING), dbt_project_hash(),
                  _version("dbt-core"), _version("dbt-duckdb"), _version("duckdb"))


# ---------------------------------------------------------------------------- the state table

def _ensure(con) -> None:
    con.execute(f"create schema if not exists {STATE_SCHEMA}")
    con.execute(f"create table if not exists {STATE_SCHEMA}.{STATE_TABLE} "
                "(stage varchar primary key, fingerprint varchar, payload varchar, recorded_at timestamp)")


def read_state(con, stage: str) -> tuple[str | None, Any]:
    """(fingerprint, payload) the stage last completed with in this file; (None, None) if never."""
    exists = con.execute("select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
                         [STATE_SCHEMA, STATE_TABLE]).fetchall()[0][0]
    if not exists:
        return None, None
    rows = con.execute(f"select fingerprint, payload from {STATE_SCHEMA}.{STATE_TABLE} where stage = ?",
                       [stage]).fetchall()
    if not rows:
        return None, None
    return rows[0][0], (json.loads(rows[0][1]) if rows[0][1] else None)


def write_state(con, stage: str, fingerprint: str, payload: Any = None) -> None:
    _ensure(con)
    con.execute(f"insert or replace into {STATE_SCHEMA}.{STATE_TABLE} values (?, ?, ?, now()::timestamp)",
                [stage, fingerprint, None if payload is None else json.dumps(payload, default=str)])


def forget_state(con, *stages: str) -> None:
    """Before a stage rewrites its output: a run killed half-way must not look complete to the next one."""
    _ensure(con)
    for stage in stages:
        con.execute(f"delete from {STATE_SCHEMA}.{STATE_TABLE} where stage = ?", [stage])
