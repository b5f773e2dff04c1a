"""raw/articles and raw/quarantine: every file of the raw folder, read or quarantined with its reason."""
from __future__ import annotations

import dagster as dg
import polars as pl

from orchestration import settings
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


def _raw_articles(context):
    """Read the raw folder; a broken file becomes a quarantine row, never a failed run.

    Unchanged files (same path, size, mtime, ctime, inode, manifest entry and ingest code)
    are taken from the previous build instead of being read and decoded again.
    """
    with connect() as con:
        con.execute("create schema if not exists raw")
        cache = IngestCache.from_frames(_previous(con, "ingest_files"), _previous(con, "articles"))
        previous_quarantine = _previous(con, "quarantine")
    result = read_raw_folder(settings.raw_dir(), cache)
    quarantine = _keep_first_seen(result.quarantine, previous_quarantine)
    with connect() as con:
        con.execute("begin transaction")
        replace_table(con, "raw", "articles", result.articles)
        replace_table(con, "raw", "quarantine", quarantine)
        replace_table(con, "raw", "ingest_files", result.files)
        con.execute("commit")
    skipped = quarantine.filter(pl.col("action") == "skipped").height
    context.log.info(f"articles: {result.articles.height} ({result.read} read, {result.reused} unchanged), "
                     f"quarantined: {skipped}, warnings: {quarantine.height - skipped} (from {settings.raw_dir()})")
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
        "dagster/row_count": result.articles.height,
        "files_read": result.read, "files_unchanged": result.reused,
        "raw_dir": str(settings.raw_dir()),
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
