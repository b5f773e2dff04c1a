"""Incremental dbt models (dbt_project/macros/by_company.sql) build the tables a full build builds.

The dev corpus goes through the real pipeline in two batches: most articles; then the rest with
a removal (a roundup that names several companies), an edit, and new articles that write a
known company's name another way (its display name changes, so every table that shows it
does), and new articles of new companies that write a known investor's name another way (its
display name changes in the rounds of companies no new article touches). After each run every intermediate and marts table must hold exactly the rows of a
`dbt build --full-refresh` of the same warehouse (EXCEPT ALL both ways, duplicates count).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.conftest import REPO
from tests.helpers import run_pipeline

pytestmark = pytest.mark.e2e

DEV_CORPUS = REPO / "tests" / "fixtures" / "dev_corpus"
NOT_ARTICLES = {"README.md", "gold.json", "manifest.csv"}
#: the companies that changed since the last build: different after an incremental build by design
NOT_COMPARED = {"int_company_changes"}

RENAMED = """{title}

La start-up lyonnaise Nova Grid SAS, qui développe un logiciel de pilotage des micro-réseaux, \
annonce {when} une levée de fonds de 18 millions d’euros en série A menée par Alto Partners.

Nova Grid SAS compte {n} collectivités clientes.
"""

#: new companies whose lead investor writes its name the long way: 4 times, more than the 3
#: "Granite Peak Partners" of the corpus, so the investor's display name changes for the rounds
#: of companies no new article touches (Helix Forge): only the digest of investors sees it
LED = """{company} raises ${amount} million led by Granite Peak Partners LLC

{company}, a {what} startup, said on {day} it raised ${amount} million in a seed round led by \
Granite Peak Partners LLC.
"""
LED_ROUNDS = [("Quillon Robotics", 4, "warehouse robotics", "Monday"),
              ("Brackwater Labs", 6, "water analytics", "Tuesday"),
              ("Tessaly Health", 9, "digital health", "Wednesday"),
              ("Murmur Audio", 3, "audio software", "Thursday")]


def _differences(incremental: Path, full: Path) -> dict[str, tuple[int, int, int, int]]:
    """table → (rows here, rows there, rows only here, rows only there) for each table that differs."""
    con = duckdb.connect()
    try:
        con.execute(f"attach '{incremental}' as a (read_only)")
        con.execute(f"attach '{full}' as b (read_only)")
        tables = con.execute("select schema_name, table_name from duckdb_tables() where database_name = 'b' "
                             "and schema_name in ('intermediate', 'marts') order by all").fetchall()
        assert len(tables) > 30
        out = {}
        for schema, table in tables:
            if table in NOT_COMPARED:
                continue
            name = f"{schema}.{table}"
            cols = ", ".join(f'"{c}"' for (c,) in con.execute(
                "select column_name from duckdb_columns() where database_name = 'b' and schema_name = ? "
                "and table_name = ? order by column_index", [schema, table]).fetchall())
            n_a = con.execute(f"select count(*) from a.{name}").fetchone()[0]
            n_b = con.execute(f"select count(*) from b.{name}").fetchone()[0]
            only_a = con.execute(f"select count(*) from (select {cols} from a.{name} except all "
                                 f"select {cols} from b.{name})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select {cols} from b.{name} except all "
                                 f"select {cols} from a.{name})").fetchone()[0]
            if only_a or only_b or n_a != n_b:
                out[name] = (n_a, n_b, only_a, only_b)
        return out
    finally:
        con.close()


def _full_rebuild(warehouse: Path, scratch: Path) -> Path:
    """A copy of the warehouse with every dbt model rebuilt from its raw tables (`--full-refresh`)."""
    scratch.mkdir(parents=True)
    copy = scratch / "full.duckdb"
    shutil.copyfile(warehouse, copy)
    env = {**os.environ, "FUNDWATCH_DBT_DATABASE": str(copy), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}
    done = subprocess.run([str(Path(sys.executable).parent / "dbt"), "run", "--full-refresh", "--profiles-dir", ".",
                           "--target-path", str(scratch / "target"), "--log-path", str(scratch / "logs")],
                          cwd=REPO / "dbt_project", env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout[-4000:]
    return copy


def _changes(warehouse: Path) -> dict[str, int]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return dict(con.execute("select coalesce(change, 'unchanged'), count(*) "
                                "from intermediate.int_company_changes group by all").fetchall())
    finally:
        con.close()


def _query(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_three_batches_build_the_tables_of_a_full_build(tmp_path, dbt_manifest):
    articles = sorted(p for p in DEV_CORPUS.iterdir() if p.is_file() and p.name not in NOT_ARTICLES)
    raw, warehouse, home = tmp_path / "raw", tmp_path / "warehouse" / "fundwatch.duckdb", tmp_path / "home"
    raw.mkdir()

    def run(step: str, compare: bool = True) -> None:
        result = run_pipeline(raw, warehouse, home)
        assert result.exit_code == 0, result.output
        if compare:
            differing = _differences(warehouse, _full_rebuild(warehouse, tmp_path / f"full-{step}"))
            assert differing == {}, f"after {step}: tables differ from a full build: {differing}"

    # 1. most of the corpus: a first build is itself a --full-refresh, nothing to compare
    for path in articles[:45]:
        shutil.copy(path, raw / path.name)
    run("batch 1", compare=False)

    # 2. one incremental build (CI's budget: one run, one comparison): the rest of the corpus, a
    #    roundup removed, an article edited, a known company written another way, and a known
    #    investor written another way by new articles only
    for path in articles[45:]:
        shutil.copy(path, raw / path.name)
    roundup = raw / "003_fr_roundup_levees_semaine11.txt"
    assert roundup.exists()
    roundup.unlink()
    edited = raw / "002_en_harbor_health_series_b.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\n\nUpdated with comments from the company.\n",
                      encoding="utf-8")
    for i, (title, when) in enumerate([("Nova Grid SAS boucle sa série A", "ce mardi"),
                                       ("Série A de 18 millions d’euros pour Nova Grid SAS", "mardi"),
                                       ("Nova Grid SAS lève 18 millions d’euros", "cette semaine")]):
        (raw / f"100_fr_nova_grid_sas_{i}.txt").write_text(RENAMED.format(title=title, when=when, n=40 + i),
                                                          encoding="utf-8")
    for i, (company, amount, what, day) in enumerate(LED_ROUNDS):
        (raw / f"101_en_granite_peak_{i}.txt").write_text(LED.format(company=company, amount=amount, what=what,
                                                                    day=day), encoding="utf-8")
    run("batch 2")
    changes = _changes(warehouse)
    assert all(changes.get(kind, 0) > 0 for kind in ("unchanged", "new", "changed")), changes
    names = _query(warehouse, "select distinct company from marts.rounds where company_key = 'nova grid'")
    assert names == [("Nova Grid SAS",)], names
    investors = _query(warehouse, "select distinct ri.investor from marts.round_investors as ri "
                                  "join marts.rounds as r using (round_id) where r.company = 'Helix Forge' "
                                  "and ri.investor like 'Granite Peak%'")
    assert investors == [("Granite Peak Partners LLC",)], investors
