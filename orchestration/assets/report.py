"""reports/ecosystem: the HTML report with charts, rebuilt after the marts (orchestration/report/ does the work)."""

from typing import Any

import dagster as dg

from orchestration import settings
from orchestration.publication import CONTRACT

MART_KEYS = [dg.AssetKey(["marts", table]) for table in CONTRACT]


def _unchanged(stage: str, *inputs) -> tuple[str | None, Any]:
    """(fingerprint of this stage's inputs, what it recorded when its last output was built from the same ones).

    The inputs are the dbt build the marts come from (its fingerprint covers the raw tables and the
    dbt project), the stage's code and `inputs`; no dbt build on record means no reuse.
    """
    from orchestration import fingerprint
    from orchestration.warehouse import connect

    if not settings.build_path().exists():
        return None, None
    code = fingerprint.files_hash(settings.REPO_ROOT / "orchestration", ("report",), ("assets/report.py",))
    with connect(read_only=True) as con:
        built, _ = fingerprint.read_state(con, "dbt_build")
        done, payload = fingerprint.read_state(con, stage)
    if not built:
        return None, None
    fp = fingerprint.digest(built, code, *[str(i) for i in inputs])
    return fp, (payload or {}) if done == fp else None


def _record(stage: str, fp: str | None, payload: dict | None = None) -> None:
    from orchestration import fingerprint
    from orchestration.warehouse import connect

    if fp:
        with connect() as con:
            fingerprint.write_state(con, stage, fp, payload)


@dg.asset(key=["reports", "ecosystem"], deps=MART_KEYS, group_name="report", kinds={"html", "altair"},
          description="`reports/ecosystem.html` beside the warehouse: money raised by city, rounds over time, "
                      "the most active investors and leads, the largest rounds with links to their sources, and "
                      "the open quality issues. One self-contained page (Vega inlined): it reads offline.")
def ecosystem_report(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from orchestration.report import build_report
    from orchestration.warehouse import markdown_preview

    # the run's own build (what the marts just became); by hand, the published file if no build is there
    source = settings.build_path() if settings.build_path().exists() else settings.warehouse_path()
    out = settings.artifacts_dir() / "reports" / "ecosystem.html"
    fp, unchanged = _unchanged("report", out, settings.raw_dir())
    if unchanged is not None and out.exists():
        context.log.info(f"report: the marts are those of the last report, {out} kept")
        return dg.MaterializeResult(metadata={"path": dg.MetadataValue.path(str(out)), "skipped": "unchanged",
                                              "fingerprint": fp, "read_from": str(source)})
    try:
        built = build_report(source, out, raw_dir=settings.raw_dir())
    except Exception as exc:  # a report must never stop a run nor its publication: say so, and go on
        context.log.warning(f"the ecosystem report could not be built from {source}: {exc!r}")
        return dg.MaterializeResult(metadata={"error": repr(exc)[:500], "read_from": str(source)})
    _record("report", fp)
    totals = built.data.totals
    context.log.info(f"report: {out} ({built.bytes // 1024} KB), {totals['rounds']} rounds, "
                     f"{len(built.charts)} charts, {totals['open_issues']} open quality issues")
    largest = built.data.largest.select("company", "round_type", "announced_on", "amount_eur", "lead_investor")
    return dg.MaterializeResult(metadata={
        "path": dg.MetadataValue.path(str(out)),
        "url": dg.MetadataValue.url(out.resolve().as_uri()),
        "bytes": built.bytes,
        "charts": ", ".join(built.charts) or "none",
        "rounds": int(totals["rounds"] or 0),
        "open_quality_issues": int(totals["open_issues"] or 0),
        "read_from": str(source),
        "preview": dg.MetadataValue.md("Largest rounds\n\n" + markdown_preview(largest, rows=5)),
    })


@dg.asset(key=["reports", "table_previews"], deps=MART_KEYS, group_name="report", kinds={"duckdb"},
          description="Row counts and the first rows of every dbt model (staging, intermediate, marts), attached "
                      "to each model's asset as an observation: open a model in the UI to see what it holds.")
def table_previews(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
    from orchestration.assets.dbt import fundwatch_dbt_models
    from orchestration.report.previews import markdown_table, previews

    source = settings.build_path() if settings.build_path().exists() else settings.warehouse_path()
    fp, unchanged = _unchanged("table_previews")
    if unchanged is not None:  # the observations of the last run still describe every model
        context.log.info("previews: the models are those of the last previews, not observed again")
        return dg.MaterializeResult(metadata={"skipped": "unchanged", "fingerprint": fp, "read_from": str(source),
                                              "models": unchanged.get("models", 0)})
    known = set(fundwatch_dbt_models.keys)
    try:
        found = previews(source)
    except Exception as exc:  # previews are a courtesy: never fail a run over them
        context.log.warning(f"no previews: {source} could not be read: {exc!r}")
        return dg.MaterializeResult(metadata={"error": repr(exc)[:500], "read_from": str(source)})
    observed = 0
    for table in found:
        key = dg.AssetKey([table.schema, table.table])
        if key not in known:
            continue
        metadata = {"preview": dg.MetadataValue.md(table.markdown)}
        if table.rows >= 0:
            metadata["dagster/row_count"] = table.rows
        context.log_event(dg.AssetObservation(asset_key=key, metadata=metadata))
        observed += 1
    context.log.info(f"previews: {observed} dbt models observed with row counts and first rows")
    _record("table_previews", fp, {"models": observed})
    summary = markdown_table(["model", "rows"], [(f"{t.schema}.{t.table}", t.rows) for t in found], max_columns=2)
    return dg.MaterializeResult(metadata={"models": observed, "read_from": str(source),
                                          "row_counts": dg.MetadataValue.md(summary)})
