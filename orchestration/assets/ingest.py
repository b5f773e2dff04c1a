"""raw/articles and raw/quarantine: every file of the raw folder, read or quarantined with its reason."""

import dagster as dg

from orchestration import settings
from orchestration.ingest import read_raw_folder
from orchestration.warehouse import connect, markdown_preview, replace_table


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "articles"], group_name="ingest", kinds={"python", "duckdb"},
                     description="One row per readable article of FUNDWATCH_RAW_DIR, keyed by content hash "
                                 "(article_id): path, title, text, language, publication date from front "
                                 "matter or manifest.csv."),
        dg.AssetSpec(["raw", "quarantine"], group_name="ingest", kinds={"python", "duckdb"},
                     description="Files that could not be read as articles (binary, empty, undecodable, over "
                                 "5 MB, duplicates, unsafe symlinks) and metadata problems, each with its reason."),
    ],
)
def raw_articles(context: dg.AssetExecutionContext):
    """Read the raw folder; a broken file becomes a quarantine row, never a failed run."""
    result = read_raw_folder(settings.raw_dir())
    with connect() as con:
        replace_table(con, "raw", "articles", result.articles)
        replace_table(con, "raw", "quarantine", result.quarantine)
    skipped = result.quarantine.filter(result.quarantine["action"] == "skipped").height
    context.log.info(f"articles read: {result.articles.height}, quarantined: {skipped}, "
                     f"warnings: {result.quarantine.height - skipped} (from {settings.raw_dir()})")
    yield dg.MaterializeResult(asset_key=["raw", "articles"], metadata={
        "dagster/row_count": result.articles.height,
        "raw_dir": str(settings.raw_dir()),
        "preview": dg.MetadataValue.md(markdown_preview(result.articles.drop("text"))),
    })
    yield dg.MaterializeResult(asset_key=["raw", "quarantine"], metadata={
        "dagster/row_count": result.quarantine.height,
        "skipped": skipped,
        "preview": dg.MetadataValue.md(markdown_preview(result.quarantine, rows=20)),
    })


@dg.asset_check(asset=["raw", "quarantine"], name="no_quarantined_files",
                description="Warns when files were skipped or read with a metadata problem.")
def quarantine_is_empty() -> dg.AssetCheckResult:
    with connect(read_only=True) as con:
        rows = con.execute("select path, reason, action from raw.quarantine order by path").fetchall()
    table = "\n".join(f"| {p} | {r} | {a} |" for p, r, a in rows[:50])
    return dg.AssetCheckResult(
        passed=not rows, severity=dg.AssetCheckSeverity.WARN,
        metadata={"files": len(rows), "details": dg.MetadataValue.md("| path | reason | action |\n|---|---|---|\n" + table)},
    )
