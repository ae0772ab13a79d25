"""Publish the audited marts to data/published/ (write-audit-publish)."""

from dagster import AssetKey, AutomationCondition, MaterializeResult, asset

from .. import paths
from ..failures import retry_only_if_transient
from ..publish import publish_marts
from .raw import POOL, WRITER_RETRY

CONTRACT_MARTS = [
    "community_resolutions_by_offence",
    "community_resolutions_by_nationality",
    "force_coverage",
    "headline_figures",
]
EXTRA_MARTS = ["unmapped_values", "row_accounting"]
MART_KEYS = [AssetKey(["marts", name]) for name in CONTRACT_MARTS + EXTRA_MARTS]


@asset(
    key=AssetKey(["published", "marts"]),
    deps=MART_KEYS,
    group_name="published",
    kinds={"duckdb", "parquet"},
    pool=POOL,
    retry_policy=WRITER_RETRY,
    automation_condition=AutomationCondition.eager(),
    description="data/published/: marts.duckdb, parquet/, csv/ and the reading cards, swapped in atomically only after every blocking check passed.",
)
def published_marts() -> MaterializeResult:
    with retry_only_if_transient("publishing the marts"):
        counts = publish_marts(paths.warehouse_path(), paths.published_dir())
    return MaterializeResult(metadata={"path": str(paths.published_db_path()), **{f"rows.{t}": n for t, n in counts.items()}})
