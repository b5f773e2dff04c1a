"""`make query` and `make sql`: read the published warehouse, never write it.

    python -m orchestration.query "select …"          # what `make query Q="select …"` calls
    python -m orchestration.query --markdown "select …"
    python -m orchestration.query --wide "select …"     # cells not cut at 60 characters (make query WIDE=1)
    python -m orchestration.query --interactive       # what `make sql` calls (harlequin, read-only)

Both open FUNDWATCH_WAREHOUSE read-only. A run never opens that file (it builds
`*.build.duckdb` and renames the audited copy over the published one), so both work
while a run is building; a session keeps the file it opened until it reconnects.
"""
from __future__ import annotations

import datetime as dt
import decimal
import os
import shutil
import sys
from pathlib import Path

import duckdb

from orchestration import settings

MAX_ROWS = 1000
MAX_CELL = 60


class QueryError(Exception):
    """Something the user can fix; its message is one sentence saying what and how."""


def published_or_fail(path: Path | None = None) -> Path:
    path = path or settings.warehouse_path()
    if not path.exists():
        raise QueryError(f"there is no published warehouse at {path} yet: run `make run` first "
                         "(or point FUNDWATCH_WAREHOUSE at an existing .duckdb file)")
    if path.is_dir():
        raise QueryError(f"FUNDWATCH_WAREHOUSE={path} is a folder: point it at a .duckdb file")
    return path


def connect_read_only(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    path = published_or_fail(path)
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as exc:
        message = str(exc)
        if "lock" in message.lower():
            holder = message.split("Conflicting lock is held in", 1)[-1].strip().split("\n")[0] \
                if "Conflicting lock" in message else "another process"
            raise QueryError(f"{path} is locked by a process that opened it for writing ({holder}); "
                             "close that session (fundwatch runs never write this file) and try again") from None
        raise QueryError(f"{path} cannot be opened as a DuckDB database ({message.splitlines()[0]}); "
                         "run `make run` to rebuild it") from None


def fetch(sql: str, path: Path | None = None) -> tuple[list[str], list[tuple]]:
    """Column names and rows of the last statement of `sql`, on the published warehouse."""
    con = connect_read_only(path)
    try:
        try:
            cursor = con.execute(sql)
        except duckdb.Error as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            hint = " (the warehouse is read-only: queries cannot change it)" if "read-only" in first.lower() else ""
            raise QueryError(f"the query failed: {first}{hint}") from None
        if cursor.description is None:
            return [], []
        columns = [d[0] for d in cursor.description]
        return columns, cursor.fetchmany(MAX_ROWS + 1)
    finally:
        con.close()


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (float, decimal.Decimal)):
        number = float(value)
        if number != number:  # NaN
            return "NaN"
        if number.is_integer() and abs(number) < 1e15:
            return f"{number:,.0f}"
        return f"{number:,.2f}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    text = " ".join(str(value).split())
    return text if len(text) <= MAX_CELL else text[: MAX_CELL - 1] + "…"


def _is_numeric(rows: list[tuple], index: int) -> bool:
    values = [r[index] for r in rows if r[index] is not None]
    return bool(values) and all(isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) for v in values)


def format_table(columns: list[str], rows: list[tuple], markdown: bool = False) -> str:
    """An aligned plain-text table (or a markdown one), numbers right-aligned, with a row count."""
    if not columns:
        return "(no result set)"
    shown = rows[:MAX_ROWS]
    cells = [[format_value(v) for v in row] for row in shown]
    numeric = [_is_numeric(shown, i) for i in range(len(columns))]
    widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        padded = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)]
        return ("| " + " | ".join(padded) + " |") if markdown else "  ".join(padded).rstrip()

    if markdown:
        rule = "|" + "|".join(("-" * (w + 1) + ":") if num else ("-" * (w + 2)) for w, num in zip(widths, numeric)) + "|"
    else:
        rule = "  ".join("-" * w for w in widths)
    out = [line(list(columns)), rule] + [line(r) for r in cells]
    if not markdown:
        more = f"first {MAX_ROWS} rows shown" if len(rows) > MAX_ROWS else f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
        out.append(f"({more})")
    return "\n".join(out)


def interactive_command(path: Path) -> list[str]:
    """harlequin, read-only, on the published file (the DuckDB adapter ships with harlequin)."""
    harlequin = shutil.which("harlequin") or str(Path(sys.executable).with_name("harlequin"))
    return [harlequin, "--read-only", "--no-init", str(path)]


def interactive(path: Path | None = None) -> int:
    path = published_or_fail(path)
    connect_read_only(path).close()  # a clear sentence now rather than a crash inside the TUI
    command = interactive_command(path)
    if not sys.stdin.isatty() or not Path(command[0]).exists():
        return repl(path)
    print(f"fundwatch: opening {path} read-only in harlequin (run a query with ctrl+enter or ctrl+j, quit with ctrl+q)", flush=True)
    os.execv(command[0], command)
    return 0  # not reached


def repl(path: Path) -> int:
    """A minimal line-based session: without a terminal, or when harlequin is not installed."""
    print(f"fundwatch: {path} read-only; end each statement with ';', quit with .quit or ctrl-d", flush=True)
    buffer: list[str] = []
    while True:
        try:
            line = input("sql> " if not buffer else "...> ")
        except EOFError:
            return 0
        if not buffer and line.strip() in {".quit", ".exit", "quit", "exit"}:
            return 0
        buffer.append(line)
        if line.rstrip().endswith(";"):
            sql, buffer = "\n".join(buffer), []
            try:
                print(format_table(*fetch(sql, path)), flush=True)
            except QueryError as exc:
                print(f"fundwatch: {exc}", flush=True)


def main(argv: list[str]) -> int:
    global MAX_CELL
    args = argv[1:]
    markdown = "--markdown" in args
    if "--wide" in args or os.environ.get("WIDE", "") not in ("", "0"):
        MAX_CELL = 10_000  # whole cells: long messages and quotes
    args = [a for a in args if a not in ("--markdown", "--wide")]
    try:
        if args[:1] == ["--interactive"]:
            return interactive()
        sql = " ".join(args).strip() or os.environ.get("Q", "").strip()
        if not sql:
            raise QueryError('give a query: make query Q="select * from marts.rounds limit 5" '
                             "(or `make sql` for an interactive session)")
        print(format_table(*fetch(sql), markdown=markdown))
        return 0
    except QueryError as exc:
        print(f"fundwatch: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
