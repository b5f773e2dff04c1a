"""Runs skip what did not change (issue 7), and stop when told to.

On a private copy of the seed run (tests/conftest.py), in order:

1. a run with nothing new answers in one line without starting Dagster (the run record beside the
   published file: tests/ops/test_cli_fast_path.py); made to go through Dagster (--no-fast-path, as
   the schedule, the sensor and the UI do), it starts neither dbt nor Great Expectations, keeps the
   report, and leaves the published warehouse byte-identical (not even copied), its checks still reported;
2. a dbt project file that changes, with no new article, rebuilds the models;
3. an edited article rebuilds them too, and the marts follow it;
4. SIGTERM during dbt ends `cli run` within seconds, with dbt dead and the build lock free.
"""
from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.helpers import environment, query
from tests.ops.test_runs_e2e import _dbt_running_under, marts

pytestmark = pytest.mark.e2e

EDITED = "004_7e54cef5e6387b87.txt"  # Poolside: "plus de 100 millions d’euros" becomes 120


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Copy:
    def __init__(self, root: Path):
        self.root, self.raw = root, root / "raw"
        self.warehouse = root / "warehouse" / "fundwatch.duckdb"
        self.home = root / "dagster_home"

    def run(self, *options: str):
        from orchestration import cli

        out = io.StringIO()
        with environment(FUNDWATCH_RAW_DIR=str(self.raw), FUNDWATCH_WAREHOUSE=str(self.warehouse),
                         DAGSTER_HOME=str(self.home)):
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
                code = cli.main(["fundwatch", "run", *options])
        assert code == 0, out.getvalue()
        return out.getvalue()

    def latest(self, key: list[str]) -> dict:
        import dagster as dg

        with dg.DagsterInstance.from_config(str(self.home)) as instance:
            event = instance.get_latest_materialization_event(dg.AssetKey(key))
        return {k: v.value for k, v in event.asset_materialization.metadata.items()}

    def check(self, key: list[str], name: str) -> dict:
        import dagster as dg

        with dg.DagsterInstance.from_config(str(self.home)) as instance:
            record = instance.event_log_storage.get_latest_asset_check_execution_by_key(
                [dg.AssetCheckKey(dg.AssetKey(key), name)])[dg.AssetCheckKey(dg.AssetKey(key), name)]
        data = record.event.dagster_event.event_specific_data
        return {"passed": data.passed, **{k: v.value for k, v in data.metadata.items()}}


@pytest.fixture(scope="module")
def copy(tmp_path_factory, seed_warehouse) -> Copy:
    root = tmp_path_factory.mktemp("fastpath")
    shutil.copytree(seed_warehouse.parent.parent / "raw", root / "raw")
    (root / "warehouse").mkdir()
    for path in seed_warehouse.parent.iterdir():
        if path.name.startswith("fundwatch") and path.suffix == ".duckdb":
            shutil.copyfile(path, root / "warehouse" / path.name)
    return Copy(root)


FAST = "nothing new since"


def test_1_nothing_new_skips_dbt_gx_report_and_publication(copy):
    first = copy.run()  # a run on this copy (the seed warehouse's home is another instance): no record yet
    assert FAST not in first and "dbt models and tests" in first
    before, published = marts(copy.warehouse), sha(copy.warehouse)
    report = copy.warehouse.parent / "reports" / "ecosystem.html"
    report_mtime = report.stat().st_mtime_ns
    started = time.monotonic()
    fast = copy.run()
    assert FAST in fast and "dbt" not in fast and len(fast.strip().splitlines()) == 1, fast
    assert time.monotonic() - started < 60
    assert sha(copy.warehouse) == published and report.stat().st_mtime_ns == report_mtime
    started = time.monotonic()
    output = copy.run("--no-fast-path")  # what a scheduled, sensor or UI run goes through
    assert "dbt models and tests" in output
    assert marts(copy.warehouse) == before
    assert sha(copy.warehouse) == published  # not even copied again
    for key in (["marts", "rounds"], ["marts", "quality_issues"], ["staging", "stg_articles"]):
        assert copy.latest(key)["skipped"] == "unchanged", key
    assert copy.latest(["reports", "ecosystem"])["skipped"] == "unchanged"
    assert copy.latest(["reports", "table_previews"])["skipped"] == "unchanged"
    assert copy.latest(["published_warehouse"])["skipped"] == "unchanged"
    assert copy.latest(["raw", "articles"])["skipped"] == "unchanged"
    assert report.stat().st_mtime_ns == report_mtime
    # the checks still report: the dbt tests and GX suites from the last build, the cheap ones re-run
    assert copy.check(["marts", "rounds"], "unique_rounds_round_id")["skipped"] == "unchanged"
    gx = copy.check(["marts", "quality_issues"], "gx_warehouse")
    assert gx["skipped"] == "unchanged" and gx["passed"]
    assert "skipped" not in copy.check(["marts", "quality_issues"], "quality_issues_contract")
    assert time.monotonic() - started < 600


def test_2_a_changed_dbt_file_rebuilds_without_new_articles(copy, tmp_path, monkeypatch):
    """The fingerprint reads the dbt project's files: one edited model means a dbt build."""
    from orchestration import dbt_project, settings

    project = tmp_path / "dbt_project"
    shutil.copytree(settings.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(settings, "DBT_PROJECT_DIR", project)  # what the fingerprint hashes
    manifest = dbt_project.ensure_manifest()
    monkeypatch.setattr(dbt_project, "ensure_manifest", lambda: manifest)  # dbt itself runs the real project
    assert FAST in copy.run()  # same content, other folder: nothing to build
    assert copy.latest(["marts", "rounds"])["skipped"] == "unchanged"
    model = project / "models" / "marts" / "rounds.sql"
    model.write_text(model.read_text() + "\n-- edited\n")
    assert FAST not in copy.run()
    assert "skipped" not in copy.latest(["marts", "rounds"])
    assert "skipped" not in copy.check(["marts", "quality_issues"], "gx_warehouse")


def test_3_an_edited_article_rebuilds_and_the_marts_follow(copy):
    published = sha(copy.warehouse)
    edited = copy.raw / EDITED
    text = edited.read_text()
    before, after = "plus de 100\u00a0millions d’euros, de Poolside", "plus de 120\u00a0millions d’euros, de Poolside"
    assert before in text
    edited.write_text(text.replace(before, after))
    assert FAST not in copy.run()
    assert "skipped" not in copy.latest(["marts", "rounds"])
    assert "skipped" not in copy.latest(["published_warehouse"])
    assert sha(copy.warehouse) != published
    amounts = {r[0] for r in query(copy.warehouse, "select amount from marts.rounds where company = 'Poolside'")}
    assert 120e6 in amounts
    assert FAST in copy.run()  # and the run after it has nothing to do again
    copy.run("--no-fast-path")  # nor has a run through Dagster
    assert copy.latest(["marts", "rounds"])["skipped"] == "unchanged"


def test_4_sigterm_stops_dbt_and_releases_the_lock(tmp_path):
    from orchestration.publication import build_lock

    raw = tmp_path / "raw"
    shutil.copytree(REPO / "raw", raw)
    warehouse = tmp_path / "warehouse" / "fundwatch.duckdb"
    env = dict(os.environ, FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(warehouse),
               DAGSTER_HOME=str(tmp_path / "home"))
    run = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run"], cwd=REPO, env=env,
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while not _dbt_running_under(run.pid):
            assert run.poll() is None, "the run ended before dbt started: " + run.stdout.read().decode()[-3000:]
            assert time.monotonic() < deadline, "dbt never started"
            time.sleep(0.2)
        time.sleep(1)
        stopped = time.monotonic()
        run.send_signal(signal.SIGTERM)  # the run alone, as `kill PID` or a supervisor would
        output, _ = run.communicate(timeout=120)
        took = time.monotonic() - stopped
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode != 0, output.decode()[-2000:]
    assert took < 40, f"took {took:.0f} s to stop"
    assert "stopped by signal" in output.decode()
    # a child killed as the run ends may take a moment to be gone; one still alive 10 s later outlived it
    group_deadline = time.monotonic() + 10
    while (group := [p for p in Path("/proc").iterdir() if p.name.isdigit() and _in_group(p, run.pid)]) \
            and time.monotonic() < group_deadline:
        time.sleep(0.2)
    assert not group, "processes of the run outlived it: " + ", ".join(_cmdline(p) for p in group)
    assert not warehouse.exists()  # nothing was published
    with environment(FUNDWATCH_WAREHOUSE=str(warehouse)):
        with build_lock(wait_seconds=0):  # free at once
            pass


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:200] or proc.name
    except OSError:
        return proc.name


def _in_group(proc: Path, pgid: int) -> bool:
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return int(fields[2]) == pgid and fields[0] != "Z"
