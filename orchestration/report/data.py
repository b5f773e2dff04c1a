"""What the ecosystem report shows, read from a warehouse (read-only) into small polars frames."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import polars as pl

TOP = 15


@dataclass
class ReportData:
    warehouse: Path
    totals: dict[str, object]
    by_city: pl.DataFrame
    over_time: pl.DataFrame
    undated_rounds: int
    investors: pl.DataFrame
    largest: pl.DataFrame
    sources: pl.DataFrame
    issues: pl.DataFrame
    issues_by_check: pl.DataFrame
    missing: list[str] = field(default_factory=list)


def _columns(con: duckdb.DuckDBPyConnection, schema: str, table: str) -> set[str]:
    return {r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
        [schema, table]).fetchall()}


def _frame(con, sql: str, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    try:
        frame = con.sql(sql).pl()
    except duckdb.Error:
        return pl.DataFrame(schema=schema)
    return frame if frame.width else pl.DataFrame(schema=schema)


def stage_of(round_type: str | None) -> str:
    """Round types folded into a few stages, for colour."""
    if round_type in ("pre_seed", "seed"):
        return "seed"
    if round_type in ("series_a", "series_b"):
        return "series A–B"
    if round_type and round_type.startswith("series_"):
        return "series C+"
    if round_type in ("growth", "ipo"):
        return "growth / IPO"
    if round_type in ("debt", "bridge", "grant"):
        return "debt, bridge, grant"
    return "not stated"


def load(warehouse: Path) -> ReportData:
    """Everything the report needs, from the marts (and raw.articles for the sources' links)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        missing = [t for t in ("rounds", "round_investors", "round_sources", "investors", "companies",
                               "ecosystem_by_city", "quality_issues") if not _columns(con, "marts", t)]
        article_cols = _columns(con, "raw", "articles")

        def scalar(sql: str, default=None):
            try:
                return con.execute(sql).fetchall()[0][0]  # fetch to the end: DuckDB 2 refuses unfinished results
            except duckdb.Error:
                return default

        totals = {
            "rounds": scalar("select count(*) from marts.rounds", 0),
            "raised_eur": scalar("select coalesce(sum(amount_eur), 0) from marts.rounds", 0.0),
            "companies": scalar("select count(*) from marts.companies", 0),
            "investors": scalar("select count(*) from marts.investors", 0),
            "cities": scalar("select count(*) from marts.ecosystem_by_city where city is not null", 0),
            "articles": scalar("select count(*) from raw.articles", None),
            "first_round": scalar("select min(announced_on) from marts.rounds"),
            "last_round": scalar("select max(announced_on) from marts.rounds"),
            "open_issues": scalar("select count(*) from marts.quality_issues", 0),
        }
        by_city = _frame(con, f"""
            select coalesce(city, '(unknown)') as city, country, companies_count, rounds_count,
                   coalesce(total_raised_eur, 0) as total_raised_eur, largest_round_company, largest_round_eur
            from marts.ecosystem_by_city
            order by total_raised_eur desc nulls last, rounds_count desc, city
            limit {TOP}""",
            {"city": pl.Utf8, "country": pl.Utf8, "companies_count": pl.Int64, "rounds_count": pl.Int64,
             "total_raised_eur": pl.Float64, "largest_round_company": pl.Utf8, "largest_round_eur": pl.Float64})
        # quarters: a round known only to the year would sit misleadingly in January
        over_time = _frame(con, """
            select date_trunc('quarter', announced_on)::date as quarter, round_type,
                   count(*) as rounds, coalesce(sum(amount_eur), 0) as raised_eur
            from marts.rounds
            where announced_on is not null and coalesce(announced_precision, 'day') <> 'year'
            group by all order by quarter""",
            {"quarter": pl.Date, "round_type": pl.Utf8, "rounds": pl.Int64, "raised_eur": pl.Float64})
        over_time = over_time.with_columns(
            pl.col("round_type").map_elements(stage_of, return_dtype=pl.Utf8, skip_nulls=False).alias("stage"))
        undated = scalar("select count(*) from marts.rounds where announced_on is null "
                         "or announced_precision = 'year'", 0)
        investors = _frame(con, f"""
            select investor, coalesce(investor_type, 'unknown') as investor_type, rounds_count, lead_count,
                   rounds_count - lead_count as follow_count, companies_count, total_rounds_eur
            from marts.investors
            order by rounds_count desc, lead_count desc, total_rounds_eur desc nulls last, investor
            limit {TOP}""",
            {"investor": pl.Utf8, "investor_type": pl.Utf8, "rounds_count": pl.Int64, "lead_count": pl.Int64,
             "follow_count": pl.Int64, "companies_count": pl.Int64, "total_rounds_eur": pl.Float64})
        largest = _frame(con, """
            select round_id, company, round_type, announced_on, amount, currency, amount_eur, lead_investor,
                   city, country, source_count
            from marts.rounds where amount_eur is not null
            order by amount_eur desc, company limit 20""",
            {"round_id": pl.Utf8, "company": pl.Utf8, "round_type": pl.Utf8, "announced_on": pl.Date,
             "amount": pl.Float64, "currency": pl.Utf8, "amount_eur": pl.Float64, "lead_investor": pl.Utf8,
             "city": pl.Utf8, "country": pl.Utf8, "source_count": pl.Int64})
        pick = lambda c: f"a.{c}" if c in article_cols else f"null::varchar as {c}"  # noqa: E731
        sources = pl.DataFrame(schema={"round_id": pl.Utf8, "article_id": pl.Utf8, "quote": pl.Utf8,
                                       "title": pl.Utf8, "url": pl.Utf8, "path": pl.Utf8})
        if largest.height:
            ids = ", ".join("'" + r.replace("'", "''") + "'" for r in largest["round_id"].to_list())
            join = "left join raw.articles a using (article_id)" if article_cols else \
                "left join (select null::varchar as article_id) a using (article_id)"
            sources = _frame(con, f"""
                select s.round_id, s.article_id, s.quote, {pick('title')}, {pick('url')}, {pick('path')}
                from marts.round_sources s {join}
                where s.round_id in ({ids}) order by s.round_id, s.article_id""", sources.schema)
        issues = _frame(con, """
            select issue_id, check_name, severity, round_id, article_id, message,
                   cast(observed as varchar) as observed, cast(expected as varchar) as expected
            from marts.quality_issues
            order by case severity when 'error' then 0 else 1 end, check_name, issue_id limit 500""",
            {"issue_id": pl.Utf8, "check_name": pl.Utf8, "severity": pl.Utf8, "round_id": pl.Utf8,
             "article_id": pl.Utf8, "message": pl.Utf8, "observed": pl.Utf8, "expected": pl.Utf8})
        issues_by_check = _frame(con, """
            select check_name, severity, count(*) as issues from marts.quality_issues
            group by all order by issues desc, check_name""",
            {"check_name": pl.Utf8, "severity": pl.Utf8, "issues": pl.Int64})
    finally:
        con.close()
    return ReportData(warehouse, totals, by_city, over_time, undated or 0, investors, largest, sources,
                      issues, issues_by_check, missing)
