"""Ingestion: every file is read as an article or quarantined with its reason; nothing stops the run."""
from __future__ import annotations

import datetime as dt

import pytest

from orchestration.ingest import read_raw_folder


def _write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _by_path(result):
    return {row["path"]: row for row in result.articles.iter_rows(named=True)}


def test_plain_text_title_is_the_first_non_empty_line(tmp_path):
    _write(tmp_path, "a.txt", "\n\n  Acme lève 3 M€\n\nLe corps.")
    article = _by_path(read_raw_folder(tmp_path))["a.txt"]
    assert article["title"] == "Acme lève 3 M€"
    assert len(article["article_id"]) == 16


def test_front_matter_beats_manifest(tmp_path):
    _write(tmp_path, "news/b.md", "---\ntitle: Titre\npublished: 2024-03-12\nlang: fr\n---\nAcme lève 3 M€.")
    _write(tmp_path, "news/manifest.csv", "path,published,source,url\nb.md,2020-01-01,Le Journal,\n")
    article = _by_path(read_raw_folder(tmp_path))["news/b.md"]
    assert article["published_on"] == dt.date(2024, 3, 12)
    assert article["source"] == "Le Journal"  # what front matter does not say, the manifest does
    assert article["lang"] == "fr"
    assert article["text"].startswith("Titre")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig"])
def test_common_encodings_are_decoded(tmp_path, encoding):
    _write(tmp_path, "c.txt", "La pépite lyonnaise lève 2 millions d’euros".encode(encoding, errors="replace"))
    text = _by_path(read_raw_folder(tmp_path))["c.txt"]["text"]
    assert "pépite lyonnaise" in text


def test_invisible_characters_and_entities_are_cleaned(tmp_path):
    _write(tmp_path, "d.txt", "IA&nbsp;: Ac\u200bme le\u0300ve 3 M€")
    text = _by_path(read_raw_folder(tmp_path))["d.txt"]["text"]
    assert text == "IA\u00a0: Acme lève 3 M€"


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n\n", "empty"),
    ("binary.txt", b"\x00\x01\x02PNG" * 100, "binary"),
])
def test_unreadable_files_are_quarantined_and_the_rest_is_read(tmp_path, name, content, reason):
    _write(tmp_path, "ok.txt", "Acme lève 3 M€")
    _write(tmp_path, name, content)
    result = read_raw_folder(tmp_path)
    assert list(_by_path(result)) == ["ok.txt"]
    row = result.quarantine.row(0, named=True)
    assert row["path"] == name and reason in row["reason"] and row["action"] == "skipped"


def test_duplicates_under_two_names_are_read_once(tmp_path):
    _write(tmp_path, "a.txt", "Acme lève 3 M€")
    _write(tmp_path, "é copy.txt", "Acme lève 3 M€")
    result = read_raw_folder(tmp_path)
    assert result.articles.height == 1
    assert result.quarantine["reason"][0] == "duplicate"
    assert "same bytes as a.txt" in result.quarantine["detail"][0]


def test_invalid_front_matter_date_keeps_the_article(tmp_path):
    _write(tmp_path, "e.md", "---\npublished: 31/02/2024\n---\nAcme lève 3 M€")
    result = read_raw_folder(tmp_path)
    assert result.articles["published_on"][0] is None
    assert result.quarantine["action"][0] == "read"


def test_symlink_loop_and_escape_are_quarantined(tmp_path):
    raw = tmp_path / "raw"
    _write(raw, "ok.txt", "Acme lève 3 M€")
    _write(tmp_path, "secret.txt", "outside")
    (raw / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "sub").symlink_to(raw)
    result = read_raw_folder(raw)
    assert list(_by_path(result)) == ["ok.txt"]
    assert set(result.quarantine["path"]) == {"escape.txt", "loop.txt", "sub"}


def test_manifest_without_path_column_is_reported_not_fatal(tmp_path):
    _write(tmp_path, "a.txt", "Acme lève 3 M€")
    _write(tmp_path, "manifest.csv", "file,published\na.txt,2024-01-01\n")
    result = read_raw_folder(tmp_path)
    assert result.articles["published_on"][0] is None
    assert result.quarantine["reason"][0] == "manifest_no_path"
    assert "no 'path' column" in result.quarantine["detail"][0]


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="FUNDWATCH_RAW_DIR"):
        read_raw_folder(tmp_path / "nope")
