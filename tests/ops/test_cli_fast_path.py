"""`make run` with nothing new answers from the run record, before importing Dagster (issue 7).

The decision only: a record written after a successful run, a raw folder, the code and the dbt
project (copies, so the tests can edit them). Whatever the run would read differently — an
edited, added or deleted article, a changed manifest.csv, a changed parser or dbt file, another
published file, a run in progress — takes the full path. The whole-pipeline version (the fast
path after a real run, then the per-stage skips behind it) is tests/ops/test_fastpath.py.
"""
from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time

import pytest

from orchestration import cli, fingerprint, settings
from tests.conftest import REPO
from tests.helpers import environment


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A raw folder, a published warehouse (not even a DuckDB file: the fast path never opens it), a record."""
    code = tmp_path / "code"
    shutil.copytree(settings.REPO_ROOT / "orchestration", code / "orchestration",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(settings.DBT_PROJECT_DIR, code / "dbt_project", ignore=shutil.ignore_patterns("target", "logs"))
    monkeypatch.setattr(settings, "REPO_ROOT", code)  # what the code fingerprint hashes
    monkeypatch.setattr(settings, "DBT_PROJECT_DIR", code / "dbt_project")
    raw = tmp_path / "raw"
    (raw / "2024").mkdir(parents=True)
    (raw / "2024" / "a.txt").write_text("Acme lève 3 millions d'euros.\n", encoding="utf-8")
    (raw / "b.md").write_text("---\ntitle: Beta\n---\nBeta raises $5m.\n", encoding="utf-8")
    (raw / "manifest.csv").write_text("path,published,source,url\n2024/a.txt,2024-03-01,X,\n", encoding="utf-8")
    published = tmp_path / "warehouse" / "fundwatch.duckdb"
    published.parent.mkdir()
    published.write_bytes(b"not opened by the fast path")
    artifacts = [published.parent / "reports" / "ecosystem.html", published.parent / "gx_docs" / "index.html"]
    for artifact in artifacts:
        artifact.parent.mkdir()
        artifact.write_text("<html></html>")
    with environment(FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(published), FUNDWATCH_FAST_PATH="1"):
        fingerprint.write_run_record(fingerprint.run_inputs(), articles=2, rounds=2,
                                     artifacts=[str(a) for a in artifacts])
        yield raw, code, published


def taken() -> bool:
    return cli.nothing_new(time.monotonic())[1]


def test_nothing_changed_takes_the_fast_path(project, capsys):
    assert taken()
    out = capsys.readouterr().out
    assert "nothing new since" in out and "2 articles, 2 rounds" in out and "unchanged" in out


@pytest.mark.parametrize("change", ["edit", "add", "delete", "touch", "manifest", "rename"])
def test_a_changed_raw_folder_takes_the_full_path(project, change):
    raw, _, _ = project
    article = raw / "2024" / "a.txt"
    if change == "edit":
        article.write_text("Acme lève 4 millions d'euros.\n", encoding="utf-8")
    elif change == "add":
        (raw / "c.txt").write_text("Gamma lève 1 million d'euros.\n", encoding="utf-8")
    elif change == "delete":
        article.unlink()
    elif change == "touch":  # same bytes, new mtime: the ingest would look at it again
        os.utime(article, ns=(article.stat().st_atime_ns, article.stat().st_mtime_ns + 10**9))
    elif change == "manifest":
        manifest = raw / "manifest.csv"
        manifest.write_text(manifest.read_text().replace("2024-03-01", "2024-03-02"), encoding="utf-8")
    elif change == "rename":
        article.rename(raw / "2024" / "a2.txt")
    assert not taken()


@pytest.mark.parametrize("path", ["orchestration/parsing/__init__.py", "orchestration/quality/gx_suites.py",
                                  "dbt_project/models/marts/rounds.sql", "dbt_project/dbt_project.yml"])
def test_a_changed_parser_quality_or_dbt_file_takes_the_full_path(project, path):
    _, code, _ = project
    target = code / path
    target.write_text(target.read_text() + "\n# changed\n" if target.suffix != ".sql" else target.read_text() + "\n-- x\n")
    assert not taken()


def test_a_removed_report_or_data_docs_takes_the_full_path(project):
    _, _, published = project
    (published.parent / "reports" / "ecosystem.html").unlink()
    assert not taken()


@pytest.mark.parametrize("kind", ["hidden file", "subfolder", "symlink retargeted"])
def test_any_entry_of_the_raw_folder_counts(project, tmp_path, kind):
    raw, _, _ = project
    if kind == "hidden file":
        (raw / ".notes").write_text("x")
    elif kind == "subfolder":
        (raw / "2025").mkdir()
    else:
        (tmp_path / "x.txt").write_text("one")
        (tmp_path / "y.txt").write_text("two!")
        (raw / "link.txt").symlink_to(tmp_path / "x.txt")
        fingerprint.write_run_record(fingerprint.run_inputs(), articles=2, rounds=2)
        assert taken()
        (raw / "link.txt").unlink()
        (raw / "link.txt").symlink_to(tmp_path / "y.txt")
    assert not taken()


def test_an_added_dbt_model_takes_the_full_path(project):
    _, code, _ = project
    (code / "dbt_project" / "models" / "marts" / "new_model.sql").write_text("select 1 as x\n")
    assert not taken()


def test_another_published_file_or_no_record_takes_the_full_path(project):
    _, _, published = project
    replacement = published.with_name("other.duckdb")
    replacement.write_bytes(b"not opened by the fast path")
    os.replace(replacement, published)  # what a publish by another run does
    assert not taken()
    fingerprint.write_run_record(fingerprint.run_inputs(), articles=2, rounds=2)
    assert taken()
    fingerprint.forget_run_record()
    assert not taken()
    settings.state_path().write_text("{not json")
    assert not taken()


def test_a_run_in_progress_takes_the_full_path(project):
    """The normal path then refuses to start, naming the other run (test_publication.py)."""
    settings.lock_path().parent.mkdir(parents=True, exist_ok=True)
    with open(settings.lock_path(), "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)  # another open file: conflicts as another process would
        assert not taken()
    assert taken()


def test_the_fast_path_imports_no_dagster_and_opens_no_warehouse(project):
    raw, code, published = project
    probe = ("import sys, time; from orchestration import cli, settings; from pathlib import Path; "
             f"settings.REPO_ROOT = Path({str(code)!r}); settings.DBT_PROJECT_DIR = Path({str(code / 'dbt_project')!r}); "
             "rc = cli.main(['fundwatch', 'run']); "
             "print('modules', sorted(m for m in ('dagster', 'dagster_dbt', 'great_expectations', 'duckdb') "
             "if m in sys.modules)); sys.exit(rc)")
    env = dict(os.environ, FUNDWATCH_RAW_DIR=str(raw), FUNDWATCH_WAREHOUSE=str(published))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "nothing new since" in done.stdout
    assert "modules ['duckdb']" in done.stdout  # the lock module's import; no Dagster, no GX
    assert published.read_bytes() == b"not opened by the fast path"
    assert time.monotonic() - started < 120


@pytest.mark.parametrize("how", ["env", "option"])
def test_the_fast_path_can_be_switched_off_and_a_full_run_forgets_the_record(project, monkeypatch, capsys, how):
    from orchestration import preflight

    def stop(*_):  # the first thing the full path does after the decision
        raise preflight.PreflightError("full path")

    monkeypatch.setattr(preflight, "raw_folder_has_articles", stop)
    assert cli.main(["fundwatch", "run"]) == 0  # still the fast path
    argv = ["fundwatch", "run"]
    if how == "env":
        monkeypatch.setenv("FUNDWATCH_FAST_PATH", "0")
    else:
        argv.append("--no-fast-path")
    assert cli.main(argv) == 2
    assert "full path" in capsys.readouterr().err
    assert fingerprint.read_run_record() is None  # only a run that ends well records its inputs again
    assert cli.main(["fundwatch", "run", "--fast"]) == 2  # an unknown option is a one-line error
