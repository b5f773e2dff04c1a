"""The dbt project as Dagster sees it, alone in a module that imports without a manifest.

dbt parses the project into `target/manifest.json`, from which `@dbt_assets` builds
the asset graph. Parsing costs seconds, so it happens once and is reused until a
dbt file changes (or on every reload under `dagster dev`).
"""
from __future__ import annotations

import os
import shutil
import sys
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata
from pathlib import Path

from packaging import version

from orchestration import dbt_warm, settings


def _import_dagster_dbt_without_dbt_core():
    """Import dagster-dbt without importing dbt-core into this process (4-5 CPU s saved per run).

    dagster-dbt's `compat` module imports dbt-core's adapters and result types (most of dbt)
    only to reuse a few enums; when `dbt.version` cannot be imported it defines the same enums
    itself (its path for dbt Fusion, where no dbt-core is installed). fundwatch only drives dbt
    as a subprocess, `FundwatchDbtCli` below answers the version and opens no adapter, so
    nothing in this process needs dbt-core. Skipped when dbt is already imported (a test that
    drives dbt in-process): then dagster-dbt simply uses it.
    """
    if "dagster_dbt" in sys.modules or "dbt.version" in sys.modules:
        import dagster_dbt
        return dagster_dbt
    sys.modules["dbt.version"] = None  # makes `from dbt.version import ...` raise ImportError
    try:
        import dagster_dbt
    finally:
        del sys.modules["dbt.version"]
    return dagster_dbt


_import_dagster_dbt_without_dbt_core()
from dagster_dbt import DbtCliResource, DbtProject  # noqa: E402 - after the guarded import above

settings.export_for_dbt()
# dagster-dbt runs `dbt` from PATH: make it the one locked beside this interpreter, activated venv or not
_VENV_BIN = str(Path(sys.executable).parent)
if _VENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _VENV_BIN + os.pathsep + os.environ.get("PATH", "")

fundwatch_dbt = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)
#: dbt's partial-parse state beside the manifest: dagster-dbt copies it into each invocation's
#: target folder, so `dbt build` skips its own full parse (seconds at every run)
PARTIAL_PARSE = "partial_parse.msgpack"


class FundwatchDbtCli(DbtCliResource):
    """dagster-dbt's dbt resource, minus three start-up costs paid before every dbt command.

    * Each dbt command imported dbt-core and its adapter again (4-5 CPU s): the resource's
      commands now fork from a server that did it once per run, ahead of need
      (orchestration/dbt_warm.py; `dbt_executable` is its client).
    * It runs `dbt --version` in a subprocess to learn which dbt it drives (dbt's whole import:
      5-15 s on 2 busy cores). The dbt it runs is the one locked beside this interpreter (PATH
      above), so the installed dbt-core's version is the answer.
    * It opens a dbt adapter in the Dagster process (dbt-core imported, profile loaded: 3-6 s),
      which only serves `fetch_row_counts()` / `fetch_column_metadata()`; fundwatch calls
      neither (row counts come from reports/table_previews), and dagster-dbt runs without it
      when it cannot be created.
    """

    def __init__(self, **kwargs):
        # the client of the run's warm dbt server (orchestration/dbt_warm.py): dbt without its import at every command
        kwargs.setdefault("dbt_executable", str(dbt_warm.CLIENT))
        super().__init__(**kwargs)

    @contextmanager
    def yield_for_execution(self, context):
        """A run's dbt commands fork from a server that imported dbt while the run read its articles.

        The server is started here, at the run's start (the in-process executor builds the resources
        before the first step), unless the process that launched the run (the CLI) already has one."""
        with dbt_warm.serving():
            yield self

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args):  # noqa: D102 - see the class docstring
        return None


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or was parsed from other files; return its path.

    The files' content is compared, not their mtimes: a checkout or a touch that changes nothing
    costs no parse (80-140 s on a loaded machine), an edit always does. One process parses at a
    time (a lock beside the manifest): another one that needs the same manifest meanwhile (a second
    pytest worker, `make run` beside `make ui`) waits for it and finds it done, instead of paying
    for the same parse again.
    """
    from orchestration.fingerprint import dbt_project_hash

    manifest = fundwatch_dbt.manifest_path
    if fundwatch_dbt.preparer.using_dagster_dev():
        # dagster dev parses at every load, as dagster-dbt's prepare_if_dev does, but not in place:
        # its `dbt parse` would write target/manifest.json while another process reads it
        with _parse_lock(manifest):
            _parse_atomically(manifest)
        return manifest
    stamp = manifest.with_name("manifest.fundwatch-hash")
    wanted = dbt_project_hash()

    def parsed() -> bool:
        try:
            current = stamp.read_text().strip() if manifest.exists() else None
        except OSError:
            current = None
        return current == wanted and manifest.with_name(PARTIAL_PARSE).exists()

    if parsed():
        return manifest
    with _parse_lock(manifest):
        if not parsed():  # or another process parsed it while this one waited for the lock
            _parse_atomically(manifest)
            tmp = stamp.with_name(stamp.name + f".{os.getpid()}")
            tmp.write_text(wanted)
            os.replace(tmp, stamp)
    return manifest


@contextmanager
def _parse_lock(manifest: Path):
    """Held while one process parses into the manifest's folder; the kernel drops it if the process dies."""
    import fcntl

    manifest.parent.mkdir(parents=True, exist_ok=True)
    with open(manifest.with_name(".parse.lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _parse_atomically(manifest: Path) -> None:
    """`dbt parse` into a private folder, then rename: a concurrent reader never sees half a manifest.

    The partial-parse state moves first: a reader that sees the new manifest also finds the state
    dbt needs to skip parsing (dbt itself checks that it still matches the project and profile).
    """
    import tempfile

    manifest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=manifest.parent, prefix=".parse-") as scratch:
        FundwatchDbtCli(project_dir=fundwatch_dbt).cli(["parse", "--quiet"], target_path=Path(scratch)).wait()
        if (Path(scratch) / PARTIAL_PARSE).exists():
            os.replace(Path(scratch) / PARTIAL_PARSE, manifest.with_name(PARTIAL_PARSE))
        os.replace(Path(scratch) / "manifest.json", manifest)


def keep_partial_parse(run_target: Path) -> None:
    """Keep the partial-parse state a dbt command just wrote as the one the next command starts from.

    dbt's state is only valid for the profile it was written with, and the profile names the
    warehouse file: a state from `dbt parse` (or from a test's warehouse) would make every
    `make run` parse the whole project again. The last build's state matches the next build's
    profile in all but the first run after a switch; dbt itself checks it and reparses if not.
    """
    state = Path(run_target) / PARTIAL_PARSE
    if not state.exists():
        return
    kept = fundwatch_dbt.manifest_path.with_name(PARTIAL_PARSE)
    tmp = kept.with_name(f"{PARTIAL_PARSE}.{os.getpid()}")
    try:
        shutil.copyfile(state, tmp)
        os.replace(tmp, kept)
    except OSError:  # a cache: never worth failing a run over
        tmp.unlink(missing_ok=True)

