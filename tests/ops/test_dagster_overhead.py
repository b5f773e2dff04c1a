"""What fundwatch trims from Dagster's and dagster-dbt's fixed costs must not change what they do.

* DAGSTER_HOME's SQLite files are written in WAL mode with a connection kept open, so a run's
  ~600 events no longer fsync one by one, through one SQLAlchemy engine per file instead of one
  per event (orchestration/dagster_storage.py); files elsewhere are left alone, and the run's
  events are all there.
* The dbt resource knows the dbt it drives without running `dbt --version`, and opens no adapter
  in the Dagster process (orchestration/dbt_project.py), and loading the pipeline does not import
  dbt-core at all: dagster-dbt's own stand-ins for dbt's status enums serve, with the same values.
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO

_JOB = """
import sys, dagster as dg
from dagster._core.storage.event_log.sqlite import sqlite_event_log
from dagster._core.storage.runs.sqlite import sqlite_run_storage
built = []
for module in (sqlite_event_log, sqlite_run_storage):  # count the engines really built
    module.create_engine = (lambda create: lambda *a, **k: built.append(a[0]) or create(*a, **k))(module.create_engine)
import sqlite3.dbapi2
opened = []  # every SQLite connection opened, through whichever engine (SQLAlchemy calls dbapi2's connect)
sqlite3.connect = sqlite3.dbapi2.connect = (
    lambda connect: lambda *a, **k: opened.append(a[0]) or connect(*a, **k))(sqlite3.dbapi2.connect)
from orchestration.dagster_storage import use_wal_for_dagster_storage
use_wal_for_dagster_storage()
import sqlalchemy as sa
outside = sa.create_engine("sqlite:///" + sys.argv[1])
with outside.begin() as c:
    c.execute(sa.text("create table t (x int)"))

@dg.multi_asset(specs=[dg.AssetSpec(f"a{i}") for i in range(20)])
def many():
    for i in range(20):
        yield dg.MaterializeResult(asset_key=f"a{i}")

defs = dg.Definitions(assets=[many], jobs=[dg.define_asset_job("j", selection="*")])
with dg.DagsterInstance.get() as instance:
    result = defs.get_job_def("j").execute_in_process(instance=instance)
    assert result.success
    print(len(opened), len(built), len(set(built)), result.run_id, len(instance.all_logs(result.run_id)))
"""


def _journal_mode(path: Path) -> str:
    with sqlite3.connect(path) as con:
        return con.execute("pragma journal_mode").fetchone()[0]


def test_dagster_home_sqlite_in_wal_mode_and_nothing_lost(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    outside = tmp_path / "elsewhere.db"
    done = subprocess.run([sys.executable, "-c", _JOB, str(outside)], cwd=REPO, capture_output=True, text=True,
                          env={"DAGSTER_HOME": str(home), "PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO)})
    assert done.returncode == 0, done.stderr[-2000:]
    opened, engines, files, run_id, events = done.stdout.split()[-5:]
    assert int(events) >= 40  # 20 materializations, their outputs, the step's and the run's events
    assert int(engines) == int(files) <= 4  # one engine per file (runs, index, the run's shard), not per event
    # pooled connections: a few per file (and the keepers, and the outside file), not one or two per event
    assert int(opened) <= 4 * int(files) + 4 < int(events), (opened, files, events)
    assert _journal_mode(home / "history" / "runs.db") == "wal"
    assert _journal_mode(home / "history" / "runs" / f"{run_id}.db") == "wal"
    assert _journal_mode(outside) == "delete"  # a SQLite file outside DAGSTER_HOME is not ours to change
    # the run reads back whole from a fresh process, as the UI would
    with sqlite3.connect(home / "history" / "runs" / f"{run_id}.db") as con:
        assert con.execute("select count(*) from event_logs").fetchone()[0] == int(events)


def test_dbt_resource_knows_its_dbt_without_asking_it():
    from orchestration.dbt_project import FundwatchDbtCli, fundwatch_dbt

    resource = FundwatchDbtCli(project_dir=fundwatch_dbt)
    printed = subprocess.run([str(Path(sys.executable).parent / "dbt"), "--version"], capture_output=True,
                             text=True).stdout
    assert str(resource._cli_version) in printed
    assert resource._initialize_dbt_core_adapter(["build"]) is None


_LOAD = """
import sys, warnings
warnings.simplefilter("ignore")
from orchestration.definitions import defs
defs.get_job_def("fundwatch_everything")
print(sorted({m.split(".")[0] for m in sys.modules if m.split(".")[0] in ("dbt", "dbt_common")}))
from dagster_dbt.compat import NodeStatus, TestStatus, NodeType
print(NodeStatus.Success, NodeStatus.Warn, NodeStatus.Error, NodeStatus.Skipped, TestStatus.Pass,
      TestStatus.Fail, TestStatus.Warn, NodeType.Test, NodeType.Model, NodeType.Seed)
"""


def test_loading_the_pipeline_imports_no_dbt_core():
    done = subprocess.run([sys.executable, "-c", _LOAD], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    modules, statuses = done.stdout.strip().splitlines()[-2:]
    assert modules == "[]"
    # the values dbt writes in its JSON log, which dagster-dbt compares with these members
    assert statuses.split() == ["success", "warn", "error", "skipped", "pass", "fail", "warn", "test",
                                "model", "seed"]
