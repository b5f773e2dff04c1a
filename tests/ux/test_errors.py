"""Problems a person can fix get one sentence saying what is wrong and what to do, never a traceback alone."""
from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.conftest import SEEDS, copy_corpus
from tests.helpers import environment, run_pipeline
from tests.ux.tiny_warehouse import make_tiny_warehouse

REPO = Path(__file__).resolve().parents[2]


def _one_sentence(output: str, *needles: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.startswith("fundwatch:")]
    assert "Traceback" not in output, output
    errors = [line for line in lines if all(n in line for n in needles)]
    assert len(errors) == 1, output
    return errors[0]


def test_missing_raw_folder(tmp_path):
    result = run_pipeline(tmp_path / "no_such_folder", tmp_path / "wh" / "fundwatch.duckdb", tmp_path / "home")
    assert result.exit_code == 2
    line = _one_sentence(result.output, "does not exist")
    assert "FUNDWATCH_RAW_DIR" in line and "no_such_folder" in line


def test_empty_raw_folder(tmp_path):
    (tmp_path / "raw" / "sub").mkdir(parents=True)
    (tmp_path / "raw" / ".DS_Store").write_text("")  # hidden files are not articles
    result = run_pipeline(tmp_path / "raw", tmp_path / "wh" / "fundwatch.duckdb", tmp_path / "home")
    assert result.exit_code == 2
    line = _one_sentence(result.output, "has no article files")
    assert ".txt" in line and "FUNDWATCH_RAW_DIR" in line
    assert not (tmp_path / "wh" / "fundwatch.duckdb").exists()


def test_the_empty_folder_check_agrees_with_the_ingest_listing(tmp_path):
    """The pre-run check stops at the first file, but refuses exactly the folders where the ingest finds nothing."""
    from orchestration.ingest.discover import discover
    from orchestration.preflight import PreflightError, raw_folder_has_articles

    raw = tmp_path / "raw"
    (raw / "2024" / ".hidden").mkdir(parents=True)
    (raw / ".DS_Store").write_text("")
    (raw / "2024" / ".hidden" / "a.txt").write_text("hidden folders are skipped")
    (raw / "2024" / "manifest.csv").write_text("path,published\n")
    cases = [lambda: None,  # only hidden things and a manifest
             lambda: (raw / "2024" / "notes.pdf").write_text("x"),  # listed (flagged unsupported)
             lambda: (raw / "2024" / "deep" / "b.txt").parent.mkdir() or (raw / "2024" / "deep" / "b.txt").write_text("x")]
    for make in cases:
        make()
        listed = bool(discover(raw)[0])
        try:
            accepted = raw_folder_has_articles(raw)
        except PreflightError:
            accepted = False
        assert accepted == listed
        (raw / "2024" / "notes.pdf").unlink(missing_ok=True)
    assert raw_folder_has_articles(raw)


def _hold(code: str, env: dict[str, str]) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(code)], cwd=REPO, env={**os.environ, **env},
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def _run_while_held(tmp_path: Path, code: str, env: dict[str, str]):
    """Run the pipeline on the seeds while another process, started with `code`, holds something."""
    raw = copy_corpus(SEEDS, tmp_path / "raw")
    holder = _hold(code, env)
    try:
        return run_pipeline(raw, tmp_path / "wh" / "fundwatch.duckdb", tmp_path / "home"), holder.pid
    finally:
        holder.kill()
        holder.wait()


def test_build_file_locked_by_a_duckdb_session(tmp_path, dbt_manifest):
    """Someone opened the build file with DuckDB (read-write): the run names the program and stops at once."""
    build = make_tiny_warehouse(tmp_path / "wh" / "fundwatch.build.duckdb")
    result, holder_pid = _run_while_held(tmp_path, f"""
        import duckdb, time
        con = duckdb.connect({str(build)!r})
        print("ready", flush=True)
        time.sleep(120)
    """, {})
    assert result.exit_code == 2
    line = _one_sentence(result.output, "is locked by another program")
    assert f"(PID {holder_pid})" in line and "make sql" in line and "run again" in line


def test_warehouse_being_built_by_another_run(tmp_path):
    """Another fundwatch run holds the build lock: one sentence, wait and run again."""
    result, _ = _run_while_held(tmp_path, """
        import time
        from orchestration.publication import build_lock
        with build_lock():
            print("ready", flush=True)
            time.sleep(120)
    """, {"FUNDWATCH_WAREHOUSE": str(tmp_path / "wh" / "fundwatch.duckdb")})
    assert result.exit_code == 2
    _one_sentence(result.output, "another fundwatch run")


def test_published_warehouse_locked_for_queries(tmp_path, capsys):
    from orchestration import query

    warehouse = make_tiny_warehouse(tmp_path / "fundwatch.duckdb")
    holder = _hold(f"""
        import duckdb, time
        con = duckdb.connect({str(warehouse)!r})
        print("ready", flush=True)
        time.sleep(120)
    """, {})
    try:
        with environment(FUNDWATCH_WAREHOUSE=str(warehouse)):
            assert query.main(["q", "select 1"]) == 2
    finally:
        holder.kill()
        holder.wait()
    _one_sentence(capsys.readouterr().err, "is locked by a process that opened it for writing")


# -- Python older than 3.11 --------------------------------------------------------------------

def _old_python_stub(tmp_path: Path, version: tuple[int, int, int] = (3, 9, 18)) -> Path:
    """A `python3.9` that runs the real interpreter with an old sys.version_info."""
    stub = tmp_path / "python3.9"
    stub.write_text("#!/bin/sh\n"
                    f"exec {sys.executable} -c 'import sys; sys.version_info = {version!r}; "
                    "sys.argv = sys.argv[1:]; exec(open(sys.argv[0]).read())' \"$@\"\n")
    stub.chmod(0o755)
    return stub


def _real_old_pythons() -> list[str]:
    found = []
    for version in ("2.7", "3.8", "3.10"):
        for candidate in [shutil.which(f"python{version}")] + sorted(
                str(p) for p in Path.home().glob(f".pyenv/versions/{version}*/bin/python{version}")):
            if candidate and subprocess.run([candidate, "-c", "pass"], capture_output=True).returncode == 0:
                found.append(candidate)
                break
    return found


def test_check_python_parses_on_old_interpreters():
    source = (REPO / "scripts" / "check_python.py").read_text()
    ast.parse(source, feature_version=(3, 4))  # no f-strings or newer syntax: an old Python gets the sentence


@pytest.mark.parametrize("python", ["stub"] + _real_old_pythons())
def test_python_older_than_311(tmp_path, python):
    python = str(_old_python_stub(tmp_path)) if python == "stub" else python
    done = subprocess.run([python, "scripts/check_python.py"], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 1
    assert done.stderr.strip().count("\n") == 0 and "Traceback" not in done.stderr
    assert "fundwatch needs Python 3.11 or newer" in done.stderr and "PYTHON=python3.11" in done.stderr


def test_make_with_an_old_python_stops_before_installing(tmp_path):
    stub = _old_python_stub(tmp_path)
    venv = tmp_path / "venv"
    done = subprocess.run(["make", "-s", f"VENV={venv}", f"PYTHON={stub}", "venv"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and not venv.exists()
    assert "fundwatch needs Python 3.11 or newer" in done.stderr and "Traceback" not in done.stderr


# -- no make -----------------------------------------------------------------------------------

def _path_without_make(tmp_path: Path) -> str:
    """A PATH with the few tools ./fundwatch needs, and no make."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("sh", "dirname", "sed", "touch"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    (bin_dir / "python3").symlink_to(sys.executable)
    assert shutil.which("make", path=str(bin_dir)) is None
    return str(bin_dir)


def test_no_make_fundwatch_script_does_the_same(tmp_path):
    warehouse = make_tiny_warehouse(tmp_path / "fundwatch.duckdb")
    env = {**os.environ, "PATH": _path_without_make(tmp_path), "FUNDWATCH_WAREHOUSE": str(warehouse)}
    done = subprocess.run([str(REPO / "fundwatch"), "query", "select count(*) as rounds from marts.rounds"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2].strip() == "3"


def test_no_make_and_no_python(tmp_path):
    """A fresh clone (no .venv) on a machine without the named Python: one sentence."""
    clone = tmp_path / "clone"
    clone.mkdir()
    for name in ("fundwatch", "Makefile", "pyproject.toml", "uv.lock"):
        shutil.copy2(REPO / name, clone / name)
    (clone / "scripts").mkdir()
    shutil.copy2(REPO / "scripts" / "check_python.py", clone / "scripts")
    env = {**os.environ, "PATH": _path_without_make(tmp_path)}
    done = subprocess.run(["./fundwatch", "run"], cwd=clone, env={**env, "PYTHON": "python3.11-nowhere"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "there is no `python3.11-nowhere`" in done.stderr
    assert done.stderr.strip().count("\n") == 0
    old = _old_python_stub(tmp_path)
    done = subprocess.run(["./fundwatch", "run"], cwd=clone, env={**env, "PYTHON": str(old)},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "fundwatch needs Python 3.11 or newer" in done.stderr
    assert not (clone / ".venv").exists()


def test_unknown_command(tmp_path):
    done = subprocess.run([str(REPO / "fundwatch"), "bogus"], capture_output=True, text=True)
    assert done.returncode == 2 and "unknown command `bogus`" in done.stderr


def test_readme_tells_what_to_do_without_make():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "./fundwatch run" in readme
