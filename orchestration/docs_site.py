"""`make docs`: dbt's documentation site as static files under <artifacts>/dbt_docs/.

The catalog (column types, row counts) is read from a private copy of the published
warehouse, so the file users query is never opened for writing and open SQL
sessions are not disturbed. `index.html` is dbt's static page (manifest and catalog
inlined): it opens straight from the disk, no web server needed.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration import settings


class DocsError(Exception):
    """One sentence for the user: what went wrong and what to do."""


def docs_dir() -> Path:
    return settings.artifacts_dir() / "dbt_docs"


def build_docs(target: Path | None = None, quiet: bool = False) -> Path:
    """Generate the static dbt docs site; return the path of its index.html."""
    target = target or docs_dir()
    dbt = Path(sys.executable).with_name("dbt")
    if not dbt.exists():
        raise DocsError(f"dbt is not installed in {dbt.parent}: run `make venv` first")
    published = settings.warehouse_path()
    with tempfile.TemporaryDirectory(prefix="fundwatch_docs_") as tmp:
        database = Path(tmp) / "catalog.duckdb"
        args = [str(dbt), "docs", "generate", "--static", "--target-path", str(target),
                "--project-dir", str(settings.DBT_PROJECT_DIR), "--profiles-dir", str(settings.DBT_PROJECT_DIR),
                "--log-path", str(Path(tmp) / "logs")]
        if published.is_file():
            shutil.copyfile(published, database)
        else:
            args.append("--empty-catalog")  # descriptions still come from the yml; types need a warehouse
            if not quiet:
                print(f"fundwatch: no published warehouse at {published}: the docs will have descriptions but "
                      "no column types (run `make run` first for those)", flush=True)
        env = dict(os.environ, FUNDWATCH_DBT_DATABASE=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="false")
        done = subprocess.run(args, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            errors = [line for line in (done.stdout + done.stderr).splitlines() if "error" in line.lower()]
            raise DocsError("dbt could not generate the documentation: "
                            + (errors[0].strip() if errors else f"exit code {done.returncode}")
                            + " (run `dbt docs generate` in dbt_project/ for the full log)")
    static = target / "static_index.html"
    if not static.exists():
        raise DocsError(f"dbt ran but wrote no {static}: is dbt-core 1.7 or newer installed?")
    shutil.copyfile(static, target / "index.html")  # the dynamic index.html needs a web server; this one does not
    return target / "index.html"


def main() -> int:
    try:
        index = build_docs()
    except DocsError as exc:
        print(f"fundwatch: {exc}", file=sys.stderr)
        return 2
    print(f"fundwatch: dbt docs written to {index.parent}/ — open {index} in a browser "
          "(or `python -m http.server -d " + str(index.parent) + "`)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
