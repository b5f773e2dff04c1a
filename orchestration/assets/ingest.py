"""raw/articles and raw/quarantine: every file of the raw folder, read or quarantined with its reason."""
from __future__ import annotations

from contextlib import contextmanager

import dagster as dg
import polars as pl

from orchestration import fingerprint, settings
from orchestration.assets.publish import with_build_lock
from orchestration.ingest import read_raw_folder
from orchestration.ingest.articles import ARTICLE_SCHEMA, FILE_INDEX_SCHEMA, IngestCache
from orchestration.ingest.discover import discover
from orchestration.warehouse import connect, markdown_preview, query_frame, replace_table, table_exists



def _previous(con, table: str) -> pl.DataFrame | None:
    return query_frame(con, f"select * from raw.{table}") if table_exists(con, "raw", table) else None


def _columns(con, table: str) -> list[str]:
    return [r[0] for r in con.execute("select column_name from information_schema.columns where "
                                      "table_schema = 'raw' and table_name = ? order by ordinal_position",
                                      [table]).fetchall()]


def _keep_first_seen(quarantine: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """A file still quarantined for the same reason keeps the date it was first seen (a rerun changes nothing)."""
    if previous is None or previous.is_empty() or not {"seen_at", "detail"} <= set(previous.columns):
        return quarantine
    keys = ["path", "reason", "detail"]
    first = previous.select(keys + [pl.col("seen_at").alias("_first")]).unique(keys, keep="first")
    return (quarantine.join(first, on=keys, how="left", nulls_equal=True)
            .with_columns(pl.coalesce("_first", "seen_at").alias("seen_at")).drop("_first"))


def _previous_cache(con) -> IngestCache:
    """The last read's file index and article ids: what lets unchanged files go unread (never their text)."""
    if not (table_exists(con, "raw", "ingest_files") and table_exists(con, "raw", "articles")) \
            or _columns(con, "articles") != list(ARTICLE_SCHEMA) \
            or not set(FILE_INDEX_SCHEMA) <= set(_columns(con, "ingest_files")):
        return IngestCache.empty()
    files = query_frame(con, f"select {', '.join('f.' + c for c in FILE_INDEX_SCHEMA)} from raw.ingest_files f "
                             "semi join raw.articles a on a.article_id = f.article_id")
    return IngestCache.from_index(files, None)


@contextmanager
def _registered(con, **frames):
    for name, frame in frames.items():
        con.register(name, frame.to_arrow())
    try:
        yield
    finally:
        for name in frames:
            con.unregister(name)


def _sync_articles(con, result) -> tuple[int, int]:
    """Make raw.articles hold the kept rows plus the rows read, deleting and inserting only what differs.

    A row is keyed by article_id (the content hash, unique among read articles). A kept row (an
    unchanged file, IngestResult.kept) is the previous row as it is; a row read this time replaces
    the previous one only if some column differs; every other previous row goes. The previous
    articles' text is compared only for the rows read this time. Returns (rows deleted, inserted).
    """
    articles = result.articles
    if _columns(con, "articles") != articles.columns:  # first run, or the ingest code changed the table's shape
        assert not result.kept, "rows kept from a table of another shape"
        replace_table(con, "raw", "articles", articles)
        return 0, articles.height
    kept = pl.DataFrame({"article_id": result.kept}, schema={"article_id": pl.Utf8})
    with _registered(con, _new=articles, _kept=kept):
        # rows neither kept nor read again go (this reads the article_id column only)
        deleted = con.execute("delete from raw.articles where article_id not in (select article_id from _kept) "
                              "and article_id not in (select article_id from _new)").fetchall()[0][0]
        # a row read again that is already there (a file touched, renamed, or its manifest row changed) is
        # replaced only if it differs; the previous text is read for those rows only
        again = [r[0] for r in con.execute("select article_id from _new where article_id in "
                                           "(select article_id from raw.articles)").fetchall()]
        if again:
            columns = [c for c in articles.columns if c != "article_id"]
            same = " and ".join(f'a."{c}" is not distinct from n."{c}"' for c in columns)
            con.register("_again", pl.DataFrame({"article_id": again}, schema={"article_id": pl.Utf8}).to_arrow())
            try:
                deleted += con.execute(
                    "delete from raw.articles a where a.article_id in (select article_id from _again) and not exists "
                    f"(select 1 from _new n where n.article_id = a.article_id and {same})").fetchall()[0][0]
            finally:
                con.unregister("_again")
        inserted = con.execute("insert into raw.articles by name select * from _new n where n.article_id not in "
                               "(select article_id from raw.articles)").fetchall()[0][0]
    return deleted, inserted


def _sync_rows(con, table: str, frame: pl.DataFrame, kept: list[str] | None = None) -> tuple[int, int]:
    """Make raw.<table> hold exactly the frame's rows, deleting and inserting only those that differ.

    With `kept` (raw.ingest_files, keyed by article_id), the table is to hold the rows of those ids
    as they are plus the frame's rows. Rows are compared whole; a table of another shape, or rows
    that repeat (set difference could not tell their copies apart), are written again whole.
    Returns (rows deleted, rows inserted).
    """
    if kept is not None:
        if _columns(con, table) != frame.columns:
            assert not kept, "rows kept from a table of another shape"
            replace_table(con, "raw", table, frame)
            return 0, frame.height
        same = " and ".join(f't."{c}" is not distinct from n."{c}"' for c in frame.columns)
        with _registered(con, _new=frame, _kept=pl.DataFrame({"article_id": kept}, schema={"article_id": pl.Utf8})):
            deleted = con.execute(f"delete from raw.{table} t where t.article_id not in (select article_id from _kept) "
                                  f"and not exists (select 1 from _new n where {same})").fetchall()[0][0]
            inserted = con.execute(f"insert into raw.{table} by name select * from _new n where not exists "
                                   f"(select 1 from raw.{table} t where {same})").fetchall()[0][0]
        return deleted, inserted
    if _columns(con, table) != frame.columns or frame.is_duplicated().any() or con.execute(
            f"select count(*) > 0 from (select *, count(*) as _n from raw.{table} group by all) where _n > 1").fetchall()[0][0]:
        before = con.execute(f"select count(*) from raw.{table}").fetchall()[0][0] if table_exists(con, "raw", table) else 0
        replace_table(con, "raw", table, frame)
        return before, frame.height
    same = " and ".join(f't."{c}" is not distinct from n."{c}"' for c in frame.columns)
    with _registered(con, _new=frame):
        deleted = con.execute(f"delete from raw.{table} t where not exists (select 1 from _new n where {same})"
                              ).fetchall()[0][0]
        inserted = con.execute(f"insert into raw.{table} by name select * from _new n where not exists "
                               f"(select 1 from raw.{table} t where {same})").fetchall()[0][0]
    return deleted, inserted


def _raw_articles(context):
    """Read the raw folder; a broken file becomes a quarantine row, never a failed run.

    Nothing is read when no file changed since the last read (same stats, same ingest code).
    Otherwise unchanged files (same path, size, mtime, ctime, inode, manifest entry and ingest
    code, by the previous run's raw.ingest_files) are not read again and their article rows
    stay as they are (their text is never loaded); only the rows that differ are deleted and
    inserted, in raw.articles, raw.ingest_files and raw.quarantine, in one transaction.
    """
    raw = settings.raw_dir()
    if not raw.is_dir():
        raise FileNotFoundError(f"raw folder {raw} does not exist: create it or set FUNDWATCH_RAW_DIR")
    listing = discover(raw)
    folder = fingerprint.folder_fingerprint(raw, listing)
    with connect() as con:
        con.execute("create schema if not exists raw")
        if fingerprint.read_state(con, "ingest")[0] == folder and all(
                table_exists(con, "raw", t) for t in ("articles", "quarantine", "ingest_files")):
            articles = con.execute("select count(*) from raw.articles").fetchall()[0][0]
            skipped = con.execute("select count(*) from raw.quarantine where action = 'skipped'").fetchall()[0][0]
            quarantined = con.execute("select count(*) from raw.quarantine").fetchall()[0][0]
            files = con.execute("select count(*) from raw.ingest_files").fetchall()[0][0]
            context.log.info(f"raw folder unchanged since the last read ({raw}): nothing read")
            yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
                "dagster/row_count": articles, "files_read": 0, "files_unchanged": files, "skipped": "unchanged",
                "raw_dir": str(raw)})
            yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={
                "dagster/row_count": quarantined, "skipped": skipped})
            return
        cache = _previous_cache(con)
        previous_quarantine = _previous(con, "quarantine")
    result = read_raw_folder(raw, cache, listing=listing)
    quarantine = _keep_first_seen(result.quarantine, previous_quarantine)
    with connect() as con:
        con.execute("begin transaction")
        fingerprint.forget_state(con, "ingest")
        deleted, inserted = _sync_articles(con, result)
        _sync_rows(con, "quarantine", quarantine)
        _sync_rows(con, "ingest_files", result.files, result.kept)
        fingerprint.write_state(con, "ingest", folder)
        con.execute("commit")
        total = con.execute("select count(*) from raw.articles").fetchall()[0][0]
    skipped = quarantine.filter(pl.col("action") == "skipped").height
    context.log.info(f"articles: {total} ({result.read} read, {result.reused} unchanged; "
                     f"{deleted} rows deleted, {inserted} inserted), quarantined: {skipped}, "
                     f"warnings: {quarantine.height - skipped} (from {raw})")
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
        "dagster/row_count": total,
        "files_read": result.read, "files_unchanged": result.reused,
        "rows_deleted": deleted, "rows_inserted": inserted,
        "raw_dir": str(raw),
        "preview": dg.MetadataValue.md(markdown_preview(result.articles.drop("text"))),  # rows read this time
    })
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={
        "dagster/row_count": quarantine.height,
        "skipped": skipped,
        "preview": dg.MetadataValue.md(markdown_preview(quarantine.drop("seen_at"), rows=20)),
    })


raw_articles = with_build_lock(
    dg.multi_asset,
    name="raw_articles",
    specs=[
        dg.AssetSpec(["raw", "articles"], group_name="ingest", kinds={"python", "duckdb"},
                     description="One row per readable article of FUNDWATCH_RAW_DIR, keyed by content hash "
                                 "(article_id): path, title, text, language, publication date from front "
                                 "matter or manifest.csv."),
        dg.AssetSpec(["raw", "quarantine"], group_name="ingest", kinds={"python", "duckdb"},
                     description="Files that could not be read as articles (binary, empty, undecodable, over "
                                 "5 MB, duplicates, unsafe symlinks, other file types) and metadata problems "
                                 "(invalid dates, front matter, manifest columns), each with its reason code "
                                 "and a sentence."),
    ],
)(_raw_articles)


@dg.asset_check(asset=["raw", "quarantine"], name="no_quarantined_files",
                description="Warns when files were skipped or read with a metadata problem (never blocks).")
def quarantine_is_empty() -> dg.AssetCheckResult:
    with connect(read_only=True) as con:
        rows = con.execute("select path, reason, detail, action from raw.quarantine order by path, reason").fetchall()
        by_reason = dict(con.execute("select reason, count(*) from raw.quarantine group by 1 order by 1").fetchall())
    table = "\n".join(f"| {p} | {r} | {d} | {a} |" for p, r, d, a in rows[:50])
    return dg.AssetCheckResult(
        passed=not rows, severity=dg.AssetCheckSeverity.WARN,
        description=None if not rows else f"{len(rows)} file(s) quarantined or read with a warning",
        metadata={"files": len(rows),
                  "skipped": sum(1 for r in rows if r[3] == "skipped"),
                  "by_reason": dg.MetadataValue.json(by_reason),
                  "details": dg.MetadataValue.md("| path | reason | detail | action |\n|---|---|---|---|\n" + table)},
    )
