"""Blocking quality gates. Each Great Expectations suite in expectations/suites/ runs as an
asset check on the table it describes; a failure (severity ERROR) stops everything
downstream in the run, the publish step included, so the published marts stay as they were.
The expectations marked per_return were applied in the dbt step first: a return failing one
is quarantined there and the marts rebuilt without it (orchestration/quarantine.py), so here
they fail only when that did not work. A check that fails is not retried; only a transient
error (a lock, I/O) is (orchestration/failures.py)."""

from __future__ import annotations

import duckdb
from dagster import AssetCheckResult, AssetCheckSeverity, AssetKey, MetadataValue, asset_check

from . import paths
from .assets.raw import POOL, WRITER_RETRY
from .failures import retry_only_if_transient

# suite name -> (asset it gates, table it validates)
GX_SUITES: dict[str, tuple[AssetKey, str]] = {
    "raw_returns": (AssetKey(["raw", "returns"]), "raw.returns"),
    "raw_tables": (AssetKey(["raw", "tables"]), "raw.tables"),
    "marts_community_resolutions_by_offence": (AssetKey(["marts", "community_resolutions_by_offence"]), "marts.community_resolutions_by_offence"),
    "marts_community_resolutions_by_nationality": (AssetKey(["marts", "community_resolutions_by_nationality"]), "marts.community_resolutions_by_nationality"),
    "marts_force_coverage": (AssetKey(["marts", "force_coverage"]), "marts.force_coverage"),
    "marts_headline_figures": (AssetKey(["marts", "headline_figures"]), "marts.headline_figures"),
}


def _readonly_warehouse() -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(paths.warehouse_path()), read_only=True)


def gx_check_result(suite: str, table: str) -> AssetCheckResult:
    from expectations.runner import validate_table  # GX is heavy: import when a check runs

    with _readonly_warehouse() as con:
        outcome = validate_table(con, table, suite)
    failures = [f.describe() for f in outcome.failures]
    return AssetCheckResult(
        passed=outcome.success,
        severity=AssetCheckSeverity.ERROR,
        description=("; ".join(failures) if failures else f"{outcome.evaluated} expectations met"),
        metadata={
            "suite": f"expectations/suites/{suite}.json",
            "table": table,
            "rows_validated": outcome.rows,
            "expectations_evaluated": outcome.evaluated,
            "expectations_failed": len(outcome.failures),
            "failures": MetadataValue.json([
                {"expectation": f.expectation, "column": f.column, "unexpected_rows": f.unexpected_count,
                 "unexpected_percent": f.unexpected_percent, "sample": f.sample}
                for f in outcome.failures
            ]),
        },
    )


def _gx_check(suite: str, asset_key: AssetKey, table: str):
    @asset_check(asset=asset_key, name=f"gx_{suite}", blocking=True, pool=POOL, retry_policy=WRITER_RETRY,
                 description=f"Great Expectations suite expectations/suites/{suite}.json on {table}.")
    def _check() -> AssetCheckResult:
        with retry_only_if_transient(f"Great Expectations suite {suite}"):
            return gx_check_result(suite, table)

    return _check


gx_checks = [_gx_check(suite, key, table) for suite, (key, table) in GX_SUITES.items()]


@asset_check(asset=AssetKey(["marts", "row_accounting"]), blocking=True, pool=POOL, retry_policy=WRITER_RETRY,
             description="Conservation: for every current return, rows read = rows stored in raw.rows (a loaded "
                         "return) = rows loaded + filtered + quarantined.")
def rows_conserved() -> AssetCheckResult:
    # Stored rows are counted afresh: the accounting is built once per return version
    # (incremental dbt models), so it alone would not see a row lost from raw.rows later.
    with retry_only_if_transient("rows_conserved"), _readonly_warehouse() as con:
        broken = con.execute("""
            with stored as (select return_id, count(*) as n from raw.rows group by all),
            accounted as (select return_id, sum(rows) as n from marts.row_accounting group by all)
            select r.return_id, r.rows_read, coalesce(s.n, 0), coalesce(a.n, 0)
            from raw.returns r left join stored s using (return_id) left join accounted a using (return_id)
            where r.is_current
              and (r.rows_read <> coalesce(a.n, 0) or (r.status = 'loaded' and r.rows_read <> coalesce(s.n, 0)))
            order by 1
        """).fetchall()
        total = con.execute("select coalesce(sum(rows), 0) from marts.row_accounting").fetchone()[0]
    return AssetCheckResult(
        passed=not broken,
        severity=AssetCheckSeverity.ERROR,
        description=("; ".join(f"{rid}: read {read}, stored {stored}, accounted {acc}" for rid, read, stored, acc in broken)
                     or f"all {total} rows accounted for"),
        metadata={"rows_accounted": int(total), "returns_out_of_balance": len(broken)},
    )
