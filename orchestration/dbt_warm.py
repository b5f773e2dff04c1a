"""dbt imported once per run, ahead of need: a server that forks a ready dbt for each dbt command.

A `dbt build` spends 4-5 CPU s importing dbt-core and its DuckDB adapter before it reads a
file, and the run waits for it on every build (measured: 3.6 s from the command's start to
dbt's first log line, 1.0 s more to register the adapter). The run starts this server while
it is still reading and parsing articles, on the core those stages leave idle: the server
imports dbt, then waits on a Unix socket. Each dbt command dagster-dbt starts is
`orchestration/bin/fundwatch-dbt`, a stdlib-only client that hands the server its argv,
working directory, environment and standard streams; the server forks a child that becomes
that dbt command (`dbt.cli.main.cli`, what the `dbt` script runs) on those streams, and the
client exits with its exit code. dagster-dbt sees the same process, stream and exit code as
with the `dbt` script; signals sent to the client reach the child.

No server (none started, or it died): the client simply runs the `dbt` script.
The server exits when its owner stops it or when its parent process dies.
"""
from __future__ import annotations

import atexit
import gc
import io
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

#: where the client finds the server; set in the owner's environment, inherited by dbt commands
SOCKET_ENV = "FUNDWATCH_DBT_SERVER"
#: the dbt executable dagster-dbt runs (orchestration/dbt_project.py)
CLIENT = Path(__file__).resolve().parent / "bin" / "fundwatch-dbt"
#: what a dbt command imports beyond its CLI (found by diffing sys.modules around `dbt parse` and `dbt build`)
PRELOAD = ("dbt.cli.main", "dbt.adapters.duckdb", "dbt.adapters.duckdb.impl", "dbt.task.build", "duckdb", "multiprocessing")


class WarmDbt:
    """A running server: `stop()` ends it and forgets it from the environment."""

    def __init__(self, process: subprocess.Popen, path: str, scratch: tempfile.TemporaryDirectory):
        self.process, self.path, self._scratch = process, path, scratch

    def stop(self) -> None:
        if os.environ.get(SOCKET_ENV) == self.path:
            del os.environ[SOCKET_ENV]
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._scratch.cleanup()


def running() -> bool:
    """A server of this process (or of an ancestor) is up or starting."""
    path = os.environ.get(SOCKET_ENV)
    return bool(path) and Path(path).exists()


def start() -> WarmDbt | None:
    """Start a server for the dbt commands this process will run; None if one is already up
    (started by an ancestor: the CLI starts one before Dagster's resources do) or if it cannot start."""
    if running():
        return None
    scratch = tempfile.TemporaryDirectory(prefix="fundwatch-dbt-")
    path = os.path.join(scratch.name, "socket")
    try:
        process = subprocess.Popen([sys.executable, "-m", "orchestration.dbt_warm", path],
                                   stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   cwd=str(Path(__file__).resolve().parent.parent))
    except OSError:
        scratch.cleanup()
        return None
    # the socket exists as soon as the server listens (before its imports): clients queue on it
    deadline = time.monotonic() + 10
    while not os.path.exists(path) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    if not os.path.exists(path):
        WarmDbt(process, path, scratch).stop()
        return None
    os.environ[SOCKET_ENV] = path
    return WarmDbt(process, path, scratch)


@contextmanager
def serving():
    """A server for the dbt commands run inside the block (none started when one is already up),
    stopped at the end if this block started it."""
    server = start()
    try:
        yield
    finally:
        if server is not None:
            server.stop()


# ---------------------------------------------------------------------------------- the server

def serve(path: str) -> None:
    """Listen on `path` first (clients queue while dbt is imported), import dbt, then fork a child per client."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(64)
    parent = os.getppid()
    signal.signal(signal.SIGTERM, _reap_and_exit)
    gc.disable()  # what is made from here to the freeze lives as long as the server
    for module in PRELOAD:
        try:
            __import__(module)
        except Exception:  # noqa: BLE001 - the child imports it again and reports what fails
            pass
    _warm_up(Path(path).parent / "warm-up")
    # the children's full collections need not walk dbt's imported code: 2.6 s of GIL-holding collections
    # in a dbt build of 1,000 new articles on 100k (py-spy). Python's advice for a server that forks:
    # collection off in the parent, gc.freeze() before the forks, on again in each child.
    gc.collect()  # the warm-up's garbage, not frozen with the rest
    gc.freeze()
    listener.settimeout(1.0)
    while os.getppid() == parent:  # the owner died: so does the server
        _reap()
        try:
            conn, _ = listener.accept()
        except TimeoutError:
            continue
        except OSError:
            break
        conn.settimeout(None)
        if not _single_threaded():  # a fork would inherit locks held by threads it does not have
            conn.close()  # the client runs dbt itself
            continue
        if os.fork() == 0:
            listener.close()
            _child(conn)  # raises SystemExit: the child ends as a dbt process does
        conn.close()


def _reap() -> None:
    """Wait for the dbt commands that ended (a zombie lasts a second at most): a waited-for child's CPU
    time counts in this server's resource usage, and so in its owner's (the benchmark's CPU seconds);
    children the kernel reaped itself (SIGCHLD ignored) would count nowhere."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _reap_and_exit(*_) -> None:
    """SIGTERM (the owner's stop): the ended children are waited for, then the server exits at once."""
    _reap()
    os._exit(0)


# A dbt project of one of each kind of node dbt parses here (seed, source, incremental model, macro,
# data tests, unit test), on an in-memory DuckDB: parsing it twice (in full, then partially) fills
# the caches every dbt command otherwise fills at its start (mashumaro compiles a class's
# (de)serialisers at its first use, dbt builds its JSON schemas at the first validation): 1.5 s
# off every command's start. It opens no database, and dbt resets its adapters, flags and loggers
# at every invocation, so the children start from what a fresh process would have.
_WARM_UP_PROJECT = {
    "dbt_project.yml": "name: warm_up\nversion: '1.0.0'\nprofile: warm_up\n"
                       "flags:\n  send_anonymous_usage_stats: false\n"
                       "models:\n  warm_up:\n    +materialized: table\n",
    "profiles.yml": "warm_up:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: ':memory:'\n"
                    "      threads: 1\n",
    "seeds/s.csv": "id\n1\n",
    "macros/m.sql": "{% macro m(x) %}{{ x }}{% endmacro %}\n",
    "models/a.sql": "{{ config(materialized='incremental') }}\n"
                    "select {{ m('id') }} from {{ source('raw', 't') }} union all select id from {{ ref('s') }}\n",
    "models/_models.yml": (
        "version: 2\nsources:\n  - name: raw\n    tables: [{name: t}]\n"
        "models:\n  - name: a\n    description: a\n    columns:\n      - name: id\n"
        "        data_tests: [not_null, unique, {accepted_values: {arguments: {values: [1, 2]}}}]\n"
        "unit_tests:\n  - name: u\n    model: a\n    given:\n      - input: source('raw', 't')\n        rows: [{id: 1}]\n"
        "      - input: ref('s')\n        rows: [{id: 2}]\n    expect:\n      rows: [{id: 1}, {id: 2}]\n"),
}


def _warm_up(folder: Path) -> None:
    """`dbt parse` of `_WARM_UP_PROJECT`, twice; the process's directory, environment and argv are restored."""
    cwd, env, argv = os.getcwd(), dict(os.environ), list(sys.argv)
    try:
        for name, text in _WARM_UP_PROJECT.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text)
        os.chdir(folder)
        os.environ.update({"DBT_TARGET_PATH": str(folder / "target"), "DBT_LOG_PATH": str(folder / "target"),
                           "DBT_PROFILES_DIR": str(folder), "DBT_PROJECT_DIR": str(folder),
                           "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                           # dbt's static SQL parser (Rust) starts a thread pool at its first use: a child
                           # forked after that would wait forever on the pool's locks
                           "DBT_STATIC_PARSER": "false"})
        for _ in range(2):
            _run_dbt(["parse", "--quiet"])
    except Exception:  # noqa: BLE001 - a cache left cold only costs time
        pass
    finally:
        os.chdir(cwd)
        os.environ.clear()
        os.environ.update(env)
        sys.argv = argv
    try:  # never fork with a database open
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager

        DuckDBConnectionManager._ENV = None
    except Exception:  # noqa: BLE001
        pass


def _single_threaded() -> bool:
    try:
        return len(os.listdir(f"/proc/{os.getpid()}/task")) == 1
    except OSError:
        return threading.active_count() == 1


def _recv_exact(conn: socket.socket, n: int, head: bytes = b"") -> bytes:
    data = bytearray(head)
    while len(data) < n:
        chunk = conn.recv(n - len(data))
        if not chunk:
            raise ConnectionError("the client went away")
        data += chunk
    return bytes(data)


def _child(conn: socket.socket) -> None:
    """Become the client's dbt command: its streams, directory, environment and arguments.

    It ends as a dbt process ends (SystemExit: the exit handlers dbt registered run), and the exit
    code goes to the client after them. Then the process ends at once: dbt has closed its database
    and written its files, and the interpreter's teardown would only collect and free its objects
    (1 s after a build on 100k articles, py-spy), with the client's streams still open, so that
    dagster-dbt, which reads them to their end, would wait for it."""
    gc.enable()
    code = 1
    done = threading.Event()

    def report() -> None:
        done.set()
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass
        try:
            conn.sendall(f"X{code}\n".encode())
        except OSError:
            pass
        os._exit(code)

    atexit.register(report)
    try:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        head, fds, _, _ = socket.recv_fds(conn, 8, 3)
        request = json.loads(_recv_exact(conn, int.from_bytes(_recv_exact(conn, 8, head), "big")))
        for target, fd in zip((0, 1, 2), fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _fresh_stdio(unbuffered=bool(os.environ.get("PYTHONUNBUFFERED")))
        conn.sendall(f"P{os.getpid()}\n".encode())
        threading.Thread(target=_exit_with_client, args=(conn, done), daemon=True).start()
        sys.argv = ["dbt", *request["argv"]]
        sys.path[0] = os.path.dirname(sys.executable)  # the `dbt` script's folder, not this server's directory
        code = _run_dbt(request["argv"])
    except BaseException:  # noqa: BLE001 - reported on the client's stderr, exit code 1
        import traceback

        traceback.print_exc()
    raise SystemExit(code)


def _fresh_stdio(unbuffered: bool) -> None:
    """Standard streams as a new interpreter would open them on fds 1 and 2 (dagster-dbt asks for unbuffered)."""
    for fd, name in ((1, "stdout"), (2, "stderr")):
        old = getattr(sys, name)
        raw = io.FileIO(fd, "w", closefd=False)
        binary = raw if unbuffered else io.BufferedWriter(raw)
        setattr(sys, name, io.TextIOWrapper(binary, encoding=old.encoding, errors=old.errors,
                                            write_through=unbuffered, line_buffering=(fd == 2 and not unbuffered)))


def _run_dbt(argv: list[str]) -> int:
    """What the `dbt` script does, with its exit code returned instead of raised."""
    from dbt.cli.main import cli

    try:
        cli.main(args=argv, prog_name="dbt")
        return 0
    except SystemExit as exit_:
        if exit_.code is None or isinstance(exit_.code, int):
            return exit_.code or 0
        print(exit_.code, file=sys.stderr)
        return 1


def _exit_with_client(conn: socket.socket, done: threading.Event) -> None:
    """The client went away (killed) before the end: end this dbt command as a SIGTERM would have ended it."""
    try:
        while conn.recv(64):
            pass
    except OSError:
        pass
    if not done.is_set():
        os.kill(os.getpid(), signal.SIGTERM)


if __name__ == "__main__":
    serve(sys.argv[1])
