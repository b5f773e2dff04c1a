"""Write, audit, publish: the published warehouse is replaced whole, only after the audit passed.

Users hold read-only DuckDB connections to the published file; DuckDB would lock a
writer out (and a writer would lock them out), so a run never opens that file. It
builds a separate file, audits it here, copies it beside the published one and
renames it over it: a reader sees the old file or the new one, never half of one.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

TEXT, NUM, INT, DATE, BOOL = "text", "number", "integer", "date", "boolean"
_TYPES = {
    TEXT: {"VARCHAR"}, NUM: {"DOUBLE", "FLOAT", "DECIMAL", "HUGEINT", "BIGINT", "INTEGER"},
    INT: {"INTEGER", "BIGINT", "HUGEINT", "SMALLINT"}, DATE: {"DATE"}, BOOL: {"BOOLEAN"},
}
#: The tables and columns of schema `marts` that users and outside tools rely on (CONTRACT.md).
CONTRACT: dict[str, dict[str, str | None]] = {
    "rounds": {
        "round_id": TEXT, "company": TEXT, "round_type": TEXT, "announced_on": DATE, "announced_precision": TEXT,
        "amount": NUM, "currency": TEXT, "amount_qualifier": TEXT, "amount_eur": NUM, "amount_usd": NUM,
        "fx_rate_date": DATE, "valuation": NUM, "valuation_currency": TEXT, "valuation_eur": NUM,
        "valuation_usd": NUM, "lead_investor": TEXT, "investor_count": INT, "city": TEXT, "country": TEXT,
        "source_count": INT,
    },
    "round_investors": {"round_id": TEXT, "investor": TEXT, "is_lead": BOOL},
    "round_sources": {
        "round_id": TEXT, "article_id": TEXT, "quote": TEXT, "reported_amount": NUM, "reported_currency": TEXT,
        "reported_valuation": NUM, "reported_valuation_currency": TEXT,
    },
    "investors": {
        "investor": TEXT, "investor_type": TEXT, "rounds_count": INT, "lead_count": INT, "companies_count": INT,
        "total_rounds_eur": NUM, "first_round_on": DATE, "last_round_on": DATE,
    },
    "companies": {"company": TEXT, "city": TEXT, "country": TEXT, "rounds_count": INT, "total_raised_eur": NUM,
                  "latest_valuation_eur": NUM},
    "ecosystem_by_city": {
        "city": TEXT, "country": TEXT, "companies_count": INT, "rounds_count": INT, "total_raised_eur": NUM,
        "total_raised_usd": NUM, "median_round_eur": NUM, "largest_round_company": TEXT, "largest_round_eur": NUM,
        "investors_count": INT, "last_round_on": DATE,
    },
    "quality_issues": {"issue_id": TEXT, "check_name": TEXT, "severity": TEXT, "round_id": TEXT,
                       "article_id": TEXT, "message": TEXT, "observed": None, "expected": None},
}
UNIQUE_KEYS = {"rounds": "round_id", "investors": "investor", "companies": "company", "quality_issues": "issue_id"}


def audit(path: Path) -> list[str]:
    """Every way the built warehouse breaks the contract (empty list: publishable)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found: dict[str, dict[str, str]] = {}
        for table, column, dtype in con.execute(
            "select table_name, column_name, data_type from information_schema.columns where table_schema = 'marts'"
        ).fetchall():
            found.setdefault(table, {})[column] = dtype.split("(")[0].upper()
        problems = []
        for table, columns in CONTRACT.items():
            if table not in found:
                problems.append(f"missing table marts.{table}")
                continue
            for column, kind in columns.items():
                actual = found[table].get(column)
                if actual is None:
                    problems.append(f"missing column marts.{table}.{column}")
                elif kind and actual not in _TYPES[kind]:
                    problems.append(f"marts.{table}.{column} is {actual}, the contract wants {kind}")
        for table, key in UNIQUE_KEYS.items():
            if key in found.get(table, {}):
                bad = con.execute(f'select count(*) - count(distinct "{key}") + count(*) filter (where "{key}" is null) '
                                  f'from marts."{table}"').fetchone()[0]
                if bad:
                    problems.append(f"marts.{table}.{key} is not a unique non-null key ({bad} offending rows)")
        if {"amount", "amount_eur", "fx_rate_date"} <= set(found.get("rounds", {})):
            unconverted = con.execute("select count(*) from marts.rounds where amount is not null "
                                      "and fx_rate_date is not null and amount_eur is null").fetchone()[0]
            if unconverted:
                problems.append(f"{unconverted} dated round(s) in marts.rounds have no amount_eur")
        return problems
    finally:
        con.close()


def publish(build: Path, published: Path) -> None:
    """Copy the audited build beside the published file, flush it, and rename it over atomically."""
    con = duckdb.connect(str(build))
    try:
        con.execute("checkpoint")  # fold the WAL into the file so the copy is complete on its own
    finally:
        con.close()
    published.parent.mkdir(parents=True, exist_ok=True)
    staging = published.with_name(published.name + ".tmp")
    shutil.copyfile(build, staging)
    with open(staging, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(staging, published)
    directory = os.open(published.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)
