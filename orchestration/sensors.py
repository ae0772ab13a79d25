"""Operations: the landing sensor, the weekly full refresh, and declarative automation
that carries new raw data through dbt to the published marts."""

from __future__ import annotations

import json

from dagster import (
    AssetSelection,
    AutomationConditionSensorDefinition,
    DefaultScheduleStatus,
    DefaultSensorStatus,
    RunRequest,
    ScheduleEvaluationContext,
    SensorEvaluationContext,
    SensorResult,
    SkipReason,
    define_asset_job,
    schedule,
    sensor,
)
from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from . import paths
from .assets.raw import RAW_KEYS
from .ingest.watch import scan
from .partitions import force_partitions, partition_key

raw_selection = AssetSelection.assets(*RAW_KEYS.values())

ingest_force_job = define_asset_job("ingest_force", selection=raw_selection, partitions_def=force_partitions)

full_refresh_job = define_asset_job(
    "full_refresh",
    selection=AssetSelection.all(),
    description="Parse every return again, rebuild every model, re-run every check and republish.",
    config={"ops": {"raw_returns": {"config": {"reparse": True}}}},
)


@sensor(job=ingest_force_job, minimum_interval_seconds=30, default_status=DefaultSensorStatus.RUNNING)
def landing_sensor(context: SensorEvaluationContext):
    """A new, changed or removed file in data/landing/<force>/ starts an ingestion of that
    force's partition once the file has stopped changing; dbt and publish follow through
    declarative automation. The cursor (what was seen) survives restarts."""
    previous = json.loads(context.cursor) if context.cursor else {}
    changed, state = scan(paths.landing_dir(), previous)
    keys = sorted(partition_key(slug) for slug in changed)
    new_keys = [k for k in keys if not context.instance.has_dynamic_partition(force_partitions.name, k)]
    # No run_key: the cursor already reports each change once, and a file put back to an
    # earlier version must still start a run.
    return SensorResult(
        run_requests=[RunRequest(partition_key=key) for key in keys],
        dynamic_partitions_requests=[force_partitions.build_add_request(new_keys)] if new_keys else [],
        cursor=json.dumps(state, sort_keys=True),
    )


@schedule(job=full_refresh_job, cron_schedule="0 3 * * 1", execution_timezone="Europe/London",
          default_status=DefaultScheduleStatus.STOPPED)
def weekly_full_refresh(context: ScheduleEvaluationContext):
    """Mondays 03:00 UK time, off by default: re-parse all returns, rebuild, recheck, republish."""
    keys = context.instance.get_dynamic_partitions(force_partitions.name)
    if not keys:
        return SkipReason("No force partitions yet: the landing sensor adds them as returns arrive.")
    return RunRequest(tags={ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]})


# dbt models, their checks and the publish step materialize when what they depend on has
# new data (eager), so no job list has to name them.
automation_sensor = AutomationConditionSensorDefinition(
    "follow_new_raw_data",
    target=AssetSelection.all() - raw_selection,
    default_status=DefaultSensorStatus.RUNNING,
    minimum_interval_seconds=30,
)
