"""Per-return checks: one bad return never holds the others back.

A check is per-return when the rows it fails on belong to returns: a dbt test configured
`meta: {quarantine: per_return}` whose failing rows carry `return_id`, or a Great
Expectations expectation marked `"meta": {"per_return": true}` on a mart whose rows trace
back to the returns they sum (TRACES below). When such a check fails, the dbt step records
the returns it names in raw.check_quarantine, int_returns quarantines them with the check
and what failed in the reason (force_coverage shows it), the models from int_returns on
are rebuilt once and the checks run again (orchestration/assets/dbt.py). Every other check
(a seed's uniqueness, the marts' contract, row conservation) still blocks the publish.

The table holds what the current build found: the dbt step empties it before every full
build, so a quarantine never outlives a fix of the check, and it is keyed on return_id
(file and sha256), so a corrected file is a new return and is checked afresh.

No Dagster imports: plain functions over a DuckDB connection and dbt's artifacts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import duckdb

TABLE = "raw.check_quarantine"  # created by the dbt on-run-start hook (macros/check_quarantine.sql)
DBT_META_KEY, DBT_META_VALUE = "quarantine", "per_return"
ROWS_SHOWN = 3  # failing rows quoted per return and check; the count says how many more


@dataclass(frozen=True)
class CheckFailure:
    """A per-return check failed on this return: `check_name` as Dagster and dbt name it."""

    return_id: str
    check_name: str
    detail: str


class UntracedFailure(Exception):
    """A per-return check failed on rows that name no return: it cannot quarantine anything,
    so it blocks like any other check."""


# A mart row sums the int_community_resolution_groups rows of its view with the same values
# in these columns: those rows' returns are the returns behind it.
GROUPS = "intermediate.int_community_resolution_groups"
TRACES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # suite: (table it validates, view column in GROUPS, columns a mart row is grouped by)
    "marts_community_resolutions_by_offence": (
        "marts.community_resolutions_by_offence", "in_offence_view",
        ("force_name", "period_type", "period_label", "offence_group", "offence_subgroup", "ho_offence_code"),
    ),
    "marts_community_resolutions_by_nationality": (
        "marts.community_resolutions_by_nationality", "in_nationality_view",
        ("force_name", "period_type", "period_label", "nationality_category", "nationality_iso3", "offence_group"),
    ),
}


def clear(con: duckdb.DuckDBPyConnection) -> None:
    if con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'check_quarantine'"
                   ).fetchone()[0]:
        con.execute(f"delete from {TABLE}")


def record(con: duckdb.DuckDBPyConnection, failures: Iterable[CheckFailure]) -> None:
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    for f in failures:
        con.execute(f"delete from {TABLE} where return_id = ? and check_name = ?", [f.return_id, f.check_name])
        con.execute(f"insert into {TABLE} values (?, ?, ?, ?)", [f.return_id, f.check_name, f.detail, now])


def is_per_return_test(node: Mapping[str, Any]) -> bool:
    return (node.get("config", {}).get("meta") or {}).get(DBT_META_KEY) == DBT_META_VALUE


def dbt_test_failures(con: duckdb.DuckDBPyConnection, results: Iterable[Mapping[str, Any]],
                      manifest: Mapping[str, Any]) -> list[CheckFailure]:
    """The returns named by the per-return dbt tests that failed (status 'fail') in a build:
    each test's compiled SQL selects its failing rows, which carry return_id."""
    failures = []
    for result in results:
        node = manifest["nodes"].get(result["unique_id"], {})
        if result["status"] != "fail" or not is_per_return_test(node):
            continue
        cursor = con.execute(f"select * from ({result['compiled_code']}) as failing")
        columns = [d[0] for d in cursor.description]
        if "return_id" not in columns:
            raise UntracedFailure(f"dbt test {node['name']} is marked per_return but its failing rows have no return_id")
        rows = [dict(zip(columns, row)) for row in cursor.fetchall()]
        if not rows or any(r["return_id"] is None for r in rows):
            raise UntracedFailure(f"dbt test {node['name']} failed on rows that name no return")
        by_return: dict[str, list[str]] = defaultdict(list)
        for r in rows:
            by_return[r["return_id"]].append(", ".join(f"{k} {_text(v)}" for k, v in r.items()
                                                       if k != "return_id" and _text(v) != ""))
        for return_id, described in sorted(by_return.items()):
            failures.append(CheckFailure(return_id, node["name"], f"failing rows: {_quote(described)}"))
    return failures


def gx_failures(con: duckdb.DuckDBPyConnection, suites: Iterable[str]) -> list[CheckFailure]:
    """The returns behind the rows that fail the per-return expectations of these suites."""
    from expectations.runner import per_return_failures  # GX is heavy: import when a check runs

    failures = []
    for suite in suites:
        table, view, keys = TRACES[suite]
        df = con.execute(f"select * from {table}").df()
        failed = per_return_failures(df, suite)
        if not failed:
            continue
        groups = con.execute(f"select distinct return_id, {', '.join(keys)} from {GROUPS} where {view}").df()
        for failure, rows in failed:
            traced = rows.reset_index().merge(groups, on=list(keys))  # pandas matches missing keys to missing keys
            untraced = set(rows.index) - set(traced["index"])
            if untraced:
                raise UntracedFailure(f"gx_{suite}: {failure.describe()}: {len(untraced)} failing rows trace to no return")
            tested = [c for c in (failure.kwargs.get("column"), failure.kwargs.get("column_A"), failure.kwargs.get("column_B")) if c]
            bounds = ", ".join(f"{k} {_text(v)}" for k, v in failure.kwargs.items()
                               if k not in ("column", "column_A", "column_B") and v is not None)
            what = f"{failure.expectation} ({', '.join(tested)}{'; ' + bounds if bounds else ''})"
            for return_id, part in traced.groupby("return_id", sort=True):
                described = [", ".join(f"{k} {_text(row[k])}" for k in (*keys[1:], *tested) if _text(row[k]) != "")
                             for _, row in part.iterrows()]
                failures.append(CheckFailure(return_id, f"gx_{suite}", f"{what} failed on {_quote(described)}"))
    return failures


def _text(value) -> str:
    import pandas as pd

    if pd.isna(value) is True:
        return ""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _quote(rows: list[str]) -> str:
    more = f" (and {len(rows) - ROWS_SHOWN} more rows)" if len(rows) > ROWS_SHOWN else ""
    return "; ".join(f"[{r}]" for r in rows[:ROWS_SHOWN]) + more
