"""Property-based tests of read_csv: generated returns in every encoding, delimiter and
quoting forces use, and arbitrary bytes."""

import tempfile
from pathlib import Path

from hypothesis import assume, given

from orchestration.ingest.readers import ReadError, Workbook, read_csv
from tests.fuzz.gen import TRIED, csv_tables, csvish_bytes, delimiter_is_determinable, fuzz_settings, unambiguous

FUZZ = fuzz_settings(500)


def _read(data: bytes):
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "return.csv"
        path.write_bytes(data)
        return read_csv(path)


@FUZZ
@given(csv_tables())
def test_well_formed_tables_round_trip_cell_for_cell(table):
    TRIED["csv round trip (read_csv)"] += 1
    data = table.to_bytes()
    assume(unambiguous(table, data))
    assume(delimiter_is_determinable(table))
    book = _read(data)
    assert len(book.sheets) == 1
    rows = book.sheets[0].rows
    assert len(rows) == len(table.expected)
    assert rows == table.expected
    if table.encoding == "utf-8-sig":
        assert book.encoding == "utf-8-sig"
    elif not data.isascii():
        assert book.encoding == table.encoding


@FUZZ
@given(csvish_bytes())
def test_any_bytes_are_read_or_refused_with_a_read_error(data):
    TRIED["csv any bytes (read_csv)"] += 1
    try:
        book = _read(data)
    except ReadError as exc:
        assert str(exc)
        return
    assert isinstance(book, Workbook)
    assert all(isinstance(c, str) for row in book.sheets[0].rows for c in row)
