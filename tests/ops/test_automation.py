"""The nightly schedule and the raw-folder sensor, with Dagster's testing APIs (issue 6 §4)."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import zoneinfo

import dagster as dg
import pytest

from orchestration.automation import everything_job, nightly_schedule, raw_folder_sensor
from tests.conftest import REPO
from tests.helpers import environment

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def test_the_schedule_runs_everything_at_two_in_the_morning_paris_time():
    assert nightly_schedule.cron_schedule == "0 2 * * *"
    assert nightly_schedule.execution_timezone == "Europe/Paris"
    assert nightly_schedule.job_name == everything_job.name == "fundwatch_everything"
    assert nightly_schedule.default_status == dg.DefaultScheduleStatus.RUNNING
    from dagster._utils.schedules import cron_string_iterator

    start = dt.datetime(2026, 3, 27, 12, 0, tzinfo=PARIS).timestamp()
    ticks = cron_string_iterator(start, nightly_schedule.cron_schedule, "Europe/Paris")
    nights = [next(ticks) for _ in range(4)]
    # 02:00 in Paris every night, across the spring DST change (29 March 2026: 02:00 does not exist)
    assert [(t.astimezone(PARIS).day, t.astimezone(PARIS).hour) for t in nights] == [(28, 2), (29, 3), (30, 2), (31, 2)]
    assert [t.astimezone(dt.timezone.utc).hour for t in nights] == [1, 1, 0, 0]


def test_a_schedule_tick_requests_a_run_of_every_asset(dbt_manifest):
    from orchestration.definitions import defs

    when = dt.datetime(2026, 11, 21, 2, 0, tzinfo=PARIS)
    context = dg.build_schedule_context(scheduled_execution_time=when)
    data = nightly_schedule.evaluate_tick(context)
    assert len(data.run_requests) == 1 and not data.skip_message
    job = defs.resolve_job_def(nightly_schedule.job_name)
    assert job.asset_layer.executable_asset_keys >= {dg.AssetKey(["raw", "articles"]),
                                                     dg.AssetKey(["published_warehouse"])}
    assert defs.resolve_schedule_def("nightly_fundwatch") is not None


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    folder.mkdir()
    with environment(FUNDWATCH_RAW_DIR=str(folder), FUNDWATCH_WAREHOUSE=str(tmp_path / "wh" / "fundwatch.duckdb")):
        yield folder


def _tick(cursor: str | None):
    """One sensor evaluation, the way the daemon does it: a fresh context holding the stored cursor."""
    context = dg.build_sensor_context(cursor=cursor)
    result = raw_folder_sensor.evaluate_tick(context)
    return result.run_requests or [], result.skip_message, context.cursor


def test_the_sensor_fires_on_new_and_changed_files_not_on_an_unchanged_folder(raw):
    (raw / "a.txt").write_text("Alpha lève 1 M€")
    requests, _, cursor = _tick(None)
    assert len(requests) == 1  # first look at a folder with articles: build it

    requests, skip, cursor = _tick(cursor)
    assert requests == [] and "unchanged" in skip

    (raw / "b.txt").write_text("Beta lève 2 M€")  # a new file
    requests, _, cursor = _tick(cursor)
    assert len(requests) == 1 and requests[0].tags["fundwatch/added"] == "1"
    first_key = requests[0].run_key

    (raw / "b.txt").write_text("Beta lève 3 M€")  # same size, new content
    requests, _, cursor = _tick(cursor)
    assert len(requests) == 1 and requests[0].tags["fundwatch/changed"] == "1"

    os.utime(raw / "a.txt", ns=(1_000_000_000, 1_000_000_000))  # touched, not changed
    requests, skip, cursor = _tick(cursor)
    assert requests == [] and "unchanged" in skip

    (raw / "b.txt").unlink()
    requests, _, cursor = _tick(cursor)
    assert len(requests) == 1 and requests[0].tags["fundwatch/removed"] == "1"

    (raw / "b.txt").write_text("Beta lève 2 M€")  # back to an earlier state: still a new run key
    requests, _, cursor = _tick(cursor)
    assert len(requests) == 1 and requests[0].run_key != first_key

    (raw / "manifest.csv").write_text("path,published,source,url\na.txt,2024-01-01,,\n")  # metadata counts too
    requests, _, cursor = _tick(cursor)
    assert len(requests) == 1


def test_an_empty_folder_starts_nothing(raw):
    requests, skip, cursor = _tick(None)
    assert requests == [] and "empty" in skip
    assert _tick(cursor)[0] == []


def test_the_cursor_survives_a_restart(raw, tmp_path):
    """The cursor is kept in the Dagster instance on disk: a new process ticking on it starts nothing."""
    (raw / "a.txt").write_text("Alpha lève 1 M€")
    (raw / "b.md").write_text("Beta lève 2 M€")
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    key = "fundwatch_test_sensor_cursor"
    script = f"""
import json
import dagster as dg
from orchestration.automation import raw_folder_sensor
with dg.DagsterInstance.get() as instance:
    stored = instance.run_storage.get_cursor_values({{"{key}"}}).get("{key}")
    context = dg.build_sensor_context(cursor=stored, instance=instance)
    result = raw_folder_sensor.evaluate_tick(context)
    instance.run_storage.set_cursor_values({{"{key}": context.cursor}})
    print(json.dumps({{"runs": len(result.run_requests or []), "skip": result.skip_message}}))
"""
    with environment(DAGSTER_HOME=str(home)):
        with dg.DagsterInstance.get() as instance:  # this process ticks once and stores its cursor
            context = dg.build_sensor_context(instance=instance)
            assert len(raw_folder_sensor.evaluate_tick(context).run_requests) == 1
            instance.run_storage.set_cursor_values({key: context.cursor})
        done = subprocess.run([sys.executable, "-c", script], cwd=REPO, env=dict(os.environ),
                              capture_output=True, text=True)  # "after a restart": another process
        assert done.returncode == 0, done.stderr[-3000:]
        assert json.loads(done.stdout.strip().splitlines()[-1]) == {"runs": 0, "skip": "raw folder unchanged"}
        (raw / "c.txt").write_text("Gamma lève 3 M€")
        with dg.DagsterInstance.get() as instance:
            stored = instance.run_storage.get_cursor_values({key})[key]
            assert len(raw_folder_sensor.evaluate_tick(dg.build_sensor_context(cursor=stored)).run_requests) == 1


def test_an_old_or_broken_cursor_is_not_fatal(raw):
    (raw / "a.txt").write_text("Alpha lève 1 M€")
    for cursor in ["not json", json.dumps({"a.txt": [1.0, 3]}), json.dumps([1, 2])]:
        requests, _, _ = _tick(cursor)
        assert len(requests) == 1


def test_the_instance_queues_runs_one_at_a_time(tmp_path):
    """dagster.yaml (copied into DAGSTER_HOME by make ui/run): a run queue of one, and run monitoring
    so that a run whose worker was killed cannot hold that queue past the job's max runtime."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    with environment(DAGSTER_HOME=str(home)):
        with dg.DagsterInstance.get() as instance:
            assert type(instance.run_coordinator).__name__ == "QueuedRunCoordinator"
            assert instance.run_coordinator.get_run_queue_config().max_concurrent_runs == 1
            assert instance.run_monitoring_enabled
    assert int(everything_job.tags["dagster/max_runtime"]) > 3600
