"""Helpers for tests that run the real pipeline (Dagster in-process, dbt, GX, DuckDB)."""

import contextlib
import shutil
from pathlib import Path

import duckdb
import pytest
from dagster import DagsterInstance

from orchestration import paths


def run(instance: DagsterInstance | None = None):
    from orchestration.run import run_pipeline  # imports the definitions: after CR_DATA_DIR is set

    return run_pipeline(instance or DagsterInstance.ephemeral())


def query(sql: str, params=None, db=None):
    with duckdb.connect(str(db or paths.warehouse_path()), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


@contextlib.contextmanager
def on_landing(base: Path, landing: Path):
    """A data directory under `base` holding a copy of `landing`, with CR_DATA_DIR pointing
    at it and a fresh ephemeral Dagster instance, for a module-scoped fixture."""
    data = base / "data"
    shutil.copytree(landing, data / "landing")
    mp = pytest.MonkeyPatch()
    mp.setenv("CR_DATA_DIR", str(data))
    try:
        yield data, DagsterInstance.ephemeral()
    finally:
        mp.undo()
