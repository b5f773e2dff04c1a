"""The fundwatch code location: what `dagster dev` (via [tool.dagster] in pyproject.toml) loads."""
from __future__ import annotations

import dagster as dg

from orchestration.assets.dbt import fundwatch_dbt_models
from orchestration.assets.ingest import quarantine_is_empty, raw_articles
from orchestration.assets.parse import parsed_mentions
from orchestration.assets.publish import published_warehouse
from orchestration.assets.reference import entity_aliases, fx_rates
from orchestration.assets.report import ecosystem_report, table_previews
from orchestration.automation import everything_job, nightly_schedule, raw_folder_sensor
from orchestration.dbt_project import FundwatchDbtCli, fundwatch_dbt
from orchestration.dagster_storage import use_wal_for_dagster_storage
from orchestration.quality.checks import quality_asset_checks

use_wal_for_dagster_storage()  # runs launched by the UI, schedule and sensor load this module too

defs = dg.Definitions(
    assets=[raw_articles, parsed_mentions, fx_rates, entity_aliases, fundwatch_dbt_models, published_warehouse,
            ecosystem_report, table_previews],
    asset_checks=[quarantine_is_empty, *quality_asset_checks],
    jobs=[everything_job],
    schedules=[nightly_schedule],
    sensors=[raw_folder_sensor],
    resources={"dbt": FundwatchDbtCli(project_dir=fundwatch_dbt)},
    # one DuckDB file, one writer: steps run one after another in the run's process
    executor=dg.in_process_executor,
)
