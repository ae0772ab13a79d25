"""Incremental refresh of one force: `python benchmarks/run_force.py SLUG [SLUG ...]`, run
from the project directory (or the benchmark's copy of it) with DAGSTER_HOME, CR_DATA_DIR
and CR_LANDING_DIR set as for the full run before it. Re-ingests that force's partition,
then dbt, checks and publish; exits 0 on success."""
import os
import sys

sys.path.insert(0, os.getcwd())  # the code being measured: the working directory's orchestration/
from orchestration.run import run_pipeline  # noqa: E402

sys.exit(0 if run_pipeline(forces=sys.argv[1:]).success else 1)
