"""CPU seconds per call site of the parsing engine, batch by batch on one thread.

pyinstrument samples wall time and sees only the main thread, while `extract` reads its batches
on worker threads; on a shared machine wall time is mostly other people's load. This runs
`_extract` on the batches one after the other and charges the CPU time (process_time, all
threads) of every DataFrame method called from orchestration/parsing to the line that called it
(find_all's calls to the line that called find_all):

    .venv/bin/python benchmarks/parse_identity/callsites.py /tmp/parseperf/baseline/c10k/articles.parquet 4000 [TOP]

Each batch also pays a fixed cost (about 700 eager DataFrame calls, ~140 regexes compiled again:
polars keeps 32 per thread): time one batch of 10 articles to see it.
"""
import collections, os, sys, time
sys.path.insert(0, os.getcwd())
import polars as pl

acc, calls, depth = collections.Counter(), collections.Counter(), [0]


def _wrap(name):
    orig = getattr(pl.DataFrame, name)

    def timed(self, *a, **k):
        if depth[0]:
            return orig(self, *a, **k)
        fr = sys._getframe(1)
        while fr and "orchestration/parsing" not in fr.f_code.co_filename:
            fr = fr.f_back
        key = f"{os.path.basename(fr.f_code.co_filename)}:{fr.f_lineno} {fr.f_code.co_name}" if fr else "?"
        if fr and fr.f_code.co_name == "find_all":
            key += f" <- {os.path.basename(fr.f_back.f_code.co_filename)}:{fr.f_back.f_lineno}"
        depth[0] += 1
        c = time.process_time()
        try:
            return orig(self, *a, **k)
        finally:
            acc[key] += time.process_time() - c
            calls[key] += 1
            depth[0] -= 1
    setattr(pl.DataFrame, name, timed)


for n in ["with_columns", "filter", "select", "join", "explode", "sort", "unique", "group_by", "join_asof",
          "with_row_index", "unnest", "drop"]:
    _wrap(n)

from orchestration.parsing.extract import BATCH_SIZE, _extract  # noqa: E402
from orchestration.parsing.places import demonym_table, gazetteer  # noqa: E402

arts = pl.read_parquet(sys.argv[1]).head(int(sys.argv[2]))
top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
gazetteer(), demonym_table()
c0 = time.process_time()
for start in range(0, arts.height, BATCH_SIZE):
    _extract(arts.slice(start, BATCH_SIZE))
total = time.process_time() - c0
print(f"cpu {total:.2f} s, {sum(acc.values()):.2f} s in DataFrame calls; load {os.getloadavg()}")
by_function = collections.Counter()
for k, v in acc.items():
    by_function[k.split(" ")[1] + (" (find_all)" if "<-" in k else "")] += v
for k, v in by_function.most_common(top):
    print(f"  {v:7.3f} {100 * v / total:5.1f}%  {k}")
print()
for k, v in acc.most_common(top):
    print(f"{v:7.3f} {100 * v / total:5.1f}% {calls[k]:4d}  {k}")
