"""Write sheets of rows to CSV or XLSX, streaming, and count what a reader will see.

A row is (cells, kind, contributions):
  cells          list of str | int | datetime.date | None
  kind           title | blank | header | data | total | summary | note | other (a
                 record-level row with another outcome type); total and summary rows restate
                 counts of other rows (Total, Grand Total and subtotal rows, a 'Total records'
                 line, a total stated in a note, every row of a Summary sheet)
  contributions  for a data row, the community-resolution counts it carries: a list of
                 (key, low, high), or a bare key for one record (low = high = 1)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import xlsxwriter

DOC_TIME = dt.datetime(2025, 6, 1, 9, 0, 0)


@dataclass
class SheetOut:
    name: str  # "" for a CSV
    rows: Iterable[tuple]


@dataclass
class Cell:
    """A count cell as written: its bounds (1..4 when withheld), its true value, and the
    accounting key it counts under (None if it adds to no figure)."""

    low: int
    high: int
    value: int
    key: tuple | None


@dataclass
class FileAccount:
    """What one written file holds, as a reader counts it."""

    path: str  # <slug>/<file>
    rows: int = 0
    rows_loaded: int = 0
    rows_other_outcome: int = 0
    rows_totals: int = 0  # total and summary rows
    exact: Counter = field(default_factory=Counter)  # key -> count (low = high)
    ranged: dict = field(default_factory=dict)  # key -> [low, high] of withheld cells
    sheets: dict = field(default_factory=dict)  # sheet name -> rows
    totals: list = field(default_factory=list)  # every total written (see manifest definitions)
    withheld: dict = field(default_factory=dict)  # "Sheet!C12" (CSV: "C12") -> true value of a withheld cell
    # every count cell of a data row of an aggregate table, for narrowing withheld cells by
    # the totals: (sheet, row, column) -> Cell
    cells: dict = field(default_factory=dict)
    narrowed: dict = field(default_factory=dict)  # (sheet, row, column) of a withheld cell -> (low, high) narrowed by the totals

    def add_rows(self, rows: Iterator[tuple]) -> Iterator[tuple]:
        exact, ranged = self.exact, self.ranged
        for row in rows:
            kind = row[1]
            if kind == "data":
                contribs = row[2]
                if isinstance(contribs, tuple):  # one record
                    exact[contribs] += 1
                    self.rows_loaded += 1
                elif contribs:
                    for key, low, high in contribs:
                        if low == high:
                            exact[key] += low
                        else:
                            r = ranged.setdefault(key, [0, 0])
                            r[0] += low
                            r[1] += high
                    self.rows_loaded += 1
            elif kind == "other":
                self.rows_other_outcome += 1
            elif kind == "total" or kind == "summary":
                self.rows_totals += 1
            yield row


def column_letter(col: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while col:
        col, r = divmod(col - 1, 26)
        s = chr(65 + r) + s
    return s


def cell_ref(sheet: str, row: int, col: int) -> str:
    """'Sheet!C12' (a CSV's cells are just 'C12')."""
    return f"{sheet}!{column_letter(col)}{row}" if sheet else f"{column_letter(col)}{row}"


def row_ranges(rows: list[int]) -> list[list[int]]:
    """[5, 6, 7, 9] -> [[5, 7], [9, 9]]"""
    out: list[list[int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1][1] = r
        else:
            out.append([r, r])
    return out


def _text(value, date_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime(date_format)
    return str(value)


def write_csv(path: Path, account: FileAccount, sheet: SheetOut, encoding: str = "utf-8",
              delimiter: str = ",", date_format: str = "%Y-%m-%d") -> None:
    """CSV as Excel writes it: CRLF line ends; a BOM for encoding 'utf-8-sig'."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        buf = []
        for cells, _kind, _c in account.add_rows(iter(sheet.rows)):
            buf.append([_text(c, date_format) for c in cells])
            n += 1
            if len(buf) >= 5000:
                writer.writerows(buf)
                buf.clear()
        writer.writerows(buf)
    account.rows += n
    account.sheets[""] = n


def write_xlsx(path: Path, account: FileAccount, sheets: list[SheetOut], date_format: str = "dd/mm/yyyy") -> None:
    """XLSX with fixed document times (byte-identical for identical content), written
    row by row in constant-memory mode."""
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {
        "constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
        "strings_to_urls": False, "default_date_format": date_format,
    })
    wb.set_properties({"created": DOC_TIME, "author": "FOI team"})
    date_fmt = wb.add_format({"num_format": date_format})
    bold = wb.add_format({"bold": True})
    for sheet in sheets:
        ws = wb.add_worksheet(sheet.name)
        write_string, write_number, write_datetime = ws.write_string, ws.write_number, ws.write_datetime
        r = 0
        last_used = -1
        for cells, kind, _c in account.add_rows(iter(sheet.rows)):
            fmt = bold if kind in ("header", "total", "summary") else None
            used = False
            for c, value in enumerate(cells):
                if value is None or value == "":
                    continue
                used = True
                if isinstance(value, str):
                    write_string(r, c, value, fmt) if fmt else write_string(r, c, value)
                elif isinstance(value, dt.date):
                    write_datetime(r, c, dt.datetime(value.year, value.month, value.day), date_fmt)
                else:
                    write_number(r, c, value, fmt) if fmt else write_number(r, c, value)
            if used:
                last_used = r
            r += 1
        account.sheets[sheet.name] = last_used + 1
        account.rows += last_used + 1
    wb.close()


def write_record_xlsx(path: Path, account: FileAccount, sheets: list[SheetOut], date_format: str = "dd/mm/yyyy") -> None:
    """A large record-level workbook, streamed with the minimal writer in fastxlsx."""
    from .fastxlsx import FastXlsx

    path.parent.mkdir(parents=True, exist_ok=True)
    book = FastXlsx(path, [s.name for s in sheets], date_format=date_format, created=DOC_TIME)
    for sheet in sheets:
        rows = (cells for cells, _kind, _c in account.add_rows(iter(sheet.rows)))
        n = book.add_sheet(rows)
        account.sheets[sheet.name] = n
        account.rows += n
    book.close()


def csv_bytes_rows(data: bytes) -> list[list[str]]:
    """Rows of a CSV as a reader sees them (for tests and checks)."""
    if data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("cp1252")
    sample = text[:65536]
    try:
        delim = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim))
