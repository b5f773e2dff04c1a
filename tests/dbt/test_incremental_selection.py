"""Incremental models after a build that stopped half-way and after partial selections.

dbt_project/macros/by_company.sql: the dirty companies are those whose digest differs from the
last complete build's (int_company_digests). A build that stops after a few models, a selection
that writes the digests without the models they stand for, and a selection of an incremental
model without int_company_changes must all leave the next whole build equal to a full rebuild.
"""
from __future__ import annotations

import shutil

import duckdb

from tests.dbt.raw_fixture import build_raw, run_dbt, seed_like_corpus
from tests.e2e.test_incremental_dbt import _differences

FACT_TABLES = ("round_mentions", "figures", "investor_mentions", "company_facts", "article_facts", "articles")


def _drop_article(path, article_id: str) -> None:
    con = duckdb.connect(str(path))
    try:
        for table in FACT_TABLES:
            con.execute(f"delete from raw.{table} where article_id = ?", [article_id])
    finally:
        con.close()


def _two_articles(path) -> tuple[str, str]:
    """An article whose companies no other article names, then the article with most mentions of the rest.

    Disjoint companies: the second removal must not make the first one's companies dirty again,
    or a lost dirty set would go unnoticed.
    """
    con = duckdb.connect(str(path), read_only=True)
    try:
        first = con.execute("""
            select m.article_id from raw.round_mentions as m
            group by m.article_id
            having not exists (select 1 from raw.round_mentions as o
                               where o.article_id <> m.article_id and o.company in (
                                   select company from raw.round_mentions where article_id = m.article_id))
            order by m.article_id limit 1""").fetchone()[0]
        second = con.execute("select article_id from raw.round_mentions where article_id <> ? "
                             "group by all order by count(*) desc, article_id limit 1", [first]).fetchone()[0]
        return first, second
    finally:
        con.close()


def test_stopped_and_partial_builds_leave_the_next_build_equal_to_a_full_rebuild(tmp_path):
    path = build_raw(tmp_path / "w.duckdb", seed_like_corpus())
    run_dbt(path, "build", "--exclude-resource-type", "unit_test", "--exclude-resource-type", "test")  # seeds, models
    first, second = _two_articles(path)

    _drop_article(path, first)
    # a build that stops after the clusters (as a crash would) ...
    # (the global models upstream too: the digests read them)
    run_dbt(path, "run", "--select", "+int_company_changes", "int_round_clusters", "int_round_mentions_resolved")
    # ... and a selection that writes the digests without the models they stand for
    run_dbt(path, "run", "--select", "+int_company_changes", "int_company_digests")

    _drop_article(path, second)
    # an incremental model without int_company_changes: rebuilt whole
    run_dbt(path, "run", "--select", "+int_round_mentions_converted", "int_rounds")

    run_dbt(path, "run")  # the tables are what is compared: the data tests run elsewhere
    full = tmp_path / "full.duckdb"
    shutil.copyfile(path, full)
    run_dbt(full, "run", "--full-refresh")
    assert _differences(path, full) == {}
