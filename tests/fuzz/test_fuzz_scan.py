"""The worksheet scan that runs before calamine is what stops a tiny file from asking
calamine for billions of cells (which aborts the process). It must never find a smaller
extent than the one calamine then allocates, whatever the form of the cell tags."""

import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st
from python_calamine import CalamineError, CalamineWorkbook

from orchestration.ingest import xlsx_scan
from orchestration.ingest.limits import ReadLimits
from tests.fuzz.gen import TRIED, column_letters, fuzz_settings, minimal_xlsx, sheet_data_xml


@fuzz_settings(400)
@given(sheet_data_xml())
def test_the_scan_covers_every_cell_calamine_stores(generated):
    TRIED["worksheet scan vs calamine extent"] += 1
    xml, prefix, canonical = generated
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "book.xlsx"
        path.write_bytes(minimal_xlsx(xml, prefix))
        last_row, last_col, fast = xlsx_scan.check_xlsx(path, ReadLimits()).extents["xl/worksheets/sheet1.xml"]
        try:
            sheet = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
        except CalamineError:  # r="a1": calamine refuses the sheet, so allocates nothing
            sheet = None
    event(f"{'fast' if fast else 'general'} path")
    assert fast == canonical
    if sheet is None:
        event("calamine refuses the sheet")
        return
    if sheet.end is not None:
        assert (last_row, last_col) >= (0, 0)
        assert last_row >= sheet.end[0] and last_col >= sheet.end[1]


_CELL_FORMS = {
    "valued": '<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>',
    "closed": '<c r="{ref}" s="1"/>',
    "slash in an attribute": '<c r="{ref}" t="s" x="a/b"><v>0</v></c>',
    "lower-case ref": '<c r="{lower}"><v>1</v></c>',
}


@st.composite
def _cell_chunks(draw):
    """Worksheet XML cut into chunks at cell boundaries, as the scan reads it; references
    anywhere from A1 to ZZZ9999999, rows in order or not."""
    cells = draw(st.lists(st.tuples(
        st.sampled_from(["valued"] * 6 + ["closed"] * 3 + ["slash in an attribute", "lower-case ref"]),
        st.integers(0, 18277),  # ZZZ
        st.one_of(st.integers(1, 120), st.integers(1, 9_999_999), st.sampled_from([9, 10, 99, 100, 999_999, 1_000_000])),
    ), max_size=30))
    cuts = sorted(draw(st.lists(st.integers(0, len(cells)), max_size=3)))
    texts = [_CELL_FORMS[form].format(ref=f"{column_letters(col + 1)}{row}", lower=f"{column_letters(col + 1).lower()}{row}")
             for form, col, row in cells]
    bounds = [0, *cuts, len(cells)]
    return cells, [("".join(texts[a:b])).encode() for a, b in zip(bounds, bounds[1:])]


@fuzz_settings(600)
@given(_cell_chunks(), st.sampled_from([(-1, -1), (0, 0), (99, 25)]))
def test_the_fast_extent_is_the_extent_of_the_cells_with_a_value(generated, start):
    """Chunk by chunk, the fast path gives the extent of every cell that does not close
    itself, or gives up (the worksheet is then read tag by tag); it never gives up on
    cells as mainstream writers write them."""
    TRIED["fast worksheet extent"] += 1
    cells, chunks = generated
    extent = start
    for chunk in chunks:
        extent = extent and xlsx_scan._fast_extent(chunk, *extent)
    valued = [(row - 1, col) for form, col, row in cells if form != "closed"]
    expected = (max([start[0]] + [r for r, _ in valued]), max([start[1]] + [c for _, c in valued]))
    if extent is None:
        event("gave up")
        assert any(form in ("slash in an attribute", "lower-case ref") for form, _, _ in cells)
    else:
        event("fast")
        assert extent == expected
