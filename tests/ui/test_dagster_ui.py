"""The UI, for real (issue 6 §5): `dagster dev` on a loopback port, a run of every asset launched
through the webserver's GraphQL API, then Debian's Chromium driven to the asset graph."""
from __future__ import annotations

import shutil
import time

import pytest

from tests.conftest import REPO
from tests.helpers import query

pytestmark = [pytest.mark.ui, pytest.mark.e2e]

SCREENSHOT = REPO / "warehouse" / "asset_graph.png"  # an artifact of the test run (gitignored)
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run"]


def test_the_code_location_loads_with_its_job_schedule_and_sensor(dagster_dev):
    data = dagster_dev.graphql("""{ repositoriesOrError { ... on RepositoryConnection { nodes {
        name location { name } jobs { name } schedules { name cronSchedule executionTimezone }
        sensors { name } } } } }""")["data"]["repositoriesOrError"]["nodes"]
    repo = next(r for r in data if r["location"]["name"] == "fundwatch")
    assert "fundwatch_everything" in {j["name"] for j in repo["jobs"]}
    assert {"name": "nightly_fundwatch", "cronSchedule": "0 2 * * *", "executionTimezone": "Europe/Paris"} \
        in repo["schedules"]
    assert "raw_folder_sensor" in {s["name"] for s in repo["sensors"]}


def test_a_run_of_every_asset_launched_through_graphql(dagster_dev):
    from dagster import DagsterRunStatus
    from dagster_graphql import DagsterGraphQLClient

    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_dev.port, timeout=60)
    run_id = client.submit_job_execution("fundwatch_everything", repository_location_name="fundwatch",
                                         repository_name="__repository__", tags={"fundwatch/test": "ui"})
    deadline = time.monotonic() + 900
    status = client.get_run_status(run_id)
    while status not in (DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED):
        assert time.monotonic() < deadline, f"run {run_id} still {status}"
        time.sleep(3)
        status = client.get_run_status(run_id)
    if status != DagsterRunStatus.SUCCESS:
        logs = dagster_dev.graphql("""query($id: ID!) { logsForRun(runId: $id) { ... on EventConnection {
            events { __typename message } } } }""", {"id": run_id})
        failures = [e["message"] for e in logs["data"]["logsForRun"]["events"] if "Failure" in e["__typename"]]
        pytest.fail(f"run {run_id} ended {status}: {failures[:5]}\n" + dagster_dev.log.read_text()[-3000:])
    # every asset of the code location was materialised by that run
    assets = dagster_dev.graphql("""{ assetNodes { assetKey { path } isMaterializable
        assetMaterializations(limit: 1) { runId } } }""")["data"]["assetNodes"]
    missing = [a["assetKey"]["path"] for a in assets if a["isMaterializable"]
               and not any(m["runId"] == run_id for m in a["assetMaterializations"])]
    assert not missing, missing
    # and the published warehouse it wrote reads like the contract says
    assert dagster_dev.warehouse.exists()
    companies = {c for (c,) in query(dagster_dev.warehouse, "select company from marts.rounds")}
    assert {"Hugging Face", "Scale AI"} <= companies
    assert query(dagster_dev.warehouse, "select count(*) from marts.round_sources")[0][0] > 0


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Debian's chromium is not installed (.ci/run installs it)")
def test_chromium_shows_the_asset_graph(dagster_dev):
    """Debian's Chromium (never `playwright install`) on the global asset graph, then on the lineage of
    the published warehouse with every asset upstream of it; both saved under warehouse/."""
    from playwright.sync_api import sync_playwright

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    lineage = SCREENSHOT.with_name("asset_lineage.png")
    for old in (SCREENSHOT, lineage):
        old.unlink(missing_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            # Dagster greets a new browser with a newsletter dialog, sometimes late: dismiss it whenever it shows
            page.add_locator_handler(page.get_by_role("button", name="Skip"), lambda button: button.click())
            page.goto(f"{dagster_dev.url}/asset-groups", wait_until="domcontentloaded", timeout=120_000)
            page.get_by_text("Global asset lineage").first.wait_for(state="visible", timeout=120_000)
            for group in ("ingest", "parse", "marts", "publish"):  # in the sidebar, then as a node of the graph
                shown = page.get_by_text(group, exact=True).filter(visible=True)
                shown.nth(1).wait_for(state="visible", timeout=180_000)
            page.wait_for_timeout(3000)  # let the layout settle
            page.screenshot(path=str(SCREENSHOT))

            page.goto(f"{dagster_dev.url}/assets/published_warehouse?view=lineage&lineageScope=upstream"
                      "&lineageDepth=20", wait_until="domcontentloaded", timeout=120_000)
            for name in ("articles", "rounds", "published_warehouse"):
                page.get_by_text(name, exact=True).first.wait_for(state="attached", timeout=120_000)
            page.wait_for_timeout(3000)
            page.screenshot(path=str(lineage))
        finally:
            browser.close()
    for shot in (SCREENSHOT, lineage):
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 20_000
