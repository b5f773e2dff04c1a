"""The warm dbt server (orchestration/dbt_warm.py) must be invisible to dagster-dbt except for time.

Through `orchestration/bin/fundwatch-dbt`, a dbt command gets the arguments, environment, working
directory and standard streams it was given, and ends with dbt's own exit code and output; a
client killed or interrupted takes its dbt command with it (an orphan dbt would keep the
warehouse locked); without a server the client is plain dbt; the server dies with its owner.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration import dbt_warm
from tests.conftest import REPO

DBT_PROJECT = REPO / "dbt_project"
VENV_BIN = str(Path(sys.executable).parent)


def _env(**extra) -> dict:
    env = {**os.environ, "PATH": VENV_BIN + os.pathsep + os.environ.get("PATH", ""), **extra}
    return {k: v for k, v in env.items() if v is not None}


def _client(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(dbt_warm.CLIENT), *args], env=env, capture_output=True, text=True, timeout=300, **kwargs)


@pytest.fixture
def server(monkeypatch):
    monkeypatch.delenv(dbt_warm.SOCKET_ENV, raising=False)
    warm = dbt_warm.start()
    assert warm is not None and dbt_warm.running()
    yield warm
    warm.stop()
    assert not dbt_warm.running() and warm.process.poll() is not None


def _children(pid: int) -> list[int]:
    """The dbt commands the server forked (a fork keeps the server's command line; dbt's own helpers,
    such as multiprocessing's resource tracker, do not)."""
    try:
        pids = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
    return [p for p in pids if b"orchestration.dbt_warm" in _cmdline(p)]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_a_command_through_the_server_answers_as_dbt_does(server, tmp_path):
    plain = _env(**{dbt_warm.SOCKET_ENV: None})
    warm = _env()
    for args in (["--help"], ["no-such-command"], ["build", "--no-such-flag"]):
        expected, got = _client(args, plain), _client(args, warm)
        assert (got.returncode, got.stdout, got.stderr) == (expected.returncode, expected.stdout, expected.stderr), args
    assert _client(["no-such-command"], warm).returncode == 2
    assert _children(server.process.pid) == []  # each command's child is gone with it
    # forked from a process of one thread (a thread's locks would be held forever in the child)
    assert len(os.listdir(f"/proc/{server.process.pid}/task")) == 1


def test_the_dbt_child_gets_the_clients_directory_environment_and_streams(server, tmp_path):
    target = tmp_path / "target"
    got = _client(["parse", "--quiet"], _env(DBT_TARGET_PATH=str(target), DBT_LOG_PATH=str(tmp_path / "logs"),
                                             DBT_PROFILES_DIR=str(DBT_PROJECT)), cwd=DBT_PROJECT)
    assert got.returncode == 0, got.stdout + got.stderr
    assert (target / "manifest.json").exists()  # dbt_project.yml found in the client's cwd, the target from its env
    json_logs = _client(["parse", "--log-format", "json"],
                        _env(DBT_TARGET_PATH=str(target), DBT_PROFILES_DIR=str(DBT_PROJECT)), cwd=DBT_PROJECT)
    assert json_logs.returncode == 0
    lines = json_logs.stdout.splitlines()
    assert lines and all(line.startswith("{") for line in lines)  # what dagster-dbt parses, nothing else on stdout


@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_an_interrupted_or_killed_client_takes_its_dbt_command_with_it(server, tmp_path, number):
    """A query that would run for many minutes: its dbt child must be gone long before it ends."""
    client = subprocess.Popen(
        [str(dbt_warm.CLIENT), "show", "--inline", "select sum(a.range * b.range) from range(1000000) as a, range(1000000) as b"],
        cwd=DBT_PROJECT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=_env(DBT_TARGET_PATH=str(tmp_path / "t"), DBT_LOG_PATH=str(tmp_path / "t"), DBT_PROFILES_DIR=str(DBT_PROJECT),
                 FUNDWATCH_DBT_DATABASE=str(tmp_path / "scratch.duckdb")))
    deadline = time.monotonic() + 120
    while not _children(server.process.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    (child,) = _children(server.process.pid)
    while not (tmp_path / "scratch.duckdb").exists() and time.monotonic() < deadline:  # the query has started
        time.sleep(0.05)
    time.sleep(1)
    assert _is_alive(child)
    os.kill(client.pid, number)
    client.wait(timeout=60)
    assert client.returncode != 0
    deadline = time.monotonic() + 30
    while _is_alive(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _is_alive(child)


def _is_alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def _waited_children_ticks(pid: int) -> int:
    """cutime + cstime of /proc/PID/stat: the CPU ticks of the children PID has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[13]) + int(fields[14])  # fields 16 and 17 of proc(5), counted after the command name


def test_the_dbt_commands_cpu_time_counts_in_the_servers(server, tmp_path):
    # the server waits for its children: their CPU time then reaches its owner's resource usage (the
    # benchmark's CPU seconds); children reaped by the kernel (SIGCHLD ignored) would count nowhere
    before = _waited_children_ticks(server.process.pid)
    got = _client(["parse", "--quiet"], _env(DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"),
                                             DBT_PROFILES_DIR=str(DBT_PROJECT)), cwd=DBT_PROJECT)
    assert got.returncode == 0, got.stdout + got.stderr
    deadline = time.monotonic() + 5
    while _waited_children_ticks(server.process.pid) == before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _waited_children_ticks(server.process.pid) > before


def test_without_a_server_the_client_is_plain_dbt(monkeypatch):
    monkeypatch.delenv(dbt_warm.SOCKET_ENV, raising=False)
    assert not dbt_warm.running()
    got = _client(["no-such-command"], _env())
    assert got.returncode == 2 and "No such command" in got.stderr
    gone = _client(["no-such-command"], _env(**{dbt_warm.SOCKET_ENV: "/nonexistent/socket"}))
    assert gone.returncode == 2 and "No such command" in gone.stderr


def test_the_server_dies_with_its_owner(tmp_path):
    owner = subprocess.Popen(
        [sys.executable, "-c", "import os, sys, time; from orchestration import dbt_warm; w = dbt_warm.start(); "
         "print(w.process.pid, flush=True); time.sleep(600)"],
        cwd=REPO, env=_env(**{dbt_warm.SOCKET_ENV: None}), stdout=subprocess.PIPE, text=True)
    server_pid = int(owner.stdout.readline())
    assert _is_alive(server_pid)
    owner.kill()
    owner.wait()
    deadline = time.monotonic() + 30
    while _is_alive(server_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _is_alive(server_pid)
