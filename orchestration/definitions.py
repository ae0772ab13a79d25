"""The Dagster code location: it only assembles. Loading it reads no landing file and runs
no dbt (the dbt manifest is prepared by `make setup` or by `dagster dev`)."""

import sys
from pathlib import Path

from dagster import Definitions, in_process_executor

from .assets.dbt import WarehouseDbtCli, dbt_project, warehouse_dbt_models
from .assets.publish import published_marts
from .assets.raw import landing, raw_returns
from .checks import gx_checks, rows_conserved
from .sensors import automation_sensor, full_refresh_job, ingest_force_job, landing_sensor, weekly_full_refresh

defs = Definitions(
    assets=[landing, raw_returns, warehouse_dbt_models, published_marts],
    asset_checks=[*gx_checks, rows_conserved],
    jobs=[ingest_force_job, full_refresh_job],
    sensors=[landing_sensor, automation_sensor],
    schedules=[weekly_full_refresh],
    # dbt from the same environment as Dagster, whether or not the venv is activated
    resources={"dbt": WarehouseDbtCli(project_dir=dbt_project, dbt_executable=str(Path(sys.executable).parent / "dbt"))},
    # Steps share one DuckDB file and run one at a time anyway; in-process avoids the
    # ~1.4 s per step a subprocess costs.
    executor=in_process_executor,
)
