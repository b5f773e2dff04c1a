"""python -m orchestration.report [WAREHOUSE] [OUT.html]: the report from the published warehouse, by hand."""
from __future__ import annotations

import sys
from pathlib import Path

from orchestration import settings
from orchestration.report import build_report


def main(argv: list[str]) -> int:
    warehouse = Path(argv[1]) if len(argv) > 1 else settings.warehouse_path()
    out = Path(argv[2]) if len(argv) > 2 else settings.artifacts_dir() / "reports" / "ecosystem.html"
    if not warehouse.is_file():
        print(f"fundwatch: there is no warehouse at {warehouse}: run `make run` first", file=sys.stderr)
        return 2
    built = build_report(warehouse, out, raw_dir=settings.raw_dir())
    print(f"fundwatch: report written to {built.path} ({built.bytes // 1024} KB, charts: {', '.join(built.charts) or 'none'})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
