"""Write, audit, publish (issue 6 §2) and one build at a time (§6), on small DuckDB files.

The whole-pipeline versions (a failing check, kill -9 mid-run, two runs at once, a reader
during a run) are in tests/ops/test_runs_e2e.py.
"""
from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
import time

import duckdb
import pytest

from orchestration import settings
from orchestration.publication import BuildLocked, build_lock, prepare_build, publish
from tests.conftest import REPO
from tests.helpers import environment


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def make_db(path, rows: int, tag: str = "v") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    con.execute("create schema if not exists marts")
    con.execute(f"create or replace table marts.rounds as select i as n, '{tag}' || i as round_id from range({rows}) t(i)")
    con.close()


@pytest.fixture
def wh(tmp_path):
    published = tmp_path / "warehouse" / "fundwatch.duckdb"
    with environment(FUNDWATCH_WAREHOUSE=str(published), FUNDWATCH_RAW_DIR=str(tmp_path / "raw")):
        yield published


# ------------------------------------------------------------------ the build file is always usable

def test_a_corrupt_build_restarts_from_the_published_warehouse(wh):
    make_db(wh, 3)
    before = sha(wh)
    build = settings.build_path()
    build.write_bytes(b"DUCK" + os.urandom(5000))  # what a kill mid-write can leave
    (wh.parent / (wh.name + ".tmp")).write_bytes(b"half a copy")  # a publish killed before its rename
    assert "started from a copy of the published warehouse" in prepare_build()
    assert duckdb.connect(str(build), read_only=True).execute("select count(*) from marts.rounds").fetchone() == (3,)
    assert not (wh.parent / (wh.name + ".tmp")).exists()
    assert sha(wh) == before


def test_a_truncated_build_and_a_garbage_wal_are_recovered(wh):
    make_db(wh, 2)
    build = settings.build_path()
    make_db(build, 5)
    build.write_bytes(build.read_bytes()[: 4096 * 3])  # truncated in the middle of its blocks
    build.with_name(build.name + ".wal").write_bytes(os.urandom(3000))
    prepare_build()
    con = duckdb.connect(str(build))
    assert con.execute("select count(*) from marts.rounds").fetchone()[0] in (2, 5)  # usable, whichever it kept
    con.close()


def test_a_missing_build_starts_from_a_copy_or_from_scratch(wh):
    assert "from scratch" in prepare_build()
    make_db(wh, 4)
    settings.build_path().unlink(missing_ok=True)
    assert "copy of the published" in prepare_build()
    assert "reusing" in prepare_build()


# ------------------------------------------------------------------ atomic publish, readers never blocked

READER = textwrap.dedent("""
    import duckdb, json, sys, time
    con = duckdb.connect(sys.argv[1], read_only=True)
    seen = set()
    print("ready", flush=True)
    end = time.time() + float(sys.argv[2])
    while time.time() < end:
        rows = con.execute("select count(*), min(round_id) from marts.rounds").fetchone()
        seen.add(json.dumps(rows))
        time.sleep(0.05)
    print(json.dumps(sorted(seen)), flush=True)
""")


def start_reader(path, seconds: float) -> subprocess.Popen:
    """A user's read-only DuckDB session on the published file, in its own process, querying in a loop."""
    reader = subprocess.Popen([sys.executable, "-c", READER, str(path), str(seconds)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready", reader.stderr.read()
    return reader


def reader_saw(reader: subprocess.Popen) -> list:
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err  # never blocked, never an error
    return [tuple(json.loads(s)) for s in json.loads(out.strip().splitlines()[-1])]


def test_publishing_under_a_reader_is_atomic_and_does_not_block_it(wh):
    make_db(wh, 3, tag="old")
    reader = start_reader(wh, 3)
    build = settings.build_path()
    make_db(build, 7, tag="new")
    started = time.monotonic()
    publish(build, wh)
    assert time.monotonic() - started < 10
    assert reader_saw(reader) == [(3, "old0")]  # the reader keeps the file it opened, whole
    con = duckdb.connect(str(wh), read_only=True)
    assert con.execute("select count(*), min(round_id) from marts.rounds").fetchone() == (7, "new0")
    con.close()
    assert sorted(p.name for p in wh.parent.iterdir()) == ["fundwatch.build.duckdb", "fundwatch.duckdb"]


# ------------------------------------------------------------------ one build at a time

HOLDER = textwrap.dedent("""
    import sys, time
    from orchestration.publication import build_lock
    with build_lock():
        print("held", flush=True)
        time.sleep(float(sys.argv[1]))
""")


def hold_lock_elsewhere(seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(seconds)], cwd=REPO, env=dict(os.environ),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held", holder.stderr.read()
    return holder


def test_a_second_build_fails_at_once_with_a_clear_message(wh):
    holder = hold_lock_elsewhere(30)
    try:
        with pytest.raises(BuildLocked, match=r"another fundwatch run \(pid \d+ .*\) is already building .*fundwatch.duckdb"):
            with build_lock():
                pass
    finally:
        holder.kill()
        holder.wait()
    with build_lock():  # the kernel dropped the dead holder's lock
        pass


def test_a_dagster_launched_run_waits_for_the_lock(wh):
    holder = hold_lock_elsewhere(3)
    messages = []
    started = time.monotonic()
    with build_lock(wait_seconds=60, on_wait=messages.append):
        waited = time.monotonic() - started
    holder.wait()
    assert waited >= 1 and messages and "waiting for another fundwatch run" in messages[0]


def test_the_lock_is_reentrant_within_a_process(wh):
    with build_lock():
        with build_lock():  # make run holds it, then the run's own resource takes it again
            pass
        with build_lock():
            pass
    holder = hold_lock_elsewhere(0.1)  # and it is released at the end
    holder.wait()


def test_make_run_refuses_to_start_while_another_run_builds(wh, tmp_path):
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.txt").write_text("Acme lève 3 millions d'euros.", encoding="utf-8")  # a folder worth a run
    holder = hold_lock_elsewhere(120)
    try:
        from tests.helpers import run_pipeline

        result = run_pipeline(tmp_path / "raw", wh, home=tmp_path / "home")
    finally:
        holder.kill()
        holder.wait()
    assert result.exit_code == 2
    assert "another fundwatch run" in result.output and "wait for it to finish" in result.output
    assert not wh.exists()


# ------------------------------------------------------------------ the audit blocks publication

def test_a_build_that_fails_the_audit_is_not_published(wh):
    """The published_warehouse asset on a build that breaks the contract: the run fails, naming the
    problems, and the published file stays byte-identical (the whole-pipeline version of a failing
    step is in test_runs_e2e.py)."""
    import dagster as dg

    from orchestration.assets.publish import published_warehouse

    make_db(wh, 3)
    before = sha(wh)
    make_db(settings.build_path(), 5)  # marts.rounds only: most contract tables are missing
    result = dg.materialize([published_warehouse], raise_on_error=False)
    assert not result.success
    failure = result.get_step_failure_events()[0].step_failure_data.user_failure_data
    assert "warehouse audit failed" in failure.description and "missing table marts.round_investors" in failure.description
    assert sha(wh) == before
    assert not (wh.parent / (wh.name + ".tmp")).exists()


def test_a_dagster_run_holds_the_lock_too(wh, tmp_path):
    """A run launched by Dagster (UI, schedule, sensor) takes the same lock as `make run` through its
    `fundwatch_build` resource: while another run builds, it waits, then fails naming the reason."""
    import dagster as dg

    from orchestration.assets.ingest import raw_articles

    (tmp_path / "raw").mkdir()
    holder = hold_lock_elsewhere(60)
    try:
        with environment(FUNDWATCH_LOCK_WAIT_SECONDS="1"):
            result = dg.materialize([raw_articles], raise_on_error=False)
    finally:
        holder.kill()
        holder.wait()
    assert not result.success
    failures = [str(getattr(e.event_specific_data, "error", "") or "") for e in result.all_events
                if e.event_type in (dg.DagsterEventType.RESOURCE_INIT_FAILURE, dg.DagsterEventType.STEP_FAILURE)]
    assert any("another fundwatch run" in m and "wait for it to finish" in m for m in failures), failures
    assert not settings.build_path().exists()  # it never touched the build
    result = dg.materialize([raw_articles])  # once the other run is gone, it goes through
    assert result.success and settings.build_path().exists()
