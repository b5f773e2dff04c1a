"""The ecosystem report: a self-contained HTML page with charts, built from the marts.

Pure code (DuckDB, polars, Altair, vl-convert), no Dagster: the asset in
`orchestration/assets/report.py` calls `build_report`, and so can anyone:

    python -m orchestration.report [WAREHOUSE] [OUT.html]
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from orchestration.report.charts import all_charts
from orchestration.report.data import ReportData, load
from orchestration.report.page import render


@dataclass
class BuiltReport:
    path: Path
    data: ReportData
    charts: list[str]
    bytes: int


def build_report(warehouse: Path, out: Path, raw_dir: Path | None = None) -> BuiltReport:
    """Read `warehouse` (read-only) and write the report to `out`, replacing it atomically."""
    data = load(warehouse)
    charts = all_charts(data)
    html = render(data, charts, raw_dir=raw_dir, cache_dir=out.parent)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".ecosystem.", suffix=".html", dir=out.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(html)
    os.chmod(tmp, 0o644)
    os.replace(tmp, out)
    return BuiltReport(out, data, [k for k, v in charts.items() if v is not None], out.stat().st_size)


__all__ = ["BuiltReport", "build_report"]
