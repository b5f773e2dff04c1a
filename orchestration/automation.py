"""When runs start by themselves: a nightly schedule and a sensor on the raw folder."""

import hashlib
import json

import dagster as dg

from orchestration import settings
from orchestration.ingest.discover import discover

everything_job = dg.define_asset_job(
    "fundwatch_everything", selection=dg.AssetSelection.all(),
    description="Ingest, parse, build the dbt models, check, and publish the warehouse.",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_fundwatch", job=everything_job, cron_schedule="0 2 * * *",
    execution_timezone="Europe/Paris", default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Every night at 02:00 Paris time: pick up new articles and republish.",
)


def folder_fingerprint() -> dict[str, list[float]]:
    """path → [mtime, size] for every article file and manifest of the raw folder."""
    raw = settings.raw_dir()
    if not raw.is_dir():
        return {}
    found, manifests = discover(raw)
    prints: dict[str, list[float]] = {}
    for path in [f.path for f in found] + manifests:
        try:
            stat = path.stat()
        except OSError:
            continue
        prints[path.relative_to(raw.resolve()).as_posix() if path.is_absolute() else str(path)] = [stat.st_mtime, stat.st_size]
    return prints


@dg.sensor(name="raw_folder_sensor", job=everything_job, minimum_interval_seconds=60,
           default_status=dg.DefaultSensorStatus.RUNNING,
           description="Starts a run when a file of the raw folder is added, changed or removed.")
def raw_folder_sensor(context: dg.SensorEvaluationContext):
    current = folder_fingerprint()
    previous = json.loads(context.cursor) if context.cursor else None
    if previous == current:
        return dg.SkipReason("raw folder unchanged")
    context.update_cursor(json.dumps(current, sort_keys=True))
    if previous is None and not current:
        return dg.SkipReason("raw folder empty")
    changed = sorted(set(current) ^ set(previous or {}) | {p for p in current if (previous or {}).get(p) != current[p]})
    run_key = hashlib.sha256(json.dumps(current, sort_keys=True).encode()).hexdigest()[:16]
    return dg.RunRequest(run_key=run_key, tags={"fundwatch/changed_files": str(len(changed))})
