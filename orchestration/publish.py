"""Write-audit-publish: copy the audited marts into a new DuckDB file, Parquet and CSV
files, then swap them in with atomic renames. Analysts' open connections keep reading
the old file until they reconnect; a crash before the rename leaves the last good
publish as it was. No Dagster imports: the asset in assets/publish.py only calls this.

DuckDB names a file's catalog after the file, so in marts.duckdb the tables sit in the
main schema and `select * from marts.headline_figures` works as the contract says (a
schema also called marts would make that name ambiguous).

The exports (Parquet, CSV and the reading cards, cards.py) are written into one folder
exports-<stamp>/ and swapped in together by one rename of the link `current`;
data/published/parquet, csv and cards are fixed links into `current`, so a reader never
finds cards of one publish beside Parquet files of another.

CSV is what ends up in spreadsheets, and marts carry text from the returns (unmapped
values, reasons), so a text cell starting with = + - @ tab or CR is prefixed with ' in
the CSV files (formula injection). The DuckDB and Parquet files keep values as they are.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

from .cards import write_cards

PUBLISHED_DB = "marts.duckdb"
CURRENT = "current"  # data/published/current -> exports-<stamp>: swapped with one rename
EXPORT_LINKS = ("parquet", "csv", "cards")  # data/published/<link> -> current/<link>


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? order by 1",
        [catalog, schema],
    ).fetchall()
    return [name for (name,) in rows]


def spreadsheet_safe_select(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """A select of `table` with every text column neutralised against formula injection."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() where database_name = current_database() "
        "and schema_name = 'main' and table_name = ? order by column_index", [table]).fetchall()
    parts = []
    for name, data_type in columns:
        quoted = '"' + name.replace('"', '""') + '"'
        if data_type == "VARCHAR":
            parts.append(f"case when regexp_matches({quoted}, '^[=+\\-@\\t\\r]') then '''' || {quoted} "
                         f"else {quoted} end as {quoted}")
        else:
            parts.append(quoted)
    return f"select {', '.join(parts)} from main.{table}"


def publish_marts(warehouse: Path, published_dir: Path, schema: str = "marts") -> dict[str, int]:
    """Publish every table of `schema` and every current return's reading card; returns
    rows per table."""
    published_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(published_dir)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp_db = published_dir / f".{PUBLISHED_DB}.{stamp}.tmp"
    exports = published_dir / f"exports-{stamp}"
    for kind in EXPORT_LINKS:
        (exports / kind).mkdir(parents=True)
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp_db))
        try:
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            for table in _tables(con, "wh", schema):
                con.execute(f"create table main.{table} as select * from wh.{schema}.{table}")
                con.execute(f"copy main.{table} to '{exports / 'parquet' / (table + '.parquet')}' (format parquet)")
                con.execute(f"copy ({spreadsheet_safe_select(con, table)}) to '{exports / 'csv' / (table + '.csv')}' "
                            "(format csv, header)")
                counts[table] = con.execute(f"select count(*) from main.{table}").fetchone()[0]
            con.execute("detach wh")
            con.execute("checkpoint")
        finally:
            con.close()
        with duckdb.connect(str(warehouse), read_only=True) as wh:
            write_cards(wh, exports / "cards")
        os.replace(tmp_db, published_dir / PUBLISHED_DB)
        _swap_link(published_dir, CURRENT, exports.name, stamp)
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(exports, ignore_errors=True)
        raise
    for kind in EXPORT_LINKS:  # the first publish, or a folder published before `current` existed
        if not (published_dir / kind).is_symlink() or os.readlink(published_dir / kind) != f"{CURRENT}/{kind}":
            _swap_link(published_dir, kind, f"{CURRENT}/{kind}", stamp)
    _remove_leftovers(published_dir)
    return counts


def _swap_link(published_dir: Path, name: str, target: str, stamp: str) -> None:
    link_tmp = published_dir / f".{name}.{stamp}"
    os.symlink(target, link_tmp)
    os.replace(link_tmp, published_dir / name)


def _remove_leftovers(published_dir: Path) -> None:
    """Temporary files of a publish that was killed, and export folders no longer linked."""
    for tmp in published_dir.glob(f".{PUBLISHED_DB}.*.tmp*"):
        tmp.unlink(missing_ok=True)
    linked = set()
    for name in (CURRENT, *EXPORT_LINKS):
        for stale in published_dir.glob(f".{name}.*"):
            stale.unlink(missing_ok=True)
        link = published_dir / name
        if link.is_symlink():
            linked.add(os.readlink(link).split("/")[0])
    for folder in published_dir.glob("exports-*"):
        if folder.name not in linked:
            shutil.rmtree(folder, ignore_errors=True)
    for old in published_dir.glob("parquet-*"):  # layout before the CSV exports
        shutil.rmtree(old, ignore_errors=True)
