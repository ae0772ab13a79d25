import datetime as dt

import pytest
from openpyxl import Workbook

from orchestration.ingest.readers import ReadError, cell_text, decode_csv_bytes, read_csv, read_return, read_xlsx


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


def test_unsupported_extension(tmp_path):
    p = tmp_path / "reply.pdf"
    p.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError, match=r"unsupported file type '\.pdf': expected \.csv or \.xlsx"):
        read_return(p)
