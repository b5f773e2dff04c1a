"""What `make run` shows while it runs: one line per stage, with its figures and elapsed time.

`RunProgress` listens to the events of the in-process Dagster run (`instance.add_event_listener`)
as they are stored, so it sees what the Dagster UI sees:

- a live line with elapsed time (and a bar when the stage's size is known: the dbt stage
  counts its models and tests) while a stage runs, on a terminal;
- one line per finished stage: articles read, parsed, quarantined; models built; checks
  passed and failed; the report; the publication;
- the same line is written back into the run's own event log (an engine event), so the
  Dagster UI's run log shows the figures the terminal showed;
- Dagster's verbose console log goes to a file (`$DAGSTER_HOME/logs/last_run.log`),
  not to the terminal.

An asset that loops over many items can drive its stage's bar by logging
`progress(context, done, total, "articles")` (a plain log line, shown in the UI too).
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

PROGRESS_RE = re.compile(r"^progress (\d+)/(\d+)(?: (\w+))?")
DBT_NODE_RE = re.compile(r"^\s*(\d+) of (\d+) (?:OK|PASS|WARN|ERROR|FAIL|SKIP|NO-OP)\b")
MARK = "fundwatch ·"

#: step key → what a person calls that stage
STAGE_NAMES = {
    "raw__fx_rates": "ECB rates",
    "fx_rates": "ECB rates",
    "raw_articles": "read articles",
    "parsed_mentions": "parse articles",
    "raw__entity_aliases": "resolve names",
    "entity_aliases": "resolve names",
    "fundwatch_dbt_models": "dbt models and tests",
    "published_warehouse": "publish",
    "reports__ecosystem": "report",
    "reports__table_previews": "previews",
    "ecosystem_report": "report",
}
#: at most this many checks are named in a line
NAMED = 4


def progress(context: Any, done: int, total: int, unit: str = "items") -> None:
    """Log `progress done/total unit` from an asset: `make run` turns it into a bar, the UI shows the line."""
    context.log.info(f"progress {done}/{total} {unit}")


def stage_name(step_key: str | None) -> str:
    if not step_key:
        return "run"
    if step_key in STAGE_NAMES:
        return STAGE_NAMES[step_key]
    if "_no_" in step_key or step_key.endswith(("_check", "_checks")):
        return "checks"
    return step_key.replace("__", "/")


def _rows(metadata: dict) -> int | None:
    value = metadata.get("dagster/row_count")
    value = getattr(value, "value", value)
    return int(value) if isinstance(value, (int, float)) else None


def _value(metadata: dict, key: str):
    value = metadata.get(key)
    return getattr(value, "value", value)


@dataclass
class Stage:
    key: str
    name: str
    started: float
    expected: int | None = None
    done: int = 0
    materialized: dict[str, dict] = field(default_factory=dict)
    checks_passed: list[str] = field(default_factory=list)
    checks_failed: list[str] = field(default_factory=list)  # blocking (error severity)
    checks_warned: list[str] = field(default_factory=list)
    logs: list[str] = field(default_factory=list)
    bar: Any = None
    bar_unit: str = ""
    finished: bool = False
    dbt_done: int = 0

    def summary(self) -> str:
        """The stage's figures in a few words."""
        m = self.materialized
        parts: list[str] = []
        if "raw/articles" in m:
            parts.append(f"{_rows(m['raw/articles']) or 0} articles read")
            if "raw/quarantine" in m:
                parts.append(f"{_value(m['raw/quarantine'], 'skipped') or 0} quarantined")
        elif "raw/round_mentions" in m:
            articles = _value(m["raw/round_mentions"], "articles_parsed")
            news = {k.split("/")[-1]: _value(v, "new_rows") for k, v in m.items()}
            if articles is not None:
                parts.append(f"{articles} articles parsed")
            parts.append(", ".join(f"+{n} {t.replace('_', ' ')}" for t, n in news.items()
                                   if t in ("round_mentions", "investor_mentions", "figures") and n is not None))
        elif any(k.startswith(("staging/", "intermediate/", "marts/")) for k in m):
            marts = {k.split("/")[-1]: _rows(v) for k, v in m.items() if k.startswith("marts/")}
            parts.append(f"{len(m)} models built")
            shown = [f"{t} {n}" for t, n in marts.items() if t in ("rounds", "investors", "companies",
                                                                  "quality_issues") and n is not None]
            if shown:
                parts.append("marts: " + ", ".join(shown))
        elif "published_warehouse" in m:
            parts.append(f"published {_value(m['published_warehouse'], 'path') or ''}".strip())
        elif "reports/table_previews" in m:
            meta = m["reports/table_previews"]
            error = _value(meta, "error")
            parts.append(f"not built: {error}" if error else
                         f"{_value(meta, 'models')} models previewed (row counts, first rows)")
        elif "reports/ecosystem" in m:
            meta = m["reports/ecosystem"]
            error = _value(meta, "error")
            parts.append(f"not built: {error}" if error else f"{_value(meta, 'path')}")
        elif m:
            for key, meta in m.items():
                rows = _rows(meta)
                parts.append(f"{key} {rows} rows" if rows is not None else key)
        checks = len(self.checks_passed) + len(self.checks_failed) + len(self.checks_warned)
        if checks:
            text = f"checks: {len(self.checks_passed)} passed"
            if self.checks_warned:
                text += f", {len(self.checks_warned)} warned ({', '.join(self.checks_warned[:NAMED])}" \
                        + (", …)" if len(self.checks_warned) > NAMED else ")")
            if self.checks_failed:
                text += f", {len(self.checks_failed)} FAILED ({', '.join(self.checks_failed[:NAMED])}" \
                        + (", …)" if len(self.checks_failed) > NAMED else ")")
            parts.append(text)
        return "; ".join(p for p in parts if p)


class RunProgress:
    """An event listener for one run: prints stage lines and bars, writes the detailed log file."""

    def __init__(self, out: IO[str] | None = None, log_path: Path | None = None, live: bool | None = None,
                 expected: dict[str, int] | None = None, started: float | None = None):
        self.out = out or sys.stdout
        self.live = self.out.isatty() if live is None else live
        self.expected = expected or {}
        self.started = started or time.monotonic()
        self.stages: dict[str, Stage] = {}
        self.lines: list[str] = []
        self.instance = None
        self.run_id: str | None = None
        self._log = None
        self.log_path = log_path
        if log_path:
            log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(log_path, "w", encoding="utf-8")
        self._lock = threading.RLock()
        self._checks: Stage | None = None
        self._checks_steps, self._checks_elapsed = 0, 0.0
        self._ticker: threading.Thread | None = None
        self._stop = threading.Event()

    # -- wiring ------------------------------------------------------------------------------
    def attach(self, instance, run_id: str) -> "RunProgress":
        self.instance, self.run_id = instance, run_id
        instance.add_event_listener(run_id, self)
        if self.live:
            self._ticker = threading.Thread(target=self._tick, name="fundwatch-progress", daemon=True)
            self._ticker.start()
        return self

    def close(self) -> None:
        self._stop.set()
        if self._ticker:
            self._ticker.join(timeout=2)
        with self._lock:
            self.flush()
            for stage in self.stages.values():
                self._close_bar(stage)
            if self._log:
                self._log.close()
                self._log = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- events ------------------------------------------------------------------------------
    def __call__(self, entry) -> None:
        try:
            with self._lock:
                self._handle(entry)
        except Exception as exc:  # progress display must never break a run
            self._write_log(f"(progress display error: {exc!r})")

    def _handle(self, entry) -> None:
        event = entry.dagster_event
        self._write_log(self._format_log(entry))
        if event is None:
            stage = self.stages.get(entry.step_key or "")
            message = entry.user_message or ""
            match = PROGRESS_RE.match(message)
            if stage and match:
                self._advance(stage, int(match.group(1)), int(match.group(2)), match.group(3) or "")
            elif stage:
                stage.logs.append(message)
            return
        kind = event.event_type_value
        key = event.step_key or entry.step_key
        if kind == "STEP_START" and key:
            stage = self.stages[key] = Stage(key, stage_name(key), time.monotonic(), self.expected.get(key))
            if stage.expected and stage.expected > 1:
                self._open_bar(stage, stage.expected, "assets and checks")
        elif kind == "ASSET_MATERIALIZATION" and key in self.stages:
            stage = self.stages[key]
            materialization = event.step_materialization_data.materialization
            stage.materialized[materialization.asset_key.to_user_string()] = dict(materialization.metadata)
            self._step(stage)
        elif kind == "ASSET_CHECK_EVALUATION" and key in self.stages:
            stage = self.stages[key]
            data = event.event_specific_data
            name = data.check_name
            if data.passed:
                stage.checks_passed.append(name)
            elif getattr(data.severity, "value", str(data.severity)).upper() == "ERROR":
                stage.checks_failed.append(name)
            else:
                stage.checks_warned.append(name)
            self._step(stage)
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and key in self.stages:
            stage = self.stages[key]
            stage.finished = True
            self._close_bar(stage)
            elapsed = time.monotonic() - stage.started
            if kind == "STEP_SUCCESS" and not stage.materialized and key not in self.expected:
                self._pending_checks(stage, elapsed)  # check-only steps: one line for a row of them
                return
            if kind == "STEP_SUCCESS":
                mark = "✗" if stage.checks_failed else "✓"
                detail = stage.summary()
            else:
                mark, detail = "✗", "failed: " + _failure_message(event)
            self._emit(f"{mark} {stage.name:<22} {elapsed:6.1f} s  {detail}".rstrip())
        elif kind == "STEP_SKIPPED" and key:
            self._emit(f"- {stage_name(key):<22} {'':>8}  skipped (an upstream stage failed)")

    # -- output ------------------------------------------------------------------------------
    def _pending_checks(self, stage: Stage, elapsed: float) -> None:
        if self._checks is None:
            self._checks = Stage("checks", "checks", stage.started)
            self._checks_steps, self._checks_elapsed = 0, 0.0
        self._checks.checks_passed += stage.checks_passed
        self._checks.checks_warned += stage.checks_warned
        self._checks.checks_failed += stage.checks_failed
        self._checks_steps += 1
        self._checks_elapsed += elapsed

    def flush(self) -> None:
        """Print the line of the check-only steps gathered so far."""
        checks, self._checks = self._checks, None
        if checks is None:
            return
        mark = "✗" if checks.checks_failed else "✓"
        steps = f"{self._checks_steps} step{'s' if self._checks_steps != 1 else ''}; "
        self._emit(f"{mark} {'checks':<22} {self._checks_elapsed:6.1f} s  {steps}{checks.summary()}".rstrip())

    def _emit(self, line: str) -> None:
        if self._checks is not None:
            self.flush()
        stamped = f"[{time.monotonic() - self.started:6.1f} s] {line}"
        self.lines.append(line)
        print(f"  {line}", file=self.out, flush=True)
        if self.instance is not None and self.run_id:
            try:  # the same figures in the Dagster UI's run log
                run = self.instance.get_run_by_id(self.run_id)
                self.instance.report_engine_event(f"{MARK} {line}", run)
            except Exception as exc:
                self._write_log(f"(could not add the progress line to the run log: {exc!r})")
        self._write_log(stamped)

    def _format_log(self, entry) -> str:
        when = dt.datetime.fromtimestamp(entry.timestamp).strftime("%H:%M:%S")
        event = entry.dagster_event
        kind = event.event_type_value if event else "LOG"
        text = entry.user_message or (event.message if event else "") or ""
        level = {10: "DEBUG", 20: "INFO", 30: "WARNING", 40: "ERROR", 50: "CRITICAL"}.get(entry.level, str(entry.level))
        return f"{when} {level:<7} {entry.step_key or '-':<32} {kind:<24} {text}"

    def _write_log(self, text: str) -> None:
        if self._log:
            self._log.write(text.rstrip() + "\n")
            self._log.flush()

    # -- bars --------------------------------------------------------------------------------
    def _open_bar(self, stage: Stage, total: int | None, unit: str) -> None:
        if not self.live:
            return
        from tqdm import tqdm

        stage.bar = tqdm(total=total, desc=f"  … {stage.name}", unit=f" {unit}" if unit else "", file=self.out,
                         leave=False, dynamic_ncols=True, mininterval=0.2,
                         bar_format="{desc} {bar} {n_fmt}/{total_fmt} {unit} [{elapsed}]" if total else
                         "{desc} [{elapsed}]")
        stage.bar_unit = unit

    def _close_bar(self, stage: Stage) -> None:
        if stage.bar is not None:
            stage.bar.close()
            stage.bar = None

    def _step(self, stage: Stage) -> None:
        stage.done += 1
        if stage.bar is not None and stage.bar_unit == "assets and checks":
            stage.bar.update(1)

    def _advance(self, stage: Stage, done: int, total: int, unit: str) -> None:
        if not self.live:
            return
        if stage.bar is None or stage.bar_unit != unit or stage.bar.total != total:
            self._close_bar(stage)
            self._open_bar(stage, total, unit)
        stage.bar.n = done
        stage.bar.refresh()

    def _dbt_node(self, number: int, total: int) -> None:
        running = [st for st in self.stages.values() if not st.finished]
        if not running:
            return
        stage = running[-1]
        stage.dbt_done += 1
        if not self.live:
            return
        if stage.bar is None or stage.bar_unit != "dbt nodes":
            self._close_bar(stage)
            self._open_bar(stage, total, "dbt nodes")
        stage.bar.n = min(stage.dbt_done, total)
        stage.bar.refresh()

    def _tick(self) -> None:
        """A live line with elapsed time for a running stage without a bar of its own."""
        while not self._stop.wait(0.5):
            with self._lock:
                for stage in self.stages.values():
                    if not stage.finished and time.monotonic() - stage.started > 1.0:
                        if stage.bar is None:
                            self._open_bar(stage, None, "")
                        stage.bar.refresh()


def _failure_message(event) -> str:
    data = event.step_failure_data
    error = data.error if data else None
    if error is None:
        return "see the log"
    while error.cause is not None and "DagsterExecutionStepExecutionError" in (error.cls_name or ""):
        error = error.cause
    message = (error.message or "").strip().splitlines()
    text = message[0] if message else (error.cls_name or "error")
    if data.user_failure_data and data.user_failure_data.description:
        text = data.user_failure_data.description
    return text[:300]


def expected_events(defs) -> dict[str, int]:
    """step key → assets + checks it reports (for the bars): the multi-asset steps, dbt above all."""
    expected: dict[str, int] = {}
    for assets_def in set(defs.get_repository_def().assets_defs_by_key.values()):
        try:
            name = assets_def.node_def.name
        except Exception:
            continue
        expected[name] = len(assets_def.keys) + len(list(assets_def.check_keys))
    return expected


class timed:
    """A stage outside the Dagster run (parsing the dbt project, loading the code): a line with its time."""

    def __init__(self, name: str, out: IO[str] | None = None, quiet_under: float = 0.5):
        self.name, self.out, self.quiet_under = name, out or sys.stdout, quiet_under
        self.live = self.out.isatty()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def __enter__(self):
        self.started = time.monotonic()
        if self.live:
            self._thread = threading.Thread(target=self._spin, daemon=True)
            self._thread.start()
        return self

    def _spin(self) -> None:
        while not self._stop.wait(0.25):
            self.out.write(f"\r  … {self.name:<22} {time.monotonic() - self.started:6.1f} s")
            self.out.flush()

    def __exit__(self, exc_type, *rest):
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=1)
            self.out.write("\r\033[K")
        elapsed = time.monotonic() - self.started
        if exc_type is None and elapsed >= self.quiet_under:
            print(f"  ✓ {self.name:<22} {elapsed:6.1f} s", file=self.out, flush=True)
        return False


QUIET_CONSOLE = {"loggers": {"console": {"config": {"log_level": "CRITICAL"}}}}


def log_path_for(instance) -> Path:
    return Path(instance.root_directory) / "logs" / "last_run.log"


def execute_with_progress(job, instance, defs, out: IO[str] | None = None):
    """`job.execute_in_process` with stage lines on `out` and Dagster's own log in a file, not the terminal."""
    import warnings

    from dagster._core.utils import make_new_run_id

    out = out or sys.stdout
    run_id = make_new_run_id()
    log_path = log_path_for(instance)
    print(f"fundwatch: run {run_id[:8]}; Dagster's detailed log: {log_path}", file=out, flush=True)
    with RunProgress(out, log_path, expected=expected_events(defs)) as display:
        display.attach(instance, run_id)
        previous = warnings.showwarning

        def to_log(message, category, filename, lineno, file=None, line=None):
            display._write_log(f"{category.__name__}: {message} ({filename}:{lineno})")

        warnings.showwarning = to_log  # library warnings (polars, duckdb, dagster) go to the log file
        sink = _LogSink(display)
        try:  # dbt's own console output (dagster-dbt writes it to sys.stdout) goes to the log file too
            with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
                result = job.execute_in_process(instance=instance, raise_on_error=False, run_id=run_id,
                                                run_config=QUIET_CONSOLE)
        finally:
            warnings.showwarning = previous
        with display._lock:
            display.flush()
        if not result.success:  # stages downstream of a failure never start: say so
            with display._lock:
                for step in display.expected:
                    if step not in display.stages:
                        display._emit(f"- {stage_name(step):<22} {'':>8}  not run (an upstream stage failed)")
        return result


class _LogSink(io.TextIOBase):
    """A text stream that appends to the run's log file."""

    def __init__(self, display: RunProgress):
        self.display = display

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if text.strip():
            with self.display._lock:
                self.display._write_log(text)
                for line in text.splitlines():
                    match = DBT_NODE_RE.match(line)
                    if match:  # dbt's own "12 of 146 OK created …": the finest progress there is
                        self.display._dbt_node(int(match.group(1)), int(match.group(2)))
        return len(text)


def extract_in_batches(extract, articles, context=None, batch: int = 10_000):
    """`extract(articles)` in batches of `batch` articles, logging `progress done/total articles` after each.

    10,000 articles: `extract` itself reads them in two batches of 5,000 at once (both cores);
    larger batches than 2,000 cut the engine's fixed cost per batch (-11% CPU at 10k, +160 MB).

    The engine reads each article on its own (incremental runs rely on it), so the batches'
    results put end to end are the whole corpus's. `make run` turns the log lines into a bar.
    """
    import polars as pl

    total = articles.height
    if total <= batch:
        return extract(articles)
    parts = []
    for start in range(0, total, batch):
        parts.append(extract(articles.slice(start, batch)))
        if context is not None:
            progress(context, min(start + batch, total), total, "articles")
    return type(parts[0])(*(pl.concat([getattr(p, field) for p in parts], how="vertical_relaxed")
                            for field in parts[0]._fields))
