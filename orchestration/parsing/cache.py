"""Reference frames the engine builds from bundled data, kept on disk between processes.

A frame is stored as Parquet under a name that hashes everything it is made of, so a change
of code or of a data package makes a new file instead of a stale answer. The folder is
$FUNDWATCH_CACHE_DIR, else $XDG_CACHE_HOME/fundwatch, else ~/.cache/fundwatch; any failure to
read or write it only costs the build (the cache is never needed to get the right frame).
"""
from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl


def cache_dir() -> Path:
    chosen = os.environ.get("FUNDWATCH_CACHE_DIR")
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "fundwatch"


def file_cache(name: str, key: str, build: Callable[[], pl.DataFrame]) -> pl.DataFrame:
    """`build()`, or the frame a previous process built under the same name and key."""
    path = cache_dir() / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:16]}.parquet"
    try:
        return pl.read_parquet(path)
    except Exception:  # noqa: BLE001 - missing, unreadable or half-written: build it
        pass
    frame = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        frame.write_parquet(tmp)
        os.replace(tmp, path)  # another process may write the same file: each write is whole
    except OSError:
        pass
    return frame
