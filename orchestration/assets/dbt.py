"""dbt models as Dagster assets: staging, intermediate and marts, one lineage graph with raw."""

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
from dagster import (
    AssetCheckResult,
    AssetExecutionContext,
    AssetKey,
    AssetMaterialization,
    AssetObservation,
    AutomationCondition,
    Failure,
    MetadataValue,
    Output,
)
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets
from packaging import version

from .. import paths, quarantine
from ..failures import is_transient, retry_only_if_transient
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


INT_RETURNS = "model.community_resolutions.int_returns"
# dbt statuses of a node that built, or a test that passed (a warning does not block)
DBT_OK = {"success", "pass", "warn", "skipped", "no-op"}


@dataclass
class _Build:
    """One `dbt build`: its Dagster events (kept, not yet yielded), dbt's results and error."""

    events: dict
    results: list[dict]
    error: Exception | None
    manifest: Mapping[str, Any]


def _event_key(event) -> tuple:
    """What an event is about, so a rebuild's event replaces the first build's."""
    if isinstance(event, Output):
        return ("output", event.output_name)
    if isinstance(event, AssetCheckResult):
        return ("check", event.asset_key, event.check_name)
    if isinstance(event, AssetObservation):
        return ("observation", event.asset_key, str(event.metadata.get("unique_id")))
    if isinstance(event, AssetMaterialization):
        return ("materialization", event.asset_key)
    return ("other", id(event))


def _dbt(context: AssetExecutionContext, dbt: DbtCliResource, args: list[str]) -> _Build:
    invocation = dbt.cli(args, context=context, raise_on_error=False)
    events = {_event_key(e): e for e in invocation.stream()}
    run_results = invocation.target_path / "run_results.json"
    results = json.loads(run_results.read_text())["results"] if run_results.exists() else []
    return _Build(events, results, invocation.get_error(), invocation.manifest)


def _blocking_problems(build: _Build) -> list[str]:
    """What failed in a build, other than per-return tests. A transient error (a lock, I/O,
    a full disk) is raised instead, for the step's RetryPolicy to run it again."""
    problems = [r for r in build.results if r["status"] not in DBT_OK]
    if build.error is not None and not problems:  # dbt stopped before running a node: compile error, lock, ...
        messages = blocking = [str(getattr(build.error, "description", None) or build.error)]
    else:
        messages = [f"{r['unique_id']}: {r['status']}: {r.get('message') or ''}" for r in problems]
        blocking = [m for r, m in zip(problems, messages) if not (
            r["status"] == "fail" and quarantine.is_per_return_test(build.manifest["nodes"].get(r["unique_id"], {})))]
    if any(is_transient(m) for m in messages):
        raise RuntimeError("dbt build failed on a transient error (retried): " + " | ".join(messages)[:2000])
    return blocking


def _not_rebuilt(manifest: Mapping[str, Any], builds: list[_Build]) -> list[str]:
    """The nodes of the first build a quarantine cannot change: all but int_returns, the
    nodes that did not succeed in a build, and everything downstream of them."""
    redo = [INT_RETURNS, *(r["unique_id"] for b in builds for r in b.results if r["status"] not in {"success", "pass", "warn"})]
    affected: set[str] = set()
    while redo:
        node = redo.pop()
        if node not in affected:
            affected.add(node)
            redo.extend(manifest["child_map"].get(node, []))
    nodes = [manifest["nodes"].get(r["unique_id"], {}) for r in builds[0].results if r["unique_id"] not in affected]
    return sorted(n["name"] for n in nodes if n.get("resource_type") in ("model", "seed", "snapshot", "test"))


def _built_marts(build: _Build) -> list[str]:
    """The suites with per-return expectations whose mart this build (re)built."""
    built = {key[1] for key in build.events if key[0] == "output"}
    return [suite for suite, (table, _, _) in quarantine.TRACES.items()
            if AssetKey(table.split(".")).to_python_identifier() in built]


@dbt_assets(manifest=dbt_project.manifest_path, dagster_dbt_translator=WarehouseTranslator(), pool=POOL, retry_policy=WRITER_RETRY)
def warehouse_dbt_models(context: AssetExecutionContext, dbt: DbtCliResource):
    """`dbt build`: seeds, models and dbt tests, with `--full-refresh` when the models' SQL
    changed since the last successful build. A per-return check (orchestration/quarantine.py)
    that fails quarantines the returns it names and the models from int_returns on are built
    again; any other failing test, a compile error or the same per-return check failing
    again fails the step at once. Only a transient error (a lock, I/O, a full disk) is retried."""
    os.environ.update(paths.dbt_env())
    digest, stored = models_digest(), _digest_file()
    args = ["build"]
    if not stored.exists() or stored.read_text().strip() != digest:
        context.log.info("The models' SQL changed since the last build (or none is recorded): dbt build --full-refresh")
        args.append("--full-refresh")
    if set(context.selected_asset_keys) == set(context.assets_def.keys):  # a full build checks every return afresh
        with retry_only_if_transient("emptying raw.check_quarantine"), duckdb.connect(str(paths.warehouse_path())) as con:
            quarantine.clear(con)

    builds = [_dbt(context, dbt, args)]
    build, events, quarantined = builds[0], dict(builds[0].events), {}
    while True:
        problems = _blocking_problems(build)
        if problems:
            yield from events.values()
            raise Failure(description="dbt build failed (not retried: it would fail the same way):\n" + "\n".join(problems),
                          allow_retries=False)
        with retry_only_if_transient("tracing per-return check failures"), \
                duckdb.connect(str(paths.warehouse_path()), read_only=True) as con:
            try:
                failures = quarantine.dbt_test_failures(con, build.results, build.manifest)
                if not failures and build.error is None:  # the marts are built: their per-return expectations
                    failures = quarantine.gx_failures(con, _built_marts(build))
            except quarantine.UntracedFailure as exc:
                yield from events.values()
                raise Failure(description=str(exc), allow_retries=False) from exc
        if not failures:
            break
        again = sorted({f.check_name for f in failures} & set(quarantined))
        if again:
            yield from events.values()
            raise Failure(
                description=f"{', '.join(again)} still failed after the returns it named were quarantined and the models "
                            f"rebuilt (not retried): {'; '.join(f'{f.return_id}: {f.detail}' for f in failures)}",
                allow_retries=False)
        with retry_only_if_transient("recording per-return check failures"), duckdb.connect(str(paths.warehouse_path())) as con:
            quarantine.record(con, failures)
        for f in failures:
            context.log.warning(f"quarantined {f.return_id}: failed the check {f.check_name}: {f.detail}")
            quarantined.setdefault(f.check_name, []).append(f)
        unchanged = _not_rebuilt(build.manifest, builds)
        # cautious: a test is left out only when all its parents are (dbt's default leaves out a
        # test when any parent is, such as a per-return test reading int_returns and a staging model)
        build = _dbt(context, dbt, ["build", "--indirect-selection", "cautious",
                                    *(["--exclude", " ".join(unchanged)] if unchanged else [])])
        builds.append(build)
        events.update(build.events)

    if quarantined:  # shown on int_returns' materialization in the UI
        key = ("output", AssetKey(["intermediate", "int_returns"]).to_python_identifier())
        if key in events:
            events[key] = Output(value=None, output_name=key[1], metadata={
                **events[key].metadata,
                "quarantined_by_checks": MetadataValue.json(
                    [{"return_id": f.return_id, "check": f.check_name, "detail": f.detail}
                     for fs in quarantined.values() for f in fs])})
    yield from events.values()
    stored.write_text(digest + "\n")  # only reached when dbt succeeded
