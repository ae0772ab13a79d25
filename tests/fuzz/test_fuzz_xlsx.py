"""Property-based tests of read_xlsx: workbooks written by openpyxl with cells of every
type, several sheets, tables that start anywhere, blank rows between data and formatting
or spaces below it."""

import tempfile
from pathlib import Path

from hypothesis import given

from orchestration.ingest.readers import read_xlsx
from tests.fuzz.gen import TRIED, check_sheet_rows, fuzz_settings, write_xlsx, xlsx_books


@fuzz_settings(300, deadline_s=3.0)
@given(xlsx_books())
def test_cells_round_trip_as_cell_text_with_their_row_and_column(sheets):
    TRIED["xlsx round trip (read_xlsx)"] += 1
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "return.xlsx"
        write_xlsx(sheets, path)
        book = read_xlsx(path)
    assert [s.name for s in book.sheets] == [s.name for s in sheets]
    for got, sheet in zip(book.sheets, sheets):
        check_sheet_rows(got.rows, sheet.expected)
