"""The published warehouse: the audited build, renamed over FUNDWATCH_WAREHOUSE.

Also the `fundwatch_build` resource every writing asset requires: with the in-process
executor it is set up once per run, before the first step, and torn down after the last,
so it holds the build lock for the whole run, whoever launched it (make run, schedule,
sensor, UI), and repairs the build file a killed run may have left behind.
"""
from __future__ import annotations

import os
import warnings
from collections.abc import Generator
from contextlib import contextmanager

import dagster as dg

from orchestration import settings
from orchestration.publication import CONTRACT, BuildLocked, audit, build_lock, prepare_build, publish

MART_KEYS = [dg.AssetKey(["marts", table]) for table in CONTRACT]


class FundwatchBuild(dg.ConfigurableResource):
    """One run at a time per warehouse (a flock beside it), and a usable build file to write to."""

    #: how long a run waits for another one to finish before failing (default: env FUNDWATCH_LOCK_WAIT_SECONDS, else 1800)
    wait_seconds: float | None = None

    @contextmanager
    def yield_for_execution(self, context: dg.InitResourceContext) -> Generator[FundwatchBuild, None, None]:
        log = context.log.info if context.log else print
        try:
            wait = self.wait_seconds if self.wait_seconds is not None else \
                float(os.environ.get("FUNDWATCH_LOCK_WAIT_SECONDS", "1800"))
            with build_lock(wait, on_wait=log):
                log(f"build lock held; build file: {prepare_build()}")
                yield self
        except BuildLocked as exc:
            raise dg.Failure(description=str(exc)) from None


#: The same instance on every asset that writes, so Dagster sees one resource definition.
fundwatch_build = FundwatchBuild()
BUILD_RESOURCES = {"fundwatch_build": fundwatch_build}


def with_build_lock(decorator, **kwargs):
    """The asset/multi_asset `decorator` with the `fundwatch_build` resource attached (resource_defs is beta)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)
        return decorator(resource_defs=BUILD_RESOURCES, required_resource_keys={"fundwatch_build"}, **kwargs)


def _published_stat(path) -> list[int] | None:
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return [st.st_ino, st.st_size, st.st_mtime_ns]


def _published_warehouse(context) -> dg.MaterializeResult:
    """Audit the build, then rename it over the published file, unless that file already holds this build."""
    from orchestration import fingerprint
    from orchestration.warehouse import connect

    build, target = settings.build_path(), settings.warehouse_path()
    problems = sorted(audit(build), key=lambda p: not p.startswith("missing table"))  # the gravest first
    if problems:
        raise dg.Failure(description=f"warehouse audit failed ({len(problems)} problem(s)); the published warehouse was "
                                     "left untouched: " + "; ".join(problems[:20]), metadata={"problems": len(problems)})
    with connect() as con:
        built, _ = fingerprint.read_state(con, "dbt_build")
        published, stat = fingerprint.read_state(con, "published")
        if built and published == built and stat == _published_stat(target):
            context.log.info(f"{target} already holds this build (inputs {built}): not copied again")
            return dg.MaterializeResult(metadata={"path": str(target), "skipped": "unchanged",
                                                  "fingerprint": built, "bytes": target.stat().st_size})
        fingerprint.forget_state(con, "published")
    publish(build, target)
    if built:  # the next run with the same inputs need not publish again
        with connect() as con:
            fingerprint.write_state(con, "published", built, _published_stat(target))
    context.log.info(f"published {target}")
    return dg.MaterializeResult(metadata={"path": str(target), "bytes": target.stat().st_size,
                                          "fingerprint": built or "none"})


published_warehouse = with_build_lock(
    dg.asset, key=["published_warehouse"], deps=MART_KEYS, group_name="publish", kinds={"duckdb"},
    description="FUNDWATCH_WAREHOUSE, the file users query: replaced by an atomic rename once the "
                "warehouse audit (contract, keys, conversions) and every blocking dbt test passed.",
)(_published_warehouse)
