"""Incremental and idempotent parsing (issue 6 §1), on the ingest and parse assets with a fake engine.

The fake engine records which articles it was handed, so these tests prove what a run
parses: only new or changed articles; an edit replaces the old facts, a deletion drops
them, a run with nothing new changes nothing. tests/e2e/test_runs_over_time.py proves
the same on the whole pipeline with the real engine and the marts.
"""
from __future__ import annotations

import duckdb
import pytest

from orchestration import settings
from tests.ops.conftest import ingest_and_parse


def _facts(ws) -> dict[str, list[tuple]]:
    with ws.env():
        con = duckdb.connect(str(settings.build_path()), read_only=True)
    try:
        return {t: con.execute(f"select * from raw.{t} order by all").fetchall()
                for t in ("articles", "article_facts", "round_mentions", "figures", "parse_ledger", "quarantine")}
    finally:
        con.close()


def _ids(ws, table: str, where: str = "true") -> list[str]:
    with ws.env():
        con = duckdb.connect(str(settings.build_path()), read_only=True)
    try:
        return [r[0] for r in con.execute(f"select article_id from raw.{table} where {where} order by 1").fetchall()]
    finally:
        con.close()


def _companies(ws) -> set[str]:
    return {row[2] for row in _facts(ws)["round_mentions"]}


def test_a_run_parses_only_new_or_changed_articles(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("b.txt", "Beta lève 2 M€\n\nTexte.")
    ws.write("empty.txt", "")
    ingest_and_parse(ws)
    assert fake_parsing.last == ["a.txt", "b.txt"]
    first = _facts(ws)
    assert _companies(ws) == {"Alpha lève 1 M€", "Beta lève 2 M€"}

    ingest_and_parse(ws)  # nothing new: nothing parsed, every row the same
    assert fake_parsing.last == []
    assert _facts(ws) == first

    ws.write("c.txt", "Gamma lève 3 M€\n\nTexte.")  # a new file: only it is parsed
    ingest_and_parse(ws)
    assert fake_parsing.last == ["c.txt"]
    assert _companies(ws) == {"Alpha lève 1 M€", "Beta lève 2 M€", "Gamma lève 3 M€"}


def test_an_edited_file_replaces_its_previous_facts(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("b.txt", "Beta lève 2 M€\n\nTexte.")
    ingest_and_parse(ws)
    old_id = _ids(ws, "articles", "path = 'a.txt'")[0]
    ws.write("a.txt", "Alpha lève finalement 1,5 M€\n\nTexte corrigé.")
    ingest_and_parse(ws)
    assert fake_parsing.last == ["a.txt"]
    facts = _facts(ws)
    assert _companies(ws) == {"Alpha lève finalement 1,5 M€", "Beta lève 2 M€"}
    for table in ("article_facts", "round_mentions", "figures", "parse_ledger"):
        assert old_id not in _ids(ws, table), table
        assert len(_ids(ws, table)) == 2
    assert len(facts["article_facts"]) == 2


def test_a_deleted_file_takes_its_facts_with_it(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("sub/b.txt", "Beta lève 2 M€\n\nTexte.")
    ingest_and_parse(ws)
    (ws.raw / "sub" / "b.txt").unlink()
    ingest_and_parse(ws)
    assert fake_parsing.last == []
    facts = _facts(ws)
    assert _companies(ws) == {"Alpha lève 1 M€"}
    assert len(facts["articles"]) == len(facts["article_facts"]) == len(facts["parse_ledger"]) == 1
    (ws.raw / "a.txt").unlink()  # an empty folder empties the tables, it does not fail
    ingest_and_parse(ws)
    assert _facts(ws)["round_mentions"] == [] and _facts(ws)["articles"] == []


def test_renames_and_duplicates_are_not_parsed_again(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ingest_and_parse(ws)
    (ws.raw / "a.txt").rename(ws.raw / "renamed a.txt")
    ws.write("copy of a.txt", "Alpha lève 1 M€\n\nTexte.")
    ingest_and_parse(ws)
    assert fake_parsing.last == []
    facts = _facts(ws)
    assert [row[1] for row in facts["articles"]] == ["copy of a.txt"]
    assert [(row[0], row[1]) for row in facts["quarantine"]] == [("renamed a.txt", "duplicate")]


def test_new_metadata_reparses_the_article(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("b.txt", "Beta lève 2 M€\n\nTexte.")
    ingest_and_parse(ws)
    ws.write("manifest.csv", "path,published,source,url\na.txt,2024-03-01,Les Echos,\n")
    ingest_and_parse(ws)
    assert fake_parsing.last == ["a.txt"]
    assert ("Alpha lève 1 M€", "Les Echos") in {(r[2], r[3]) for r in _facts(ws)["round_mentions"]}


def test_a_new_parser_version_reparses_everything(workspace, fake_parsing, monkeypatch):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("b.txt", "Beta lève 2 M€\n\nTexte.")
    ingest_and_parse(ws)
    monkeypatch.setattr("orchestration.assets.parse.parser_version", lambda: "another-version")
    ingest_and_parse(ws)
    assert fake_parsing.last == ["a.txt", "b.txt"]
    assert len(_facts(ws)["round_mentions"]) == 2


def test_the_parse_step_commits_all_or_nothing(workspace, fake_parsing, monkeypatch):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ingest_and_parse(ws)
    before = _facts(ws)
    ws.write("a.txt", "Alpha lève 9 M€\n\nTexte.")
    ws.write("b.txt", "Beta lève 2 M€\n\nTexte.")
    import orchestration.assets.parse as parse

    real = parse.replace_table

    def failing(con, schema, table, frame):
        if table == "parse_ledger":  # after every delete and insert of the step
            raise RuntimeError("disk full (simulated)")
        return real(con, schema, table, frame)

    monkeypatch.setattr(parse, "replace_table", failing)
    result = ingest_and_parse(ws, raise_on_error=False)
    assert not result.success
    after = _facts(ws)
    for table in ("article_facts", "round_mentions", "figures", "parse_ledger"):
        assert after[table] == before[table], table  # the deletes were rolled back with the inserts
    monkeypatch.setattr(parse, "replace_table", real)
    ingest_and_parse(ws)  # the next run recovers by itself
    assert fake_parsing.last == ["a.txt", "b.txt"]
    assert _companies(ws) == {"Alpha lève 9 M€", "Beta lève 2 M€"}


def test_unchanged_files_are_not_read_again_between_runs(workspace, fake_parsing):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ws.write("b.md", "---\npublished: 2024-13-45\n---\nBeta lève 2 M€\n\nTexte.")
    first = ingest_and_parse(ws)
    second = ingest_and_parse(ws)

    def meta(result):
        event = [e for e in result.get_asset_materialization_events()
                 if e.asset_key.path == ["raw", "articles"]][0]
        data = event.materialization.metadata
        return data["files_read"].value, data["files_unchanged"].value

    assert meta(first) == (2, 0) and meta(second) == (0, 2)
    assert ("b.md", "invalid_date") in {(r[0], r[1]) for r in _facts(ws)["quarantine"]}


@pytest.mark.parametrize("tables", [("article_facts",)])
def test_facts_are_keyed_by_content_hash(workspace, fake_parsing, tables):
    ws = workspace
    ws.write("a.txt", "Alpha lève 1 M€\n\nTexte.")
    ingest_and_parse(ws)
    import hashlib

    expected = hashlib.sha256((ws.raw / "a.txt").read_bytes()).hexdigest()[:16]
    assert [r[0] for r in _facts(ws)["article_facts"]] == [expected]


def test_parse_keys_come_from_the_ingest_index_and_else_from_the_text():
    """The key of an ingested article follows its file (bytes hash, meta_key); one without an index row, its text."""
    import duckdb

    from orchestration.assets.parse import _parse_keys

    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.articles as select * from (values "
                "('a1', 'a.txt', 'T', 'text one', 'fr', date '2024-01-02', 'S', 'u'), "
                "('b2', 'b.txt', null, 'text two', 'en', null, null, null)) "
                "as t(article_id, path, title, text, lang, published_on, source, url)")

    def keys(version="v1"):
        return dict(_parse_keys(con, version).iter_rows())

    by_text = keys()
    con.execute("create table raw.ingest_files as select 'a.txt' as path, 's' as stat_key, 'm1' as meta_key, "
                "'a1' as article_id, '[]' as warnings")
    first = keys()
    assert set(first) == {"a1", "b2"} and first["b2"] == by_text["b2"] and first["a1"] != by_text["a1"]
    con.execute("update raw.articles set text = 'text two, edited in place'")  # only b2's key follows its text
    second = keys()
    assert second["a1"] == first["a1"] and second["b2"] != first["b2"]
    con.execute("update raw.ingest_files set meta_key = 'm2'")  # a new manifest row or ingest code
    assert keys()["a1"] != first["a1"]
    con.execute("update raw.articles set title = 'Another title' where article_id = 'a1'")
    assert keys()["a1"] != first["a1"] and keys("v2")["a1"] != keys("v1")["a1"]


def test_the_articles_fingerprint_reads_no_text_when_the_ingest_index_covers_them():
    import duckdb

    from orchestration.fingerprint import table_fingerprints

    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.articles as select * from (values ('a1', 'a.txt', 'T', 'text one', 'fr')) "
                "as t(article_id, path, title, text, lang)")

    def articles():
        return table_fingerprints(con, "raw", {"ingest_files"})["articles"]

    by_text = articles()
    con.execute("update raw.articles set text = 'text one, edited in place'")
    assert articles() != by_text  # no ingest index: the whole rows, text included
    con.execute("create table raw.ingest_files as select 'a.txt' as path, 's' as stat_key, 'm1' as meta_key, "
                "'a1' as article_id, '[]' as warnings")
    first = articles()
    assert first[1].startswith("by-file:") and first[0] == 1
    con.execute("update raw.ingest_files set meta_key = 'm2'")
    second = articles()
    assert second != first
    con.execute("update raw.articles set title = 'Other'")
    assert articles() != second
    con.execute("insert into raw.articles values ('b2', 'b.txt', null, 'two', 'en')")  # not in the index
    assert not articles()[1].startswith("by-file:")
