"""The .xlsx check run ahead in a second process (xlsx_scan.XlsxPrescan) refuses what the
in-process check refuses, with the same reason, and never lets calamine open a file it has
not checked: a file changed after its check, or a check the process could not give, is
checked again in this process."""

from __future__ import annotations

import os
import shutil

import duckdb
import pytest

from orchestration.ingest.limits import ReadError, ReadLimits
from orchestration.ingest.load import ingest_landing
from orchestration.ingest import readers, xlsx_scan
from orchestration.ingest.readers import read_xlsx
from orchestration.ingest.xlsx_scan import XlsxPrescan, check_xlsx
from tests.fuzz.test_hostile_files import SAMPLE_XLSX, rezip, sheet_xml

FAR_REASON = "worksheet 'xl/worksheets/sheet1.xml' spans A1:XFD1048576"


def far_cell_workbook() -> bytes:
    """The sample workbook with one value in the last cell a sheet can have: calamine
    would ask for the whole A1:XFD1048576 rectangle."""
    data = SAMPLE_XLSX.read_bytes()
    xml = sheet_xml(data)
    at = xml.rindex(b"</sheetData>")
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    return rezip(data, {"xl/worksheets/sheet1.xml": xml[:at] + far + xml[at:]})


@pytest.fixture
def books(tmp_path):
    good, far = tmp_path / "good.xlsx", tmp_path / "far.xlsx"
    shutil.copy(SAMPLE_XLSX, good)
    far.write_bytes(far_cell_workbook())
    with pytest.raises(ReadError, match=FAR_REASON) as refused:
        check_xlsx(far, ReadLimits())
    return good, far, str(refused.value)


def no_check_in_this_process(monkeypatch):
    """From here on, a check made in this process fails the test: the verdicts must come
    from the second process."""
    def refuse(path, limits):
        raise AssertionError(f"{path} was checked in the reading process")

    monkeypatch.setattr(xlsx_scan, "check_xlsx", refuse)
    monkeypatch.setattr(readers, "check_xlsx", refuse)


def test_the_second_process_gives_the_same_verdicts(books, monkeypatch):
    good, far, reason = books
    alone = read_xlsx(good, ReadLimits()).sheets[0].n_rows
    no_check_in_this_process(monkeypatch)
    with XlsxPrescan([good, far], ReadLimits()) as prescan:
        assert read_xlsx(good, ReadLimits(), prescan).sheets[0].n_rows == alone > 0
        with pytest.raises(ReadError) as refused:
            read_xlsx(far, ReadLimits(), prescan)
    assert str(refused.value) == reason


def test_a_file_changed_after_its_check_is_checked_again(books):
    good, far, reason = books
    other = good.with_name("other.xlsx")
    shutil.copy(SAMPLE_XLSX, other)
    with XlsxPrescan([good, other], ReadLimits()) as prescan:
        prescan.wait(other)  # answers come in order: good.xlsx has passed by now
        assert prescan._results[str(good)]["error"] is None
        shutil.copy(far, good)  # replaced by a hostile file after it passed
        os.utime(good, ns=(1, 1))
        with pytest.raises(ReadError) as refused:
            prescan.wait(good)
    assert str(refused.value) == reason


def test_a_dead_second_process_leaves_the_check_to_this_one(books):
    good, far, reason = books
    with XlsxPrescan([good, far], ReadLimits()) as prescan:
        prescan._proc.kill()
        prescan._proc.wait()
        prescan.wait(good)
        with pytest.raises(ReadError) as refused:
            prescan.wait(far)
    assert str(refused.value) == reason


def test_other_limits_or_files_not_submitted_are_checked_here(books, tmp_path):
    good, far, reason = books
    tight = ReadLimits(max_cells_per_file=10)
    with XlsxPrescan([good], ReadLimits()) as prescan:
        with pytest.raises(ReadError, match="10-cell limit"):
            read_xlsx(good, tight, prescan)  # not the limits the process checks with
        with pytest.raises(ReadError) as refused:
            read_xlsx(far, ReadLimits(), prescan)  # never submitted
    assert str(refused.value) == reason


def test_ingestion_quarantines_with_the_reason_the_check_gives(books, tmp_path, monkeypatch):
    good, far, reason = books
    expected_rows = sum(s.n_rows for s in read_xlsx(good).sheets)
    no_check_in_this_process(monkeypatch)  # ingestion hands the workbooks to the second process
    landing = tmp_path / "landing" / "kent"
    landing.mkdir(parents=True)
    shutil.copy(good, landing / "good.xlsx")
    shutil.copy(far, landing / "far.xlsx")
    with duckdb.connect() as con:
        ingest_landing(con, tmp_path / "landing")
        status = dict(con.execute("select file_name, status || ': ' || coalesce(reason, '') from raw.returns").fetchall())
        rows = con.execute("select count(*) from raw.rows join raw.returns using (return_id) "
                           "where file_name = 'good.xlsx'").fetchone()[0]
    assert status["far.xlsx"] == f"quarantined: kent/far.xlsx: {reason}"
    assert status["good.xlsx"] == "loaded: "
    assert rows == expected_rows
