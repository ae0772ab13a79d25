"""The real Dagster UI: `dagster dev` on the workspace, opened in headless Chromium.

Starts the code location the way `make dev` does (on a temporary DAGSTER_HOME and a copy of
tests/fixtures/landing), checks that the asset graph shows the whole lineage (landing -> raw ->
dbt -> published) with the Great Expectations checks attached, both in the UI and through
the GraphQL API the UI uses, then materializes every asset through that API and checks the
published marts. Screenshots go to the test's tmp folder (paths are printed; run with -s);
the graph is also copied to /tmp/dagster-ui-asset-graph.png.

The sensors are stopped first: the landing sensor would ingest each force in a run of its
own and race the one run this test launches (materialize_all: adapt it there if the
partitioning changes).

Dagster 1.13 facts this relies on (found by looking at the UI and the GraphQL schema):
- /asset-groups is "Global asset lineage"; groups start collapsed, and
  ?expanded=global@global:<group>,... opens them (the same as the graph's "Expand all groups",
  Alt+E). Zoomed out, node labels are shortened ("int_c…_resolutions"): only short names are
  looked for in the graph, full keys on the asset pages.
- /assets/<key path> is an asset's page, ?view=checks its Checks tab; /runs/<run id> a run.
- server_info answers before the code location has loaded (and when it failed to load):
  workspaceOrError.locationEntries.loadStatus tells.
- Launching: mutation launchRun(executionParams: {selector: {repositoryLocationName,
  repositoryName: "__repository__", jobName: "__ASSET_JOB", assetSelection, assetCheckSelection},
  mode: "default", executionMetadata: {tags}}); a partition range is the tags
  dagster/asset_partition_range_start and _end. Dynamic partitions: addDynamicPartition.
- The "Join the Dagster community" dialog is a per-instance flag: mutation setNuxSeen.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_LANDING = ROOT / "tests" / "fixtures" / "landing"
VENV_BIN = Path(sys.executable).parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOCATION = "community_resolutions"
REPOSITORY = "__repository__"

SERVER_TIMEOUT_S = 90
RUN_TIMEOUT_S = 300
UI_TIMEOUT_MS = 30_000

# What the lineage must show: asset -> group.
EXPECTED_ASSETS = {
    "landing/returns": "landing",
    "raw/returns": "raw",
    "raw/tables": "raw",
    "raw/rows": "raw",
    "intermediate/int_community_resolutions": "intermediate",
    "marts/headline_figures": "marts",
    "marts/force_coverage": "marts",
    "published/marts": "published",
}
# The project's own blocking checks: check -> asset it gates.
EXPECTED_CHECKS = {
    "gx_raw_returns": "raw/returns",
    "gx_raw_tables": "raw/tables",
    "gx_marts_community_resolutions_by_offence": "marts/community_resolutions_by_offence",
    "gx_marts_community_resolutions_by_nationality": "marts/community_resolutions_by_nationality",
    "gx_marts_force_coverage": "marts/force_coverage",
    "gx_marts_headline_figures": "marts/headline_figures",
    "rows_conserved": "marts/row_accounting",
}

ASSET_NODES_QUERY = """
{
  assetNodes {
    assetKey { path }
    groupName
    description
    isExecutable
    isPartitioned
    partitionDefinition { type name }
    partitionStats { numMaterialized numPartitions numFailed }
    dependencyKeys { path }
    hasAssetChecks
    assetChecksOrError {
      __typename
      ... on AssetChecks { checks { name description blocking executionForLatestMaterialization { status } } }
    }
  }
}
"""


def key(node: dict) -> str:
    return "/".join(node["assetKey"]["path"])


def checks_of(node: dict) -> list[dict]:
    return node["assetChecksOrError"].get("checks") or []


# --------------------------------------------------------------------------- the server


@dataclass
class Dagster:
    url: str
    log: Path

    def gql(self, query: str, variables: dict | None = None, timeout: float = 30) -> dict:
        request = urllib.request.Request(
            f"{self.url}/graphql",
            data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = json.load(response)
        assert not body.get("errors"), f"GraphQL errors: {body['errors']}"
        return body["data"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def print_log(log: Path, lines: int = 300) -> None:
    text = log.read_text(errors="replace") if log.exists() else "(no log)"
    print(f"\n----- dagster dev log ({log}), last {lines} lines -----", file=sys.stderr)
    print("\n".join(text.splitlines()[-lines:]), file=sys.stderr)
    print("----- end of dagster dev log -----", file=sys.stderr)


def default_interrupts() -> None:
    """In the child before exec: SIGINT back to its default. A shell starting pytest in the
    background leaves SIGINT ignored, and `dagster dev` maps SIGTERM to SIGINT's handler, so it
    would ignore both and outlive the test."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def stop_group(proc: subprocess.Popen) -> None:
    """SIGINT to `dagster dev` (it shuts its webserver and daemon down), then SIGKILL to whatever
    is left of its process group (code servers, run workers)."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(proc.pid, signal.SIGINT)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=30)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)


def wait_until_loaded(server: Dagster, proc: subprocess.Popen) -> None:
    """server_info answers before the code location has loaded, and also when it failed to."""
    deadline = time.monotonic() + SERVER_TIMEOUT_S
    while True:
        assert proc.poll() is None, f"dagster dev exited with {proc.returncode}"
        with contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            urllib.request.urlopen(f"{server.url}/server_info", timeout=5).read()
            break
        assert time.monotonic() < deadline, f"{server.url}/server_info did not answer within {SERVER_TIMEOUT_S}s"
        time.sleep(0.5)
    while True:
        entries = server.gql("""{ workspaceOrError { __typename ... on Workspace { locationEntries {
            name loadStatus locationOrLoadError { __typename ... on PythonError { message } } } } } }""")
        entry = next((e for e in entries["workspaceOrError"].get("locationEntries", []) if e["name"] == LOCATION), None)
        if entry and entry["loadStatus"] == "LOADED":
            error = entry["locationOrLoadError"]
            assert error and error["__typename"] == "RepositoryLocation", (
                f"code location {LOCATION} failed to load: {error and error.get('message')}")
            return
        assert time.monotonic() < deadline, f"code location {LOCATION} not loaded within {SERVER_TIMEOUT_S}s: {entry}"
        time.sleep(0.5)


@contextlib.contextmanager
def dagster_dev(tmp_path: Path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE_LANDING, data / "landing")
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(ROOT / "dagster_home" / "dagster.yaml", home / "dagster.yaml")

    port = free_port()
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "CR_DATA_DIR": str(data),
        # As with an activated venv: under `dagster dev`, DbtProject.prepare_if_dev() runs
        # `dbt parse` with the `dbt` found on PATH (not the resource's dbt_executable), so
        # without this the code location fails to load ("The dbt executable 'dbt' was not
        # found on PATH"). `make dev` does not put .venv/bin on PATH either.
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "dagster-dev.log"
    server = Dagster(url=f"http://127.0.0.1:{port}", log=log)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [str(VENV_BIN / "dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True, preexec_fn=default_interrupts,
        )
        try:
            started = time.monotonic()
            wait_until_loaded(server, proc)
            print(f"\ndagster dev up on {server.url} in {time.monotonic() - started:.1f}s (log: {log})")
            yield server, data
        except BaseException:
            stop_group(proc)
            print_log(log)
            raise
        else:
            stop_group(proc)


# --------------------------------------------------------------------------- materializing


REPOSITORY_SELECTOR = {"repositoryLocationName": LOCATION, "repositoryName": REPOSITORY}
ACTIVE_RUN_STATUSES = ["QUEUED", "NOT_STARTED", "STARTING", "STARTED", "CANCELING"]


def stop_sensors(server: Dagster) -> list[str]:
    """Stop the location's running sensors. The landing sensor would ingest each force in a
    run of its own (on its second tick, ~30 s after start) and the automation sensor would
    follow with dbt runs: they would race the run this test launches."""
    repo = server.gql("""query ($repo: RepositorySelector!) { repositoryOrError(repositorySelector: $repo) {
        ... on Repository { sensors { name sensorState { id selectorId status } } } } }""",
                      {"repo": REPOSITORY_SELECTOR})["repositoryOrError"]
    stopped = []
    for sensor in repo.get("sensors", []):
        state = sensor["sensorState"]
        if state["status"] == "RUNNING":
            result = server.gql("""mutation ($id: String!, $selector: String!) { stopSensor(id: $id, jobSelectorId: $selector) {
                __typename ... on StopSensorMutationResult { instigationState { status } } ... on Error { message } } }""",
                                {"id": state["id"], "selector": state["selectorId"]})["stopSensor"]
            assert result.get("instigationState", {}).get("status") == "STOPPED", f"stopSensor {sensor['name']}: {result}"
            stopped.append(sensor["name"])
    return stopped


def wait_for_no_active_runs(server: Dagster, timeout_s: float = 120) -> None:
    """Runs a sensor may have launched before it was stopped: let them finish first."""
    deadline = time.monotonic() + timeout_s
    while True:
        runs = server.gql("""query ($statuses: [RunStatus!]) { runsOrError(filter: {statuses: $statuses}) {
            ... on Runs { results { runId } } } }""", {"statuses": ACTIVE_RUN_STATUSES})["runsOrError"]["results"]
        if not runs:
            return
        assert time.monotonic() < deadline, f"runs still active after {timeout_s}s: {runs}"
        time.sleep(2)


def materialize_all(server: Dagster, nodes: list[dict], landing: Path) -> str:
    """Launch the materialization of every executable asset with every check on them, like
    "Materialize all", as one run of the implicit asset job. Returns the run id.

    Partitioned assets (raw/* by force, dynamic): the landing folders are added as partitions
    (what the landing sensor would do) and the run covers all of them through a partition
    range, as `make run` and the weekly full refresh do; unpartitioned assets in the same run
    are materialized once."""
    executable = [n for n in nodes if n["isExecutable"]]
    assets = [{"path": n["assetKey"]["path"]} for n in executable]
    checks = [{"assetKey": {"path": n["assetKey"]["path"]}, "name": c["name"]} for n in executable for c in checks_of(n)]
    tags = [{"key": "launched_by", "value": "tests/browser"}]

    partitions_defs = {(n["partitionDefinition"]["type"], n["partitionDefinition"]["name"])
                       for n in executable if n["isPartitioned"]}
    if partitions_defs:
        assert len(partitions_defs) == 1 and next(iter(partitions_defs))[0] == "DYNAMIC", (
            f"materialize_all handles one dynamic partitions definition; adapt it to {partitions_defs}")
        _, name = next(iter(partitions_defs))
        from orchestration.partitions import landing_partition_keys

        for partition in landing_partition_keys(landing):
            added = server.gql("""mutation ($repo: RepositorySelector!, $def: String!, $key: String!) {
                addDynamicPartition(repositorySelector: $repo, partitionsDefName: $def, partitionKey: $key) {
                  __typename ... on Error { message } } }""",
                               {"repo": REPOSITORY_SELECTOR, "def": name, "key": partition})["addDynamicPartition"]
            assert added["__typename"] in ("AddDynamicPartitionSuccess", "DuplicateDynamicPartitionError"), added
        partitioned = next(n for n in executable if n["isPartitioned"])
        keys = server.gql("""query ($key: AssetKeyInput!) { assetNodeOrError(assetKey: $key) {
            ... on AssetNode { partitionKeys } } }""", {"key": {"path": partitioned["assetKey"]["path"]}}
                          )["assetNodeOrError"]["partitionKeys"]
        assert keys, f"no partitions of {name} for the landing folders in {landing}"
        tags += [{"key": "dagster/asset_partition_range_start", "value": keys[0]},
                 {"key": "dagster/asset_partition_range_end", "value": keys[-1]}]

    launched = server.gql(
        """mutation ($params: ExecutionParams!) { launchRun(executionParams: $params) {
             __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }""",
        {"params": {
            "selector": {**REPOSITORY_SELECTOR, "jobName": "__ASSET_JOB",
                         "assetSelection": assets, "assetCheckSelection": checks},
            "mode": "default",
            "executionMetadata": {"tags": tags},
        }},
    )["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", f"launchRun failed: {launched}"
    return launched["run"]["runId"]


def wait_for_run(server: Dagster, run_id: str, timeout_s: float = RUN_TIMEOUT_S) -> str:
    deadline = time.monotonic() + timeout_s
    while True:
        status = server.gql("query ($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }",
                            {"id": run_id})["runOrError"]["status"]
        if status in ("SUCCESS", "FAILURE", "CANCELED"):
            return status
        assert time.monotonic() < deadline, f"run {run_id} still {status} after {timeout_s}s"
        time.sleep(2)


def run_errors(server: Dagster, run_id: str) -> list[str]:
    """Failure messages of a run, for the assertion message."""
    events = server.gql(
        """query ($id: ID!) { logsForRun(runId: $id, limit: 5000) { ... on EventConnection { events {
             __typename ... on MessageEvent { level stepKey message } } } } }""",
        {"id": run_id})["logsForRun"].get("events", [])
    return [f"{e.get('stepKey')}: {e.get('message')}" for e in events if e.get("level") in ("ERROR", "CRITICAL")]


# --------------------------------------------------------------------------- the UI


def open_page(page, server: Dagster, path: str, *texts: str, scope=None) -> None:
    """Navigate and wait until every text is rendered (in `scope`, a CSS selector, if given)."""
    page.goto(server.url + path)
    root = page.locator(scope) if scope else page
    for text in texts:
        root.get_by_text(text, exact=True).first.wait_for(state="visible", timeout=UI_TIMEOUT_MS)
    skip = page.get_by_role("button", name="Skip")  # the community dialog, should setNuxSeen not hold
    if skip.count() and skip.first.is_visible():
        skip.first.click()


def graph_path(groups: list[str]) -> str:
    return "/asset-groups?expanded=" + ",".join(f"global@global:{g}" for g in groups)


def screenshot(page, path: Path) -> Path:
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1000)  # the graph zooms to fit after its layout
    page.screenshot(path=str(path))
    print(f"screenshot: {path}")
    return path


# --------------------------------------------------------------------------- the test


@pytest.mark.browser
def test_dagster_ui_shows_lineage_and_checks_and_materializes(tmp_path):
    if not CHROMIUM.exists():
        pytest.skip(f"SKIPPED: {CHROMIUM} not found: the Dagster UI test needs Debian's chromium "
                    "(apt-get install -y chromium chromium-driver; .ci/run installs it)")
    from playwright.sync_api import sync_playwright

    started = time.monotonic()
    with dagster_dev(tmp_path) as (server, data):
        server.gql("mutation { setNuxSeen }")
        stopped = stop_sensors(server)
        print(f"stopped sensors: {stopped or 'none'}")

        # ---- the definitions, through GraphQL (independent of the UI's wording)
        nodes = {key(n): n for n in server.gql(ASSET_NODES_QUERY)["assetNodes"]}
        missing = sorted(set(EXPECTED_ASSETS) - set(nodes))
        assert not missing, f"assets missing from the code location: {missing}; it has {sorted(nodes)}"
        assert {k: nodes[k]["groupName"] for k in EXPECTED_ASSETS} == EXPECTED_ASSETS
        groups = sorted({n["groupName"] for n in nodes.values()})
        assert {"landing", "raw", "reference", "staging", "intermediate", "marts", "published"} <= set(groups)
        # one lineage: landing -> raw -> dbt (sources resolve to the raw assets) -> published
        deps = {k: {"/".join(d["path"]) for d in n["dependencyKeys"]} for k, n in nodes.items()}
        assert all(deps[f"raw/{t}"] == {"landing/returns"} for t in ("returns", "tables", "rows")), deps
        assert any(d.startswith("raw/") for k, n in nodes.items() if n["groupName"] == "staging" for d in deps[k]), (
            "no dbt staging model depends on a raw asset: dbt sources are not mapped to raw/*")
        assert "marts/headline_figures" in deps["published/marts"], deps["published/marts"]
        # the project's blocking checks, on the assets they gate
        attached = {c["name"]: (k, c["blocking"]) for k, n in nodes.items() for c in checks_of(n)}
        for check, asset in EXPECTED_CHECKS.items():
            assert attached.get(check) == (asset, True), f"check {check}: expected blocking on {asset}, got {attached.get(check)}"
            assert nodes[asset]["hasAssetChecks"]
        partitioned = sorted(k for k, n in nodes.items() if n["isPartitioned"])
        print(f"{len(nodes)} assets ({sum(n['isExecutable'] for n in nodes.values())} executable), "
              f"{len(attached)} checks, groups {groups}, partitioned: {partitioned or 'none'}")

        # ---- materialize everything through the API the UI uses; the UI is looked at meanwhile
        wait_for_no_active_runs(server)
        run_id = materialize_all(server, list(nodes.values()), data / "landing")
        run_started = time.monotonic()
        print(f"[{time.monotonic() - started:5.1f}s] launched run {run_id}")

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1600, "height": 1100})
                page.set_default_timeout(UI_TIMEOUT_MS)

                # ---- the global asset lineage, every group expanded (tall, so the whole graph fits)
                page.set_viewport_size({"width": 2000, "height": 2600})
                open_page(page, server, graph_path(groups), "Global asset lineage")
                in_graph = "svg foreignObject"  # graph nodes; the group list beside it also has names
                for label in ("landing", "raw", "marts", "published", "returns", "rows", "tables",
                              "headline_figures", "force_coverage"):
                    page.locator(in_graph).get_by_text(label, exact=True).first.wait_for(state="visible")
                assert page.locator(in_graph).get_by_text("returns", exact=True).count() >= 2  # landing/ and raw/
                screenshot(page, tmp_path / "dagster-ui-asset-graph-during-run.png")
                page.set_viewport_size({"width": 1600, "height": 1100})
                print(f"[{time.monotonic() - started:5.1f}s] asset graph checked")

                # ---- each expected asset has its page, with the description from its definition
                for asset in EXPECTED_ASSETS:
                    first_words = " ".join(nodes[asset]["description"].split()[:4])
                    page.goto(f"{server.url}/assets/{asset}")
                    page.get_by_text(first_words).first.wait_for(state="visible")

                # ---- the checks tab lists the GX suites and the conservation check
                for check, asset in EXPECTED_CHECKS.items():
                    if asset in ("marts/headline_figures", "marts/row_accounting", "raw/returns"):
                        open_page(page, server, f"/assets/{asset}?view=checks", check)
                print(f"[{time.monotonic() - started:5.1f}s] asset pages and checks tabs checked")

                status = wait_for_run(server, run_id)
                assert status == "SUCCESS", f"run {run_id} {status}: {json.dumps(run_errors(server, run_id), indent=1)}"
                print(f"[{time.monotonic() - started:5.1f}s] run succeeded, {time.monotonic() - run_started:.1f}s after launch")

                # every check ran on the new materializations and passed
                after = {key(n): n for n in server.gql(ASSET_NODES_QUERY)["assetNodes"]}
                statuses = {c["name"]: (c["executionForLatestMaterialization"] or {}).get("status")
                            for n in after.values() if n["isExecutable"] for c in checks_of(n)}
                assert {c: statuses.get(c) for c in EXPECTED_CHECKS} == dict.fromkeys(EXPECTED_CHECKS, "SUCCEEDED")
                not_passed = {c: s for c, s in statuses.items() if s != "SUCCEEDED"}
                assert not not_passed, f"checks not passed after the run: {not_passed}"
                for k, n in after.items():  # every partition of a partitioned asset
                    stats = n["partitionStats"]
                    assert not n["isPartitioned"] or stats["numMaterialized"] == stats["numPartitions"] > 0, (k, stats)

                # ---- the finished run, the checks and the graph in the UI
                open_page(page, server, f"/runs/{run_id}", run_id[:8], "Success")
                run_png = screenshot(page, tmp_path / "dagster-ui-run.png")
                open_page(page, server, "/assets/marts/headline_figures?view=checks", "gx_marts_headline_figures")
                page.get_by_text("gx_marts_headline_figures", exact=True).first.click()
                gx_check = next(c for c in checks_of(after["marts/headline_figures"]) if c["name"] == "gx_marts_headline_figures")
                page.get_by_text(" ".join(gx_check["description"].split()[:4])).first.wait_for(state="visible")
                page.get_by_text("Passed", exact=True).first.wait_for(state="visible")
                screenshot(page, tmp_path / "dagster-ui-checks.png")
                page.set_viewport_size({"width": 2000, "height": 2600})
                open_page(page, server, graph_path(groups), "Global asset lineage")
                page.locator(in_graph).get_by_text("headline_figures", exact=True).first.wait_for(state="visible")
                graph_png = screenshot(page, tmp_path / "dagster-ui-asset-graph.png")
                print(f"[{time.monotonic() - started:5.1f}s] run page, checks and graph after the run checked")
            finally:
                browser.close()
        shutil.copy(graph_png, "/tmp/dagster-ui-asset-graph.png")
        print(f"graph screenshot also at /tmp/dagster-ui-asset-graph.png; run page: {run_png}")

        # ---- the published marts, from outside the pipeline
        published = data / "published" / "marts.duckdb"
        assert published.exists(), f"{published} was not written"
        with duckdb.connect(str(published), read_only=True) as con:
            total = con.execute(
                "select value_low, value_high from marts.headline_figures where figure_id = 'total'").fetchall()
        assert total == [(499, 506)]  # tests/fixtures/landing/README.md
    print(f"test took {time.monotonic() - started:.1f}s")
