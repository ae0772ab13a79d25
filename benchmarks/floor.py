"""The floor: read every return with the fastest readers at hand and do nothing else.

- every CSV into one DuckDB table with DuckDB's own `read_csv` (all_varchar, header=false,
  null_padding, union_by_name so files of different widths share the table, delimiter
  sniffed per file). DuckDB reads UTF-8 (with or without BOM) and a strict Latin-1 that
  rejects the bytes 0x80-0x9F Windows-1252 uses for dashes and quotes, and it has no
  Windows-1252 without an extension downloaded at run time; so a Windows-1252 file is
  transcoded to UTF-8 first, streamed in 1 MB chunks (any reader must decode it, so
  that cost is part of the floor);
- every sheet of every XLSX with python-calamine (`iter_rows`, rows counted, values not
  kept).

No header detection, no shapes, no types: what no ingestion can beat by much.

    python benchmarks/floor.py LANDING_DIR     -> prints one JSON line
"""

from __future__ import annotations

import codecs
import json
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from python_calamine import CalamineWorkbook

CHUNK = 1 << 20


def is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def transcode_cp1252(path: Path, out_dir: Path) -> Path:
    out = out_dir / f"{len(list(out_dir.iterdir()))}-{path.name}"
    with path.open(encoding="cp1252", errors="replace", newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        while chunk := src.read(CHUNK):
            dst.write(chunk)
    return out


def main(landing: Path) -> dict:
    files = sorted(p for p in landing.rglob("*") if p.is_file() and not p.name.startswith("."))
    csvs = [p for p in files if p.suffix.lower() == ".csv"]
    xlsxs = [p for p in files if p.suffix.lower() == ".xlsx"]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
        readable = [p if is_utf8(p) else transcode_cp1252(p, Path(tmp)) for p in csvs]
        decoded_s = time.perf_counter() - started
        con = duckdb.connect()  # in memory: the floor does not pay for writing a database file
        con.execute(
            "create table returns as select * from read_csv(?, header = false, all_varchar = true, "
            "null_padding = true, union_by_name = true, filename = true, strict_mode = false)",
            [[str(p) for p in readable]],
        )
        csv_rows = con.execute("select count(*) from returns").fetchone()[0]
        con.close()
    csv_s = time.perf_counter() - started
    xlsx_rows = 0
    for path in xlsxs:
        with CalamineWorkbook.from_path(str(path)) as wb:
            for name in wb.sheet_names:
                for _ in wb.get_sheet_by_name(name).iter_rows():
                    xlsx_rows += 1
    total_s = time.perf_counter() - started
    return {
        "work_s": total_s, "csv_s": csv_s, "csv_decode_s": decoded_s, "xlsx_s": total_s - csv_s,
        "csv_files": len(csvs), "csv_rows": csv_rows, "xlsx_files": len(xlsxs), "xlsx_rows": xlsx_rows,
        "csv_bytes": sum(p.stat().st_size for p in csvs), "xlsx_bytes": sum(p.stat().st_size for p in xlsxs),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
