"""A big sheet is parsed by DuckDB (orchestration/ingest/bulk.py), a small one row by row
(parse.py). Both must give the same tables, row kinds, table ids and cells for any sheet:
parse every input twice, once with every sheet treated as big (CR_BULK_MIN_ROWS=0)."""

import contextlib
import csv
import dataclasses
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from unittest import mock

from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.gen import (FORCES, TRIED, csv_tables, csvish_bytes, fuzz_settings, mutated_fixtures, parse_in_landing,
                            write_xlsx, xlsx_books)
from tests.fuzz.gen import XlsxSheet

# Cells that sit on the edges of classify_row and of table detection: totals, notes in
# every form _NOTE knows (and near misses), captions, personal data, periods across.
TRICKY = ["", "", "", "Total", "Grand total", "Sub total", "TOTAL", "Totals", "totally", "Subtotal", "Theft total",
          "Note: figures are provisional", "Notes", "notebook", "Source: force systems", "ſource: x", "sources",
          "* see note", "** x", "*x", "[1] counts under 5", "1. data", "12) x", "1.5", "3.", "x.", "[a]",
          "Theft", "Shoplifting", "Assault without injury", "British", "Polish", "Not recorded", "12", "<5", "*", "0",
          "Table 2: by nationality", "Offence", "Nationality", "Count", "Name", "2022/23", "2023/24", "  "]
HEADERS = [["Offence", "Nationality", "Count"], ["Offence", "Count"], ["Offence", "2022/23", "2023/24", "Total"],
           ["URN", "Offence", "Outcome", "Nationality", "Name", "Age"], ["Nationality", "Number of CRs"],
           ["Offence", "British", "Polish", "Not recorded", "Total"], ["Crime Type", "Qty"]]


@st.composite
def tricky_sheets(draw) -> list[list[str]]:
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(1, 3))):  # tables, each maybe after a blank row and a caption
        for _ in range(draw(st.integers(0, 2))):
            rows.append(draw(st.sampled_from([[], ["Table 2: by nationality"], ["Community resolutions 2023/24"]])))
        header = draw(st.sampled_from(HEADERS))
        rows.append(list(header))
        for _ in range(draw(st.integers(0, 12))):
            width = draw(st.integers(0, len(header) + 1))
            rows.append([draw(st.sampled_from(TRICKY)) for _ in range(width)])
    return rows


def _csv_bytes(rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().encode("utf-8")


@contextlib.contextmanager
def _bulk_min_rows(value: str):
    old = os.environ.get("CR_BULK_MIN_ROWS")
    os.environ["CR_BULK_MIN_ROWS"] = value
    try:
        yield
    finally:
        if old is None:
            del os.environ["CR_BULK_MIN_ROWS"]
        else:
            os.environ["CR_BULK_MIN_ROWS"] = old


def _both_ways(force: str, name: str, data: bytes):
    results = []
    for value in ("1000000000", "0"):
        with _bulk_min_rows(value), tempfile.TemporaryDirectory() as d:
            p = parse_in_landing(Path(d), force, name, data)
            results.append((p.status, p.reason, p.rows_read, [dataclasses.asdict(t) for t in p.tables],
                            list(p.all_rows()), p.warnings))
    return results


def _assert_same(row_by_row, bulk):
    for part, (a, b) in zip(["status", "reason", "rows read", "tables", "rows", "warnings"], zip(row_by_row, bulk)):
        assert a == b, part


@fuzz_settings(300, deadline_s=5.0)
@given(tricky_sheets(), st.sampled_from(FORCES))
def test_tricky_sheets_parse_the_same_in_bulk(rows, force):
    TRIED["tricky sheets (bulk = row by row)"] += 1
    _assert_same(*_both_ways(force, "returns.csv", _csv_bytes(rows)))


@fuzz_settings(150, deadline_s=5.0)
@given(st.one_of(csv_tables().map(lambda t: ("csv", t)), xlsx_books().map(lambda b: ("xlsx", b))), st.sampled_from(FORCES))
def test_generated_returns_parse_the_same_in_bulk(generated, force):
    TRIED["generated returns (bulk = row by row)"] += 1
    fmt, content = generated
    if fmt == "csv":
        data = content.to_bytes()
    else:
        with tempfile.TemporaryDirectory() as d:
            write_xlsx(content, Path(d) / "book.xlsx")
            data = (Path(d) / "book.xlsx").read_bytes()
    _assert_same(*_both_ways(force, f"returns.{fmt}", data))


@fuzz_settings(150, deadline_s=5.0)
@given(mutated_fixtures())
def test_damaged_sample_returns_parse_the_same_in_bulk(mutation):
    TRIED["damaged sample returns (bulk = row by row)"] += 1
    force, name, data, _kind = mutation
    _assert_same(*_both_ways(force, name, data))


def _read_both_ways(data: bytes):
    """read_csv's result (rows as lists, encoding) or its error, by the csv module and by
    DuckDB's reader (which CR_BULK_MIN_ROWS=0 tries for every CSV)."""
    from orchestration.ingest.readers import ReadError, read_csv

    from orchestration.ingest import readers

    results = []
    for value in ("1000000000", "0"):
        outcomes = []
        real = readers._read_csv_duckdb

        def recording(*args):
            outcomes.append(real(*args))
            return outcomes[-1]

        with _bulk_min_rows(value), tempfile.TemporaryDirectory() as d, \
                mock.patch.object(readers, "_read_csv_duckdb", recording):
            path = Path(d) / "returns.csv"
            path.write_bytes(data)
            try:
                book = read_csv(path)
                if value == "0":
                    event("read by DuckDB" if outcomes and outcomes[0] is not None
                          else "read by the csv module (not plain enough for DuckDB)")
            except ReadError as exc:
                results.append(("error", str(exc)))
                continue
            results.append((book.encoding, _rows_of(book.sheets[0])))
    return results


@fuzz_settings(400, deadline_s=5.0)
@given(st.one_of(csv_tables().map(lambda t: t.to_bytes()), csvish_bytes(), tricky_sheets().map(_csv_bytes)))
def test_duckdb_reads_a_csv_as_the_csv_module_does(data):
    TRIED["csv by DuckDB = csv module"] += 1
    by_csv_module, by_duckdb = _read_both_ways(data)
    assert by_duckdb == by_csv_module


COLUMN_OF = {  # a big sheet's columns are mostly of one type: each is converted at C speed
    "whole numbers": st.one_of(st.integers(-(10**15) + 1, 10**15 - 1).map(float), st.sampled_from([0.0, -0.0, 2.0**53])),
    "numbers": st.floats(allow_nan=False, allow_infinity=False),
    "dates": st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
    "date-times": st.datetimes(min_value=dt.datetime(1900, 3, 1)).map(lambda d: d.replace(microsecond=0)),
    "text": st.sampled_from(["Theft", " Theft ", "\u00a0British", "8: Community resolution", "<5", "0"]),
}


@st.composite
def typed_columns(draw) -> list[XlsxSheet]:
    cells: dict[tuple[int, int], object] = {}
    first_row, first_col = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kinds = draw(st.lists(st.sampled_from(sorted(COLUMN_OF)), min_size=1, max_size=4))
    header = draw(st.booleans())  # without one, every column is of one type (as below a big sheet's first rows)
    for c, kind in enumerate(kinds, start=first_col):
        if header:
            cells[(first_row, c)] = f"Offence {kind}" if c == first_col else kind.title()
        for r in range(first_row + 1, first_row + 1 + draw(st.integers(1, 12))):
            value = draw(st.one_of(COLUMN_OF[kind], st.sampled_from([None, "", " "])))
            if value is not None:
                cells[(r, c)] = value
    return [XlsxSheet("Data", cells, [])]


def _rows_of(sheet) -> list[list[str]]:
    if sheet.columns is None:
        return sheet.rows
    cols = sheet.columns.to_pydict()
    widths = cols.pop("width")
    return [[cols[f"c{i}"][k] for i in range(1, w + 1)] for k, w in enumerate(widths)]


@fuzz_settings(200, deadline_s=5.0)
@given(typed_columns(), st.sampled_from(FORCES))
def test_typed_xlsx_columns_read_and_parse_the_same_in_bulk(sheets, force):
    from orchestration.ingest.readers import read_xlsx

    TRIED["typed xlsx columns (bulk = row by row)"] += 1
    with tempfile.TemporaryDirectory() as d:
        write_xlsx(sheets, Path(d) / "book.xlsx")
        data = (Path(d) / "book.xlsx").read_bytes()
        read = []
        for value in ("1000000000", "0"):
            with _bulk_min_rows(value):
                read.append([(s.name, _rows_of(s)) for s in read_xlsx(Path(d) / "book.xlsx").sheets])
    assert read[1] == read[0]
    _assert_same(*_both_ways(force, "returns.xlsx", data))
