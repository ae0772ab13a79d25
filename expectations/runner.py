"""Run a Great Expectations suite against a DuckDB table.

GX's SQL datasource over duckdb_engine returns empty metric results (it fetches after
the connection is closed), so each table is read from DuckDB into a pandas DataFrame and
validated with GX's pandas engine. The suites here run on the small layers (returns,
tables, marts); row-level checks on the large raw.rows table stay in the database as dbt
tests.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

SUITES_DIR = Path(__file__).resolve().parent / "suites"

# GX prints progress bars and usage statistics by default; neither belongs in pipeline logs.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")


@dataclass
class ExpectationFailure:
    expectation: str
    column: str | None
    unexpected_count: int | None
    unexpected_percent: float | None
    sample: list
    kwargs: dict

    def describe(self) -> str:
        where = f" on column '{self.column}'" if self.column else ""
        count = f": {self.unexpected_count} rows" if self.unexpected_count is not None else ""
        sample = f" (e.g. {self.sample[:3]})" if self.sample else ""
        return f"{self.expectation}{where}{count}{sample}"


@dataclass
class SuiteOutcome:
    suite: str
    table: str
    rows: int
    evaluated: int
    failures: list[ExpectationFailure] = field(default_factory=list)

    @property
    def success(self) -> bool:
        return not self.failures


def load_suite(name: str):
    import great_expectations as gx  # heavy: imported only when a suite runs

    data = json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))
    return gx.ExpectationSuite(name=data["name"], expectations=data["expectations"], meta=data.get("meta"))


@cache
def _context():
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return context


def _batch(df: pd.DataFrame, asset_name: str):
    source = _context().data_sources.add_or_update_pandas("duckdb_tables")
    try:
        asset = source.get_asset(asset_name)
    except LookupError:
        asset = source.add_dataframe_asset(asset_name)
    try:
        batch_def = asset.get_batch_definition("whole")
    except KeyError:
        batch_def = asset.add_batch_definition_whole_dataframe("whole")
    return batch_def.get_batch(batch_parameters={"dataframe": df})


def validate_dataframe(df: pd.DataFrame, suite_name: str, table: str = "") -> SuiteOutcome:
    batch = _batch(df, suite_name)
    result = batch.validate(load_suite(suite_name), result_format="SUMMARY")
    outcome = SuiteOutcome(suite=suite_name, table=table, rows=len(df), evaluated=len(result.results))
    for r in result.results:
        if r.success:
            continue
        cfg = r.expectation_config
        res = r.result or {}
        outcome.failures.append(
            ExpectationFailure(
                expectation=cfg.type,
                column=cfg.kwargs.get("column") or cfg.kwargs.get("column_A"),
                unexpected_count=res.get("unexpected_count"),
                unexpected_percent=res.get("unexpected_percent"),
                sample=[str(v) for v in (res.get("partial_unexpected_list") or [])][:5]
                or ([str(res["observed_value"])] if "observed_value" in res else []),
                kwargs={k: v for k, v in cfg.kwargs.items() if k != "batch_id"},
            )
        )
    return outcome


def validate_table(con: duckdb.DuckDBPyConnection, table: str, suite_name: str) -> SuiteOutcome:
    df = con.execute(f"select * from {table}").df()
    return validate_dataframe(df, suite_name, table)


def per_return_expectations(suite_name: str) -> list[dict]:
    """The suite's expectations marked `"meta": {"per_return": true}`: row-level tests of a
    return's own figures, whose failing rows the pipeline traces to returns and quarantines
    (orchestration/quarantine.py). The others test the whole table and block publishing."""
    data = json.loads((SUITES_DIR / f"{suite_name}.json").read_text(encoding="utf-8"))
    return [e for e in data["expectations"] if (e.get("meta") or {}).get("per_return")]


def per_return_failures(df: pd.DataFrame, suite_name: str) -> list[tuple[ExpectationFailure, pd.DataFrame]]:
    """Validate only the per-return expectations of a suite, each failure with every row it
    failed on (GX's complete result lists the index of each unexpected row)."""
    import great_expectations as gx

    expectations = per_return_expectations(suite_name)
    if not expectations or df.empty:
        return []
    batch = _batch(df, suite_name)
    suite = gx.ExpectationSuite(name=f"{suite_name}.per_return", expectations=expectations)
    result = batch.validate(suite, result_format="COMPLETE")
    failures = []
    for r in result.results:
        if r.success:
            continue
        cfg, res = r.expectation_config, r.result or {}
        if "unexpected_index_list" not in res:
            raise ValueError(f"{suite_name}: {cfg.type} is marked per_return but is not a row-level expectation")
        failure = ExpectationFailure(
            expectation=cfg.type,
            column=cfg.kwargs.get("column") or cfg.kwargs.get("column_A"),
            unexpected_count=res.get("unexpected_count"),
            unexpected_percent=res.get("unexpected_percent"),
            sample=[str(v) for v in (res.get("partial_unexpected_list") or [])][:5],
            kwargs={k: v for k, v in cfg.kwargs.items() if k not in ("batch_id", "meta")},
        )
        failures.append((failure, df.loc[res["unexpected_index_list"]]))
    return failures
