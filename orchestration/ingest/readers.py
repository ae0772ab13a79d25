"""Read a return into sheets of text cells, keeping every cell as the text a person sees.

CSV: the encoding is detected (UTF-8 with or without BOM, else Windows-1252) and the
delimiter sniffed. XLSX: read with python-calamine; numbers are written back the way
Excel shows them (whole numbers without ".0"), dates as ISO dates.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook


class ReadError(Exception):
    """A return that cannot be read at all. The message names the file and what was expected."""


@dataclass
class Sheet:
    name: str  # the workbook's sheet name; "" for a CSV
    rows: list[list[str]] = field(default_factory=list)  # rows[i] is spreadsheet row i + 1


@dataclass
class Workbook:
    sheets: list[Sheet]
    encoding: str | None = None  # CSV only


SUPPORTED_SUFFIXES = {".csv", ".xlsx"}


def read_return(path: Path) -> Workbook:
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv(path)
    if suffix == ".xlsx":
        return read_xlsx(path)
    raise ReadError(f"unsupported file type '{suffix}': expected .csv or .xlsx")


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-8 first (BOM stripped); Windows-1252 is what Excel
    on a force's PC writes when UTF-8 fails; Latin-1 cannot fail and is the last resort."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    sample = text[:65536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        return ","


def read_csv(path: Path) -> Workbook:
    data = path.read_bytes()
    if b"\x00" in data[:65536]:
        raise ReadError(f"contains NUL bytes: expected a text CSV file")
    text, encoding = decode_csv_bytes(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        rows = [[cell.strip() for cell in row] for row in reader]
    except csv.Error as exc:
        raise ReadError(f"row {reader.line_num}: malformed CSV ({exc})") from exc
    return Workbook(sheets=[Sheet(name="", rows=rows)], encoding=encoding)


def cell_text(value: object) -> str:
    """The text a person sees in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def read_xlsx(path: Path) -> Workbook:
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = []
        for name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append(Sheet(name=name, rows=[[cell_text(v) for v in row] for row in values]))
    except Exception as exc:  # calamine raises several error types for broken workbooks
        raise ReadError(f"could not be read as an XLSX workbook ({exc}): expected a valid .xlsx file") from exc
    return Workbook(sheets=sheets)
