"""When runs start by themselves: a nightly schedule and a sensor on the raw folder.

Both launch the same job (every asset). Runs they launch wait in Dagster's run queue
(max_concurrent_runs: 1 in dagster.yaml) and hold the build lock while they run, so they
never overlap each other nor a `make run`.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import dagster as dg

from orchestration import settings
from orchestration.ingest.discover import discover, rel_path

def _default_status(kind):
    """RUNNING, unless FUNDWATCH_AUTOMATION=off (a UI session or test that launches its own runs only)."""
    off = os.environ.get("FUNDWATCH_AUTOMATION", "on").strip().lower() in {"off", "0", "false", "no"}
    return kind.STOPPED if off else kind.RUNNING


everything_job = dg.define_asset_job(
    "fundwatch_everything", selection=dg.AssetSelection.all(),
    description="Ingest, parse, build the dbt models, check, and publish the warehouse.",
    # run monitoring (dagster.yaml) fails a run whose worker died (kill -9) once past this,
    # so a dead run cannot hold the one-run queue forever
    tags={"dagster/max_runtime": str(6 * 3600)},
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_fundwatch", job=everything_job, cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris", default_status=_default_status(dg.DefaultScheduleStatus),
    description="Every night at 02:00 Paris time: pick up new articles and republish.",
)

CURSOR_VERSION = 2
_HASH_LIMIT = 64 * 1024 * 1024  # bigger files (quarantined anyway) are fingerprinted by size and mtime only


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]


def folder_fingerprint(previous: dict[str, list] | None = None) -> dict[str, list]:
    """path → [size, mtime_ns, content hash] for every file of the raw folder a run would look at.

    A file whose size and mtime are unchanged since `previous` keeps its hash without being
    read again, so a tick on a large unchanged folder costs one stat per file.
    """
    raw = settings.raw_dir()
    if not raw.is_dir():
        return {}
    root = raw.resolve()
    found, manifests = discover(raw)
    previous = previous or {}
    prints: dict[str, list] = {}
    candidates = [(f.rel, f.path, f.problem) for f in found] + [(rel_path(m, root), m, None) for m in manifests]
    for rel, path, problem in candidates:
        if problem:
            prints[rel] = [0, 0, problem[0]]  # quarantined without being opened: its reason is its print
            continue
        try:
            stat = path.stat()
        except OSError:
            continue
        size, mtime = stat.st_size, stat.st_mtime_ns
        old = previous.get(rel)
        if old and old[0] == size and old[1] == mtime:
            prints[rel] = old
            continue
        try:
            digest = _hash(path) if size <= _HASH_LIMIT else f"size:{size}"
        except OSError:
            digest = "unreadable"
        prints[rel] = [size, mtime, digest]
    return prints


def _contents(prints: dict[str, list]) -> dict[str, str]:
    return {path: str(value[2]) for path, value in prints.items()}


def read_cursor(cursor: str | None) -> tuple[int, dict[str, list] | None]:
    """(sequence number, fingerprint) from a cursor; (0, None) for none or an older format."""
    if not cursor:
        return 0, None
    try:
        data = json.loads(cursor)
    except ValueError:
        return 0, None
    if not isinstance(data, dict) or data.get("v") != CURSOR_VERSION:
        return 0, None
    return int(data.get("seq", 0)), data.get("files") or {}


@dg.sensor(name="raw_folder_sensor", job=everything_job, minimum_interval_seconds=60,
           default_status=_default_status(dg.DefaultSensorStatus),
           description="Starts a run when a file of the raw folder is added, changed (new content) or removed. "
                       "Its cursor (path → size, mtime, content hash) lives in the Dagster instance, so it "
                       "survives restarts; touching a file without changing it starts nothing.")
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    seq, previous = read_cursor(context.cursor)
    current = folder_fingerprint(previous)
    if previous is not None and _contents(previous) == _contents(current):
        if previous != current:  # touched, not changed: remember the new mtimes, start nothing
            context.update_cursor(json.dumps({"v": CURSOR_VERSION, "seq": seq, "files": current}, sort_keys=True))
        return dg.SkipReason("raw folder unchanged")
    context.update_cursor(json.dumps({"v": CURSOR_VERSION, "seq": seq + 1, "files": current}, sort_keys=True))
    if previous is None and not current:
        return dg.SkipReason("raw folder empty")
    before, after = _contents(previous or {}), _contents(current)
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p])
    digest = hashlib.sha256(json.dumps(after, sort_keys=True).encode()).hexdigest()[:12]
    context.log.info(f"raw folder: {len(added)} added, {len(changed)} changed, {len(removed)} removed")
    # the sequence number makes the key unique even when the folder returns to an earlier state
    return dg.RunRequest(run_key=f"raw-{seq + 1}-{digest}", tags={
        "fundwatch/added": str(len(added)), "fundwatch/changed": str(len(changed)),
        "fundwatch/removed": str(len(removed)),
        "fundwatch/example": ", ".join((added + changed + removed)[:3])[:200],
    })
