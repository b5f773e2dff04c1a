"""The dbt models (staging → intermediate → marts) as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg

from orchestration import fingerprint, settings
from orchestration.dbt_project import ensure_manifest, fundwatch_dbt, keep_partial_parse  # before dagster_dbt: see there
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets  # noqa: I001
from orchestration.warehouse import connect
from orchestration.assets.parse import parser_version
from orchestration.ingest.articles import INGEST_VERSION

STAGE = "dbt_build"


class FundwatchTranslator(DagsterDbtTranslator):
    """Group dbt models by layer (staging, intermediate, marts) so the graph reads left to right."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        return fqn[1] if len(fqn) > 2 else "dbt"


def incremental_basis(con) -> str:
    """What an incremental dbt build assumes unchanged since the last complete build; else --full-refresh.

    The dbt project's files (models, macros, vars: a model's SQL or columns may have changed), the
    ECB rates (every conversion and exchange-rate window reads them), the versions of dbt and
    DuckDB (the per-company digests are DuckDB row hashes), and those of the ingest and of the
    parser (the per-article scan keys know an article's text by its id, the hash of its file's
    bytes: macros/by_article.sql). Per-company inputs are not here: the int_company_changes model
    compares them company by company. A missing or failed build also
    forces a full refresh: the state this is stored in is forgotten before every build.
    """
    try:
        rates = con.execute("select count(*), coalesce(sum(hash(r)), 0)::varchar from raw.fx_rates as r").fetchall()[0]
    except Exception:  # noqa: BLE001 - no rates table yet: dbt will say what is missing
        rates = None
    return fingerprint.digest("dbt-incremental", fingerprint.dbt_project_hash(), rates,
                              fingerprint._version("dbt-core"), fingerprint._version("dbt-duckdb"),
                              fingerprint._version("duckdb"), INGEST_VERSION, parser_version())


def _check_record(result: dg.AssetCheckResult) -> dict:
    return {"asset": list(result.asset_key.path), "check": result.check_name, "passed": bool(result.passed),
            "severity": result.severity.value}


def _reused(context: dg.AssetExecutionContext, fp: str, checks: list[dict], recorded_at: str):
    """The build already holds what dbt would build from these inputs: say so for every model and test."""
    context.log.info(f"dbt inputs unchanged (fingerprint {fp}): models and tests of {recorded_at} reused, "
                     "dbt not run")
    from graphlib import TopologicalSorter

    meta = {"skipped": "unchanged", "fingerprint": fp, "built_at": recorded_at}
    selected = set(context.selected_asset_keys)
    deps = context.assets_def.asset_deps  # Dagster wants a multi-asset's outputs in dependency order
    order = TopologicalSorter({k: [d for d in deps.get(k, ()) if d in selected] for k in selected}).static_order()
    for key in order:
        yield dg.MaterializeResult(asset_key=key, metadata=meta)
    selected_checks = set(context.selected_asset_check_keys)
    for check in checks:
        key = dg.AssetCheckKey(dg.AssetKey(check["asset"]), check["check"])
        if key in selected_checks:
            yield dg.AssetCheckResult(asset_key=key.asset_key, check_name=key.name, passed=check["passed"],
                                      severity=dg.AssetCheckSeverity(check["severity"]),
                                      metadata={**meta, "result": "reused from the last dbt build"})


def _preload_great_expectations(context: dg.AssetExecutionContext) -> None:
    """Import GX (~10 s, mostly scipy and sqlalchemy) in a thread while this process only waits for dbt.

    The GX suites run after dbt in the same process (in-process executor), and only when dbt built
    something; their import then no longer adds to the run's wall time.
    """
    import threading

    selection = getattr(context.run, "asset_check_selection", None)
    if selection is not None and not any(key.name.startswith("gx_") for key in selection):
        return

    def load() -> None:
        try:
            from orchestration.quality import gx_suites

            gx_suites.preload()
        except Exception:  # noqa: BLE001 - the GX check imports it again and reports what fails
            pass

    threading.Thread(target=load, name="fundwatch-gx-preload", daemon=True).start()


@dbt_assets(
    manifest=ensure_manifest(),
    project=fundwatch_dbt,
    dagster_dbt_translator=FundwatchTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def fundwatch_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build` of models, seeds and data tests, unless the build already holds them for the same inputs.

    The round clustering, the round tables and most quality rules only ever join rows of one
    company: they are incremental models that rebuild the companies whose inputs changed
    (dbt_project/macros/by_company.sql, int_company_changes); the rest is rebuilt in full.
    What is not per company (dbt files, ECB rates, dbt and DuckDB versions: `incremental_basis`)
    forces a `--full-refresh`, and so does a build that does not start from a complete one.
    When nothing dbt reads changed (raw tables' content, dbt files, dbt version:
    orchestration/fingerprint.py), dbt is not started and the last build's test results are
    reported again. Row counts come from
    reports/table_previews (no per-model count query here). dbt unit tests check the SQL
    logic, not the data: they run in the test suite (tests/dbt).
    """
    settings.export_for_dbt()  # the file being built, read at run time (tests switch warehouses)
    whole = (set(context.selected_asset_keys) == set(context.assets_def.keys))
    with connect() as con:
        fp = fingerprint.dbt_inputs(con)
        basis = incremental_basis(con)
        built, payload = fingerprint.read_state(con, STAGE)
        if whole and built == fp and payload:
            reused = payload
        else:
            reused = None
            fingerprint.forget_state(con, STAGE, "published")  # a build killed half-way is not a build
    if reused is not None:
        yield from _reused(context, fp, reused["checks"], reused["at"])
        return
    # the company-local models are incremental (dbt_project/macros/by_company.sql): they rebuild only
    # the companies whose inputs changed, which holds while what is not per company stays the same
    full_refresh = not (whole and payload and payload.get("incremental_basis") == basis)
    if full_refresh:
        context.log.info("dbt --full-refresh: " + ("a partial selection" if not whole else
                         "no complete build to start from" if not payload else
                         "the dbt project, the ECB rates or dbt's version changed"))
    _preload_great_expectations(context)
    checks: list[dict] = []
    args = ["build", "--exclude-resource-type", "unit_test"] + (["--full-refresh"] if full_refresh else [])
    invocation = dbt.cli(args, context=context)
    for event in invocation.stream():
        if isinstance(event, dg.AssetCheckResult):
            checks.append(_check_record(event))
        yield event
    keep_partial_parse(invocation.target_path)
    if whole:  # only a build of the whole project stands for these inputs
        import datetime as dt

        with connect() as con:
            fingerprint.write_state(con, STAGE, fp, {"checks": checks, "incremental_basis": basis,
                                                     "at": dt.datetime.now().isoformat(timespec="seconds")})
