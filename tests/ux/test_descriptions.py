"""Every model and column of the marts is described in dbt yml, and Dagster shows the same descriptions."""
from __future__ import annotations

import json
import warnings

from orchestration.publication import CONTRACT


def _marts_models(manifest: dict) -> dict[str, dict]:
    return {n["name"]: n for n in manifest["nodes"].values()
            if n["resource_type"] == "model" and n["name"] in CONTRACT}


def test_every_marts_model_and_column_is_described(dbt_manifest):
    models = _marts_models(json.loads(dbt_manifest.read_text(encoding="utf-8")))
    missing = sorted(set(CONTRACT) - set(models))
    undescribed = [name for name, node in models.items() if not (node.get("description") or "").strip()]
    columns = [f"{name}.{column}" for name, node in models.items() for column in CONTRACT[name]
               if not ((node["columns"].get(column) or {}).get("description") or "").strip()]
    assert not missing, f"marts models missing from dbt: {missing}"
    assert not undescribed, f"marts models without a description: {undescribed}"
    assert not columns, f"contract columns without a description in dbt yml: {columns}"


def test_dagster_shows_the_same_descriptions(dbt_manifest):
    import dagster as dg

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from orchestration.assets.dbt import fundwatch_dbt_models
    models = _marts_models(json.loads(dbt_manifest.read_text(encoding="utf-8")))
    for name, node in models.items():
        spec = fundwatch_dbt_models.specs_by_key[dg.AssetKey(["marts", name])]
        assert node["description"].strip()[:40] in (spec.description or ""), name
        schema = spec.metadata["dagster/column_schema"]
        described = {c.name: (c.description or "").strip() for c in schema.columns}
        assert all(described.get(column) for column in CONTRACT[name]), name
