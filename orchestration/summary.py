"""The short summary `make run` prints: what the warehouse now holds."""
from __future__ import annotations

from pathlib import Path

import duckdb


def summarise(path: Path, seconds: float) -> str:
    if not path.exists():
        return f"fundwatch: no warehouse at {path} ({seconds:.1f} s)"
    con = duckdb.connect(str(path), read_only=True)
    try:
        def count(sql: str) -> int | str:
            try:
                return con.execute(sql).fetchone()[0]
            except duckdb.Error:
                return "?"

        severities = {}
        try:
            severities = dict(con.execute("select severity, count(*) from marts.quality_issues group by 1").fetchall())
        except duckdb.Error:
            pass
        lines = [
            f"articles read        {count('select count(*) from raw.articles')}",
            'quarantined          ' + str(count("select count(*) from raw.quarantine where action = 'skipped'")),
            f"rounds               {count('select count(*) from marts.rounds')}",
            f"investors            {count('select count(*) from marts.investors')}",
            f"companies            {count('select count(*) from marts.companies')}",
            f"cities               {count('select count(*) from marts.ecosystem_by_city')}",
            f"quality issues       {severities.get('error', 0)} error(s), {severities.get('warning', 0)} warning(s)",
            f"elapsed              {seconds:.1f} s",
        ]
        return "\n".join(lines)
    finally:
        con.close()
