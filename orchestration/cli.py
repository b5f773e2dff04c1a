"""`make run`: build, audit and publish the warehouse, then print what it holds.

    python -m orchestration.cli run            # what `make run` calls
    python -m orchestration.cli run --no-fast-path   # through Dagster even when nothing changed
    python -m orchestration.cli prepare-home   # DAGSTER_HOME for `make ui`

Exit 0 when every blocking check passed (findings about the press never block);
otherwise 1, naming what failed. When nothing changed since the last successful run (raw
folder by stat, code, packages, dbt project: orchestration/fingerprint.py) and the published
file is the one it left, `run` says so in one line and exits 0 without importing Dagster
(FUNDWATCH_FAST_PATH=0 or --no-fast-path: go through the pipeline, whose stages skip anyway).
Errors a user can fix are one sentence, not a traceback.
"""
from __future__ import annotations

import atexit
import gc
import os
import shutil
import sys
import time
from contextlib import contextmanager, suppress
from pathlib import Path

from orchestration import settings

#: True when this module is the program (`python -m orchestration.cli`): the process's garbage
#: collector and its exit are then the CLI's to tune (a test calling main() keeps its own)
_owns_process = False
#: the program's exit code, once main has returned (see _exit_without_teardown)
_exit_code: int | None = None


def _exit_without_teardown() -> None:
    """The program's last exit handler: every other one has run, so end without the interpreter's teardown.

    That teardown collects and frees every object the run left alive (Dagster, GX, the articles'
    index): 2 s of the main thread after a run on 100k articles (py-spy: gc_collect_main after the
    summary). The run has closed its databases and files by then; what is left only frees memory the
    kernel takes back at once. Only after main returned (an exception ends as usual).
    """
    if _exit_code is None:
        gc.unfreeze()  # the objects settle_imports froze are freed as usual
        return
    if "logging" in sys.modules:  # its own exit handler may come after this one: flush and close its files
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with suppress(Exception):
            stream.flush()
    os._exit(_exit_code)


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


def _descendants(pid: int) -> list[int]:
    """Every process started under pid (dbt and its children), from /proc, deepest last."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _is_dbt(pid: int) -> bool:
    try:
        return b"dbt" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _kill_children(grace: float = 5.0, only_dbt: bool = False) -> None:
    import signal

    children = [p for p in _descendants(os.getpid()) if not only_dbt or _is_dbt(p)]
    for pid in children:
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() for p in children):
        time.sleep(0.1)
    for pid in children:
        with suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


@contextmanager
def stop_on_signals(grace: float = 20.0):
    """SIGTERM or SIGINT: stop dbt at once, let the run fail, and exit within `grace` seconds whatever happens.

    Dagster turns these signals into an interrupt it only honours at checkpoints, and a step
    blocked on a dead dbt may never reach one (a run sat 18 minutes holding the build lock).
    A watcher thread sees the signal through the wakeup fd, whoever's handler runs: it kills
    the children, waits `grace` seconds for the run to unwind, then ends the process; the
    kernel then drops the build lock. The published file is untouched either way.
    """
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_fd, write_fd = os.pipe()
    os.set_blocking(write_fd, False)
    previous_fd = signal.set_wakeup_fd(write_fd)
    previous_term = signal.signal(signal.SIGTERM, signal.default_int_handler)  # unwind like ctrl-c
    done = threading.Event()

    def watch() -> None:
        number = 0
        while number not in (signal.SIGTERM, signal.SIGINT):
            received = os.read(read_fd, 1)  # EOF once the run is over and the pipe closed
            if done.is_set() or not received:
                os.close(read_fd)
                return
            number = received[0]
        print(f"\nfundwatch: stopped by signal {number}: stopping dbt, the published warehouse is left as it was",
              file=sys.stderr, flush=True)
        _kill_children()
        if not done.wait(grace):
            print("fundwatch: the run did not stop by itself; exiting", file=sys.stderr, flush=True)
            os._exit(128 + number)

    watcher = threading.Thread(target=watch, name="fundwatch-signals", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        signal.set_wakeup_fd(previous_fd)
        signal.signal(signal.SIGTERM, previous_term)
        os.close(write_fd)  # the watcher reads EOF and ends


def check_inputs() -> None:
    raw = settings.raw_dir()
    if not raw.exists():
        raise UserError(f"the raw folder {raw} does not exist: create it and put articles in it, "
                        "or point FUNDWATCH_RAW_DIR at your folder of articles")
    if not raw.is_dir():
        raise UserError(f"FUNDWATCH_RAW_DIR={raw} is a file, not a folder of articles")


def fast_path_disabled() -> bool:
    return os.environ.get("FUNDWATCH_FAST_PATH", "1").strip().lower() in {"0", "false", "no", "off"}


def nothing_new(started: float) -> tuple[str | None, bool]:
    """(this run's inputs, whether the published warehouse already holds them), without importing Dagster.

    True when the raw folder (by stat), the code, the packages and the dbt project are those the last
    successful `make run` recorded beside the published file, and that file is the one it published:
    every stage would skip, so nothing is started and the published file is not even opened. Never
    while another run holds the build lock (the normal path then says so).
    """
    from orchestration import fingerprint
    from orchestration.publication import BuildLocked, build_lock

    try:
        with build_lock(wait_seconds=0):  # a run in progress may be about to replace the file
            inputs = fingerprint.run_inputs()
            record = fingerprint.unchanged_since_last_run(inputs)
    except BuildLocked:
        return None, False
    if record is None:
        return inputs, False
    print(f"fundwatch: nothing new since {record.get('finished_at', '?')}: {record.get('articles', '?')} articles, "
          f"{record.get('rounds', '?')} rounds; the warehouse {settings.warehouse_path()} is unchanged "
          f"({time.monotonic() - started:.1f} s)", flush=True)
    return inputs, True


def _artifacts() -> list[str]:
    """The files a run writes beside the warehouse: if one goes missing, the next run must rebuild it."""
    from orchestration.quality.checks import data_docs_dir

    found = [settings.artifacts_dir() / "reports" / "ecosystem.html", data_docs_dir() / "index.html"]
    return [str(p) for p in found if p.exists()]


def _published_counts() -> dict:
    import duckdb

    counts = {}
    con = duckdb.connect(str(settings.warehouse_path()), read_only=True)
    try:
        for name, sql in (("articles", "select count(*) from raw.articles"),
                          ("rounds", "select count(*) from marts.rounds")):
            try:
                counts[name] = con.execute(sql).fetchone()[0]
            except duckdb.Error:
                counts[name] = "?"
    finally:
        con.close()
    return counts


def run(fast_path: bool = True) -> int:
    from orchestration import fingerprint, preflight

    check_inputs()
    started = time.monotonic()
    inputs = None
    if fast_path and not fast_path_disabled():
        inputs, unchanged = nothing_new(started)
        if unchanged:
            return 0
    else:
        inputs = fingerprint.run_inputs()  # taken before the run: what it is about to read
    fingerprint.forget_run_record()  # only a run that ends well records what it was built from
    try:
        preflight.raw_folder_has_articles()
    except preflight.PreflightError as exc:
        raise UserError(str(exc)) from None
    prepare_home()
    print(f"fundwatch: reading {settings.raw_dir()} → building {settings.build_path().name} "
          f"→ publishing {settings.warehouse_path()}", flush=True)
    from orchestration import dbt_warm

    with dbt_warm.serving():  # dbt imported on the core Dagster's import and the article stages leave idle
        if _owns_process:
            gc.disable()  # until the pipeline is imported: settle_imports
        try:
            return _build_and_publish(started, inputs)
        finally:
            if _owns_process:
                gc.enable()


def settle_imports() -> None:
    """Exempt the objects alive now (the imported Dagster, dagster-dbt and polars code) from Python's
    cycle collector, and collect again from here on.

    They live as long as the process, yet every full collection walked them: 2-3 s of the main thread
    in a run of 1,000 new articles on 100k (py-spy: gc_collect_main, half of it during the imports).
    Collection is off from the start of the build to here (`_build_and_publish`), then on for what the
    run makes. The documented use of gc.freeze. Only in the CLI's own process.
    """
    if _owns_process:
        gc.freeze()
        gc.enable()


def _build_and_publish(started: float, inputs) -> int:
    """The Dagster run of every asset, under the build lock; publishes when no blocking check failed."""
    from orchestration import fingerprint, preflight
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
        settle_imports()
        with dg.DagsterInstance.get() as instance:
            result = execute_with_progress(job, instance, defs)  # one line per stage; Dagster's log to a file
        failures = _failures(result)
        if failures:
            _kill_children(only_dbt=True)  # a step that failed while streaming dbt may leave dbt building (and locking the file)
        elif inputs is not None:  # the next `make run` with the same inputs need not start Dagster
            fingerprint.write_run_record(inputs, artifacts=_artifacts(), **_published_counts())  # lock still held
    print(_summary(settings.warehouse_path() if not failures else settings.build_path(), time.monotonic() - started))
    if any("DagsterExecutionInterruptedError" in f for f in failures):
        # Dagster took the signal first (at a checkpoint): the same verdict as the watcher's
        print("fundwatch: stopped by signal: the run was interrupted; the published warehouse "
              f"{settings.warehouse_path()} was left as it was", file=sys.stderr)
        return 130
    if failures:
        print("fundwatch: NOT published, blocking checks failed: " + "; ".join(failures), file=sys.stderr)
        print(f"fundwatch: the published warehouse {settings.warehouse_path()} was left as it was.", file=sys.stderr)
        return 1
    print(f"fundwatch: published {settings.warehouse_path()}")
    return 0


def _summary(path: Path, seconds: float) -> str:
    import duckdb

    from orchestration.summary import summarise

    try:
        return summarise(path, seconds)
    except duckdb.Error as exc:  # e.g. the build file still locked: the verdict below matters more
        return f"fundwatch: no summary, {path} could not be read: {str(exc).splitlines()[0]} ({seconds:.1f} s)"


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
            options = argv[2:]
            unknown = [o for o in options if o != "--no-fast-path"]
            if unknown:
                raise UserError(f"unknown option {unknown[0]!r}: `run` takes only --no-fast-path")
            try:
                with stop_on_signals():
                    return run(fast_path="--no-fast-path" not in options)
            except KeyboardInterrupt:
                print("fundwatch: run stopped; the published warehouse was left as it was", file=sys.stderr)
                return 130
        if command == "prepare-home":
            print(f"DAGSTER_HOME={prepare_home()}")
            return 0
        raise UserError(f"unknown command {command!r}: use `run` or `prepare-home`")
    except UserError as exc:
        print(f"fundwatch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    _owns_process = True
    atexit.register(_exit_without_teardown)  # registered first, so run last (atexit runs them in reverse order)
    _exit_code = main(sys.argv)
    sys.exit(_exit_code)
