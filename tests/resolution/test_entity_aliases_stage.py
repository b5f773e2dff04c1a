"""The entity_aliases stage on a DuckDB file: incremental runs leave exactly what a full resolution gives.

sync_entity_aliases is the body of the raw/entity_aliases asset (without Dagster's context):
these tests add, remove and recount mentions between runs and compare raw.entity_aliases and
raw.entity_name_counts with a resolution of every name from scratch.
"""
from __future__ import annotations

import random

import duckdb
import polars as pl
import pytest

from orchestration.assets.reference import sync_entity_aliases
from orchestration.resolution.aliases import count_names, key_names, resolve_names
from tests.resolution.test_incremental import written_names


def mentions(rows: pl.DataFrame, rng: random.Random) -> dict[str, pl.DataFrame]:
    """The three raw tables that carry names, each row an article's mention."""
    article = pl.Series([f"a{rng.randrange(300)}" for _ in range(rows.height)])
    rows = rows.with_columns(article_id=article, where=pl.Series([rng.random() for _ in range(rows.height)]))
    companies, investors = rows.filter(pl.col("kind") == "company"), rows.filter(pl.col("kind") == "investor")
    return {
        "round_mentions": companies.filter(pl.col("where") < 0.6).select("article_id", company="name"),
        "company_facts": companies.filter(pl.col("where") >= 0.6).select("article_id", company="name"),
        "investor_mentions": investors.select("article_id", investor="name"),
    }


def load(con, tables: dict[str, pl.DataFrame]) -> None:
    con.execute("create schema if not exists raw")
    for table, frame in tables.items():
        con.register("_f", frame.to_arrow())
        con.execute(f"create or replace table raw.{table} as select * from _f")
        con.unregister("_f")


def expected(con) -> tuple[pl.DataFrame, pl.DataFrame]:
    names = pl.from_arrow(con.sql(
        "select 'company' as kind, company as name from raw.round_mentions union all "
        "select 'company', company from raw.company_facts union all "
        "select 'investor', investor from raw.investor_mentions").to_arrow_table())
    return resolve_names(names), key_names(count_names(names)).sort("kind", "name")


def stored(con) -> tuple[pl.DataFrame, pl.DataFrame]:
    aliases = pl.from_arrow(con.sql("select * from raw.entity_aliases order by kind, alias_key").to_arrow_table())
    counts = pl.from_arrow(con.sql("select * from raw.entity_name_counts order by kind, name").to_arrow_table())
    return aliases, counts


@pytest.mark.parametrize("seed", range(3))
def test_runs_over_changing_mentions_stay_exact(tmp_path, seed):
    rng = random.Random(seed)
    everything = mentions(written_names(seed, 150), rng)
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    articles = sorted({a for f in everything.values() for a in f["article_id"]})
    seen: set[str] = set()
    modes = []
    for night in range(5):
        seen |= set(rng.sample(articles, len(articles) // 4))
        seen -= set(rng.sample(sorted(seen), len(seen) // 20))  # a few articles deleted
        load(con, {t: f.filter(pl.col("article_id").is_in(sorted(seen))) for t, f in everything.items()})
        modes.append(sync_entity_aliases(con)["mode"])
        _assert_exact(con)
    assert modes[0] == "full" and set(modes[1:]) <= {"incremental", "unchanged"} and "incremental" in modes
    assert sync_entity_aliases(con)["mode"] == "unchanged"


def _assert_exact(con):
    (aliases, counts), (want_aliases, want_counts) = stored(con), expected(con)
    assert aliases.equals(want_aliases) and counts.equals(want_counts)


def test_a_recount_of_known_names_changes_the_display_name(tmp_path):
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    base = {"round_mentions": pl.DataFrame({"article_id": ["1", "2", "3"],
                                            "company": ["Hugging Face", "Hugging Face", "HuggingFace"]}),
            "company_facts": pl.DataFrame({"article_id": ["1"], "company": ["Kyutai"]}),
            "investor_mentions": pl.DataFrame({"article_id": ["1"], "investor": ["Coatue"]})}
    load(con, base)
    assert sync_entity_aliases(con)["mode"] == "full"
    more = dict(base, round_mentions=pl.concat([base["round_mentions"],
                                                pl.DataFrame({"article_id": ["4", "5"],
                                                              "company": ["HuggingFace", "HuggingFace"]})]))
    load(con, more)
    done = sync_entity_aliases(con)
    assert done["mode"] == "incremental" and done["resolved_keys"] == 2  # the Hugging Face block only
    _assert_exact(con)
    assert con.execute("select distinct display_name from raw.entity_aliases where canonical_key = 'huggingface'"
                       ).fetchall() == [("HuggingFace",)]


def test_new_code_or_foreign_tables_mean_a_full_resolution(tmp_path, monkeypatch):
    from orchestration import fingerprint

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    tables = mentions(written_names(9, 60), random.Random(9))
    load(con, tables)
    sync_entity_aliases(con)
    # someone rewrote raw.entity_aliases: its row count is not the one recorded
    con.execute("delete from raw.entity_aliases where alias_key in (select alias_key from raw.entity_aliases limit 3)")
    load(con, dict(tables, investor_mentions=tables["investor_mentions"].head(-5)))
    assert sync_entity_aliases(con)["mode"] == "full"
    _assert_exact(con)
    # new resolution code: the previous aliases may follow other rules
    real = fingerprint.files_hash
    monkeypatch.setattr(fingerprint, "files_hash", lambda *a, **k: "new code " + real(*a, **k))
    load(con, tables)
    assert sync_entity_aliases(con)["mode"] == "full"
    _assert_exact(con)
