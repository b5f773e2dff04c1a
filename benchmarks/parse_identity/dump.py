"""Dump the ingest and extraction frames of a corpus to parquet, with timings (wall, CPU, load, peak RSS).

Run from the checkout whose code is measured (it imports `orchestration` from the current directory):

    .venv/bin/python benchmarks/parse_identity/dump.py c10k /path/to/raw /tmp/parseperf/baseline
    .venv/bin/python benchmarks/parse_identity/dump.py c10k x /tmp/parseperf/new \
        --from-articles /tmp/parseperf/baseline/c10k/articles.parquet     # parse only, same input
    .venv/bin/python benchmarks/parse_identity/compare.py /tmp/parseperf/baseline /tmp/parseperf/new

Timings are appended to OUTDIR/timings.jsonl. CPU seconds count all threads (and the ingest's worker
processes); on a shared machine they are the figures to compare, with the load average beside them.
"""
import argparse, json, os, resource, sys, time
from pathlib import Path
sys.path.insert(0, os.getcwd())
import polars as pl

p = argparse.ArgumentParser()
p.add_argument("name"); p.add_argument("folder"); p.add_argument("out")
p.add_argument("--batch", type=int, default=0)
p.add_argument("--from-articles", default=None, help="skip ingest: read the articles frame from this parquet")
p.add_argument("--no-write", action="store_true")
p.add_argument("--profile", default=None, help="write a pyinstrument html/text profile of extract here")
a = p.parse_args()
out = Path(a.out) / a.name
out.mkdir(parents=True, exist_ok=True)
res = {"name": a.name, "load_before": os.getloadavg()}
from orchestration.parsing import extract
from orchestration.parsing.places import gazetteer, demonym_table
if a.from_articles:
    arts = pl.read_parquet(a.from_articles)
else:
    from orchestration.ingest import read_raw_folder
    ch = lambda: sum(getattr(resource.getrusage(resource.RUSAGE_CHILDREN), f) for f in ("ru_utime", "ru_stime"))
    t0, c0, k0 = time.monotonic(), time.process_time(), ch()
    r = read_raw_folder(Path(a.folder))
    res["ingest_s"], res["ingest_cpu_s"] = round(time.monotonic() - t0, 2), round(time.process_time() - c0 + ch() - k0, 2)
    res["ingest_workers_cpu_s"] = round(ch() - k0, 2)
    arts = r.articles.filter(~pl.col("path").str.to_lowercase().str.ends_with("readme.md"))
    if not a.no_write:
        arts.write_parquet(out / "articles.parquet")
        r.quarantine.drop("seen_at").write_parquet(out / "quarantine.parquet")
        r.files.drop("stat_key", "meta_key").write_parquet(out / "files.parquet")
    res["rss_after_ingest_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
gazetteer(); demonym_table()  # warm: built once per process
mb = int(arts["text"].str.len_bytes().sum()) / 1e6
res["articles"], res["text_mb"] = arts.height, round(mb, 2)
prof = None
if a.profile:
    from pyinstrument import Profiler
    prof = Profiler(interval=0.005); prof.start()
t0, c0 = time.monotonic(), time.process_time()
if a.batch:
    parts = [extract(arts.slice(s, a.batch)) for s in range(0, arts.height, a.batch)]
    ex = type(parts[0])(*(pl.concat([getattr(x, f) for x in parts], how="vertical_relaxed") for f in parts[0]._fields))
else:
    ex = extract(arts)
w, c = time.monotonic() - t0, time.process_time() - c0
if prof:
    prof.stop()
    Path(a.profile).write_text(prof.output_text(unicode=False, color=False, show_all=False))
res.update(parse_s=round(w, 2), parse_cpu_s=round(c, 2), mb_s=round(mb / w, 2), mb_cpu_s=round(mb / c, 2),
           articles_s=round(arts.height / w), peak_rss_mb=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
           load_after=os.getloadavg(), rows={f: getattr(ex, f).height for f in ex._fields})
if not a.no_write:
    for f in ex._fields:
        getattr(ex, f).write_parquet(out / f"{f}.parquet")
print(json.dumps(res))
with open(Path(a.out) / "timings.jsonl", "a") as fh:
    fh.write(json.dumps(res) + "\n")
