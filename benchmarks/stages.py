"""Per-stage timings of the latest run in a Dagster instance, from its STEP_START /
STEP_SUCCESS / STEP_FAILURE events: ingest (raw_returns), dbt (warehouse_dbt_models),
checks (every Great Expectations check and rows_conserved), publish (published__marts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

STAGES = ("ingest", "dbt", "checks", "publish")


def stage_of(step_key: str) -> str | None:
    if step_key == "raw_returns":
        return "ingest"
    if step_key == "warehouse_dbt_models":
        return "dbt"
    if "gx_" in step_key or "rows_conserved" in step_key:
        return "checks"
    if step_key == "published__marts":
        return "publish"
    return None


@dataclass
class RunStages:
    run_id: str
    status: str
    seconds: dict[str, float] = field(default_factory=dict)  # stage -> summed step durations
    windows: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # stage -> [(start, end)] epoch
    running: list[str] = field(default_factory=list)  # steps started and never finished (a killed run)
    steps: dict[str, float] = field(default_factory=dict)  # step key -> seconds


def latest_run_stages(dagster_home: Path) -> RunStages | None:
    from dagster import DagsterEventType, DagsterInstance
    from dagster._core.instance.ref import InstanceRef

    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(dagster_home)))
    try:
        runs = instance.get_runs(limit=1)
        if not runs:
            return None
        run = runs[0]
        records = instance.all_logs(run.run_id, of_type={
            DagsterEventType.STEP_START, DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE})
        started: dict[str, float] = {}
        out = RunStages(run.run_id, run.status.value, {s: 0.0 for s in STAGES}, {s: [] for s in STAGES})
        for rec in records:
            key = rec.step_key
            if rec.dagster_event.event_type == DagsterEventType.STEP_START:
                started.setdefault(key, rec.timestamp)
                continue
            begin = started.pop(key, None)
            if begin is None:
                continue
            out.steps[key] = out.steps.get(key, 0.0) + rec.timestamp - begin
            stage = stage_of(key)
            if stage:
                out.seconds[stage] += rec.timestamp - begin
                out.windows[stage].append((begin, rec.timestamp))
        out.running = sorted(started)
        return out
    finally:
        instance.dispose()
