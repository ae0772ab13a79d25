"""`make run`: materialize every asset once, in-process, against the Dagster instance in
DAGSTER_HOME (so the run shows in the UI's history), then print a summary read from the
published marts. Exits non-zero when a step or a blocking check failed."""

from __future__ import annotations

import os
import socket
import sys
import time

import duckdb
from dagster import AssetCheckSeverity, DagsterInstance, DagsterRunStatus, RunsFilter

from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

from . import paths
from .definitions import defs
from .partitions import force_partitions, landing_partition_keys


PID_TAG = "community_resolutions/pid"


def reap_dead_runs(instance: DagsterInstance) -> list[str]:
    """A `make run` killed mid-way (SIGKILL, power cut) leaves its run 'started' for ever
    and may hold the writer pool's slot. Mark such runs failed, saying why, and free their
    slots, so the UI tells the truth and the next run does not wait for a dead one."""
    reaped = []
    for run in instance.get_runs(filters=RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING])):
        pid = run.tags.get(PID_TAG)
        if pid is None or (pid.split("@")[1] != socket.gethostname()) or _alive(int(pid.split("@")[0])):
            continue
        instance.report_run_failed(run, f"Process {pid} ended without finishing the run (killed or crashed); "
                                        "the published marts were not touched by it.")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        reaped.append(run.run_id)
    return reaped


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def run_pipeline(instance: DagsterInstance | None = None, forces: list[str] | None = None, reparse: bool = False):
    """Ingest the given force partitions (default: every folder in the landing folder and
    every force seen before, so removed folders are retired), then dbt, checks, publish."""
    instance = instance or DagsterInstance.get()
    reap_dead_runs(instance)
    tags = {PID_TAG: f"{os.getpid()}@{socket.gethostname()}"}
    known = instance.get_dynamic_partitions(force_partitions.name)
    new = [k for k in landing_partition_keys(paths.landing_dir()) if k not in known]
    if new:
        instance.add_dynamic_partitions(force_partitions.name, new)
    keys = forces or instance.get_dynamic_partitions(force_partitions.name)
    job = defs.resolve_implicit_global_asset_job_def()
    run_config = {
        # step-by-step debug logs are in the UI; the terminal gets warnings and the summary
        "loggers": {"console": {"config": {"log_level": "WARNING"}}},
        "ops": {"raw_returns": {"config": {"reparse": reparse}}},
    }
    if not keys:  # an empty landing folder: build the (empty) marts without raw ingestion
        return job.execute_in_process(
            instance=instance, raise_on_error=False, run_config={"loggers": run_config["loggers"]}, tags=tags,
            asset_selection=[k for k in job.asset_layer.asset_graph.get_all_asset_keys() if k.path[0] != "raw"])
    if len(keys) == 1:
        return job.execute_in_process(instance=instance, raise_on_error=False, run_config=run_config,
                                      partition_key=keys[0], tags=tags)
    if forces:
        raise ValueError("run_pipeline takes one force or all of them")
    return job.execute_in_process(
        instance=instance, raise_on_error=False, run_config=run_config,
        tags={**tags, ASSET_PARTITION_RANGE_START_TAG: keys[0], ASSET_PARTITION_RANGE_END_TAG: keys[-1]})


def failed_checks(result) -> list[str]:
    return [
        f"{e.asset_key.to_user_string()} {e.check_name}: {e.description or ''}"
        for e in result.get_asset_check_evaluations()
        if not e.passed and e.severity == AssetCheckSeverity.ERROR
    ]


def summary_text() -> str:
    db = paths.published_db_path()
    if not db.exists():
        return "No published marts yet."
    with duckdb.connect(str(db), read_only=True) as con:
        status = con.execute(
            "select status, count(*), sum(rows_loaded), sum(rows_filtered), sum(rows_quarantined) "
            "from force_coverage group by status order by status"
        ).fetchall()
        figures = con.execute(
            "select figure, value_low, value_high, forces_contributing, unverified_high from headline_figures"
        ).fetchall()
        proven = con.execute(
            "select verification, count(*) from force_coverage where status = 'returned' group by 1 order by 1"
        ).fetchall()
        quarantined = con.execute(
            "select force_name, quarantine_reasons from force_coverage where quarantine_reasons is not null order by 1"
        ).fetchall()
    lines = [f"Published marts: {db}", "", "Forces by status:"]
    for st, n, loaded, filtered, quarantined_rows in status:
        lines.append(f"  {st:<12} {n:>3} forces   rows loaded {loaded:>9,}   filtered {filtered:>7,}   quarantined {quarantined_rows:>7,}")
    if proven:
        lines.append("  returned forces by how far their figures are proven: "
                     + ", ".join(f"{v} {n}" for v, n in proven)
                     + " (reconciled: the return's own totals agree; unverified: nothing to check against)")
    if quarantined:
        lines += ["", "Quarantined (nothing of these returns is published; force_coverage.quarantine_reasons):"]
        lines += [f"  {force}: {reasons[:300]}{'...' if len(reasons) > 300 else ''}" for force, reasons in quarantined]
    lines += ["", "Headline figures (of which resting on unverified readings):"]
    for figure, low, high, forces, unverified in figures:
        value = f"{low:,}" if low == high else f"{low:,} to {high:,}"
        rest = f"   [{unverified:,} unverified]" if unverified else ""
        lines.append(f"  {figure:<84} {value:>18}   ({forces} forces){rest}")
    return "\n".join(lines)


def main() -> int:
    started = time.monotonic()
    result = run_pipeline()
    failures = failed_checks(result)
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    print(summary_text())
    print(f"\nRun {result.run_id} finished in {time.monotonic() - started:.1f}s.")
    if failures or failed_steps or not result.success:
        print("\nBLOCKED: the published marts were left as they were.", file=sys.stderr)
        for line in failures:
            print(f"  failed check: {line}", file=sys.stderr)
        for step in failed_steps:
            print(f"  failed step: {step}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
