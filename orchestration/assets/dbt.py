"""The dbt models (staging → intermediate → marts) as Dagster assets; dbt tests become asset checks."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from orchestration import settings
from orchestration.dbt_project import ensure_manifest, fundwatch_dbt


class FundwatchTranslator(DagsterDbtTranslator):
    """Group dbt models by layer (staging, intermediate, marts) so the graph reads left to right."""

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props.get("resource_type") == "seed":
            return "reference"
        return fqn[1] if len(fqn) > 2 else "dbt"


@dbt_assets(
    manifest=ensure_manifest(),
    project=fundwatch_dbt,
    dagster_dbt_translator=FundwatchTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
)
def fundwatch_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: models, seeds and data tests, in dependency order.

    dbt unit tests check the SQL logic, not the data: they run in the test suite
    (tests/dbt), not in every production run, as dbt recommends.
    """
    settings.export_for_dbt()  # the file being built, read at run time (tests switch warehouses)
    yield from dbt.cli(["build", "--exclude-resource-type", "unit_test"], context=context).stream().fetch_row_counts()
