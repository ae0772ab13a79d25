"""Write-audit-publish: copy the audited marts into a new DuckDB file and Parquet files,
then swap them in with atomic renames.

DuckDB names a file's catalog after the file, so in marts.duckdb the tables sit in the
main schema and `select * from marts.headline_figures` works as the contract says (a
schema also called marts would make that name ambiguous). Analysts' open connections keep reading the old
file until they reconnect; a crash before the rename leaves the last good publish as it
was. No Dagster imports: the asset in assets/publish.py only calls this."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import duckdb

PUBLISHED_DB = "marts.duckdb"
PARQUET_LINK = "parquet"


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> list[str]:
    rows = con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = ? order by 1",
        [catalog, schema],
    ).fetchall()
    return [name for (name,) in rows]


def publish_marts(warehouse: Path, published_dir: Path, schema: str = "marts") -> dict[str, int]:
    """Publish every table of `schema`; returns rows per table."""
    published_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(published_dir)
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    tmp_db = published_dir / f".{PUBLISHED_DB}.{stamp}.tmp"
    parquet_dir = published_dir / f"parquet-{stamp}"
    parquet_dir.mkdir()
    counts: dict[str, int] = {}
    try:
        con = duckdb.connect(str(tmp_db))
        try:
            con.execute(f"attach '{warehouse}' as wh (read_only)")
            for table in _tables(con, "wh", schema):
                con.execute(f"create table main.{table} as select * from wh.{schema}.{table}")
                con.execute(f"copy main.{table} to '{parquet_dir / (table + '.parquet')}' (format parquet)")
                counts[table] = con.execute(f"select count(*) from main.{table}").fetchone()[0]
            con.execute("detach wh")
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(tmp_db, published_dir / PUBLISHED_DB)
        link_tmp = published_dir / f".{PARQUET_LINK}.{stamp}"
        os.symlink(parquet_dir.name, link_tmp)
        os.replace(link_tmp, published_dir / PARQUET_LINK)
    except BaseException:
        tmp_db.unlink(missing_ok=True)
        shutil.rmtree(parquet_dir, ignore_errors=True)
        raise
    _remove_leftovers(published_dir)
    return counts


def _remove_leftovers(published_dir: Path) -> None:
    """Temporary files of a publish that was killed, and Parquet folders no longer linked."""
    for tmp in published_dir.glob(f".{PUBLISHED_DB}.*.tmp*"):
        tmp.unlink(missing_ok=True)
    for link in published_dir.glob(f".{PARQUET_LINK}.*"):
        link.unlink(missing_ok=True)
    link = published_dir / PARQUET_LINK
    current = os.readlink(link) if link.is_symlink() else None
    for folder in published_dir.glob("parquet-*"):
        if folder.name != current:
            shutil.rmtree(folder, ignore_errors=True)
