"""`make bench`: how fundwatch's cost grows with the corpus.

    python -m benchmarks.run                          # 1k, 10k and 100k articles
    python -m benchmarks.run --sizes 1000,10000       # a subset
    python -m benchmarks.run --sizes 10000 --profile  # and a pyinstrument profile of the full run

The pipeline runs from a snapshot of HEAD (`git archive` to a temporary folder; `--worktree` to
run the working tree instead), so that edits made while it runs cannot invalidate its caches.
For each size N it
1. generates (or reuses) a corpus of N articles of about 4 KB (benchmarks/corpus.py) under
   benchmarks/corpora/ (git-ignored), and works on a hard-linked copy of it;
2. times the parse stage in this process: `read_raw_folder` (ingest) then
   `orchestration.parsing.extract` on the articles frame (MB/s and articles/s of text);
3. times three runs of `python -m orchestration.cli run` (what `make run` calls) into a fresh
   warehouse: a full run; an incremental run after adding 1% new articles; a run with nothing new;
   sampling the resident memory of the whole process tree (Python, dbt) every 0.2 s;
4. scores the published warehouse against the generated truth (benchmarks/score.py, which runs
   shared/tools/evaluate.py with exact blocked matching);
5. records each run's Dagster step durations (from the run's event log) to show where time goes.

It prints a table and writes everything to benchmarks/results/<size>.json; `--write-results`
rewrites the table block of benchmarks/RESULTS.md between its markers.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from benchmarks.corpus import FORMAT_VERSION, extend, generate

REPO = Path(__file__).resolve().parent.parent
CODE = REPO  # where the pipeline runs from: a snapshot of HEAD (default), or REPO with --worktree
CORPORA = REPO / "benchmarks" / "corpora"
RESULTS_DIR = REPO / "benchmarks" / "results"
RESULTS_MD = REPO / "benchmarks" / "RESULTS.md"
BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
MAX_RSS_MB: float | None = 10 * 1024  # a run whose process tree passes this is stopped (--max-rss-gb)


# ------------------------------------------------------------------------------ memory
def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            tree.setdefault(int(fields[1]), []).append(int(entry.name))
        except (OSError, IndexError):
            continue
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeMemory:
    """Peak resident memory of a process and all its descendants (summed), sampled."""

    def __init__(self, pid: int, every: float = 0.2, limit_mb: float | None = None):
        self.pid, self.every, self.limit_kb = pid, every, (limit_mb or 0) * 1024
        self.peak_kb = self.peak_single_kb = 0
        self.stopped_at_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            tree, todo, total, single = _children(), [self.pid], 0, 0
            while todo:
                pid = todo.pop()
                rss = _rss_kb(pid)
                total += rss
                single = max(single, rss)
                todo.extend(tree.get(pid, []))
            self.peak_kb = max(self.peak_kb, total)
            self.peak_single_kb = max(self.peak_single_kb, single)
            if self.limit_kb and total > self.limit_kb and not self.stopped_at_kb:
                self.stopped_at_kb = total  # the machine is shared: a runaway run is stopped, not waited for
                try:
                    os.killpg(self.pid, 15)
                except OSError:
                    pass
            self._stop.wait(self.every)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


# ------------------------------------------------------------------------------ machine
def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": mem_gb, "python": platform.python_version(),
            "os": f"{platform.system()} {platform.release()}", "load_average": os.getloadavg()}


def versions() -> dict:
    out = {}
    for name in ("dagster", "dagster_dbt", "dbt.version", "duckdb", "polars"):
        try:
            module = __import__(name, fromlist=["__version__"])
            out[name.split(".")[0]] = getattr(module, "__version__", None) or getattr(module, "installed", None)
        except Exception:  # noqa: BLE001 - a report, not a requirement
            pass
    out["dbt"] = str(out.get("dbt"))
    return out


# ------------------------------------------------------------------------------ steps
def corpus_for(size: int, seed: int) -> Path:
    """benchmarks/corpora/c<size>: generated once per (size, seed), reused afterwards."""
    base = CORPORA / f"c{size}-s{seed}-v{FORMAT_VERSION}"
    meta = base / "corpus.json"
    if meta.exists():
        info = json.loads(meta.read_text())
        if info.get("articles") == size and info.get("seed") == seed and info.get("version") == FORMAT_VERSION:
            return base
    started = time.monotonic()
    print(f"  generating {size:,} articles into {base} …", flush=True)
    generate(base, size, seed=seed)
    print(f"  generated in {time.monotonic() - started:.0f} s", flush=True)
    return base


def working_copy(base: Path, work: Path) -> Path:
    """A hard-linked copy of the corpus: free on disk; extending it never touches the original."""
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    subprocess.run(["cp", "-al", str(base / "raw"), str(work / "raw")], check=True)
    for name in ("gold.json", "corpus.json"):
        shutil.copyfile(base / name, work / name)
    return work


def time_parse(raw: Path) -> dict:
    """Ingest then extract, in this process, on the whole corpus."""
    if str(CODE) not in sys.path:
        sys.path.insert(0, str(CODE))
    from orchestration.ingest import read_raw_folder
    from orchestration.parsing import extract

    t0, c0 = time.monotonic(), time.process_time()
    result = read_raw_folder(raw)
    t1, c1 = time.monotonic(), time.process_time()
    articles = result.articles
    text_bytes = int(articles["text"].str.len_bytes().sum())
    extraction = extract(articles)
    t2, c2 = time.monotonic(), time.process_time()
    rows = {name: getattr(extraction, name).height for name in extraction._fields}
    # CPU seconds (all threads) next to wall seconds: on a shared machine the wall clock mostly measures
    # the neighbours; CPU time does not (polars may use both cores, so CPU can exceed wall)
    return {"ingest_s": round(t1 - t0, 2), "ingest_cpu_s": round(c1 - c0, 2), "parse_s": round(t2 - t1, 2),
            "parse_cpu_s": round(c2 - c1, 2), "articles": articles.height, "text_mb": round(text_bytes / 1e6, 2),
            "parse_mb_s": round(text_bytes / 1e6 / (t2 - t1), 2),
            "parse_mb_cpu_s": round(text_bytes / 1e6 / max(c2 - c1, 1e-9), 2),
            "parse_articles_s": round(articles.height / (t2 - t1)), "rows": rows}


def pipeline_run(raw: Path, warehouse: Path, home: Path, log: Path, profile: Path | None = None,
                 timeout: float | None = None) -> dict:
    """`python -m orchestration.cli run`, timed, with the peak memory of its process tree.

    With `timeout`, a run still going after that many seconds is stopped (its whole process group)
    and reported as exit code "timeout", with the steps it had finished."""
    env = {**os.environ, "FUNDWATCH_RAW_DIR": str(raw), "FUNDWATCH_WAREHOUSE": str(warehouse),
           "DAGSTER_HOME": str(home), "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    cmd = [sys.executable, "-m", "orchestration.cli", "run"]
    if profile is not None:
        cmd = [sys.executable, "-m", "pyinstrument", "--renderer", "text", "--outfile", str(profile),
               "-m", "orchestration.cli", "run"]
    import resource

    load_before = os.getloadavg()[0]
    began = time.time()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=CODE, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        with TreeMemory(proc.pid, limit_mb=MAX_RSS_MB) as mem:
            try:
                code = proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, 15)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, 9)
                    proc.wait()
                code = "timeout"
        if mem.stopped_at_kb:
            code = f"stopped at {mem.stopped_at_kb / 1024 / 1024:.1f} GB"
    seconds = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": round(seconds, 1), "cpu_s": round(cpu, 1), "exit_code": code, "peak_rss_mb": round(mem.peak_kb / 1024),
            "peak_single_rss_mb": round(mem.peak_single_kb / 1024), "load_before": round(load_before, 2),
            "load_after": round(os.getloadavg()[0], 2), "log": str(log), "steps": step_durations(home, began),
            "dbt": dbt_timings(log)}


def dbt_timings(log: Path, top: int = 8) -> dict:
    """The run's dbt run_results.json (dagster-dbt keeps one target folder per run): total and slowest nodes."""
    import re

    try:
        match = re.search(r"fundwatch: run ([0-9a-f]{8})", log.read_text(errors="replace"))
        if not match:
            return {}
        folders = sorted((CODE / "dbt_project" / "target").glob(f"fundwatch_dbt_models-{match.group(1)[:7]}-*"))
        if not folders:
            return {}
        if not (folders[-1] / "run_results.json").exists():
            return _dbt_log_timings(folders[-1] / "dbt.log", top)
        results = json.loads((folders[-1] / "run_results.json").read_text())
    except (OSError, ValueError):
        return {}
    nodes = sorted(results.get("results", []), key=lambda r: -r.get("execution_time", 0))
    by_kind: dict[str, float] = {}
    for r in nodes:
        kind = r["unique_id"].split(".")[0]
        by_kind[kind] = round(by_kind.get(kind, 0) + r.get("execution_time", 0), 1)
    return {"elapsed_s": round(results.get("elapsed_time", 0), 1), "nodes": len(nodes), "by_kind_s": by_kind,
            "slowest": [[r["unique_id"].split(".")[-1], round(r["execution_time"], 1)] for r in nodes[:top]]}


def _dbt_log_timings(log: Path, top: int) -> dict:
    """A dbt run stopped before writing run_results.json: its finished nodes from dbt.log, and the one it was on."""
    done, running = [], None
    for line in log.read_text(errors="replace").splitlines():
        if '"description"' not in line:
            continue
        try:
            data = json.loads(line)["data"]
        except (ValueError, KeyError):
            continue
        name = data.get("description", "").split(".")[-1]
        if "execution_time" in data:
            done.append([name, round(data["execution_time"], 1)])
            running = None if running == name else running
        elif "index" in data:
            running = name
    done.sort(key=lambda x: -x[1])
    return {"stopped": True, "nodes_done": len(done), "running_at_stop": running, "slowest": done[:top]}


def step_durations(home: Path, since: float = 0.0) -> dict[str, float]:
    """Seconds per Dagster step of the latest run recorded in DAGSTER_HOME (from its event log);
    a step that started and never finished shows as a negative number: minus the time it had run.
    Empty when that run began before `since` (epoch seconds): a run answered before Dagster
    started (nothing new) has no steps of its own."""
    code = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
import dagster as dg
with dg.DagsterInstance.get() as instance:
    runs = instance.get_runs(limit=1)
    if not runs:
        print("{}"); sys.exit()
    starts, out = {}, {}
    logs = instance.all_logs(runs[0].run_id)
    if not logs or logs[0].timestamp < float(sys.argv[1]):
        print("{}"); sys.exit()
    for rec in logs:
        ev = rec.dagster_event
        if ev is None or not ev.step_key:
            continue
        if ev.event_type == dg.DagsterEventType.STEP_START:
            starts[ev.step_key] = rec.timestamp
        elif ev.event_type in (dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.STEP_FAILURE):
            out[ev.step_key] = round(rec.timestamp - starts.get(ev.step_key, rec.timestamp), 2)
        last = rec.timestamp
    for key, started in starts.items():
        out.setdefault(key, -round(last - started, 2))
    print(json.dumps(out))
"""
    try:
        done = subprocess.run([sys.executable, "-c", code, str(since)], cwd=CODE, capture_output=True, text=True, timeout=300,
                              env={**os.environ, "DAGSTER_HOME": str(home)})
        return json.loads(done.stdout.strip().splitlines()[-1])
    except Exception as exc:  # noqa: BLE001 - a breakdown is a bonus, not the benchmark
        return {"error": str(exc)[:200]}


def bench_size(size: int, seed: int, profile: bool, skip_parse: bool, timeout: float | None = None) -> dict:
    print(f"\n== {size:,} articles", flush=True)
    base = corpus_for(size, seed)
    work = working_copy(base, CORPORA / f"work-{size}")
    raw, warehouse, home = work / "raw", work / "warehouse" / "fundwatch.duckdb", work / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    info = json.loads((base / "corpus.json").read_text())
    result: dict = {"articles": size, "seed": seed, "corpus_mb": round(info["bytes"] / 1e6, 1),
                    "started_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    if not skip_parse:
        result["parse"] = time_parse(raw)
        p = result["parse"]
        print(f"  ingest {p['ingest_s']} s, parse {p['parse_s']} s = {p['parse_mb_s']} MB/s, "
              f"{p['parse_articles_s']} articles/s", flush=True)
    prof = RESULTS_DIR / f"profile-{size}.txt" if profile else None
    result["full"] = pipeline_run(raw, warehouse, home, work / "full.log", prof, timeout=timeout)
    print(f"  full run {result['full']['seconds']} s (exit {result['full']['exit_code']}), "
          f"peak {result['full']['peak_rss_mb']} MB", flush=True)
    added = max(1, size // 100)
    if result["full"]["exit_code"] != 0:
        print("  the full run did not complete: no incremental runs", flush=True)
        result["incremental"] = result["noop"] = None
    else:
        ext = extend(work, added)
        result["incremental_added"] = added
        result["incremental_added_mb"] = round(ext["added_bytes"] / 1e6, 2)
        result["incremental"] = pipeline_run(raw, warehouse, home, work / "incremental.log", timeout=timeout)
        print(f"  incremental (+{added:,}) {result['incremental']['seconds']} s "
              f"(exit {result['incremental']['exit_code']})", flush=True)
        result["noop"] = pipeline_run(raw, warehouse, home, work / "noop.log", timeout=timeout)
        print(f"  nothing new {result['noop']['seconds']} s (exit {result['noop']['exit_code']})", flush=True)
    if warehouse.exists():
        from benchmarks.score import EVALUATE, score

        if EVALUATE.exists():
            started = time.monotonic()
            report = score(warehouse, work / "gold.json")
            result["score"] = {k: report[k] for k in ("precision", "recall", "f1", "matched", "rounds_required",
                                                      "rounds_predicted", "investors_precision",
                                                      "investors_recall", "fields",
                                                      "non_round_figures_taken_as_rounds", "non_rounds")}
            result["score_s"] = round(time.monotonic() - started, 1)
            s = result["score"]
            print(f"  F1 {s['f1']} (P {s['precision']} R {s['recall']}), investors P {s['investors_precision']} "
                  f"R {s['investors_recall']}", flush=True)
    result["peak_rss_mb"] = max(result[k]["peak_rss_mb"] for k in ("full", "incremental", "noop") if result[k])
    return result


# ------------------------------------------------------------------------------ table
def table(results: list[dict]) -> str:
    head = ("| articles | corpus MB | ingest s | parse s [CPU s] | parse MB/s [per CPU s] | parse articles/s | "
            "full run s [CPU s] | +1% run s [CPU s] | no-op run s [CPU s] | peak RSS MB | F1 (P / R) | investors P / R |")
    lines = [head, "|" + "---:|" * 12]
    for r in results:
        p = r.get("parse", {})
        s = r.get("score", {})
        f1 = f"{s['f1']:.3f} ({s['precision']:.3f} / {s['recall']:.3f})" if s else "n/a"
        inv = f"{s.get('investors_precision')} / {s.get('investors_recall')}" if s else "n/a"

        def run(key: str) -> str:
            x = r[key]
            if not x:
                return "n/a"
            cpu = f" [{x['cpu_s']:.0f}]" if "cpu_s" in x else ""
            return f"{x['seconds']:.1f}{cpu}" + ("" if x["exit_code"] == 0 else f" (exit {x['exit_code']})")

        parse_s = f"{p['parse_s']} [{p['parse_cpu_s']}]" if "parse_cpu_s" in p else p.get("parse_s", "n/a")
        mb_s = f"{p['parse_mb_s']} [{p['parse_mb_cpu_s']}]" if "parse_mb_cpu_s" in p else p.get("parse_mb_s", "n/a")
        ingest_s, per_s = p.get("ingest_s", "n/a"), p.get("parse_articles_s", "n/a")
        steps = (r.get("full") or {}).get("steps", {})
        if not p and (steps.get("parsed_mentions") or 0) > 0:  # --skip-parse: the full run's own steps
            sec = steps["parsed_mentions"]
            parse_s, mb_s = f"{sec:.1f} (run step)", f"{r['corpus_mb'] / sec:.2f} (run step)"
            per_s = round(r["articles"] / sec)
            ingest_s = f"{steps.get('raw_articles', 0):.1f} (run step)" if steps.get("raw_articles", 0) > 0 else "n/a"
        lines.append(f"| {r['articles']:,} | {r['corpus_mb']} | {ingest_s} | {parse_s} | "
                     f"{mb_s} | {per_s} | {run('full')} | "
                     f"{run('incremental')} | {run('noop')} | {r['peak_rss_mb']:,} | {f1} | {inv} |")
    return "\n".join(lines)


def steps_table(results: list[dict]) -> str:
    keys: list[str] = []
    for r in results:
        for run in ("full", "incremental", "noop"):
            for k in (r[run] or {}).get("steps", {}):
                if k != "error" and k not in keys:
                    keys.append(k)
    if not keys:
        return ""
    cols = [(r["articles"], run) for r in results for run in ("full", "incremental", "noop")
            if any(k != "error" for k in (r[run] or {}).get("steps", {}))]
    lines = ["| step | " + " | ".join(f"{n:,} {run}" for n, run in cols) + " |", "|---|" + "---:|" * len(cols)]
    for k in keys:
        cells = []
        for n, run in cols:
            r = next(x for x in results if x["articles"] == n)
            v = (r[run] or {}).get("steps", {}).get(k)
            cells.append("" if v is None else f"{v:.1f}")
        lines.append(f"| {k} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_results_md(results: list[dict], host: dict) -> None:
    runs = "; ".join(f"{r['articles']:,}: {r['started_at']}, code {r.get('commit')}, load average "
                     f"{r['full'].get('load_before')}" for r in results)
    block = "\n".join([
        BEGIN,
        f"Machine: {host['cpu']}, {host['cores']} cores, {host['memory_gb']} GB RAM, {host['os']}, "
        f"Python {host['python']}. Runs ({runs}).",
        "",
        table(results),
        "",
        "Seconds per Dagster step (from each run's event log):",
        "",
        steps_table(results),
        END,
    ])
    text = RESULTS_MD.read_text() if RESULTS_MD.exists() else f"# Benchmark results\n\n{BEGIN}\n{END}\n"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text += "\n" + block + "\n"
    RESULTS_MD.write_text(text)


def snapshot() -> tuple[Path, str]:
    """HEAD exported to a temporary folder: the benchmark measures one commit, and edits made in the
    working tree while it runs (a new parser version, a touched dbt model) cannot invalidate its
    caches between the full, incremental and no-op runs."""
    import tempfile

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True,
                            check=True).stdout.strip()
    target = Path(tempfile.mkdtemp(prefix=f"fundwatch-bench-{commit}-"))
    archive = subprocess.Popen(["git", "archive", "HEAD"], cwd=REPO, stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", str(target)], stdin=archive.stdout, check=True)
    archive.wait()
    return target, commit


def main(argv: list[str] | None = None) -> int:
    global CODE
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", action="store_true", help="profile each full run with pyinstrument")
    ap.add_argument("--skip-parse", action="store_true", help="skip the in-process parse timing")
    ap.add_argument("--write-results", action="store_true", help="rewrite the table in benchmarks/RESULTS.md")
    ap.add_argument("--timeout", type=float, default=None, help="stop a pipeline run after this many seconds")
    ap.add_argument("--max-rss-gb", type=float, default=10.0,
                    help="stop a run whose process tree holds more than this (0: no limit)")
    ap.add_argument("--report", action="store_true",
                    help="only rewrite RESULTS.md's table from benchmarks/results/<size>.json of --sizes")
    ap.add_argument("--worktree", action="store_true",
                    help="run the working tree's code instead of a snapshot of HEAD")
    args = ap.parse_args(argv)
    global MAX_RSS_MB
    MAX_RSS_MB = args.max_rss_gb * 1024 or None
    if args.report:
        found = [json.loads((RESULTS_DIR / f"{int(n)}.json").read_text()) for n in args.sizes.split(",")
                 if (RESULTS_DIR / f"{int(n)}.json").exists()]
        write_results_md(found, found[-1]["machine"])
        print(table(found))
        return 0
    commit = "working tree"
    if not args.worktree:
        CODE, commit = snapshot()
        print(f"code: snapshot of {commit} in {CODE}", flush=True)
    sizes = [int(s) for s in args.sizes.split(",") if s]
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    host = machine()
    print(f"fundwatch bench on {host['cpu']} ({host['cores']} cores, {host['memory_gb']} GB), "
          f"load {host['load_average'][0]:.1f}", flush=True)
    results = []
    for size in sizes:
        r = bench_size(size, args.seed, args.profile, args.skip_parse, args.timeout)
        r["machine"], r["versions"], r["commit"] = host, versions(), commit
        (RESULTS_DIR / f"{size}.json").write_text(json.dumps(r, indent=1, default=str))
        results.append(r)
    print()
    print(table(results))
    print()
    print(steps_table(results))
    if args.write_results:
        write_results_md(results, host)
        print(f"\nwrote {RESULTS_MD.relative_to(REPO)}")
    return 0 if all(r["full"]["exit_code"] == 0 for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
