"""The ecosystem report: built from a warehouse, opened offline in Chromium, charts rendered."""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import duckdb
import pytest

from tests.ux.browser import open_page, screenshot
from tests.ux.tiny_warehouse import make_tiny_warehouse

CHARTS = ["money_by_city", "rounds_over_time", "active_investors", "issues_by_check"]


def _check_rendered(report: Path, shot: Path, charts: list[str]) -> None:
    with open_page(report.resolve().as_uri()) as (page, visit):
        page.wait_for_function("document.body.dataset.charts !== 'pending'", timeout=30_000)
        assert page.evaluate("document.body.dataset.charts") in ("rendered", "none")
        for name in charts:
            marks = page.locator(f"#chart-{name} svg .mark-rect path, #chart-{name} svg .mark-rect rect, "
                                 f"#chart-{name} svg path.mark-rect")
            svg = page.locator(f"#chart-{name} svg")
            assert svg.count() >= 1, f"chart {name} has no SVG"
            box = svg.first.bounding_box()
            assert box and box["width"] > 100 and box["height"] > 50, f"chart {name} is empty: {box}"
            assert page.locator(f"#chart-{name} svg g.mark-rect path").count() > 0 or marks.count() > 0, \
                f"chart {name} drew no bar"
        screenshot(page, shot)
    assert not visit.console_errors, visit.console_errors
    assert not visit.page_errors, visit.page_errors
    assert not visit.network_requests, f"the report fetched {visit.network_requests}: it must read offline"


def test_report_on_a_small_warehouse_renders_offline(tmp_path):
    from orchestration.report import build_report

    warehouse = make_tiny_warehouse(tmp_path / "fundwatch.duckdb")
    raw = tmp_path / "raw"
    built = build_report(warehouse, tmp_path / "reports" / "ecosystem.html", raw_dir=raw)
    assert built.charts == CHARTS
    html = built.path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=\"http", html), "external script or stylesheet"
    # largest rounds link to their sources: the article's url, else the file in the raw folder
    assert 'href="https://example.org/gamma"' in html and 'href="https://example.org/acme"' in html
    assert f'href="{(raw / "paris/beta.txt").resolve().as_uri()}"' in html
    assert "Beta raised nearly $30 million led by Partech." in html
    assert "valuation_below_amount" in html and "Two articles give different amounts" in html
    assert '"stage": "not stated"' in html  # a round of unknown type still counts in the timeline
    _check_rendered(built.path, tmp_path / "report.png", CHARTS)


def test_report_on_an_empty_warehouse_says_so(tmp_path):
    from orchestration.report import build_report

    path = tmp_path / "empty.duckdb"
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.close()
    built = build_report(path, tmp_path / "ecosystem.html")
    assert built.charts == []
    html = built.path.read_text(encoding="utf-8")
    assert "Incomplete warehouse" in html and "No round with an amount yet." in html
    _check_rendered(built.path, tmp_path / "empty.png", [])


def test_report_escapes_what_the_press_wrote(tmp_path):
    from orchestration.report import build_report

    warehouse = make_tiny_warehouse(tmp_path / "fundwatch.duckdb")
    con = duckdb.connect(str(warehouse))
    con.execute("update marts.rounds set company = '<script>alert(1)</script>' where round_id = 'r3'")
    con.execute("update raw.articles set url = 'javascript:alert(1)' where article_id = 'a3'")
    con.close()
    html = build_report(warehouse, tmp_path / "ecosystem.html").path.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


def test_report_command_line(tmp_path, capsys):
    from orchestration.report.__main__ import main

    warehouse = make_tiny_warehouse(tmp_path / "fundwatch.duckdb")
    assert main(["report", str(warehouse), str(tmp_path / "out.html")]) == 0
    assert "report written to" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "none.duckdb")]) == 2


def test_report_module_does_not_import_dagster():
    import subprocess

    code = "import sys, orchestration.report; sys.exit('dagster' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2]).returncode == 0


@pytest.mark.e2e
def test_report_after_a_run_on_the_seeds(seed_warehouse, tmp_path):
    """The asset wrote the report beside the warehouse during the run; it renders."""
    report = seed_warehouse.parent / "reports" / "ecosystem.html"
    assert report.exists()
    shot = Path(os.environ["FUNDWATCH_SCREENSHOTS"]) / "report.png" if os.environ.get("FUNDWATCH_SCREENSHOTS") \
        else tmp_path / "report.png"
    con = duckdb.connect(str(seed_warehouse), read_only=True)
    has_issues = con.execute("select count(*) from marts.quality_issues").fetchone()[0] > 0
    con.close()
    _check_rendered(report, shot, CHARTS if has_issues else CHARTS[:3])


def test_report_asset_materialises_with_metadata(tmp_path):
    import dagster as dg

    from orchestration.assets.report import ecosystem_report
    from tests.helpers import environment

    warehouse = make_tiny_warehouse(tmp_path / "warehouse" / "fundwatch.duckdb")
    with environment(FUNDWATCH_WAREHOUSE=str(warehouse), FUNDWATCH_RAW_DIR=str(tmp_path / "raw")):
        result = dg.materialize([ecosystem_report], instance=dg.DagsterInstance.ephemeral())
    assert result.success
    (event,) = result.get_asset_materialization_events()
    metadata = event.materialization.metadata
    assert metadata["rounds"].value == 3 and metadata["open_quality_issues"].value == 2
    assert "Gamma" in metadata["preview"].value
    assert (tmp_path / "warehouse" / "reports" / "ecosystem.html").exists()


def test_table_previews_observe_every_dbt_model(tmp_path, dbt_manifest):
    import dagster as dg

    from orchestration.assets.report import table_previews
    from tests.helpers import environment

    warehouse = make_tiny_warehouse(tmp_path / "warehouse" / "fundwatch.duckdb")
    with environment(FUNDWATCH_WAREHOUSE=str(warehouse)):
        result = dg.materialize([table_previews], instance=dg.DagsterInstance.ephemeral())
    assert result.success
    observations = {e.asset_key.to_user_string(): e.event_specific_data.asset_observation.metadata
                    for e in result.all_events if e.event_type_value == "ASSET_OBSERVATION"}
    assert set(observations) == {f"marts/{t}" for t in ("rounds", "round_investors", "round_sources", "investors",
                                                         "companies", "ecosystem_by_city", "quality_issues")}
    rounds = observations["marts/rounds"]
    assert rounds["dagster/row_count"].value == 3
    assert "| round_id | company |" in rounds["preview"].value and "Gamma" in rounds["preview"].value
