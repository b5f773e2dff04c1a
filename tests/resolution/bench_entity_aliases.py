"""Time the entity_aliases stage on a built warehouse's names: full, +N articles, nothing new, -N/2 articles.

    .venv/bin/python -m tests.resolution.bench_entity_aliases benchmarks/corpora/work-100000/warehouse/fundwatch.build.duckdb

The warehouse is copied first (DuckDB locks the files it opens); only the three name columns
are kept, in a scratch file. Each step prints wall and CPU seconds (all threads of the
process) and checks the stored aliases and name counts against a resolution from scratch.
Not a test: pytest does not collect it.
"""
from __future__ import annotations

import argparse
import random
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import polars as pl

from orchestration.assets.reference import _NAMES_SQL, sync_entity_aliases
from orchestration.resolution.aliases import count_names, key_names, resolve_names

TABLES = {"round_mentions": "company", "company_facts": "company", "investor_mentions": "investor"}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench_aliases_"))
    try:
        copy = scratch / "source.duckdb"
        shutil.copyfile(args.warehouse, copy)
        con = duckdb.connect(str(scratch / "bench.duckdb"))
        con.execute(f"attach '{copy}' as src (read_only)")
        con.execute("create schema raw")
        for table, column in TABLES.items():
            con.execute(f"create table main.all_{table} as select article_id, {column} from src.raw.{table}")
        con.execute("detach src")
        (copy).unlink()
        ids = sorted(r[0] for r in con.execute("select distinct article_id from main.all_round_mentions").fetchall())
        rng = random.Random(args.seed)

        def load(without: list[str]) -> None:
            con.execute("create or replace table main.out as select unnest(?::varchar[]) as article_id", [without])
            for table in TABLES:
                con.execute(f"create or replace table raw.{table} as select * from main.all_{table} "
                            "where article_id not in (select article_id from main.out)")

        def step(label: str) -> None:
            wall, cpu = time.perf_counter(), time.process_time()
            done = sync_entity_aliases(con)
            print(f"{label:<28} {done['mode']:<12} wall {time.perf_counter() - wall:5.2f} s  "
                  f"cpu {time.process_time() - cpu:5.2f} s  "
                  f"{ {k: v for k, v in done.items() if k != 'mode'} }", flush=True)

        def check() -> None:
            names = pl.from_arrow(con.sql(_NAMES_SQL).to_arrow_table())
            aliases = pl.from_arrow(con.sql("select * from raw.entity_aliases order by kind, alias_key").to_arrow_table())
            counts = pl.from_arrow(con.sql("select * from raw.entity_name_counts order by kind, name").to_arrow_table())
            exact = aliases.equals(resolve_names(names)) and counts.equals(key_names(count_names(names)).sort("kind", "name"))
            print(f"{'':<28} equal to a resolution from scratch: {exact}", flush=True)

        new = rng.sample(ids, args.articles)
        load(new)
        step(f"full, {len(ids) - len(new)} articles")
        load([])
        step(f"+{len(new)} articles")
        check()
        step("nothing new")
        load(rng.sample(ids, len(new) // 2))
        step(f"-{len(new) // 2} articles")
        check()
        con.execute("delete from ops.run_state")
        step(f"full, {len(ids) - len(new) // 2} articles")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
