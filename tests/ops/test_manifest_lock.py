"""Processes that need the dbt manifest at the same time (the two pytest workers of `make test`,
`make run` beside `make ui`) parse the project one at a time (orchestration/dbt_project.py).

Each process here stands in a private target folder for dbt_project/target and a slow fake parse
for `dbt parse`: the first process to parse waits, inside its parse, until the other one has asked
for the manifest too, so the two requests always overlap.
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

_ENSURE = """
import sys, time
from pathlib import Path
from orchestration import dbt_project

target, dev = Path(sys.argv[1]), sys.argv[2] == "dev"
me = Path(sys.argv[3])

class Project:  # dagster-dbt's DbtProject, with another target folder
    manifest_path = target / "manifest.json"
    class preparer:
        @staticmethod
        def using_dagster_dev():
            return dev

def parse(manifest):  # what `dbt parse` leaves, slowly
    started = time.time()
    deadline = started + 60
    while len(list(target.parent.glob("asked.*"))) < 2 and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    manifest.parent.mkdir(parents=True, exist_ok=True)
    manifest.with_name(dbt_project.PARTIAL_PARSE).write_bytes(b"state")
    manifest.write_text("{}")
    print("parsed", started, time.time(), flush=True)

dbt_project.fundwatch_dbt = Project
dbt_project._parse_atomically = parse
me.touch()
assert dbt_project.ensure_manifest() == Project.manifest_path
"""


@pytest.mark.parametrize("mode", ["run", "dev"])
def test_two_processes_do_not_parse_the_project_at_once(tmp_path, mode):
    target = tmp_path / "target"
    processes = [subprocess.Popen([sys.executable, "-c", _ENSURE, str(target), mode, str(tmp_path / f"asked.{i}")],
                                  cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for i in range(2)]
    outputs = [process.communicate(timeout=300) for process in processes]
    for process, (_, err) in zip(processes, outputs):
        assert process.returncode == 0, err[-3000:]
    parses = sorted(tuple(map(float, line.split()[1:])) for out, _ in outputs for line in out.splitlines()
                    if line.startswith("parsed"))
    if mode == "run":  # the second one finds the manifest the first one parsed while it waited
        assert len(parses) == 1, parses
    else:  # dagster dev parses at every load: one after the other, never two into one folder at once
        assert len(parses) == 2 and parses[0][1] <= parses[1][0], parses
