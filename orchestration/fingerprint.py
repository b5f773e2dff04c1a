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
BOOKKEEPING = {"ingest_files", "parse_ledger", "entity_name_counts"}


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
        if path.is_file() and "__pycache__" not in path.parts:
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
        if schema == "raw" and table == "articles" and (by_file := _articles_by_file(con)) is not None:
            found[table] = by_file
            continue
        rows, total = con.execute(f'select count(*), coalesce(sum(hash(t)::hugeint), 0) from {schema}."{table}" t').fetchall()[0]
        found[table] = [int(rows), str(total)]
    return found


#: each article's meta_key from the ingest index: with its article_id (the hash of the file's bytes),
#: what its text is made of (file type, manifest row, ingest code, text packages)
META_KEY_BY_ARTICLE = "(select article_id, min(meta_key) as meta_key from raw.ingest_files group by article_id)"


def articles_outside_index(con) -> int | None:
    """How many raw.articles rows have no ingest index row (None: no index): those must be known by their text."""
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables "
                                        "where table_schema = 'raw'").fetchall()}
    if "ingest_files" not in tables:
        return None
    return con.execute("select count(*) from raw.articles where article_id not in "
                       "(select article_id from raw.ingest_files)").fetchall()[0][0]


def _articles_by_file(con) -> list | None:
    """raw.articles' fingerprint without reading its texts (0.7 CPU s at 100k), when the ingest index has them all.

    An ingested article's text is a function of its file's bytes (the article_id hashes them) and of
    its `meta_key` (file type, manifest row, ingest code and text packages), so the other columns and
    the index's meta_key stand for the row. None when some article has no index row (written by other
    means): then the whole rows are hashed.
    """
    columns = [r[0] for r in con.execute("select column_name from information_schema.columns where table_schema = "
                                         "'raw' and table_name = 'articles' order by ordinal_position").fetchall()]
    if "text" not in columns or "article_id" not in columns or articles_outside_index(con) != 0:
        return None
    others = ", ".join(f'a."{c}"' for c in columns if c != "text")
    rows, total = con.execute(
        f"select count(*), coalesce(sum(hash(row({others}, f.meta_key))::hugeint), 0) from raw.articles a "
        f"join {META_KEY_BY_ARTICLE} f using (article_id)").fetchall()[0]
    return [int(rows), "by-file:" + str(total)]


def folder_fingerprint(raw: Path, listing=None) -> str:
    """The raw folder by stat: every file a read would look at (path, size, mtime, ctime, inode, reason
    not to open it) and the ingest code. Equal to the last read's: reading again would change nothing.

    `listing` is `discover(raw)`, whose entries carry the stat taken while listing: nothing is listed
    or statted twice when the caller then reads the folder.
    """
    import os

    from orchestration.ingest.discover import discover, rel_path, stat_key

    found, manifests = listing if listing is not None else discover(raw)
    root = raw.resolve()
    lines = []
    for f in found:
        key = f.stat_key
        if key is None:  # a flagged entry: stat it as it is (it may not exist)
            try:
                key = stat_key(os.stat(f.abspath))
            except OSError as exc:
                key = type(exc).__name__
        lines.append(f"{f.rel}\0{key}\0{f.problem}")
    for m in manifests:
        try:
            key = stat_key(os.stat(m))
        except OSError as exc:
            key = type(exc).__name__
        lines.append(f"{rel_path(m, root)}\0{key}\0manifest")
    from orchestration.ingest.articles import INGEST_VERSION  # the ingest code and its text packages

    return digest("ingest-folder", str(root), INGEST_VERSION, hashlib.sha256("\n".join(lines).encode()).hexdigest())


#: what the code of a run is made of, besides the dbt project: every source and data file of the package
_CODE_SUFFIXES = {".py", ".csv", ".json", ".txt", ".yml", ".yaml", ".sql", ".html", ".jinja", ".js", ".css"}
#: the packages whose version can change what a run produces
_PACKAGES = ("dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "polars", "pandas", "pyarrow",
             "great-expectations", "currencyconverter", "rapidfuzz", "trafilatura", "altair")


def code_fingerprint() -> str:
    """The orchestration package (ingest, parsing, resolution, assets, quality, report…) and the packages it uses."""
    root = settings.REPO_ROOT / "orchestration"
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "__pycache__" not in path.parts and path.is_file():
            h.update(path.relative_to(root).as_posix().encode() + b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return digest(h.hexdigest(), [_version(p) for p in _PACKAGES])


def tree_fingerprint(root: Path) -> str:
    """Every entry under root, by path and lstat (and its target's stat for a symlink): nothing opened.

    Broader than folder_fingerprint (every file, not only what the ingest reads) and about six times
    cheaper (one scandir stat per entry, no pathlib: 0.55 CPU s for 100k files): any change there
    means a run must look, and the stages then skip what did not change.
    """
    import os

    h = hashlib.sha256()
    todo = [""]
    while todo:
        rel_dir = todo.pop()
        try:
            entries = sorted(os.scandir(root / rel_dir if rel_dir else root), key=lambda e: e.name)
        except OSError as exc:
            h.update(f"{rel_dir}\0{type(exc).__name__}\n".encode())
            continue
        for entry in entries:
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            try:
                st = entry.stat(follow_symlinks=False)
                line = f"{rel}\0{st.st_mode}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}"
                if entry.is_symlink():
                    try:
                        target = os.stat(entry.path)
                        line += (f"\0{os.readlink(entry.path)}\0{target.st_mode}\0{target.st_size}"
                                 f"\0{target.st_mtime_ns}\0{target.st_ctime_ns}\0{target.st_ino}")
                    except OSError as exc:
                        line += f"\0{type(exc).__name__}"
                elif entry.is_dir(follow_symlinks=False):
                    todo.append(rel)
            except OSError as exc:
                line = f"{rel}\0{type(exc).__name__}"
            h.update(line.encode() + b"\n")
    return h.hexdigest()[:20]


def run_inputs(raw: Path | None = None) -> str:
    """Everything a whole run reads, without opening any warehouse: the raw folder by stat, the code, dbt.

    Equal to the fingerprint recorded after the last successful run (and the published file is the
    one it published): a run would skip every stage and publish nothing, so `make run` need not start.
    """
    raw = raw or settings.raw_dir()
    return digest("run", str(raw.resolve()), str(settings.warehouse_path().resolve()), tree_fingerprint(raw),
                  code_fingerprint(), dbt_project_hash())


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


# ---------------------------------------------------------------------------- the run record

RECORD_VERSION = 1


def file_stat(path: Path) -> list[int] | None:
    """(inode, size, mtime) of a file: a publish (a rename of a new file) changes it."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def read_run_record() -> dict | None:
    """What the last successful `make run` recorded beside the published warehouse (None if nothing usable)."""
    try:
        record = json.loads(settings.state_path().read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and record.get("version") == RECORD_VERSION else None


def write_run_record(inputs: str, **facts: Any) -> None:
    """Record, atomically, that the published file was built from `inputs` and the run succeeded."""
    import datetime as dt
    import os

    path = settings.state_path()
    record = {"version": RECORD_VERSION, "inputs": inputs, "published": file_stat(settings.warehouse_path()),
              "finished_at": dt.datetime.now().isoformat(timespec="seconds"), **facts}
    staging = path.with_name(path.name + ".tmp")
    staging.write_text(json.dumps(record, indent=1, default=str))
    os.replace(staging, path)


def forget_run_record() -> None:
    settings.state_path().unlink(missing_ok=True)


def unchanged_since_last_run(inputs: str) -> dict | None:
    """The last run's record if `inputs` are the ones it succeeded with and the published file is the one it left."""
    record = read_run_record()
    if not record or record.get("inputs") != inputs:
        return None
    if record.get("published") is None or record["published"] != file_stat(settings.warehouse_path()):
        return None
    if any(not Path(p).exists() for p in record.get("artifacts", [])):  # the report or Data Docs were removed
        return None
    return record
