"""The dbt project as Dagster sees it, alone in a module that imports without a manifest.

dbt parses the project into `target/manifest.json`, from which `@dbt_assets` builds
the asset graph. Parsing costs seconds, so it happens once and is reused until a
dbt file changes (or on every reload under `dagster dev`).
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration import settings

settings.export_for_dbt()
# dagster-dbt runs `dbt` from PATH: make it the one locked beside this interpreter, activated venv or not
_VENV_BIN = str(Path(sys.executable).parent)
if _VENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _VENV_BIN + os.pathsep + os.environ.get("PATH", "")

fundwatch_dbt = DbtProject(project_dir=settings.DBT_PROJECT_DIR, profiles_dir=settings.DBT_PROJECT_DIR)


def ensure_manifest() -> Path:
    """Parse the dbt project when its manifest is missing or was parsed from other files; return its path.

    The files' content is compared, not their mtimes: a checkout or a touch that changes nothing
    costs no parse (80-140 s on a loaded machine), an edit always does.
    """
    from orchestration.fingerprint import dbt_project_hash

    manifest = fundwatch_dbt.manifest_path
    if fundwatch_dbt.preparer.using_dagster_dev():
        fundwatch_dbt.prepare_if_dev()
        return manifest
    stamp = manifest.with_name("manifest.fundwatch-hash")
    wanted = dbt_project_hash()
    try:
        current = stamp.read_text().strip() if manifest.exists() else None
    except OSError:
        current = None
    if current != wanted:
        _parse_atomically(manifest)
        tmp = stamp.with_name(stamp.name + f".{os.getpid()}")
        tmp.write_text(wanted)
        os.replace(tmp, stamp)
    return manifest


def _parse_atomically(manifest: Path) -> None:
    """`dbt parse` into a private folder, then rename: a concurrent reader never sees half a manifest."""
    import tempfile

    from dagster_dbt import DbtCliResource

    manifest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=manifest.parent, prefix=".parse-") as scratch:
        DbtCliResource(project_dir=fundwatch_dbt).cli(["parse", "--quiet"], target_path=Path(scratch)).wait()
        os.replace(Path(scratch) / "manifest.json", manifest)
