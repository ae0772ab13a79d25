import codecs
import datetime as dt
import io
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xlwt
from openpyxl import Workbook

from orchestration.ingest.limits import ReadLimits
from orchestration.ingest.readers import (SUPPORTED_SUFFIXES, ReadError, cell_text, decode_csv_bytes, read_csv,
                                          read_ods, read_return, read_xlsx)

ROOT = Path(__file__).resolve().parents[2]


def test_utf8_bom_is_stripped(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes(b"\xef\xbb\xbfOffence,Count\r\nTheft,3\r\n")
    wb = read_csv(p)
    assert wb.encoding == "utf-8-sig"
    assert wb.sheets[0].rows == [["Offence", "Count"], ["Theft", "3"]]


def test_windows_1252_dash_and_accent_are_decoded(tmp_path):
    p = tmp_path / "a.csv"
    p.write_bytes("Offence;Nationality;Total\r\nCriminal damage \u2013 dwelling;C\u00f4te d'Ivoire;1-4\r\n".encode("cp1252"))
    wb = read_csv(p)
    assert wb.encoding == "cp1252"
    assert wb.sheets[0].rows[1] == ["Criminal damage \u2013 dwelling", "C\u00f4te d'Ivoire", "1-4"]


def test_plain_utf8_wins_over_cp1252():
    text, enc = decode_csv_bytes("Caf\u00e9".encode("utf-8"))
    assert (text, enc) == ("Caf\u00e9", "utf-8")


def test_quoted_commas_stay_in_their_cell(tmp_path):
    p = tmp_path / "a.csv"
    p.write_text('Force,Offence,Count\n"London, City of","Theft, other",4\n', encoding="utf-8")
    assert read_csv(p).sheets[0].rows[1] == ["London, City of", "Theft, other", "4"]


@pytest.mark.parametrize("value, text", [
    (12.0, "12"), (2.5, "2.5"), (7, "7"), (None, ""), ("  <5 ", "<5"), (True, "TRUE"),
    (dt.datetime(2023, 5, 14), "2023-05-14"), (dt.datetime(2023, 5, 14, 9, 30), "2023-05-14 09:30:00"),
])
def test_xlsx_cells_read_as_a_person_sees_them(value, text):
    assert cell_text(value) == text


def test_xlsx_sheets_and_cells(tmp_path):
    wb = Workbook()
    wb.active.title = "Notes"
    wb.active.append(["Read me"])
    data = wb.create_sheet("Data")
    data.append(["Offence", "Count"])
    data.append(["19E", 3])
    data.append(["Theft", None])
    p = tmp_path / "r.xlsx"
    wb.save(p)
    book = read_xlsx(p)
    assert [s.name for s in book.sheets] == ["Notes", "Data"]
    assert book.sheets[1].rows == [["Offence", "Count"], ["19E", "3"], ["Theft", ""]]


def test_corrupt_xlsx_raises_read_error_saying_what_was_expected(tmp_path):
    p = tmp_path / "broken.xlsx"
    p.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 50)
    with pytest.raises(ReadError, match="expected a valid .xlsx file"):
        read_xlsx(p)




# ------------------------------------------------------------------ .xls, .ods, text exports

# What a person sees in the sheet "Data 2023" below, row by row (row 3 left blank)
DATA_2023 = [["Offence", "Count", "Rate", "Date"],
             ["Theft", "12", "12.5", "2023-04-01"],
             ["", "", "", ""],
             ["Assault", "<5", "", "2023-04-01 09:30:00"]]


def _xls_bytes(far_cell: bool = False) -> bytes:
    """An Excel 97-2003 workbook of two sheets, as xlwt (and Excel) write it."""
    book = xlwt.Workbook()
    data = book.add_sheet("Data 2023")
    date = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for c, v in enumerate(["Offence", "Count", "Rate", "Date"]):
        data.write(0, c, v)
    data.write(1, 0, "Theft")
    data.write(1, 1, 12)
    data.write(1, 2, 12.5)
    data.write(1, 3, dt.date(2023, 4, 1), date)
    data.write(3, 0, "Assault")
    data.write(3, 1, "<5")
    data.write(3, 3, dt.datetime(2023, 4, 1, 9, 30), date)
    book.add_sheet("Notes").write(0, 0, "Read me")
    if far_cell:
        book.add_sheet("Far").write(65535, 255, 2.75)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _ods_bytes() -> bytes:
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="odf") as writer:
        pd.DataFrame([["Theft", 12, 12.5, dt.date(2023, 4, 1)], [None] * 4,
                      ["Assault", "<5", None, dt.datetime(2023, 4, 1, 9, 30)]],
                     columns=["Offence", "Count", "Rate", "Date"]).to_excel(writer, sheet_name="Data 2023", index=False)
        pd.DataFrame([["Read me"]]).to_excel(writer, sheet_name="Notes", index=False, header=False)
    return out.getvalue()


def _ods_with_rows_first(rows_xml: str) -> bytes:
    """The .ods above with `rows_xml` put before the first row of its first sheet."""
    src = zipfile.ZipFile(io.BytesIO(_ods_bytes()))
    content = src.read("content.xml").decode()
    at = content.index("<table:table-row")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "content.xml":
                data = (content[:at] + rows_xml + content[at:]).encode()
            dst.writestr(info.filename, data, zipfile.ZIP_STORED if info.filename == "mimetype" else zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _rows(sheet) -> list[list[str]]:
    if sheet.columns is None:
        return sheet.rows
    table = sheet.columns.to_pydict()
    widths = table.pop("width")
    return [[col[k] or "" for col in table.values()][:w] for k, w in enumerate(widths)]


@pytest.mark.parametrize("name", ["r.xls", "R.XLS"])
def test_xls_cells_and_sheets_read_as_excel_shows_them(tmp_path, name):
    book = read_return(_write(tmp_path, name, _xls_bytes()))
    assert [s.name for s in book.sheets] == ["Data 2023", "Notes"]
    assert book.sheets[0].rows == DATA_2023
    assert book.sheets[1].rows == [["Read me"]]


@pytest.mark.parametrize("name", ["r.ods", "R.ODS"])
def test_ods_cells_and_sheets_read_as_a_spreadsheet_shows_them(tmp_path, name):
    book = read_return(_write(tmp_path, name, _ods_bytes()))
    assert [s.name for s in book.sheets] == ["Data 2023", "Notes"]
    assert book.sheets[0].rows == DATA_2023
    assert book.sheets[1].rows == [["Read me"]]


def test_a_truncated_xls_is_refused_as_cut_off(tmp_path):
    data = _xls_bytes()
    with pytest.raises(ReadError, match=r"could not be read as an XLS workbook: cut off .*expected a complete \.xls file"):
        read_return(_write(tmp_path, "cut.xls", data[:len(data) // 2]))


def test_a_truncated_ods_is_refused_as_cut_off(tmp_path):
    data = _ods_bytes()
    with pytest.raises(ReadError, match=r"could not be read as an ODS workbook: cut off: .*zip directory is missing"
                                        r".*expected a complete \.ods file"):
        read_return(_write(tmp_path, "cut.ods", data[:len(data) // 2]))


def test_a_workbook_of_another_format_under_the_name_is_refused_not_guessed(tmp_path):
    """calamine, given .XLS, tries every reader: an .xlsx so named would be read without the
    checks an .xlsx passes. The content must be the format the name says."""
    wb = Workbook()
    wb.active.append(["Offence", "Count"])
    xlsx = io.BytesIO()
    wb.save(xlsx)
    with pytest.raises(ReadError, match=r"XLS workbook: not an Excel 97-2003 file: a zip file"):
        read_return(_write(tmp_path, "R.XLS", xlsx.getvalue()))
    with pytest.raises(ReadError, match=r"ODS workbook: no 'mimetype' part"):
        read_return(_write(tmp_path, "R.ODS", xlsx.getvalue()))
    with pytest.raises(ReadError, match=r"ODS workbook: an OLE2 file"):
        read_return(_write(tmp_path, "r.ods", _xls_bytes()))


def test_xls_and_ods_rows_and_cells_are_limited_as_xlsx_are(tmp_path):
    xls, ods = _write(tmp_path, "r.xls", _xls_bytes()), _write(tmp_path, "r.ods", _ods_bytes())
    for path in (xls, ods):
        with pytest.raises(ReadError, match=r"row 4, over the 3-row limit .*CR_MAX_ROWS_PER_SHEET"):
            read_return(path, ReadLimits(max_rows_per_sheet=3))
        with pytest.raises(ReadError, match=r"'Data 2023'( \(its DIMENSIONS record\))? spans A1:D[34], "
                                            r"over the 10-cell limit .*CR_MAX_CELLS_PER_FILE"):
            read_return(path, ReadLimits(max_cells_per_file=10))
        with pytest.raises(ReadError, match=r"limit on file size \(raise CR_MAX_FILE_MB"):
            read_return(path, ReadLimits(max_file_bytes=1024))


def test_an_xls_asking_calamine_for_4_billion_cells_is_refused_not_fatal(tmp_path):
    """One number in the last cell of column 65,536 (a column no spreadsheet program has):
    calamine asked for 137 GB and the Rust allocator aborted the process. Run in a child
    process so that a regression fails this test instead of killing the test session."""
    data = bytearray(_xls_bytes(far_cell=True))
    at = data.index(struct.pack("<HHHH", 0x027E, 10, 65535, 255))  # the RK record of cell IV65536
    struct.pack_into("<H", data, at + 6, 65535)
    path = _write(tmp_path, "far.xls", bytes(data))
    code = ("import sys; from pathlib import Path\n"
            "from orchestration.ingest.readers import ReadError, read_return\n"
            "try:\n    read_return(Path(sys.argv[1]))\nexcept ReadError as exc:\n    print(exc)\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CR_MAX_")}
    run = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, f"the process died ({run.returncode}): {run.stderr[-500:]}"
    assert "sheet 'Far' spans A1:CRXP65536" in run.stdout and "CR_MAX_CELLS_PER_FILE" in run.stdout


def test_an_xls_declaring_4_billion_rows_is_refused(tmp_path):
    data = bytearray(_xls_bytes())
    at = data.index(struct.pack("<HHII", 0x0200, 14, 0, 4))  # DIMENSIONS of 'Data 2023': rows 0 to 4
    struct.pack_into("<I", data, at + 8, 0xFFFFFFFF)
    with pytest.raises(ReadError, match=r"'Data 2023' \(its DIMENSIONS record\) has cells down to row 4,294,967,295"):
        read_return(_write(tmp_path, "dims.xls", bytes(data)))


def test_an_ods_repeating_one_cell_two_million_times_never_reaches_calamine(tmp_path, monkeypatch):
    opened = []
    monkeypatch.setattr("orchestration.ingest.readers.CalamineWorkbook.from_path", lambda p: opened.append(p))
    bomb = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="2000" '
            'office:value-type="float" office:value="1"/></table:table-row>')
    path = _write(tmp_path, "bomb.ods", _ods_with_rows_first(bomb))
    with pytest.raises(ReadError, match=r"sheet 'Data 2023' spans A1:BXX1000, over the 1,000,000-cell limit"):
        read_ods(path, ReadLimits(max_cells_per_file=1_000_000))
    assert opened == []


def test_an_ods_zip_bomb_is_refused_before_it_is_inflated(tmp_path):
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_ods_bytes())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("Pictures/pad.bin", bytes(64 << 20))
    path = _write(tmp_path, "bomb.ods", out.getvalue())
    with pytest.raises(ReadError, match=r"the \.ods is compressed 1,0\d\d:1 \(64\.0 MB from [\d,]+ bytes\), over the 200:1 "
                                        r"limit .*CR_MAX_ZIP_RATIO"):
        read_return(path)
    with pytest.raises(ReadError, match=r"the \.ods has 6 parts, over the 5-part limit .*CR_MAX_ZIP_MEMBERS"):
        read_return(path, ReadLimits(max_zip_members=5))


def test_ods_cells_beyond_row_1048576_are_refused_not_dropped(tmp_path):
    """calamine returns an empty sheet for this file: the table under a million empty rows
    is dropped without a word."""
    empty = '<table:table-row table:number-rows-repeated="1048576"><table:table-cell/></table:table-row>'
    with pytest.raises(ReadError, match=r"ODS workbook: sheet 'Data 2023' has cells beyond row 1,048,576"):
        read_return(_write(tmp_path, "deep.ods", _ods_with_rows_first(empty)))


def test_ods_repeated_empty_rows_and_cells_are_not_cells(tmp_path):
    """LibreOffice ends every sheet with rows and cells repeated to the sheet's edge, empty."""
    empty = ('<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/>'
             '</table:table-row>')
    book = read_return(_write(tmp_path, "r.ods", _ods_with_rows_first(empty)), ReadLimits(max_cells_per_file=25))
    assert book.sheets[0].rows == [["", "", "", ""]] * 2 + DATA_2023  # 6 rows of 4 cells, and 'Read me': 25


UNICODE_TEXT = "Offence\tNationality\tCount\r\nTheft \u00a3 under 200\tFran\u00e7aise (\u00e9)\t<5\r\n\r\nBurglary\tBritish\t12\r\n"
UNICODE_ROWS = [["Offence", "Nationality", "Count"], ["Theft \u00a3 under 200", "Fran\u00e7aise (\u00e9)", "<5"], [],
                ["Burglary", "British", "12"]]


def test_excel_unicode_text_utf16_le_tab_separated_reads_exactly(tmp_path):
    """Excel's "Unicode text" (.txt): UTF-16 LE with a byte-order mark, tab-separated."""
    book = read_return(_write(tmp_path, "return.txt", codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le")))
    assert book.encoding == "utf-16"
    assert book.sheets[0].rows == UNICODE_ROWS


def test_utf16_be_csv_with_a_bom_reads_exactly(tmp_path):
    text = UNICODE_TEXT.replace("\t", ",")
    book = read_return(_write(tmp_path, "return.csv", codecs.BOM_UTF16_BE + text.encode("utf-16-be")))
    assert book.encoding == "utf-16"
    assert book.sheets[0].rows == UNICODE_ROWS


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_told_by_its_nul_bytes(tmp_path, codec):
    book = read_return(_write(tmp_path, "return.tsv", UNICODE_TEXT.encode(codec)))
    assert book.encoding == codec
    assert book.sheets[0].rows == UNICODE_ROWS


def test_utf16_is_read_the_same_by_duckdb(tmp_path, monkeypatch):
    """CR_BULK_MIN_ROWS=0: every CSV is tried with DuckDB's reader (from a UTF-8 copy)."""
    monkeypatch.setenv("CR_BULK_MIN_ROWS", "0")
    book = read_return(_write(tmp_path, "return.txt", codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le")))
    assert book.sheets[0].columns is not None
    assert _rows(book.sheets[0]) == UNICODE_ROWS


def test_nul_bytes_that_are_not_utf16_are_still_refused(tmp_path):
    for name, data in [("a.csv", b"Offence,Count\r\nTheft,\x003\r\n"), ("b.txt", b"\x00\x01\x02\x03PK\x00\x00\x00"),
                       ("c.csv", "Offence,Count\r\nTheft\x00,3\r\n".encode("utf-16-le"))]:  # U+0000: NULs on both sides
        with pytest.raises(ReadError, match="contains NUL bytes: expected a text CSV file"):
            read_return(_write(tmp_path, name, data))


def test_a_bom_alone_does_not_make_a_cp1252_file_utf16(tmp_path):
    book = read_return(_write(tmp_path, "a.csv", "\u00ff\u00feTitle,x\r\nTheft,3\r\n".encode("cp1252")))
    assert book.encoding == "cp1252"
    assert book.sheets[0].rows == [["\u00ff\u00feTitle", "x"], ["Theft", "3"]]


def test_a_cut_off_utf16_file_is_refused_with_the_offset(tmp_path):
    data = codecs.BOM_UTF16_LE + UNICODE_TEXT.encode("utf-16-le")
    with pytest.raises(ReadError, match=f"not valid UTF-16 at byte offset {len(data) - 2:,} .*expected a complete UTF-16"):
        read_return(_write(tmp_path, "cut.txt", data[:-1]))


def test_excel_tab_delimited_text_in_windows_1252(tmp_path):
    book = read_return(_write(tmp_path, "return.txt", UNICODE_TEXT.encode("cp1252")))
    assert book.encoding == "cp1252"
    assert book.sheets[0].rows == UNICODE_ROWS


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".csv", ".tsv", ".txt", ".xlsx", ".xls", ".ods"}


@pytest.mark.parametrize("name", ["reply.pdf", "reply.docx"])
def test_pdf_and_docx_are_not_read_here(tmp_path, name):
    with pytest.raises(ReadError, match=r"unsupported file type '\.(pdf|docx)': expected \.csv, \.tsv or \.txt "
                                        r"\(delimited text\), \.xlsx, \.xls or \.ods"):
        read_return(_write(tmp_path, name, b"%PDF-1.4"))
