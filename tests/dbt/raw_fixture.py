"""Build a DuckDB file whose schema `raw` is shaped exactly like docs/interfaces.md.

The dbt tests do not depend on the parser: they write hand-made mention tables
with the column types polars would produce (integers as BIGINT, dates as DATE),
run `dbt build` on the file and read the marts.

    path = build_raw(tmp_path / "w.duckdb", seed_like_corpus())
"""
from __future__ import annotations

import os
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
DBT_DIR = REPO / "dbt_project"
DBT = REPO / ".venv" / "bin" / "dbt"

# Exactly the DuckDB types polars frames land as (interfaces.md §1-3).
RAW_SCHEMAS: dict[str, dict[str, str]] = {
    "articles": {
        "article_id": "VARCHAR", "path": "VARCHAR", "title": "VARCHAR", "text": "VARCHAR",
        "lang": "VARCHAR", "published_on": "DATE", "source": "VARCHAR", "url": "VARCHAR",
    },
    "quarantine": {
        "path": "VARCHAR", "reason": "VARCHAR", "detail": "VARCHAR", "content_hash": "VARCHAR",
        "seen_at": "TIMESTAMP",
    },
    "article_facts": {
        "article_id": "VARCHAR", "lang": "VARCHAR", "published_on": "DATE",
        "published_precision": "VARCHAR", "published_inferred": "BOOLEAN",
    },
    "figures": {
        "figure_id": "VARCHAR", "article_id": "VARCHAR", "sentence_idx": "BIGINT", "char_start": "BIGINT",
        "char_end": "BIGINT", "raw_text": "VARCHAR", "amount": "DOUBLE", "currency": "VARCHAR",
        "currency_inferred": "BOOLEAN", "qualifier": "VARCHAR", "kind": "VARCHAR", "company": "VARCHAR",
        "quote": "VARCHAR",
    },
    "round_mentions": {
        "mention_id": "VARCHAR", "article_id": "VARCHAR", "company": "VARCHAR", "amount": "DOUBLE",
        "currency": "VARCHAR", "currency_inferred": "BOOLEAN", "amount_qualifier": "VARCHAR",
        "amount_text": "VARCHAR", "valuation": "DOUBLE", "valuation_currency": "VARCHAR",
        "valuation_text": "VARCHAR", "valuation_basis": "VARCHAR", "round_type": "VARCHAR",
        "announced_on": "DATE", "announced_precision": "VARCHAR", "is_recalled": "BOOLEAN",
        "quote": "VARCHAR", "char_start": "BIGINT", "char_end": "BIGINT",
    },
    "investor_mentions": {
        "mention_id": "VARCHAR", "article_id": "VARCHAR", "investor": "VARCHAR", "is_lead": "BOOLEAN",
        "is_existing": "BOOLEAN", "quote": "VARCHAR", "char_start": "BIGINT", "char_end": "BIGINT",
    },
    "company_facts": {
        "article_id": "VARCHAR", "company": "VARCHAR", "city": "VARCHAR", "country": "VARCHAR",
        "quote": "VARCHAR", "char_start": "BIGINT", "char_end": "BIGINT", "basis": "VARCHAR",
    },
    "fx_rates": {"rate_date": "DATE", "currency": "VARCHAR", "per_eur": "DOUBLE"},
    "entity_aliases": {
        "kind": "VARCHAR", "alias_key": "VARCHAR", "canonical_key": "VARCHAR", "display_name": "VARCHAR",
    },
}


def build_raw(path: Path, tables: dict[str, list[dict[str, Any]]], *, fx: str = "ecb",
              resolve_aliases: bool = True) -> Path:
    """Create `path` with every raw table; rows not given are left empty.

    fx="ecb" loads the real ECB history (orchestration.reference.fx_rates); fx="given"
    uses tables["fx_rates"]. resolve_aliases runs orchestration.resolution.aliases on
    the names of the fixture, as the Dagster asset does, unless entity_aliases is given.
    """
    import duckdb

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema raw")
        for table, columns in RAW_SCHEMAS.items():
            ddl = ", ".join(f'"{c}" {t}' for c, t in columns.items())
            con.execute(f"create table raw.{table} ({ddl})")
            rows = tables.get(table) or []
            if rows:
                names = list(columns)
                placeholders = ", ".join("?" for _ in names)
                con.executemany(
                    f"insert into raw.{table} values ({placeholders})",
                    [[row.get(c) for c in names] for row in rows],
                )
        if fx == "ecb" and not tables.get("fx_rates"):
            from orchestration.reference.fx_rates import ecb_rates

            rates = ecb_rates()  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute("insert into raw.fx_rates select rate_date, currency, per_eur from rates")
        if resolve_aliases and not tables.get("entity_aliases"):
            import polars as pl

            from orchestration.resolution.aliases import resolve_names

            names = con.sql(
                "select 'company' as kind, company as name from raw.round_mentions "
                "union all select 'company', company from raw.company_facts "
                "union all select 'investor', investor from raw.investor_mentions"
            ).pl().filter(pl.col("name").is_not_null())
            aliases = resolve_names(names)  # noqa: F841
            con.execute("insert into raw.entity_aliases select kind, alias_key, canonical_key, display_name from aliases")
    finally:
        con.close()
    return path


def copy_project(target: Path) -> Path:
    """A private copy of the dbt project (a test may edit its seeds without touching the repository)."""
    import shutil

    shutil.copytree(DBT_DIR, target, ignore=shutil.ignore_patterns("target", "logs", ".user.yml"))
    return target


def run_dbt(database: Path, *args: str, check: bool = True, project_dir: Path | None = None) -> subprocess.CompletedProcess:
    """`dbt <args>` on the project against `database` (FUNDWATCH_DBT_DATABASE).

    target/ and logs/ go beside the database, so tests never touch the manifest
    that Dagster reads from dbt_project/target.
    """
    database = Path(database)
    work = database.parent / f"{database.stem}_dbt"
    env = dict(os.environ, FUNDWATCH_DBT_DATABASE=str(database), DBT_SEND_ANONYMOUS_USAGE_STATS="false",
               DO_NOT_TRACK="1", DBT_TARGET_PATH=str(work / "target"), DBT_LOG_PATH=str(work / "logs"))
    project = Path(project_dir or DBT_DIR)
    cmd = [str(DBT), *args, "--project-dir", str(project), "--profiles-dir", str(project)]
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}")
    return proc


def query(database: Path, sql: str) -> list[dict[str, Any]]:
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        cur = con.execute(sql)
        cols = [c[0] for c in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]
    finally:
        con.close()


# ---------------------------------------------------------------------------
# A corpus shaped like what a careful parser extracts from the five seed articles.
# ---------------------------------------------------------------------------

A0, A1, A2, A3, A4 = "4f8d6aa0e86a1f9e", "500ad906ec07938a", "61c48979a66eefa6", "8cbbc44e7c995574", "7e54cef5e6387b87"


def article(article_id: str, published_on: date | None, title: str = "", lang: str = "fr",
            precision: str | None = "day", inferred: bool = False) -> tuple[dict, dict]:
    return (
        {"article_id": article_id, "path": f"{article_id}.txt", "title": title, "text": title,
         "lang": lang, "published_on": published_on, "source": None, "url": None},
        {"article_id": article_id, "lang": lang, "published_on": published_on,
         "published_precision": precision if published_on else None, "published_inferred": inferred},
    )


def mention(article_id: str, char_start: int, company: str, amount: float, currency: str, *,
            currency_inferred: bool = False, qualifier: str = "exact", amount_text: str | None = None,
            valuation: float | None = None, valuation_currency: str | None = None,
            round_type: str | None = None, announced_on: date | None = None,
            announced_precision: str | None = None, is_recalled: bool = False,
            quote: str | None = None) -> dict:
    return {
        "mention_id": f"{article_id}:{char_start}", "article_id": article_id, "company": company,
        "amount": float(amount), "currency": currency, "currency_inferred": currency_inferred,
        "amount_qualifier": qualifier, "amount_text": amount_text or f"{amount:,.0f} {currency}",
        "valuation": None if valuation is None else float(valuation),
        "valuation_currency": valuation_currency if valuation is not None else None,
        "valuation_text": None if valuation is None else f"{valuation:,.0f}", "valuation_basis": None,
        "round_type": round_type, "announced_on": announced_on,
        "announced_precision": announced_precision if announced_on else None,
        "is_recalled": is_recalled, "quote": quote or f"{company} {amount:,.0f} {currency}",
        "char_start": char_start, "char_end": char_start + 20,
    }


def investors(mention_row: dict, names: list[str], lead: str | None = None) -> list[dict]:
    return [
        {"mention_id": mention_row["mention_id"], "article_id": mention_row["article_id"], "investor": n,
         "is_lead": n == lead, "is_existing": None, "quote": mention_row["quote"],
         "char_start": mention_row["char_start"], "char_end": mention_row["char_end"]}
        for n in names
    ]


def company_fact(article_id: str, company: str, city: str | None, country: str | None) -> dict:
    return {"article_id": article_id, "company": company, "city": city, "country": country,
            "quote": f"{company} {city} {country}", "char_start": 0, "char_end": 10}


def seed_like_corpus() -> dict[str, list[dict]]:
    d = date
    arts = [
        article(A0, d(2023, 8, 24), "IA : la start-up Hugging Face est valorisée 4,5 milliards de dollars"),
        article(A1, d(2023, 8, 24), "Nvidia, Google, Amazon ..."),
        article(A2, d(2022, 5, 9), "Hugging Face levait 40 millions"),
        article(A3, d(2024, 5, 21), "L'américain Scale AI lève un milliard de dollars"),
        article(A4, d(2023, 11, 17), "A Paris, la scène de l'IA est en effervescence", precision=None, inferred=True),
    ]
    hf_d0 = mention(A0, 300, "Hugging Face", 235e6, "USD", amount_text="235 millions de dollars",
                    valuation=4.5e9, valuation_currency="USD", round_type="series_d",
                    announced_on=d(2023, 8, 24), announced_precision="day")
    hf_c0 = mention(A0, 1400, "Hugging Face", 100e6, "USD", amount_text="100 millions de dollars",
                    valuation=2e9, valuation_currency="USD", announced_on=d(2022, 5, 1),
                    announced_precision="month", is_recalled=True)
    hf_s0 = mention(A0, 1500, "Hugging Face", 40e6, "USD", currency_inferred=True, amount_text="40 millions",
                    announced_on=d(2021, 1, 1), announced_precision="year", is_recalled=True)
    hf_d1 = mention(A1, 420, "Hugging Face", 235e6, "USD", amount_text="235 millions de dollars",
                    valuation=4.5e9, valuation_currency="USD", announced_on=d(2023, 8, 24),
                    announced_precision="day")
    hf_c1 = mention(A1, 900, "Hugging Face", 100e6, "USD", amount_text="100 millions de dollars",
                    announced_on=d(2022, 5, 1), announced_precision="month", is_recalled=True)
    mi_usd = mention(A1, 3400, "Mistral AI", 105e6, "USD", amount_text="105 millions de dollars",
                     is_recalled=True)
    mi_eur = mention(A1, 3600, "Mistral AI", 105e6, "EUR", amount_text="105 millions d'euros")
    hf_c2 = mention(A2, 250, "Hugging Face", 100e6, "USD", amount_text="100 millions de dollars",
                    valuation=2e9, valuation_currency="USD", round_type="series_c",
                    announced_on=d(2022, 5, 9), announced_precision="day")
    hf_s2 = mention(A2, 40, "Hugging Face", 40e6, "USD", amount_text="40 millions de dollars",
                    announced_on=d(2021, 1, 1), announced_precision="year", is_recalled=True)
    sc_1b = mention(A3, 200, "Scale AI", 1e9, "USD", amount_text="un milliard de dollars",
                    valuation=13.8e9, valuation_currency="USD", announced_on=d(2024, 5, 21),
                    announced_precision="day")
    sc_325 = mention(A3, 400, "Scale AI", 325e6, "USD", amount_text="325 millions de dollars",
                     valuation=7.3e9, valuation_currency="USD", announced_on=d(2021, 1, 1),
                     announced_precision="year", is_recalled=True)
    pool = mention(A4, 2900, "Poolside", 100e6, "EUR", qualifier="at_least",
                   amount_text="plus de 100 millions d'euros")
    hf_d4 = mention(A4, 3100, "Hugging Face", 218e6, "EUR", amount_text="218 millions d'euros",
                    valuation=4.2e9, valuation_currency="EUR", announced_on=d(2023, 8, 1),
                    announced_precision="month", is_recalled=True)
    kyu = mention(A4, 1800, "Kyutai", 300e6, "EUR", amount_text="300 millions d'euros", round_type="grant",
                  announced_on=d(2023, 11, 17), announced_precision="day", is_recalled=True)
    mentions = [hf_d0, hf_c0, hf_s0, hf_d1, hf_c1, mi_usd, mi_eur, hf_c2, hf_s2, sc_1b, sc_325, pool, hf_d4, kyu]
    invs = (
        investors(hf_d0, ["Google", "Amazon", "Nvidia", "Intel", "AMD", "Qualcomm", "IBM", "Salesforce",
                          "Sound Ventures"])
        + investors(hf_d1, ["Salesforce Ventures", "Nvidia", "Google", "Amazon", "Intel", "AMD", "IBM",
                            "Qualcomm", "Sound Ventures"], lead="Salesforce Ventures")
        + investors(hf_c2, ["Lux Capital", "Addition", "Betaworks", "Kevin Durant", "Olivier Pomel",
                            "Florian Douetteau", "Thibault Elzière", "eFounders", "Sequoia Capital",
                            "Coatue Management"])
        + investors(sc_1b, ["Accel", "Y Combinator", "Nat Friedman", "Index Ventures", "Founders Fund", "Coatue",
                            "Thrive Capital", "Spark Capital", "Tiger Global", "Greenoaks",
                            "Wellington Management", "Nvidia", "Cisco Investments", "DFJ Growth",
                            "Intel Capital", "ServiceNow Ventures", "AMD Ventures", "WCM", "Amazon",
                            "Elad Gil", "Meta"], lead="Accel")
        + investors(kyu, ["Xavier Niel", "Eric Schmidt", "Rodolphe Saadé"])
    )
    facts = [
        company_fact(A0, "Hugging Face", None, "US"),
        company_fact(A1, "Hugging Face", "Paris", "FR"),
        company_fact(A1, "Hugging Face", "New York", "US"),
        company_fact(A3, "Scale AI", "San Francisco", "US"),
        company_fact(A4, "Kyutai", "Paris", "FR"),
        company_fact(A4, "Poolside", "Paris", "FR"),
        company_fact(A4, "Mistral AI", "Paris", "FR"),
        company_fact(A1, "Mistral AI", None, "FR"),
    ]
    return {
        "articles": [a for a, _ in arts],
        "article_facts": [f for _, f in arts],
        "round_mentions": mentions,
        "investor_mentions": invs,
        "company_facts": facts,
        "figures": [
            {"figure_id": m["mention_id"], "article_id": m["article_id"], "sentence_idx": 1,
             "char_start": m["char_start"], "char_end": m["char_end"], "raw_text": m["amount_text"],
             "amount": m["amount"], "currency": m["currency"], "currency_inferred": m["currency_inferred"],
             "qualifier": m["amount_qualifier"], "kind": "round", "company": m["company"], "quote": m["quote"]}
            for m in mentions
        ],
    }
