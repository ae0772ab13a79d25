"""Write parsed returns into the warehouse's `raw` schema, one transaction per return.

raw.returns  one row per ingested file version (identical re-drops are not re-ingested;
             a changed file supersedes its previous version, which stays as history)
raw.tables   one row per table found: header row, shape, column roles
raw.rows     every row of every sheet, every cell as text, with its kind
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from collections.abc import Collection

from .landing import LandingFile, discover
from .limits import ReadLimits
from .columns import column_letter
from .parse import ParsedReturn, parse_return
from .xlsx_scan import XlsxPrescan

# Bump when a change to readers, shape detection or parsing would read a file differently:
# stored returns of an older version are parsed again on the next ingestion.
PARSER_VERSION = 7

ROLE_COLUMNS = [
    "offence_code", "offence_text", "outcome", "nationality", "period", "date",
    "count", "age", "sex", "victim_age", "force", "record_id",
]

DDL = f"""
create schema if not exists raw;
create table if not exists raw.returns (
    return_id varchar primary key, force_slug varchar, source_file varchar, file_name varchar,
    sha256 varchar, size_bytes bigint, file_format varchar, encoding varchar,
    status varchar, reason varchar, n_tables integer, rows_read bigint, profile varchar,
    ingested_at timestamp, is_current boolean, parser_version integer, warnings varchar, supersedes varchar[],
    profile_sha256 varchar
);
create table if not exists raw.tables (
    return_id varchar, table_id integer, sheet varchar, header_row integer, last_row integer,
    shape varchar, headers varchar[], title varchar, default_period varchar,
    {", ".join(f"{r}_col integer" for r in ROLE_COLUMNS)},
    across_role varchar, across_cols integer[], across_values varchar[], personal_data_cols integer[],
    header_rows integer, across_role2 varchar, across_values2 varchar[], total_cols integer[],
    nationality_cols integer[], counted boolean, subject varchar, verification varchar, checks varchar[],
    data_low bigint, data_high bigint, column_notes varchar[], label varchar, filled_cols integer[],
    -- withheld cells whose bounds the table's own exact totals narrow
    pinned_cells struct(source_row integer, source_column_index integer, count_low bigint, count_high bigint)[],
    group_rows integer[], group_role varchar, group_col integer,
    primary key (return_id, table_id)
);
-- columns added after the first release (existing warehouses keep working)
alter table raw.returns add column if not exists parser_version integer;
alter table raw.returns add column if not exists warnings varchar;
alter table raw.returns add column if not exists supersedes varchar[];
alter table raw.returns add column if not exists profile_sha256 varchar;
alter table raw.tables add column if not exists personal_data_cols integer[];
alter table raw.tables add column if not exists header_rows integer;
alter table raw.tables add column if not exists across_role2 varchar;
alter table raw.tables add column if not exists across_values2 varchar[];
alter table raw.tables add column if not exists total_cols integer[];
alter table raw.tables add column if not exists nationality_cols integer[];
alter table raw.tables add column if not exists counted boolean;
alter table raw.tables add column if not exists subject varchar;
alter table raw.tables add column if not exists verification varchar;
alter table raw.tables add column if not exists checks varchar[];
alter table raw.tables add column if not exists data_low bigint;
alter table raw.tables add column if not exists data_high bigint;
alter table raw.tables add column if not exists column_notes varchar[];
alter table raw.tables add column if not exists label varchar;
alter table raw.tables add column if not exists filled_cols integer[];
alter table raw.tables add column if not exists pinned_cells struct(source_row integer, source_column_index integer, count_low bigint, count_high bigint)[];
alter table raw.tables add column if not exists group_rows integer[];
alter table raw.tables add column if not exists group_role varchar;
alter table raw.tables add column if not exists group_col integer;
create table if not exists raw.rows (
    return_id varchar, sheet varchar, source_row integer, table_id integer,
    row_kind varchar, cells varchar[]
);
"""


@dataclass
class IngestSummary:
    ingested: list[str] = field(default_factory=list)  # return_ids newly loaded or quarantined
    unchanged: list[str] = field(default_factory=list)
    retired: list[str] = field(default_factory=list)  # versions no longer current
    quarantined: dict[str, str] = field(default_factory=dict)  # return_id -> reason
    warnings: list[str] = field(default_factory=list)


def profile_digest(lf: LandingFile) -> str | None:
    """sha256 of the file's return profile, or None without one."""
    try:
        return hashlib.sha256(lf.profile_path.read_bytes()).hexdigest()
    except OSError:
        return None


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(DDL)


ROWS_PER_BATCH = 100_000  # rows handed to DuckDB at a time: bounds the Arrow copy of a big return


def _rows_batches(parsed: ParsedReturn):
    rid = parsed.landing.return_id
    for start in range(0, len(parsed.rows), ROWS_PER_BATCH):
        batch = parsed.rows[start:start + ROWS_PER_BATCH]
        yield pa.table({
            "return_id": pa.array([rid] * len(batch), pa.string()),
            "sheet": pa.array([r.sheet for r in batch], pa.string()),
            "source_row": pa.array([r.source_row for r in batch], pa.int32()),
            "table_id": pa.array([r.table_index for r in batch], pa.int32()),
            "row_kind": pa.array([r.row_kind for r in batch], pa.string()),
            "cells": pa.array([r.cells for r in batch], pa.list_(pa.string())),
        })


def write_return(con: duckdb.DuckDBPyConnection, parsed: ParsedReturn, now: dt.datetime) -> None:
    lf = parsed.landing
    con.execute("begin transaction")
    try:
        for table in ("rows", "tables", "returns"):  # a re-parse replaces the stored version
            con.execute(f"delete from raw.{table} where return_id = ?", [lf.return_id])
        con.execute("update raw.returns set is_current = false where source_file = ? and is_current", [lf.source_file])
        con.execute(
            "insert into raw.returns (return_id, force_slug, source_file, file_name, sha256, size_bytes, file_format, "
            "encoding, status, reason, n_tables, rows_read, profile, ingested_at, is_current, parser_version, warnings, "
            "supersedes, profile_sha256) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?, ?, ?, ?)",
            [lf.return_id, lf.force_slug, lf.source_file, lf.path.name, lf.sha256, lf.size_bytes,
             parsed.file_format, parsed.encoding, parsed.status, parsed.reason, len(parsed.tables),
             parsed.rows_read, str(parsed.profile) if parsed.profile else None, now, PARSER_VERSION,
             "\n".join(parsed.warnings) or None, (parsed.profile or {}).get("supersedes") or None,
             profile_digest(lf)],
        )
        for tid, t in enumerate(parsed.tables):
            values = {
                "return_id": lf.return_id, "table_id": tid, "sheet": t.sheet, "header_row": t.header_row,
                "last_row": t.last_row, "shape": t.shape, "headers": t.headers, "title": t.title,
                "default_period": t.default_period, **{f"{r}_col": t.roles.get(r) for r in ROLE_COLUMNS},
                "across_role": t.across_role, "across_cols": t.across_cols or None,
                "across_values": t.across_values or None, "personal_data_cols": t.personal_data_cols or None,
                "header_rows": t.header_rows, "across_role2": t.across_role2, "across_values2": t.across_values2 or None,
                "total_cols": t.total_cols or None, "nationality_cols": t.nationality_cols or None,
                "counted": t.counted, "subject": t.subject, "verification": t.verification, "checks": t.checks or None,
                "data_low": t.data_low, "data_high": t.data_high,
                "column_notes": [f"{column_letter(c)}: {note}" for c, note in sorted(t.column_notes.items())] or None,
                "label": t.label or None, "filled_cols": t.filled_cols or None,
                "pinned_cells": [{"source_row": r, "source_column_index": c, "count_low": lo, "count_high": hi}
                                 for (r, c), (lo, hi) in sorted(t.pinned.items())] or None,
                "group_rows": t.group_rows or None, "group_role": t.group_role, "group_col": t.group_col,
            }
            con.execute(f"insert into raw.tables ({', '.join(values)}) values ({', '.join(['?'] * len(values))})",
                        list(values.values()))
        for batch in _rows_batches(parsed):
            con.register("raw_rows_batch", batch)
            con.execute("insert into raw.rows select * from raw_rows_batch")
            con.unregister("raw_rows_batch")
        for big in parsed.bulk:
            big.register(con)
            con.execute(f"insert into raw.rows select ?, ?, source_row, table_id, row_kind, cells from ({big.select_sql})",
                        [lf.return_id, big.sheet])
            big.unregister(con)
        con.execute("commit")
    except Exception:
        con.execute("rollback")
        raise


def ingest_landing(
    con: duckdb.DuckDBPyConnection,
    landing_dir: Path,
    forces: Collection[str] | None = None,
    reparse: bool = False,
) -> IngestSummary:
    """Bring raw.* in line with the landing folder, or with the folders of `forces` only
    (one Dagster partition per force). Unchanged files cost one sha256; a file stored by
    an older parser version is parsed again."""
    ensure_schema(con)
    summary = IngestSummary()
    in_scope = (lambda slug: True) if forces is None else (lambda slug: slug in forces)
    stored = {
        rid: (current, version, profile)
        for rid, slug, current, version, profile in con.execute(
            "select return_id, force_slug, is_current, parser_version, profile_sha256 from raw.returns").fetchall()
        if in_scope(slug)
    }
    files: list[LandingFile] = discover(landing_dir, forces)

    def fresh(lf: LandingFile) -> bool:
        """Stored by this parser version, with the return profile it has now (an edited
        profile, an approval say, reads the file again)."""
        entry = stored.get(lf.return_id)
        return entry is not None and entry[1] == PARSER_VERSION and entry[2] == profile_digest(lf) and not reparse

    known = {lf.return_id for lf in files if fresh(lf) and stored[lf.return_id][0]}
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    to_parse = {lf.return_id: lf for lf in files if not fresh(lf)}
    xlsx = [lf.path for lf in to_parse.values() if lf.path.suffix.lower() == ".xlsx" and not lf.path.is_symlink()]
    with XlsxPrescan(xlsx, ReadLimits.from_env()) as prescan:
        # the CSVs first: meanwhile the second process checks the workbooks
        for lf in sorted(files, key=lambda lf: lf.path.suffix.lower() == ".xlsx"):
            if lf.return_id in known:
                summary.unchanged.append(lf.return_id)
                continue
            if lf.return_id not in to_parse:
                # a file put back to an earlier version: that version is current again
                con.execute("update raw.returns set is_current = (return_id = ?) where source_file = ?", [lf.return_id, lf.source_file])
                summary.ingested.append(lf.return_id)
                continue
            parsed = parse_return(lf, prescan)
            write_return(con, parsed, now)
            summary.ingested.append(lf.return_id)
            if parsed.status == "quarantined":
                summary.quarantined[lf.return_id] = parsed.reason or ""
            summary.warnings.extend(parsed.warnings)
    present = {lf.return_id for lf in files}
    for rid in sorted({rid for rid, (current, _, _) in stored.items() if current} - present):
        con.execute("update raw.returns set is_current = false where return_id = ?", [rid])
        summary.retired.append(rid)
    return summary


