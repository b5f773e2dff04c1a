"""raw/articles and raw/quarantine: every file of the raw folder, read or quarantined with its reason."""
from __future__ import annotations

import dagster as dg
import polars as pl

from orchestration import fingerprint, settings
from orchestration.assets.publish import with_build_lock
from orchestration.ingest import read_raw_folder
from orchestration.ingest.articles import IngestCache
from orchestration.warehouse import connect, markdown_preview, query_frame, replace_table, table_exists



def _previous(con, table: str) -> pl.DataFrame | None:
    return query_frame(con, f"select * from raw.{table}") if table_exists(con, "raw", table) else None


def _keep_first_seen(quarantine: pl.DataFrame, previous: pl.DataFrame | None) -> pl.DataFrame:
    """A file still quarantined for the same reason keeps the date it was first seen (a rerun changes nothing)."""
    if previous is None or previous.is_empty() or not {"seen_at", "detail"} <= set(previous.columns):
        return quarantine
    keys = ["path", "reason", "detail"]
    first = previous.select(keys + [pl.col("seen_at").alias("_first")]).unique(keys, keep="first")
    return (quarantine.join(first, on=keys, how="left", nulls_equal=True)
            .with_columns(pl.coalesce("_first", "seen_at").alias("seen_at")).drop("_first"))


def folder_fingerprint(raw) -> str:
    """The raw folder by stat (orchestration/fingerprint.py: `make run` computes it too, without Dagster)."""
    return fingerprint.folder_fingerprint(raw)


def _sync_articles(con, articles: pl.DataFrame) -> tuple[int, int]:
    """Make raw.articles equal to the frame by deleting and inserting only the rows that differ.

    A row is keyed by article_id (the content hash, unique among read articles); one whose path or
    metadata changed is replaced. Returns (rows deleted, rows inserted).
    """
    columns = [r[0] for r in con.execute("select column_name from information_schema.columns where "
                                         "table_schema = 'raw' and table_name = 'articles' order by ordinal_position"
                                         ).fetchall()]
    if columns != articles.columns:  # first run, or the ingest code changed the table's shape
        replace_table(con, "raw", "articles", articles)
        return 0, articles.height
    con.register("_new", articles.to_arrow())
    try:
        columns = [c for c in articles.columns if c != "article_id"]
        same = " and ".join(f'a."{c}" is not distinct from n."{c}"' for c in columns)
        deleted = con.execute(f"delete from raw.articles a where not exists "
                              f"(select 1 from _new n where n.article_id = a.article_id and {same})").fetchall()[0][0]
        inserted = con.execute("insert into raw.articles by name select * from _new n where not exists "
                               "(select 1 from raw.articles a where a.article_id = n.article_id)").fetchall()[0][0]
    finally:
        con.unregister("_new")
    return deleted, inserted


def _same_rows(previous: pl.DataFrame | None, frame: pl.DataFrame) -> bool:
    if previous is None or previous.columns != frame.columns or previous.schema != frame.schema:
        return False
    return previous.sort(pl.all()).equals(frame.sort(pl.all()))


def _raw_articles(context):
    """Read the raw folder; a broken file becomes a quarantine row, never a failed run.

    Nothing is read when no file changed since the last read (same stats, same ingest code).
    Otherwise unchanged files (same path, size, mtime, ctime, inode, manifest entry and ingest
    code) are taken from the previous build instead of being read and decoded again, and only
    the articles that differ are deleted and inserted.
    """
    raw = settings.raw_dir()
    folder = folder_fingerprint(raw)
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
        cache = IngestCache.from_frames(_previous(con, "ingest_files"), _previous(con, "articles"))
        previous_quarantine = _previous(con, "quarantine")
        previous_files = _previous(con, "ingest_files")
    result = read_raw_folder(raw, cache)
    quarantine = _keep_first_seen(result.quarantine, previous_quarantine)
    with connect() as con:
        con.execute("begin transaction")
        fingerprint.forget_state(con, "ingest")
        deleted, inserted = _sync_articles(con, result.articles)
        if not _same_rows(previous_quarantine, quarantine):
            replace_table(con, "raw", "quarantine", quarantine)
        if not _same_rows(previous_files, result.files):
            replace_table(con, "raw", "ingest_files", result.files)
        fingerprint.write_state(con, "ingest", folder)
        con.execute("commit")
    skipped = quarantine.filter(pl.col("action") == "skipped").height
    context.log.info(f"articles: {result.articles.height} ({result.read} read, {result.reused} unchanged; "
                     f"{deleted} rows deleted, {inserted} inserted), quarantined: {skipped}, "
                     f"warnings: {quarantine.height - skipped} (from {raw})")
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
        "dagster/row_count": result.articles.height,
        "files_read": result.read, "files_unchanged": result.reused,
        "rows_deleted": deleted, "rows_inserted": inserted,
        "raw_dir": str(raw),
        "preview": dg.MetadataValue.md(markdown_preview(result.articles.drop("text"))),
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
