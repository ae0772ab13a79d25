"""Where the project keeps things. Every data path derives from one data directory,
`CR_DATA_DIR` (default: the project's data/), so tests and benchmarks can run the whole
pipeline on a temporary folder."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DBT_PROJECT_DIR = PROJECT_ROOT / "dbt_project"
EXPECTATIONS_DIR = PROJECT_ROOT / "expectations"


def data_dir() -> Path:
    return Path(os.environ.get("CR_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def landing_dir() -> Path:
    """`CR_LANDING_DIR` if set (the Makefile points it at the shipped sample while
    data/landing/ is empty), else <data dir>/landing."""
    override = os.environ.get("CR_LANDING_DIR")
    return Path(override).resolve() if override else data_dir() / "landing"


def warehouse_path() -> Path:
    return data_dir() / "warehouse" / "warehouse.duckdb"


def published_dir() -> Path:
    return data_dir() / "published"


def published_db_path() -> Path:
    return published_dir() / "marts.duckdb"


def dbt_env() -> dict[str, str]:
    """Environment for a dbt invocation: dbt's profile reads the warehouse path from it."""
    warehouse_path().parent.mkdir(parents=True, exist_ok=True)
    return {"CR_WAREHOUSE_PATH": str(warehouse_path())}
