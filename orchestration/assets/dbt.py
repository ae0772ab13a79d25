"""dbt models as Dagster assets: staging, intermediate and marts, one lineage graph with raw."""

import os
from collections.abc import Mapping
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AutomationCondition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from .. import paths
from .raw import POOL, WRITER_RETRY

dbt_project = DbtProject(project_dir=paths.DBT_PROJECT_DIR, profiles_dir=paths.DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class WarehouseTranslator(DagsterDbtTranslator):
    """Models are keyed by schema and name (marts/headline_figures); sources take the key
    set in their YAML meta, which points at the raw ingestion assets."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> AssetKey:
        if dbt_resource_props["resource_type"] in ("model", "seed", "snapshot"):
            schema = dbt_resource_props["config"].get("schema") or "reference"
            return AssetKey([schema, dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return dbt_resource_props["config"].get("schema") or "reference"

    def get_automation_condition(self, dbt_resource_props: Mapping[str, Any]) -> AutomationCondition | None:
        return AutomationCondition.eager()  # rebuild when raw data (or a seed) changes


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=POOL, retry_policy=WRITER_RETRY)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, models and dbt tests; a failing dbt test fails the step."""
    os.environ.update(paths.dbt_env())
    yield from dbt.cli(["build"], context=context).stream()
