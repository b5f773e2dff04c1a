"""Dagster's SQLite storage in write-ahead-log mode, so a run's events cost milliseconds, not fsyncs.

A run writes every event (step output, materialization, check result: ~600 in a run of the whole
project) to the SQLite files under DAGSTER_HOME, each through a new engine and connection that is
closed at once. With Dagster's default rollback journal every commit fsyncs; in WAL mode the
close of a file's last connection checkpoints and fsyncs instead. Together 15-20 ms an event
here, 10-45 s a run. So, for the files under DAGSTER_HOME only:

* `journal_mode=WAL` and `synchronous=NORMAL` (SQLite's advice for WAL): a commit is an append;
  after a power cut the last events may be missing, never corrupted; the UI reads while a run
  writes;
* one idle connection per file kept open by the process, so Dagster's closes are never the
  last one and never checkpoint (SQLite still checkpoints every 1,000 pages).

Measured: 2 ms instead of 21 ms per event write on this machine.
"""
from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict

from sqlalchemy import event
from sqlalchemy.engine import Engine

#: idle connections kept per process (a long-lived UI process meets a new run file per run)
MAX_KEPT_OPEN = 32

_lock = threading.Lock()
_kept_open: OrderedDict[str, sqlite3.Connection] = OrderedDict()
_registered = False


def _dagster_home() -> str | None:
    home = os.environ.get("DAGSTER_HOME")
    return os.path.realpath(home) if home else None


def _keep_open(path: str) -> None:
    with _lock:
        if path in _kept_open:
            _kept_open.move_to_end(path)
            return
        keeper = sqlite3.connect(path, check_same_thread=False)
        keeper.execute("select count(*) from sqlite_master").fetchall()  # opens the WAL index: now it counts
        _kept_open[path] = keeper
        while len(_kept_open) > MAX_KEPT_OPEN:
            _kept_open.popitem(last=False)[1].close()


def _on_connect(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    home = _dagster_home()
    if home is None:
        return
    cursor = dbapi_connection.cursor()
    try:
        files = [row[2] for row in cursor.execute("PRAGMA database_list").fetchall() if row[1] == "main"]
        path = os.path.realpath(files[0]) if files and files[0] else None
        if path is None or not path.startswith(home + os.sep):
            return
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()
    _keep_open(path)


def use_wal_for_dagster_storage() -> None:
    """Register (once per process) the connect hook for DAGSTER_HOME's SQLite files."""
    global _registered
    if not _registered:
        event.listen(Engine, "connect", _on_connect)
        _registered = True
