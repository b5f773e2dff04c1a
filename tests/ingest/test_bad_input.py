"""Bad input: every hostile file is quarantined with its reason, or read correctly; the run goes on.

One test per case of issue 6 §3, then one that runs the ingest asset over all of them at
once: the run succeeds, the quarantine table holds each reason, the warning check fires,
and nothing is written outside the warehouse folder.
"""
from __future__ import annotations

import os
import unicodedata

import pytest

from orchestration.ingest import read_raw_folder

GOOD = "Acme lève 3 M€ auprès de Partech.\n\nLa start-up parisienne Acme annonce une levée de 3 millions d'euros."


def _write(folder, name, content):
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _read(folder):
    result = read_raw_folder(folder)
    articles = {row["path"]: row for row in result.articles.iter_rows(named=True)}
    quarantine = {row["path"]: row for row in result.quarantine.iter_rows(named=True)}
    return articles, quarantine, result


@pytest.fixture
def raw(tmp_path):
    folder = tmp_path / "raw"
    _write(folder, "ok.txt", GOOD)
    return folder


def _skipped(raw, name, reason):
    articles, quarantine, _ = _read(raw)
    assert "ok.txt" in articles, "one bad file must not cost the others"
    assert name not in articles
    assert quarantine[name]["reason"] == reason, quarantine
    assert quarantine[name]["action"] == "skipped"
    assert quarantine[name]["detail"]
    return quarantine[name]


def test_binary_file(raw):
    _write(raw, "photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 20)
    _skipped(raw, "photo.txt", "binary")


def test_empty_file(raw):
    _write(raw, "empty.md", b"")
    _skipped(raw, "empty.md", "empty")


def test_whitespace_only_file(raw):
    _write(raw, "blank.txt", b" \n\t\n")
    _skipped(raw, "blank.txt", "empty")


@pytest.mark.parametrize("data", [b"\x81\x8d\x8f\x90\x9d" * 200, GOOD.encode() + b"\xff\xfe\x81 fin",
                                  b"\xef\xbb\xbf" + GOOD.encode() + b"\xc3\x28"])
def test_undecodable_bytes(raw, data):
    _write(raw, "garbled.txt", data)
    assert "undecodable" in _skipped(raw, "garbled.txt", "undecodable")["reason"]


def test_file_over_5_mb_is_not_even_read(raw, monkeypatch):
    big = _write(raw, "big.txt", b"a" * (5 * 1024 * 1024 + 1))
    opened = []
    real = type(big).read_bytes
    monkeypatch.setattr(type(big), "read_bytes", lambda self: opened.append(self.name) or real(self))
    row = _skipped(raw, "big.txt", "too_large")
    assert "5 MB" in row["detail"] and "big.txt" not in opened


def test_html_with_scripts_and_styles_is_read_without_them(raw):
    _write(raw, "page.html", """<!doctype html><html><head><title>Acme lève 3 M€</title>
        <style>body { color: red } .levée { display:none }</style>
        <script>document.write("EVIL_SCRIPT"); fetch("http://example.invalid/x")</script></head>
        <body><nav><a href="/">Accueil</a> | <a href="/tech">Tech</a></nav>
        <article><h1>Acme lève 3 M€</h1><p>La start-up parisienne Acme annonce une levée de 3 millions
        d'euros auprès de Partech, pour recruter vingt ingénieurs d'ici à la fin de l'année.</p>
        <p>Fondée en 2021, elle compte déjà 40 clients en Europe.</p>
        <script>var SECRET_TRACKER = 1;</script></article><footer>Mentions légales</footer></body></html>""")
    articles, quarantine, _ = _read(raw)
    page = articles["page.html"]
    assert "3 millions" in page["text"] and page["title"] == "Acme lève 3 M€"
    for junk in ("EVIL_SCRIPT", "SECRET_TRACKER", "color: red", "display:none"):
        assert junk not in page["text"]
    assert "page.html" not in quarantine


def test_odd_unicode_is_normalised(raw):
    nfd = unicodedata.normalize("NFD", "Société Générale lève 5 M€")
    _write(raw, "odd.txt", "Ac\u200bme\u200d\ufeff " + nfd + "\u2060 chez\u00ad Partech&nbsp;!")
    text = _read(raw)[0]["odd.txt"]["text"]
    assert text == unicodedata.normalize("NFC", text)
    assert "Acme Société Générale lève 5 M€ chez Partech\u00a0!" == text
    assert not any(c in text for c in "\u200b\u200d\ufeff\u2060\u00ad")


def test_duplicate_files_under_two_names(raw):
    _write(raw, "sub/copie de ok.txt", GOOD)
    articles, quarantine, _ = _read(raw)
    assert list(articles) == ["ok.txt"]
    assert quarantine["sub/copie de ok.txt"]["reason"] == "duplicate"
    assert quarantine["sub/copie de ok.txt"]["content_hash"] == articles["ok.txt"]["article_id"]


def test_names_with_spaces_accents_and_bad_bytes(raw):
    _write(raw, "dossier été/levée de fonds n°1.txt", "Bpifrance lève 1 M€ pour Zoé.\n\nTexte.")
    _write(raw, unicodedata.normalize("NFD", "Crédit Agricole.md"), "Crédit Agricole lève 2 M€.\n\nTexte.")
    (raw / os.fsdecode(b"caf\xe9 latin1.txt")).write_bytes(b"Caf\xe9 l\xe8ve 4 M\x80.\n\nTexte.")
    articles, quarantine, _ = _read(raw)
    assert "dossier été/levée de fonds n°1.txt" in articles
    assert "Crédit Agricole.md" in articles  # NFC, whatever form the file system gave
    assert "caf\ufffd latin1.txt" in articles  # a name that is not UTF-8 still reads, shown with U+FFFD
    assert "Café lève 4 M€" in articles["caf\ufffd latin1.txt"]["text"]
    assert not quarantine


def test_symlink_loops_and_escapes(raw, tmp_path):
    _write(tmp_path, "secret.txt", "outside the raw folder")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    (raw / "a.txt").symlink_to(raw / "b.txt")
    (raw / "b.txt").symlink_to(raw / "a.txt")
    (raw / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (raw / "dangling.txt").symlink_to(raw / "nowhere.txt")
    (raw / "self").symlink_to(raw)
    (raw / "inside.txt").symlink_to(raw / "ok.txt")  # a link inside the folder is read (here: a duplicate)
    articles, quarantine, _ = _read(raw)
    assert list(articles) == ["inside.txt"] or list(articles) == ["ok.txt"]
    reasons = {path: row["reason"] for path, row in quarantine.items()}
    assert reasons["loop.txt"] == reasons["a.txt"] == reasons["b.txt"] == "symlink_loop"
    assert reasons["escape.txt"] == "symlink_outside"
    assert reasons["dangling.txt"] == "symlink_broken"
    assert reasons["self"] == "symlink_folder"
    assert not any("outside the raw folder" == a["text"] for a in articles.values())


def test_fifo_is_never_opened(raw):
    os.mkfifo(raw / "pipe.txt")  # opening it for reading would block forever
    _skipped(raw, "pipe.txt", "not_a_file")


def test_other_file_types_are_reported(raw):
    _write(raw, "rapport.pdf", b"%PDF-1.7")
    _skipped(raw, "rapport.pdf", "unsupported_type")


def test_front_matter_with_an_invalid_date(raw):
    _write(raw, "fm.md", "---\ntitle: Acme lève 3 M€\npublished: 2024-02-30\nsource: Le Journal\n---\nCorps du texte.")
    articles, quarantine, _ = _read(raw)
    assert articles["fm.md"]["published_on"] is None and articles["fm.md"]["source"] == "Le Journal"
    assert quarantine["fm.md"]["reason"] == "invalid_date" and quarantine["fm.md"]["action"] == "read"


def test_front_matter_cannot_run_code(raw, tmp_path):
    marker = tmp_path / "pwned"
    _write(raw, "evil.md", f"---\ntitle: !!python/object/apply:os.system ['touch {marker}']\n"
                           f"published: !!python/object/apply:os.getcwd []\n---\nAcme lève 3 M€.")
    articles, quarantine, _ = _read(raw)
    assert not marker.exists()
    assert quarantine["evil.md"]["reason"] == "invalid_front_matter"
    assert "Acme lève 3 M€." in articles["evil.md"]["text"]


def test_manifest_with_a_missing_column(raw):
    _write(raw, "manifest.csv", "path,published\nok.txt,2024-05-02\n")
    articles, quarantine, _ = _read(raw)
    assert str(articles["ok.txt"]["published_on"]) == "2024-05-02"
    assert quarantine["manifest.csv"]["reason"] == "manifest_columns"
    assert "missing ['source', 'url']" in quarantine["manifest.csv"]["detail"]


def test_manifest_with_an_extra_column(raw):
    _write(raw, "manifest.csv", "path,published,source,url,author\nok.txt,2024-05-02,Les Echos,https://x.invalid/a,Jo\n")
    articles, quarantine, _ = _read(raw)
    assert articles["ok.txt"]["source"] == "Les Echos"
    assert quarantine["manifest.csv"]["reason"] == "manifest_columns"
    assert "extra ['author']" in quarantine["manifest.csv"]["detail"]


def test_manifest_paths_cannot_leave_the_raw_folder(raw, tmp_path):
    _write(tmp_path, "outside.txt", GOOD + " outside")
    _write(raw, "sub/manifest.csv", "path,published,source,url\n../ok.txt,2024-01-02,Ici,\n"
                                    "../../outside.txt,2024-01-03,Ailleurs,\n/etc/passwd,2024-01-04,Root,\n")
    articles, quarantine, _ = _read(raw)
    assert articles["ok.txt"]["source"] == "Ici"  # `..` that stays inside the folder is fine
    assert quarantine["sub/manifest.csv"]["reason"] == "manifest_path_outside"
    assert "2 manifest row(s)" in quarantine["sub/manifest.csv"]["detail"]


def test_unchanged_files_are_not_read_again(raw):
    from orchestration.ingest.articles import IngestCache

    _write(raw, "fm.md", "---\npublished: not a date\n---\nAcme lève 3 M€.")
    first = read_raw_folder(raw)
    assert (first.read, first.reused) == (2, 0)
    cache = IngestCache.from_frames(first.files, first.articles)
    second = read_raw_folder(raw, cache)
    assert (second.read, second.reused) == (0, 2)
    assert second.articles.equals(first.articles)
    assert second.quarantine.drop("seen_at").equals(first.quarantine.drop("seen_at"))  # warnings kept too
    _write(raw, "ok.txt", GOOD + " Modifié.")
    third = read_raw_folder(raw, IngestCache.from_frames(second.files, second.articles))
    assert (third.read, third.reused) == (1, 1)
    assert "Modifié" in third.articles.filter(third.articles["path"] == "ok.txt")["text"][0]
    _write(raw, "manifest.csv", "path,published,source,url\nfm.md,2024-01-01,Src,\n")  # metadata change: re-read
    fourth = read_raw_folder(raw, IngestCache.from_frames(third.files, third.articles))
    assert fourth.reused == 1 and fourth.articles.filter(fourth.articles["path"] == "fm.md")["source"][0] == "Src"


def _tree(folder) -> dict[str, tuple]:
    """Every path under folder (symlinks not followed) with its size and mtime."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(folder):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            out[os.path.relpath(path, folder)] = (st.st_mode, st.st_size if not os.path.isdir(path) else 0, st.st_mtime_ns)
    return out


def test_one_run_over_every_bad_input_goes_on_warns_and_writes_nowhere_else(tmp_path):
    """The ingest asset and its check over a folder holding every hostile case at once."""
    import dagster as dg
    import duckdb

    from orchestration.assets.ingest import quarantine_is_empty, raw_articles
    from tests.helpers import environment

    raw = tmp_path / "raw"
    _write(raw, "ok.txt", GOOD)
    _write(raw, "binary.txt", b"\x00\x01\x02\x03" * 500)
    _write(raw, "empty.txt", b"")
    _write(raw, "garbled.txt", b"\x81\x8d\x8f\x90\x9d" * 200)
    _write(raw, "big.md", b"a" * (5 * 1024 * 1024 + 10))
    _write(raw, "page.html", "<html><head><script>alert(1)</script><style>p{}</style></head><body><article>"
                             "<h1>Beta lève 2 M€</h1><p>La start-up Beta lève 2 millions d'euros auprès de "
                             "business angels pour accélérer son développement commercial en Europe.</p>"
                             "</article></body></html>")
    _write(raw, "odd unicode.txt", "Ga\u200bmma le\u0300ve 4 M€\n\nTexte.")
    _write(raw, "dossier/copie é.txt", GOOD)
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    _write(raw, "fm.md", "---\npublished: 2024-13-45\n---\nDelta lève 5 M€.")
    _write(raw, "evil.md", f"---\ntitle: !!python/object/apply:os.system ['touch {tmp_path}/pwned']\n---\nEpsilon.")
    _write(raw, "manifest.csv", "path,published,source,url,extra\nok.txt,2024-01-01,X,,y\n../../etc/passwd,,,,\n")
    outside = tmp_path / "elsewhere"
    _write(outside, "secret.txt", "secret")
    (raw / "escape.txt").symlink_to(outside / "secret.txt")
    warehouse = tmp_path / "warehouse" / "fundwatch.duckdb"
    before = {"raw": _tree(raw), "elsewhere": _tree(outside)}

    with environment(FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(warehouse)):
        result = dg.materialize([raw_articles, quarantine_is_empty])
        con = duckdb.connect(str(warehouse.with_name("fundwatch.build.duckdb")), read_only=True)
        reasons = dict(con.execute("select path, string_agg(reason, ',' order by reason) from raw.quarantine "
                                   "group by path").fetchall())
        paths = {p for (p,) in con.execute("select path from raw.articles").fetchall()}
        con.close()
    assert result.success
    check = result.get_asset_check_evaluations()[0]
    assert not check.passed and check.severity == dg.AssetCheckSeverity.WARN
    assert check.metadata["files"].value == len(reasons) + sum(v.count(",") for v in reasons.values())
    assert paths == {"dossier/copie é.txt", "page.html", "odd unicode.txt", "fm.md", "evil.md"}  # first name wins
    assert reasons == {
        "binary.txt": "binary", "empty.txt": "empty", "garbled.txt": "undecodable", "big.md": "too_large",
        "ok.txt": "duplicate", "loop.txt": "symlink_loop", "escape.txt": "symlink_outside",
        "fm.md": "invalid_date", "evil.md": "invalid_front_matter",
        "manifest.csv": "manifest_columns,manifest_path_outside",
    }
    # no input ran code, and nothing was written outside the warehouse folder
    assert not (tmp_path / "pwned").exists()
    assert {"raw": _tree(raw), "elsewhere": _tree(outside)} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["elsewhere", "raw", "warehouse"]
    assert {p.name for p in warehouse.parent.iterdir()} <= {"fundwatch.build.duckdb", "fundwatch.lock",
                                                             "fundwatch.build.duckdb.wal"}


def test_files_read_ahead_by_worker_processes_give_the_same_result(raw, monkeypatch):
    """A large folder's files are parsed ahead on all cores: the same articles, quarantine and file index."""
    import orchestration.ingest.articles as articles_module

    _write(raw, "binary.txt", b"\x00\x01\x02\x03" * 500)
    _write(raw, "latin1.txt", ("Société Générale lève 2 M€. " * 20).encode("cp1252"))
    _write(raw, "undecodable.txt", b"\x81\x8d\x8f\x90\x9d" * 200)
    _write(raw, "copy.txt", GOOD)
    _write(raw, "page.html", "<html><head><title>Acme</title></head><body><article><p>" + GOOD * 3 + "</p></article></body></html>")
    _write(raw, "fm.md", "---\ntitle: Acme lève 3 M€\npublished: not a date\n---\nAcme lève 3 M€ auprès de Partech.")
    _write(raw, "manifest.csv", "path,published,source,url\nok.txt,2024-01-01,Src,\n")
    sequential = read_raw_folder(raw)
    monkeypatch.setattr(articles_module, "PARALLEL_MIN_FILES", 1)
    monkeypatch.setattr(articles_module, "WORKERS", 2)
    parallel = read_raw_folder(raw)
    assert parallel.articles.equals(sequential.articles)
    assert parallel.quarantine.drop("seen_at").equals(sequential.quarantine.drop("seen_at"))
    assert parallel.files.equals(sequential.files)
    assert (parallel.read, parallel.reused) == (sequential.read, sequential.reused)
    assert set(sequential.quarantine["reason"]) >= {"binary", "undecodable", "duplicate", "invalid_date"}
