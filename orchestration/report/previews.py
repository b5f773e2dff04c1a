"""Row counts and the first rows of every table of the warehouse's dbt schemas, as markdown (no Dagster here)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

SCHEMAS = ("staging", "intermediate", "marts")


@dataclass
class TablePreview:
    schema: str
    table: str
    rows: int
    markdown: str


def _cell(value, width: int = 40) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        text = f"{value:,.0f}" if value.is_integer() and abs(value) < 1e15 else f"{value:,.4g}"
    elif isinstance(value, (dt.date, dt.datetime)):
        text = value.isoformat()
    else:
        text = " ".join(str(value).split())
    text = text.replace("|", "/")
    return text if len(text) <= width else text[: width - 1] + "…"


def markdown_table(columns: list[str], rows: list[tuple], max_columns: int = 8) -> str:
    if not rows:
        return "_no rows_"
    shown = columns[:max_columns]
    lines = ["| " + " | ".join(shown) + " |", "|" + "---|" * len(shown)]
    lines += ["| " + " | ".join(_cell(v) for v in row[:max_columns]) + " |" for row in rows]
    if len(columns) > max_columns:
        lines.append(f"\n_{len(columns) - max_columns} more columns: {', '.join(columns[max_columns:])}_")
    return "\n".join(lines)


def previews(warehouse: Path, schemas: tuple[str, ...] = SCHEMAS, rows: int = 5) -> list[TablePreview]:
    """One preview per table or view of `schemas`, read-only."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_schema in ({', '.join('?' * len(schemas))}) order by 1, 2", list(schemas)).fetchall()
        found = []
        for schema, table in tables:
            try:
                count = con.execute(f'select count(*) from "{schema}"."{table}"').fetchall()[0][0]
                cursor = con.execute(f'select * from "{schema}"."{table}" limit {int(rows)}')
                columns = [d[0] for d in cursor.description]
                head = cursor.fetchall()
            except duckdb.Error as exc:
                found.append(TablePreview(schema, table, -1, f"_cannot be read: {str(exc).splitlines()[0]}_"))
                continue
            found.append(TablePreview(schema, table, int(count), markdown_table(columns, head)))
        return found
    finally:
        con.close()
