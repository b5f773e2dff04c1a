"""Run the pipeline the way `make run` does, against folders of the test's choosing."""
from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

import duckdb


@dataclass
class RunResult:
    exit_code: int
    output: str


@contextlib.contextmanager
def environment(**values: str):
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def run_pipeline(raw: Path, warehouse: Path, home: Path) -> RunResult:
    """`make run`'s entry point in this process, with FUNDWATCH_RAW_DIR/WAREHOUSE pointed at tmp paths."""
    from orchestration import cli

    out = io.StringIO()
    with environment(FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(warehouse), DAGSTER_HOME=str(home)):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = cli.main(["fundwatch", "run"])
    return RunResult(code, out.getvalue())


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()
