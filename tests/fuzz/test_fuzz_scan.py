"""The worksheet scan that runs before calamine is what stops a tiny file from asking
calamine for billions of cells (which aborts the process). It must never find a smaller
extent than the one calamine then allocates, whatever the form of the cell tags."""

import tempfile
from pathlib import Path

from hypothesis import event, given
from python_calamine import CalamineWorkbook

from orchestration.ingest import readers
from orchestration.ingest.limits import ReadLimits
from tests.fuzz.gen import TRIED, fuzz_settings, minimal_xlsx, sheet_data_xml


@fuzz_settings(400)
@given(sheet_data_xml())
def test_the_scan_covers_every_cell_calamine_stores(generated):
    TRIED["worksheet scan vs calamine extent"] += 1
    xml, prefix, canonical = generated
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "book.xlsx"
        path.write_bytes(minimal_xlsx(xml, prefix))
        last_row, last_col, fast = readers._check_xlsx_zip(path, ReadLimits()).extents["xl/worksheets/sheet1.xml"]
        sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    event(f"{'fast' if fast else 'general'} path")
    assert fast == canonical
    if sheet.end is not None:
        assert (last_row, last_col) >= (0, 0)
        assert last_row >= sheet.end[0] and last_col >= sheet.end[1]
