"""`dagster dev` on a loopback port, started once for the UI tests, on a private raw folder and warehouse."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS

BIN = Path(os.environ.get("VIRTUAL_ENV") or REPO / ".venv") / "bin"


@dataclass
class DagsterDev:
    port: int
    raw: Path
    warehouse: Path
    home: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def graphql(self, query: str, variables: dict | None = None) -> dict:
        request = urllib.request.Request(f"{self.url}/graphql", method="POST",
                                         data=json.dumps({"query": query, "variables": variables or {}}).encode(),
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


LOCATIONS = "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus " \
            "locationOrLoadError { __typename ... on PythonError { message } } } } } }"


@pytest.fixture(scope="session")
def dagster_dev(tmp_path_factory) -> DagsterDev:
    root = tmp_path_factory.mktemp("ui")
    raw = shutil.copytree(SEEDS, root / "raw")
    home = root / "dagster_home"
    home.mkdir()
    shutil.copyfile(REPO / "dagster.yaml", home / "dagster.yaml")
    server = DagsterDev(_free_port(), raw, root / "warehouse" / "fundwatch.duckdb", home, root / "dagster_dev.log")
    env = dict(os.environ, FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(server.warehouse),
               DAGSTER_HOME=str(home), FUNDWATCH_AUTOMATION="off", DO_NOT_TRACK="1",
               DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    executable = shutil.which("dagster", path=str(BIN)) or str(BIN / "dagster")
    with open(server.log, "wb") as log:
        process = subprocess.Popen([executable, "dev", "--host", "127.0.0.1", "--port", str(server.port)],
                                   cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 660
        status = None
        while time.monotonic() < deadline:
            assert process.poll() is None, "dagster dev exited:\n" + server.log.read_text()[-5000:]
            try:
                entries = server.graphql(LOCATIONS)["data"]["workspaceOrError"]["locationEntries"]
                status = [(e["name"], e["loadStatus"], e["locationOrLoadError"]) for e in entries]
                if entries and all(e["loadStatus"] == "LOADED" for e in entries):
                    errors = [e for e in entries if e["locationOrLoadError"]["__typename"] == "PythonError"]
                    assert not errors, errors
                    break
            except (OSError, KeyError, TypeError, ValueError):
                pass
            time.sleep(2)
        else:
            pytest.fail(f"dagster dev did not load the code location in time ({status}):\n"
                        + server.log.read_text()[-5000:])
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
