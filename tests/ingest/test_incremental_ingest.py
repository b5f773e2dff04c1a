"""An incremental read gives the tables a full read gives (issue 7).

The ingest asset reads only new and changed files and keeps the previous rows of the others
without loading their text. Whatever changed in between (files added, removed, edited, renamed,
touched, a manifest row changed, a file that becomes a duplicate of another or stops being
one), raw.articles, raw.ingest_files and raw.quarantine after a read of folder A followed by a
read of folder B must be the tables a read of B alone gives (first-seen dates aside).
"""
from __future__ import annotations

import os
import shutil

import duckdb
import polars as pl
import pytest

GOOD = "Acme lève 3 M€ auprès de Partech.\n\nLa start-up parisienne Acme annonce une levée de 3 millions d'euros."
PAGE = ("<html><head><title>{t}</title></head><body><article><h1>{t}</h1><p>La start-up {t} lève 2 millions "
        "d'euros auprès de business angels pour accélérer son développement commercial en Europe.</p>"
        "</article></body></html>")


def _write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _article(n: int) -> str:
    return f"Société {n} lève {n} M€\n\nLa start-up numéro {n} annonce une levée de {n} millions d'euros."


def _before(raw):
    """Folder A: articles of every kind, bad files, a duplicate pair, metadata from front matter and manifest."""
    for n in range(12):
        _write(raw, f"2024/{n:02d}.txt", _article(n))
    _write(raw, "2024/fm.md", "---\ntitle: \"Beta lève 5 M€\"\npublished: 2024-02-03\nlang: fr\nsource: Wire\n---\n\n"
                              "Beta lève 5 M€ auprès de Serena.")
    _write(raw, "2024/bad-date.md", "---\npublished: 2024-13-45\n---\nDelta lève 5 M€.")
    _write(raw, "2024/page.html", PAGE.format(t="Gamma"))
    _write(raw, "2024/latin1.txt", ("Société Générale lève 2 M€. " * 20).encode("cp1252"))
    _write(raw, "2024/empty.txt", b"")
    _write(raw, "2024/binary.txt", b"\x00\x01\x02\x03" * 500)
    _write(raw, "2024/notes.docx", b"PK\x03\x04")
    _write(raw, "2024/copy-a.txt", GOOD)
    _write(raw, "2024/copy-b.txt", GOOD)  # a duplicate of copy-a
    _write(raw, "2024/manifest.csv", "path,published,source,url\n00.txt,2024-01-01,Les Echos,https://x.invalid/0\n"
                                     "01.txt,2024-01-02,Maddyness,\n02.txt,not a date,Wire,\n")


def _change(raw):
    """Folder B from folder A: one change of each kind."""
    for n in range(12, 16):
        _write(raw, f"2024/{n:02d}.txt", _article(n))  # new files
    _write(raw, "2023/late.html", PAGE.format(t="Omega"))  # a new page
    (raw / "2024/03.txt").unlink()  # removed
    (raw / "2024/copy-a.txt").unlink()  # removed: its duplicate copy-b becomes the article
    _write(raw, "2024/04.txt", _article(4) + "\n\nMis à jour.")  # edited
    _write(raw, "2024/05.txt", _article(6))  # edited into a duplicate of 06.txt (05 sorts first: 06 is the duplicate)
    _write(raw, "2024/07.txt", _article(7) + " ")  # edited: empty.txt next is
    _write(raw, "2024/empty.txt", _article(99))  # a quarantined file becomes an article
    _write(raw, "2024/000.txt", _article(8))  # new, sorts before 08.txt with the same bytes: 08 becomes the duplicate
    _write(raw, "2024/zz.txt", _article(9))  # new, same bytes as 09.txt which stays the article
    os.utime(raw / "2024/10.txt", ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))  # touched only
    (raw / "2024/11.txt").rename(raw / "2024/11-renamed.txt")  # renamed
    _write(raw, "2024/manifest.csv", "path,published,source,url\n00.txt,2024-01-01,Les Echos,https://x.invalid/0\n"
                                     "01.txt,2024-01-05,Sifted,\n02.txt,2024-01-03,Wire,\n")  # 01, 02 rows changed
    _write(raw, "2024/bad-date.md", "---\npublished: 2024-12-45\n---\nDelta lève 5 M€.")  # another warning


def _materialize(raw, warehouse):
    import dagster as dg

    from orchestration.assets.ingest import raw_articles
    from tests.helpers import environment

    with environment(FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(warehouse)):
        result = dg.materialize([raw_articles])
    assert result.success
    return {k: v.value for k, v in result.asset_materializations_for_node("raw_articles")[0].metadata.items()}


def _tables(warehouse) -> dict[str, pl.DataFrame]:
    con = duckdb.connect(str(warehouse.with_name("fundwatch.build.duckdb")), read_only=True)
    try:
        out = {}
        for table in ("articles", "ingest_files", "quarantine"):
            frame = pl.from_arrow(con.sql(f"select * from raw.{table}").to_arrow_table())
            out[table] = frame.drop("seen_at") if table == "quarantine" else frame
            out[table] = out[table].sort(pl.all())
        return out
    finally:
        con.close()


def _assert_same(incremental: dict, full: dict) -> None:
    for table in full:
        assert incremental[table].columns == full[table].columns, table
        assert incremental[table].to_dicts() == full[table].to_dicts(), table


@pytest.mark.parametrize("parallel", [False, True], ids=["in-process", "worker-processes"])
def test_an_incremental_read_gives_the_tables_of_a_full_read(tmp_path, monkeypatch, parallel):
    import orchestration.ingest.articles as articles_module

    if parallel:
        monkeypatch.setattr(articles_module, "PARALLEL_MIN_FILES", 1)
        monkeypatch.setattr(articles_module, "WORKERS", 2)
    raw = tmp_path / "raw"
    _before(raw)
    first = _materialize(raw, tmp_path / "inc" / "fundwatch.duckdb")
    assert first["files_read"] == 20 and first["files_unchanged"] == 0
    _change(raw)
    second = _materialize(raw, tmp_path / "inc" / "fundwatch.duckdb")
    full = _materialize(raw, tmp_path / "full" / "fundwatch.duckdb")

    incremental, fresh = _tables(tmp_path / "inc" / "fundwatch.duckdb"), _tables(tmp_path / "full" / "fundwatch.duckdb")
    _assert_same(incremental, fresh)
    # only what changed was read: 4 + 1 + 2 new files, 5 edited (04, 05, 07, empty, bad-date), 1 touched,
    # 1 renamed, 2 manifest rows, and copy-b and zz (duplicates are not in the index: always read again)
    assert second["files_read"] == full["files_read"] - second["files_unchanged"] == 18
    assert second["files_unchanged"] == 7  # 00, 06, 08, 09, fm.md, page.html, latin1.txt (06, 08 now duplicates)
    articles = {r["path"]: r for r in fresh["articles"].to_dicts()}
    assert articles["2024/01.txt"]["source"] == "Sifted" and str(articles["2024/02.txt"]["published_on"]) == "2024-01-03"
    assert "Mis à jour" in articles["2024/04.txt"]["text"] and "2024/11-renamed.txt" in articles
    assert {"2024/03.txt", "2024/11.txt", "2024/copy-a.txt", "2024/06.txt", "2024/08.txt"}.isdisjoint(articles)
    assert {"2024/copy-b.txt", "2024/000.txt", "2024/05.txt", "2024/empty.txt", "2023/late.html"} <= set(articles)
    reasons = {(r["path"], r["reason"]) for r in fresh["quarantine"].to_dicts()}
    assert {("2024/06.txt", "duplicate"), ("2024/08.txt", "duplicate"), ("2024/zz.txt", "duplicate"),
            ("2024/bad-date.md", "invalid_date"), ("2024/binary.txt", "binary")} <= reasons
    assert ("2024/empty.txt", "empty") not in reasons and ("2024/02.txt", "invalid_date") not in reasons


def test_rows_of_unchanged_files_stay_and_quarantine_keeps_first_seen(tmp_path):
    """The second read deletes and inserts only the rows that differ; a file still quarantined keeps its date."""
    raw = tmp_path / "raw"
    _before(raw)
    warehouse = tmp_path / "w" / "fundwatch.duckdb"
    _materialize(raw, warehouse)
    build = warehouse.with_name("fundwatch.build.duckdb")
    con = duckdb.connect(str(build))
    con.execute("update raw.quarantine set seen_at = timestamp '2001-01-01' where path = '2024/binary.txt'")
    con.close()
    _write(raw, "2024/04.txt", _article(4) + " édité")
    (raw / "2024/02.txt").unlink()
    meta = _materialize(raw, warehouse)
    # read: 04, and the files that are not articles (not in the index): copy-b, empty, binary
    assert (meta["files_read"], meta["rows_deleted"], meta["rows_inserted"]) == (4, 2, 1)
    con = duckdb.connect(str(build), read_only=True)
    seen = con.execute("select seen_at from raw.quarantine where path = '2024/binary.txt'").fetchall()
    paths = {p for (p,) in con.execute("select path from raw.ingest_files").fetchall()}
    con.close()
    assert str(seen[0][0]) == "2001-01-01 00:00:00"
    assert "2024/02.txt" not in paths and "2024/04.txt" in paths


def test_ingest_code_change_reads_everything_again(tmp_path, monkeypatch):
    """The ingest-code fingerprint is part of every file's key: new code, every file read again."""
    import orchestration.ingest.articles as articles_module

    raw = tmp_path / "raw"
    _before(raw)
    warehouse = tmp_path / "w" / "fundwatch.duckdb"
    _materialize(raw, warehouse)
    monkeypatch.setattr(articles_module, "INGEST_VERSION", "another-code")  # the folder's fingerprint follows
    meta = _materialize(raw, warehouse)
    assert meta["files_unchanged"] == 0 and meta["files_read"] == 20


def test_a_new_version_of_a_text_package_is_new_ingest_code(monkeypatch):
    """An article's text is a function of its bytes and meta_key only if meta_key knows the decoders' versions."""
    from importlib import metadata

    import orchestration.ingest.articles as articles_module

    real = metadata.version
    before = articles_module._ingest_version()
    monkeypatch.setattr(metadata, "version", lambda name: "99.0" if name == "trafilatura" else real(name))
    assert articles_module._ingest_version() != before


def test_an_incremental_read_of_a_copied_corpus_folder(tmp_path):
    """The same check on a real corpus folder: the seed articles minus some files, then all of them."""
    from tests.conftest import SEEDS

    raw = tmp_path / "raw"
    shutil.copytree(SEEDS, raw)
    files = sorted(p for p in raw.rglob("*") if p.is_file() and p.name != "manifest.csv")
    held = tmp_path / "held"
    held.mkdir()
    moved = files[::3]
    for i, path in enumerate(moved):
        path.rename(held / str(i))
    _materialize(raw, tmp_path / "inc" / "fundwatch.duckdb")
    for i, path in enumerate(moved):
        (held / str(i)).rename(path)
    second = _materialize(raw, tmp_path / "inc" / "fundwatch.duckdb")
    _materialize(raw, tmp_path / "full" / "fundwatch.duckdb")
    _assert_same(_tables(tmp_path / "inc" / "fundwatch.duckdb"), _tables(tmp_path / "full" / "fundwatch.duckdb"))
    assert second["files_unchanged"] >= len(files) - len(moved) - 5


def test_sync_rows_writes_only_the_rows_that_differ():
    """raw.quarantine and raw.ingest_files get the deletes and inserts of the rows that differ, nothing more."""
    from orchestration.assets.ingest import _sync_rows

    con = duckdb.connect()
    con.execute("create schema raw")
    con.execute("create table raw.t as select * from (values ('a', 1), ('b', 2), ('c', null)) v(k, n)")
    frame = pl.DataFrame({"k": ["a", "c", "d"], "n": [1, None, 4]}, schema={"k": pl.Utf8, "n": pl.Int32})
    assert _sync_rows(con, "t", frame) == (1, 1)  # b goes, d comes; a and c (a NULL) stay
    assert sorted(con.execute("select k, n from raw.t").fetchall(), key=str) == [("a", 1), ("c", None), ("d", 4)]
    twice = pl.concat([frame, frame.head(1)])  # rows that repeat: written again whole
    assert _sync_rows(con, "t", twice) == (3, 4)
    assert _sync_rows(con, "t", frame) == (4, 3)  # the table repeats a row: written again whole too
