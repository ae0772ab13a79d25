"""dbt models as Dagster assets: staging, intermediate and marts, one lineage graph with raw."""

import hashlib
import os
from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from dagster import AssetExecutionContext, AssetKey, AutomationCondition
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from .. import paths
from .raw import POOL, WRITER_RETRY

dbt_project = DbtProject(project_dir=paths.DBT_PROJECT_DIR, profiles_dir=paths.DBT_PROJECT_DIR)
dbt_project.prepare_if_dev()


class WarehouseDbtCli(DbtCliResource):
    """DbtCliResource without two costs it pays before every `dbt build` (3.9 s of a 23 s
    incremental refresh, measured): it runs `dbt --version` in a subprocess to learn the
    version of the dbt it is about to start (1.6 s), and it builds a dbt adapter in this
    process (2.3 s) used only by its row-count and column-metadata fetches, which this
    project does not call. The dbt it starts is this environment's, so its version is the
    installed dbt-core's. Both are private members of the pinned dagster-dbt;
    tests/unit/test_dbt_resource.py fails when an upgrade renames them."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(metadata.version("dbt-core"))

    def _initialize_dbt_core_adapter(self, args: Sequence[str]) -> None:
        return None


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


def models_digest() -> str:
    """A digest of the SQL that builds the models (models, macros, project file). The
    incremental models keep the rows of returns they have already parsed, so when this
    SQL changes they must be rebuilt from scratch (`--full-refresh`) once."""
    digest = hashlib.sha256()
    root = paths.DBT_PROJECT_DIR
    for path in sorted([*root.glob("models/**/*"), *root.glob("macros/**/*"), root / "dbt_project.yml"]):
        if path.is_file():
            digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _digest_file() -> Path:
    return paths.warehouse_path().with_name("dbt_models.sha256")


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=POOL, retry_policy=WRITER_RETRY)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, models and dbt tests; a failing dbt test fails the step. With
    `--full-refresh` when the models' SQL changed since the last successful build."""
    os.environ.update(paths.dbt_env())
    digest, stored = models_digest(), _digest_file()
    args = ["build"]
    if not stored.exists() or stored.read_text().strip() != digest:
        context.log.info("The models' SQL changed since the last build (or none is recorded): dbt build --full-refresh")
        args.append("--full-refresh")
    yield from dbt.cli(args, context=context).stream()
    stored.write_text(digest + "\n")  # only reached when dbt succeeded
