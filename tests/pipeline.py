"""Helpers for tests that run the real pipeline (Dagster in-process, dbt, GX, DuckDB)."""

import duckdb
from dagster import DagsterInstance

from orchestration import paths


def run(instance: DagsterInstance | None = None):
    from orchestration.run import run_pipeline  # imports the definitions: after CR_DATA_DIR is set

    return run_pipeline(instance or DagsterInstance.ephemeral())


def query(sql: str, params=None, db=None):
    with duckdb.connect(str(db or paths.warehouse_path()), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()
