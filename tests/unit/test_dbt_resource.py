"""WarehouseDbtCli skips two start-up costs of dagster-dbt's DbtCliResource by overriding
two of its private members; these tests fail when an upgrade of dagster-dbt renames them
(the override would then silently stop saving anything) or when the version it assumes
is not the one `dbt --version` reports."""

import subprocess
import sys
from functools import cached_property
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import WarehouseDbtCli, dbt_project

DBT = str(Path(sys.executable).parent / "dbt")


def test_the_overridden_members_still_exist_in_dagster_dbt():
    assert isinstance(DbtCliResource.__dict__["_cli_version"], cached_property)
    assert callable(DbtCliResource.__dict__["_initialize_dbt_core_adapter"])


def test_neither_runs_dbt_nor_builds_an_adapter(monkeypatch):
    import dagster_dbt.core.resource as resource_module

    def no_subprocess(*args, **kwargs):
        raise AssertionError(f"ran {args}")

    monkeypatch.setattr(resource_module, "check_output", no_subprocess)
    resource = WarehouseDbtCli(project_dir=dbt_project, dbt_executable=DBT)
    assert resource._cli_version.major == 1
    assert resource._initialize_dbt_core_adapter(["build"]) is None
    with pytest.raises(AssertionError, match="ran"):
        DbtCliResource(project_dir=dbt_project, dbt_executable=DBT)._cli_version  # what the override saves


def test_the_version_is_the_one_dbt_reports():
    reported = subprocess.run([DBT, "--version"], capture_output=True, text=True, check=True).stdout
    resource = WarehouseDbtCli(project_dir=dbt_project, dbt_executable=DBT)
    assert f"installed: {resource._cli_version}" in reported
    assert resource._initialize_dbt_core_adapter(["build"]) is None
