"""`make query`, `make sql` and `make docs` on a small hand-made warehouse (no pipeline run)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.helpers import environment
from tests.ux.tiny_warehouse import make_tiny_warehouse

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture()
def tiny(tmp_path) -> Path:
    path = make_tiny_warehouse(tmp_path / "warehouse" / "fundwatch.duckdb")
    with environment(FUNDWATCH_WAREHOUSE=str(path)):
        yield path


def test_query_prints_an_aligned_table(tiny, capsys):
    from orchestration import query

    assert query.main(["q", "select investor, rounds_count, total_rounds_eur from marts.investors order by 3 desc"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["investor", "rounds_count", "total_rounds_eur"]
    assert out[2].split() == ["Partech", "2", "127,600,000"]
    assert out[-1] == "(4 rows)"


def test_query_markdown_and_query_from_environment(tiny, capsys):
    from orchestration import query

    with environment(Q="select city, total_raised_eur from marts.ecosystem_by_city order by 2 desc"):
        assert query.main(["q", "--markdown"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("| city") and out[1].endswith(":|")
    assert "| Paris |" in out[2]


@pytest.mark.parametrize("sql, expected", [
    ("selec 1", "the query failed: Parser Error"),
    ("delete from marts.rounds", "queries cannot change it"),
    ("", 'give a query: make query Q="select'),
])
def test_query_errors_are_one_sentence(tiny, capsys, sql, expected):
    from orchestration import query

    with environment(Q=""):
        assert query.main(["q", sql] if sql else ["q"]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and len(err.splitlines()) == 1 and "Traceback" not in err


def test_query_without_a_published_warehouse(tmp_path, capsys):
    from orchestration import query

    with environment(FUNDWATCH_WAREHOUSE=str(tmp_path / "none.duckdb")):
        assert query.main(["q", "select 1"]) == 2
    assert "run `make run` first" in capsys.readouterr().err


def _hold(path: Path, read_only: bool) -> subprocess.Popen:
    """Another process holding a DuckDB connection on `path` until killed."""
    code = textwrap.dedent(f"""
        import duckdb, sys, time
        con = duckdb.connect({str(path)!r}, read_only={read_only})
        print("ready", flush=True)
        time.sleep(60)
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "ready"
    return proc


def test_query_works_while_a_run_is_building(tiny, capsys):
    """A run writes only the build file; the published one stays readable."""
    from orchestration import query, settings

    build = settings.build_path()
    make_tiny_warehouse(build)
    writer = _hold(build, read_only=False)
    try:
        assert query.main(["q", "select count(*) as n from marts.rounds"]) == 0
        assert capsys.readouterr().out.splitlines()[2].strip() == "3"
    finally:
        writer.kill()
        writer.wait()


def test_a_run_publishes_while_a_sql_session_is_open(tiny, tmp_path):
    """An open read-only session does not stop publication (atomic rename); it keeps the old file."""
    import duckdb

    from orchestration.publication import publish

    reader = _hold(tiny, read_only=True)
    try:
        build = make_tiny_warehouse(tmp_path / "build" / "fundwatch.build.duckdb")
        con = duckdb.connect(str(build))
        con.execute("insert into marts.companies values ('Delta', 'Nantes', 'FR', 0, 0, null)")
        con.close()
        publish(build, tiny)
    finally:
        reader.kill()
        reader.wait()
    con = duckdb.connect(str(tiny), read_only=True)
    assert con.execute("select count(*) from marts.companies").fetchone()[0] == 4
    con.close()


def test_query_names_a_foreign_writer(tiny, capsys):
    """Someone opened the published file read-write by hand: one sentence, what to do."""
    from orchestration import query

    writer = _hold(tiny, read_only=False)
    try:
        assert query.main(["q", "select 1"]) == 2
    finally:
        writer.kill()
        writer.wait()
    err = capsys.readouterr().err
    assert "is locked by a process that opened it for writing" in err and "Traceback" not in err


def test_make_query(tiny):
    done = subprocess.run(["make", "-s", "query", "Q=select company from marts.rounds where city = 'Lyon'"],
                          cwd=REPO, capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[2].strip() == "Acme"


def test_sql_session_without_a_terminal_falls_back_to_a_line_repl(tiny):
    done = subprocess.run([sys.executable, "-m", "orchestration.query", "--interactive"], cwd=REPO,
                          input="select count(*) as n\nfrom marts.companies;\n.quit\n",
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "read-only" in done.stdout and "(1 row)" in done.stdout


def test_sql_session_uses_harlequin_read_only(tiny):
    from orchestration.query import interactive_command

    command = interactive_command(tiny)
    assert Path(command[0]).name == "harlequin" and Path(command[0]).exists()
    assert "--read-only" in command and command[-1] == str(tiny)


def test_harlequin_opens_the_warehouse(tiny):
    """The real TUI in tmux: it starts read-only and runs a query."""
    import shutil

    if not shutil.which("tmux"):
        pytest.skip("tmux is not installed")
    session = f"fundwatch_sql_{os.getpid()}"
    env_cmd = f"FUNDWATCH_WAREHOUSE={tiny} {sys.executable} -m orchestration.query --interactive"
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "160", "-y", "40", "-c", str(REPO), env_cmd],
                   check=True)
    try:
        screen = ""
        for _ in range(240):  # a loaded machine can take a minute to start a Textual app
            time.sleep(0.5)
            screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            if "Query Editor" in screen:
                break
        assert "Query Editor" in screen, screen
        subprocess.run(["tmux", "send-keys", "-t", session, "select company from marts.rounds order by 1"], check=True)
        time.sleep(0.5)
        subprocess.run(["tmux", "send-keys", "-t", session, "C-j"], check=True)
        for _ in range(180):
            time.sleep(0.5)
            screen = subprocess.run(["tmux", "capture-pane", "-t", session, "-p"], capture_output=True, text=True).stdout
            if "Query Results (3 Records)" in screen:
                break
        assert "Query Results (3 Records)" in screen, screen
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_make_docs_builds_a_static_site(tiny):
    from orchestration.docs_site import build_docs

    index = build_docs(quiet=True)
    assert index == tiny.parent / "dbt_docs" / "index.html"
    html = index.read_text(encoding="utf-8")
    assert "model.fundwatch." in html and len(html) > 100_000  # manifest and catalog inlined
