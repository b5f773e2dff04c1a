"""`make run`: build, audit and publish the warehouse, then print what it holds.

    python -m orchestration.cli run            # what `make run` calls
    python -m orchestration.cli prepare-home   # DAGSTER_HOME for `make ui`

Exit 0 when every blocking check passed (findings about the press never block);
otherwise 1, naming what failed. Errors a user can fix are one sentence, not a traceback.
"""
from __future__ import annotations

import os
import shutil
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from orchestration import settings


class UserError(Exception):
    """Something the user can fix; its message says what and how."""


def prepare_home() -> Path:
    """DAGSTER_HOME with the repository's dagster.yaml (telemetry off, one run at a time)."""
    home = Path(os.environ.get("DAGSTER_HOME") or settings.REPO_ROOT / ".dagster_home")
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(settings.REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


@contextmanager
def run_lock():
    """One build at a time per warehouse: a second run fails at once with a clear message.

    The same re-entrant lock the `fundwatch_build` resource takes in every Dagster run
    (orchestration/publication.py), so `make run` and UI/schedule/sensor runs exclude each other.
    """
    from orchestration.publication import BuildLocked, build_lock

    try:
        with build_lock(wait_seconds=0):
            yield
    except BuildLocked as exc:
        raise UserError(str(exc)) from None


def check_inputs() -> None:
    raw = settings.raw_dir()
    if not raw.exists():
        raise UserError(f"the raw folder {raw} does not exist: create it and put articles in it, "
                        "or point FUNDWATCH_RAW_DIR at your folder of articles")
    if not raw.is_dir():
        raise UserError(f"FUNDWATCH_RAW_DIR={raw} is a file, not a folder of articles")


def run() -> int:
    from orchestration import preflight

    check_inputs()
    try:
        preflight.raw_folder_has_articles()
    except preflight.PreflightError as exc:
        raise UserError(str(exc)) from None
    prepare_home()
    started = time.monotonic()
    print(f"fundwatch: reading {settings.raw_dir()} → building {settings.build_path().name} "
          f"→ publishing {settings.warehouse_path()}", flush=True)
    from orchestration.progress import execute_with_progress, timed

    with timed("parse the dbt project"):
        from orchestration.dbt_project import ensure_manifest

        ensure_manifest()
    with run_lock():
        try:
            preflight.build_file_not_locked()
        except preflight.PreflightError as exc:
            raise UserError(str(exc)) from None
        with timed("load the pipeline"):
            import warnings

            import dagster as dg

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Dagster's definition warnings belong to `dagster dev`, not here
                from orchestration.definitions import defs

                job = defs.get_job_def("fundwatch_everything")
        with dg.DagsterInstance.get() as instance:
            result = execute_with_progress(job, instance, defs)  # one line per stage; Dagster's log to a file
        failures = _failures(result)
    from orchestration.summary import summarise

    print(summarise(settings.warehouse_path() if not failures else settings.build_path(), time.monotonic() - started))
    if failures:
        print("fundwatch: NOT published, blocking checks failed: " + "; ".join(failures), file=sys.stderr)
        print(f"fundwatch: the published warehouse {settings.warehouse_path()} was left as it was.", file=sys.stderr)
        return 1
    print(f"fundwatch: published {settings.warehouse_path()}")
    return 0


def _failures(result) -> list[str]:
    """Names of failed steps and failed blocking (error-severity) checks of an in-process run."""
    import dagster as dg

    failed = []
    for event in result.all_events:
        if event.event_type == dg.DagsterEventType.STEP_FAILURE:
            info = event.step_failure_data.error
            failed.append(f"step {event.step_key}: {info.message.strip().splitlines()[0] if info else 'failed'}")
        elif event.event_type == dg.DagsterEventType.ASSET_CHECK_EVALUATION:
            data = event.event_specific_data
            if not data.passed and data.severity == dg.AssetCheckSeverity.ERROR:
                failed.append(f"check {data.asset_key.to_user_string()}:{data.check_name}")
    if not result.success and not failed:
        failed.append("the run did not succeed (see the Dagster logs)")
    return failed


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    try:
        if command == "run":
            return run()
        if command == "prepare-home":
            print(f"DAGSTER_HOME={prepare_home()}")
            return 0
        raise UserError(f"unknown command {command!r}: use `run` or `prepare-home`")
    except UserError as exc:
        print(f"fundwatch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
