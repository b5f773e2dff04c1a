"""Runs users can trust, on the whole pipeline (issue 6 §1, §2, §6): one warehouse taken through
a sequence of runs, starting from the seed warehouse of tests/conftest.py.

1. a run with nothing new changes nothing (same round_ids, same rows in every mart);
2. with files added, edited and deleted, a run whose parse step fails leaves the published
   warehouse byte-identical (a failing audit: tests/ops/test_publication.py);
3. kill -9 in the middle of a run (while dbt builds) leaves it byte-identical too, and a
   second run started meanwhile is refused with a clear message;
4. the next run (`python -m orchestration.cli run`, as `make run` starts it) recovers without any
   manual step, while a user holds a read-only connection to the published file: the user is never
   blocked and only ever sees whole warehouses, and the run's stderr stays empty;
   the marts then reflect exactly the folder (the deleted article's facts are gone, the edited
   article's old facts replaced, the new article's rounds in).

The tests share one workspace and run in order (each builds on the state the previous one left).
"""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from orchestration.publication import CONTRACT
from tests.conftest import REPO
from tests.helpers import query, run_pipeline

pytestmark = pytest.mark.e2e

NEW_ARTICLE = REPO / "tests" / "fixtures" / "dev_corpus" / "001_fr_nova_grid_serie_a.txt"
DELETED = "003_8cbbc44e7c995574.txt"  # Scale AI: the only source of its two rounds
EDITED = "004_7e54cef5e6387b87.txt"  # Poolside: "plus de 100 millions d’euros" becomes 120


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _same(value):
    """Doubles to 12 significant digits: DuckDB's parallel sums may differ in the last bit between runs."""
    return float(f"{value:.12g}") if isinstance(value, float) else value


def marts(warehouse: Path) -> dict[str, list[tuple]]:
    return {table: [tuple(_same(v) for v in row)
                    for row in query(warehouse, f'select * from marts."{table}" order by all')]
            for table in CONTRACT}


class Chain:
    def __init__(self, root: Path, seed: Path):
        self.root = root
        self.raw = root / "raw"
        self.warehouse = root / "warehouse" / "fundwatch.duckdb"
        self.home = root / "dagster_home"
        self.seed = seed
        self.state: dict = {}

    def run(self):
        return run_pipeline(self.raw, self.warehouse, self.home)

    def env(self) -> dict[str, str]:
        return dict(os.environ, FUNDWATCH_RAW_DIR=str(self.raw), FUNDWATCH_WAREHOUSE=str(self.warehouse),
                    DAGSTER_HOME=str(self.home))


@pytest.fixture(scope="module")
def chain(tmp_path_factory, seed_warehouse) -> Chain:
    """A private copy of the seed run: its raw folder, published warehouse and build file."""
    root = tmp_path_factory.mktemp("chain")
    shutil.copytree(seed_warehouse.parent.parent / "raw", root / "raw")
    (root / "warehouse").mkdir()
    for name in ("fundwatch.duckdb", "fundwatch.build.duckdb"):
        if (seed_warehouse.parent / name).exists():
            shutil.copyfile(seed_warehouse.parent / name, root / "warehouse" / name)
    return Chain(root, seed_warehouse)


def test_1_a_run_with_nothing_new_changes_nothing(chain):
    before = marts(chain.warehouse)
    result = chain.run()
    assert result.exit_code == 0, result.output
    after = marts(chain.warehouse)
    assert after == before  # same round_ids, same rows, every mart
    assert after["rounds"], "the seed warehouse has rounds"
    import dagster as dg

    with dg.DagsterInstance.from_config(str(chain.home)) as instance:
        event = instance.get_latest_materialization_event(dg.AssetKey(["raw", "round_mentions"]))
    assert event.asset_materialization.metadata["articles_parsed"].value == 0


def test_2_a_failing_step_leaves_the_published_warehouse_byte_identical(chain, monkeypatch):
    published = sha(chain.warehouse)
    chain.state["seed_rounds"] = {r[0]: r for r in query(chain.warehouse, "select round_id, company, amount from marts.rounds")}
    chain.state["old_ids"] = dict(query(chain.warehouse, "select path, article_id from raw.articles"))
    (chain.raw / DELETED).unlink()
    edited = chain.raw / EDITED
    text = edited.read_text()
    before, after = "plus de 100\u00a0millions d’euros, de Poolside", "plus de 120\u00a0millions d’euros, de Poolside"
    assert before in text
    edited.write_text(text.replace(before, after))
    (chain.raw / "nouveau dossier").mkdir()
    shutil.copyfile(NEW_ARTICLE, chain.raw / "nouveau dossier" / "Nova Grid série A.txt")

    import orchestration.parsing as parsing

    def broken(articles):
        raise RuntimeError("extraction engine crashed (simulated)")

    with monkeypatch.context() as patch:  # a step fails
        patch.setattr(parsing, "extract", broken)
        result = chain.run()
    assert result.exit_code == 1
    assert "parsed_mentions" in result.output and "left as it was" in result.output
    assert sha(chain.warehouse) == published


def _dbt_running_under(pid: int) -> bool:
    """Is a dbt process among the descendants of pid?"""
    children: dict[int, list[int]] = {}
    commands: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            commands[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    todo, seen = [pid], []
    while todo:
        for child in children.get(todo.pop(), []):
            seen.append(child)
            todo.append(child)
    return any("dbt" in commands.get(p, "") and "build" in commands.get(p, "") for p in seen)


def test_3_kill_minus_9_mid_run_and_a_concurrent_run(chain):
    published = sha(chain.warehouse)
    run = subprocess.Popen([sys.executable, "-m", "orchestration.cli", "run"], cwd=REPO, env=chain.env(),
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 300
        while not _dbt_running_under(run.pid):
            assert run.poll() is None, "the run ended before dbt started: " + run.stdout.read().decode()[-3000:]
            assert time.monotonic() < deadline, "dbt never started"
            time.sleep(0.2)
        # two runs at once: the second is refused at once, naming the reason
        second = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], cwd=REPO, env=chain.env(),
                                capture_output=True, text=True, timeout=300)
        assert second.returncode == 2, second.stdout + second.stderr
        assert "another fundwatch run" in second.stderr and "wait for it to finish" in second.stderr
        time.sleep(2)  # well inside dbt build, writing the build file
        assert run.poll() is None
    finally:
        os.killpg(run.pid, signal.SIGKILL)  # kill -9 the run and everything it started
        run.wait()
    assert run.returncode == -signal.SIGKILL
    assert sha(chain.warehouse) == published


READER = """
import duckdb, json, os, sys, time
con = duckdb.connect(sys.argv[1], read_only=True)
seen, queries = set(), 0
print("ready", flush=True)
end = time.time() + 900
while not os.path.exists(sys.argv[2]) and time.time() < end:
    seen.add(json.dumps(con.execute("select count(*), min(round_id), sum(amount) from marts.rounds").fetchone()))
    queries += 1
    time.sleep(0.1)
print(json.dumps({"seen": sorted(seen), "queries": queries}), flush=True)
"""


def test_4_the_next_run_recovers_under_a_reader_and_reflects_the_folder(chain, tmp_path):
    import json

    published = sha(chain.warehouse)
    before = list(query(chain.warehouse, "select count(*), min(round_id), sum(amount) from marts.rounds")[0])
    stop = tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(chain.warehouse), str(stop)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert reader.stdout.readline().strip() == "ready"
    try:  # `make run` as a user runs it: recovers from the killed run's build file by itself
        result = subprocess.run([sys.executable, "-m", "orchestration.cli", "run"], cwd=REPO, env=chain.env(),
                                capture_output=True, text=True, timeout=900)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    # nothing on stderr, not even from the process's end (it skips the interpreter's teardown, and objects
    # it exempted from collection would make DuckDB's bindings report them as leaked there)
    assert result.stderr == ""
    assert "fundwatch: published" in result.stdout
    assert reader.returncode == 0, err  # the user's session was never blocked nor broken
    report = json.loads(out.strip().splitlines()[-1])
    assert report["queries"] > 10 and report["seen"] == [json.dumps(before)]  # one whole warehouse, the old one
    assert sha(chain.warehouse) != published

    ids = dict(query(chain.warehouse, "select path, article_id from raw.articles"))
    old = chain.state["old_ids"]
    assert DELETED not in ids and "nouveau dossier/Nova Grid série A.txt" in ids
    assert ids[EDITED] != old[EDITED]
    gone = [old[DELETED], old[EDITED]]
    for table in ("article_facts", "figures", "round_mentions", "investor_mentions", "company_facts"):
        stale = query(chain.warehouse, f"select count(*) from raw.{table} where list_contains(?, article_id)", [gone])
        assert stale == [(0,)], table
    sources = {r[0] for r in query(chain.warehouse, "select distinct article_id from marts.round_sources")}
    assert not sources & set(gone) and ids[EDITED] in sources
    rounds = {r[0]: r for r in query(chain.warehouse, "select round_id, company, amount from marts.rounds")}
    companies = {r[1] for r in rounds.values()}
    assert "Scale AI" not in companies and "Nova Grid" in companies
    assert 120e6 in {r[2] for r in rounds.values() if r[1] == "Poolside"}
    # rounds whose articles were not touched keep their round_id
    untouched = {rid for rid, r in chain.state["seed_rounds"].items() if r[1] in ("Mistral AI",)}
    assert untouched and untouched <= set(rounds)
    assert not any(p.name.endswith(".tmp") for p in chain.warehouse.parent.iterdir())
