"""Small DuckDB helpers shared by the assets: open the build file, write polars frames."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import duckdb
import polars as pl

from orchestration import settings


@contextmanager
def connect(path: Path | None = None, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A short-lived connection (never kept open: dbt and checks need the file after us)."""
    path = path or settings.build_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path), read_only=read_only)
    try:
        yield con
    finally:
        con.close()


@contextmanager
def _registered(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame) -> Iterator[str]:
    """The frame visible to SQL as `_frame` for the duration of the block (zero-copy through Arrow)."""
    con.register("_frame", frame.to_arrow())
    try:
        yield "_frame"
    finally:
        con.unregister("_frame")


def replace_table(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame) -> int:
    """Create or replace schema.table with exactly the frame's rows and types."""
    con.execute(f"create schema if not exists {schema}")
    with _registered(con, frame) as name:
        con.execute(f"create or replace table {schema}.{table} as select * from {name}")
    return frame.height


def query_frame(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> pl.DataFrame:
    """A query's result as a polars frame, through Arrow (DuckDB 2's connection has no `.pl()`)."""
    return pl.from_arrow(con.sql(sql, params=params).to_arrow_table())


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    # fetchall, not fetchone: DuckDB 2 refuses to register a frame while a result is partly fetched
    return bool(con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()[0][0])


def append_rows(con: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pl.DataFrame) -> int:
    """Append the frame to schema.table, creating it with the frame's types when missing."""
    if not table_exists(con, schema, table):
        return replace_table(con, schema, table, frame)
    with _registered(con, frame) as name:
        con.execute(f"insert into {schema}.{table} by name select * from {name}")
    return frame.height


def markdown_preview(frame: pl.DataFrame, rows: int = 5) -> str:
    """The first rows of a frame as a markdown table, for asset metadata."""
    head = frame.head(rows)
    if head.is_empty():
        return "_no rows_"
    cols = [c for c in head.columns if head[c].dtype != pl.Utf8 or c in {"company", "investor", "path", "title"}]
    cols = cols or head.columns[:6]
    head = head.select(cols[:8])
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    for row in head.iter_rows():
        lines.append("| " + " | ".join("" if v is None else str(v)[:60].replace("|", "/") for v in row) + " |")
    return "\n".join(lines)
