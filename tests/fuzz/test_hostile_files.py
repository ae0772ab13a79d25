"""Hostile and broken returns, built in the test: zip bombs, a workbook that asks calamine
for 17 billion cells, a 200 MB CSV, a million formatted empty rows, broken encodings and
quotes. Each is loaded or quarantined with a reason (naming the limit and the variable that
raises it, where a limit refused it), quickly, and without taking the process down."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from orchestration.ingest.limits import LimitsConfigError, ReadLimits
from orchestration.ingest.readers import ReadError, read_csv, read_return, read_xlsx
from tests.fuzz.gen import FIXTURE_LANDING, ROOT, check_outcome, parse_in_landing

SAMPLE_XLSX = FIXTURE_LANDING / "derbyshire" / "derbyshire_cr.xlsx"
SAMPLE_CSV = FIXTURE_LANDING / "west-mercia" / "cr_2023.csv"


def quarantined(tmp_path: Path, name: str, data: bytes, force: str = "kent"):
    parsed = parse_in_landing(tmp_path, force, name, data)
    check_outcome(parsed)
    assert parsed.status == "quarantined", parsed.reason
    return parsed.reason


def loaded(tmp_path: Path, name: str, data: bytes, force: str = "kent"):
    parsed = parse_in_landing(tmp_path, force, name, data)
    check_outcome(parsed)
    assert parsed.status == "loaded", parsed.reason
    return parsed


# ------------------------------------------------------------------------- workbooks


def rezip(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None,
          level: int = 6) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, (replace or {}).get(info.filename, src.read(info)))
        for name, content in (add or {}).items():
            dst.writestr(name, content)
    return out.getvalue()


def sheet_xml(data: bytes, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read(member)


def set_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite the uncompressed size a zip declares for `member` (local header and central
    directory) without touching its data."""
    buf = bytearray(data)
    name = member.encode()
    at = 0
    while (at := buf.find(b"PK\x03\x04", at)) >= 0:
        n = struct.unpack_from("<H", buf, at + 26)[0]
        if buf[at + 30:at + 30 + n] == name:
            struct.pack_into("<I", buf, at + 22, size)
        at += 4
    at = 0
    while (at := buf.find(b"PK\x01\x02", at)) >= 0:
        n = struct.unpack_from("<H", buf, at + 28)[0]
        if buf[at + 46:at + 46 + n] == name:
            struct.pack_into("<I", buf, at + 24, size)
        at += 4
    return bytes(buf)


def padded_sample(pad_mb: int) -> bytes:
    """The Derbyshire sample with its first worksheet padded by `pad_mb` MB of spaces before
    </worksheet>: valid XML, the same cells, compressed about 1000:1."""
    data = SAMPLE_XLSX.read_bytes()
    xml = sheet_xml(data)
    at = xml.rindex(b"</worksheet>")
    return rezip(data, {"xl/worksheets/sheet1.xml": xml[:at] + b" " * (pad_mb << 20) + xml[at:]})


def test_zip_bomb_is_refused_by_its_compression_ratio(tmp_path):
    bomb = padded_sample(64)
    assert len(bomb) < 200_000
    t = time.perf_counter()
    reason = quarantined(tmp_path, "bomb.xlsx", bomb)
    assert time.perf_counter() - t < 5
    assert "over the 200:1 limit on the compression ratio" in reason and "CR_MAX_ZIP_RATIO" in reason


def test_zip_bomb_is_refused_by_its_uncompressed_size(tmp_path, monkeypatch):
    monkeypatch.setenv("CR_MAX_ZIP_RATIO", "100000")
    monkeypatch.setenv("CR_MAX_XLSX_UNCOMPRESSED_MB", "16")
    reason = quarantined(tmp_path, "bomb.xlsx", padded_sample(64))
    assert "inflates to 64" in reason and "16 MB limit" in reason and "CR_MAX_XLSX_UNCOMPRESSED_MB" in reason


def test_the_same_workbook_loads_when_the_limits_are_raised(tmp_path, monkeypatch):
    monkeypatch.setenv("CR_MAX_ZIP_RATIO", "100000")
    padded = loaded(tmp_path / "a", "padded.xlsx", padded_sample(64))
    plain = loaded(tmp_path / "b", "plain.xlsx", SAMPLE_XLSX.read_bytes())
    assert [(r.sheet, r.source_row, r.cells) for r in padded.rows] == [(r.sheet, r.source_row, r.cells) for r in plain.rows]


def test_a_zip_declaring_gigabytes_is_refused_without_inflating_it(tmp_path):
    data = set_declared_size(SAMPLE_XLSX.read_bytes(), "xl/worksheets/sheet1.xml", 3 << 30)
    reason = quarantined(tmp_path, "declares_3gb.xlsx", data)
    assert "inflates to 3,072.0 MB, over the 2,048 MB limit" in reason and "CR_MAX_XLSX_UNCOMPRESSED_MB" in reason


def test_a_member_inflating_to_more_than_it_declares_never_reaches_calamine(tmp_path, monkeypatch):
    """calamine never opens a workbook before the scan has passed every part of it."""
    import python_calamine

    real_open = python_calamine.CalamineWorkbook.from_path
    sheets_read = []

    class Recording:
        def __init__(self, path):
            sheets_read.append("(workbook opened)")
            self.book = real_open(path)
            self.sheet_names = self.book.sheet_names

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self.book.__exit__(*exc)

        def get_sheet_by_name(self, name):
            sheets_read.append(name)
            return self.book.get_sheet_by_name(name)

    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", Recording)
    monkeypatch.setattr("orchestration.ingest.readers.CalamineWorkbook.from_path", Recording)
    data = set_declared_size(padded_sample(8), "xl/worksheets/sheet1.xml", 4096)
    reason = quarantined(tmp_path, "liar.xlsx", data)
    assert "not a valid .xlsx (zip) file" in reason and "Bad CRC-32" in reason
    assert sheets_read == []


def _far_cell_workbook(ref: str, value: str) -> bytes:
    data = SAMPLE_XLSX.read_bytes()
    xml = sheet_xml(data)
    at = xml.rindex(b"</sheetData>")
    row = ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    far = f'<row r="{row}"><c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c></row>'.encode()
    return rezip(data, {"xl/worksheets/sheet1.xml": xml[:at] + far + xml[at:]})


def test_one_value_in_the_last_cell_of_the_sheet_is_refused_not_fatal(tmp_path):
    """Before: calamine allocated the whole A1:XFD1048576 rectangle (512 GB) and the Rust
    allocator aborted the process, taking the run with it. Run in a child process so that
    a regression fails this test instead of killing the test session."""
    path = tmp_path / "landing" / "kent" / "far.xlsx"
    path.parent.mkdir(parents=True)
    path.write_bytes(_far_cell_workbook("XFD1048576", ""))
    code = ("import json, sys; from pathlib import Path\n"
            "from orchestration.ingest.landing import discover\n"
            "from orchestration.ingest.parse import parse_return\n"
            "p = parse_return(discover(Path(sys.argv[1]))[0])\n"
            "print(json.dumps([p.status, p.reason]))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CR_MAX_")}
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path / "landing")], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, f"the process died ({run.returncode}): {run.stderr[-500:]}"
    status, reason = json.loads(run.stdout)
    assert status == "quarantined"
    assert reason.startswith("kent/far.xlsx: ") and "A1:XFD1048576" in reason and "CR_MAX_CELLS_PER_FILE" in reason


def test_a_far_cell_within_the_limits_is_read_in_its_place(tmp_path):
    book = read_xlsx(_write(tmp_path, "far.xlsx", _far_cell_workbook("Z2000", "note")))
    rows = book.sheets[0].rows
    assert len(rows) == 2000 and rows[1999][25] == "note" and all(len(r) == 26 for r in rows)


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_row_and_cell_limits_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CR_MAX_ROWS_PER_SHEET", "5")
    reason = quarantined(tmp_path / "a", "cr.csv", SAMPLE_CSV.read_bytes())
    assert "more than 5 rows, over the 5-row limit on rows per sheet (raise CR_MAX_ROWS_PER_SHEET" in reason
    reason = quarantined(tmp_path / "b", "cr.xlsx", SAMPLE_XLSX.read_bytes())
    assert "over the 5-row limit on rows per sheet" in reason and "CR_MAX_ROWS_PER_SHEET" in reason
    monkeypatch.delenv("CR_MAX_ROWS_PER_SHEET")
    monkeypatch.setenv("CR_MAX_CELLS_PER_FILE", "10")
    for fmt, sample in (("csv", SAMPLE_CSV), ("xlsx", SAMPLE_XLSX)):
        reason = quarantined(tmp_path / fmt, f"cr.{fmt}", sample.read_bytes())
        assert "over the 10-cell limit on cells per file (raise CR_MAX_CELLS_PER_FILE" in reason
    monkeypatch.delenv("CR_MAX_CELLS_PER_FILE")
    monkeypatch.setenv("CR_MAX_ZIP_MEMBERS", "3")
    reason = quarantined(tmp_path / "c", "cr.xlsx", SAMPLE_XLSX.read_bytes())
    assert "over the 3-part limit" in reason and "CR_MAX_ZIP_MEMBERS" in reason


def test_limits_read_from_the_environment():
    limits = ReadLimits.from_env({"CR_MAX_FILE_MB": "0.5", "CR_MAX_ROWS_PER_SHEET": "2_000_000", "CR_MAX_ZIP_RATIO": " 50 "})
    assert limits.max_file_bytes == 512 * 1024 and limits.max_rows_per_sheet == 2_000_000 and limits.max_zip_ratio == 50
    assert ReadLimits.from_env({}) == ReadLimits()
    for bad in ("abc", "0", "-1", "inf", "nan"):
        with pytest.raises(LimitsConfigError, match="CR_MAX_FILE_MB"):
            ReadLimits.from_env({"CR_MAX_FILE_MB": bad})


def test_a_misconfigured_limit_fails_loudly_instead_of_quarantining_every_return(tmp_path, monkeypatch):
    monkeypatch.setenv("CR_MAX_FILE_MB", "lots")
    with pytest.raises(LimitsConfigError, match="CR_MAX_FILE_MB='lots': expected a positive number"):
        read_return(_write(tmp_path, "cr.csv", SAMPLE_CSV.read_bytes()))


def _million_blank_rows(cell_xml: str) -> bytes:
    """A small table written by openpyxl (write-only), then 10^6 rows of `cell_xml` under
    it (openpyxl itself needs about a minute to write them), the dimension saying
    A1:C1000004."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    for row in (["Offence", "Nationality", "Count"], ["Theft from a shop", "French", 3], ["Harassment", "British", 5]):
        ws.append(row)
    styled = WriteOnlyCell(ws)
    styled.fill = PatternFill("solid", fgColor="FFFF00")
    ws.append([styled] * 3)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    xml = sheet_xml(data)
    head, tail = xml.split(b'<row r="4">', 1)
    tail = tail.split(b"</row>", 1)[1]
    head = head.replace(b"<sheetData>", b'<dimension ref="A1:C1000004"/><sheetData>', 1)
    rows = "".join(f'<row r="{r}">' + cell_xml.format(r=r) + "</row>" for r in range(4, 1_000_004)).encode()
    return rezip(data, {"xl/worksheets/sheet1.xml": head + rows + tail}, level=1)


@pytest.mark.parametrize("kind, cell_xml", [
    ("formatted empty cells", '<c r="A{r}" s="1"/><c r="B{r}" s="1"/><c r="C{r}" s="1"/>'),
    # Before: read as 1,000,003 rows of blanks, every one a row of raw.rows.
    ("cells holding a space", '<c r="A{r}" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>'),
])
def test_a_million_blank_rows_under_a_small_table_are_not_rows(tmp_path, kind, cell_xml):
    data = _million_blank_rows(cell_xml)
    t = time.perf_counter()
    parsed = loaded(tmp_path, "million.xlsx", data)
    elapsed = time.perf_counter() - t
    assert parsed.rows_read == 3
    assert [r.cells for r in parsed.rows] == [["Offence", "Nationality", "Count"],
                                              ["Theft from a shop", "French", "3"], ["Harassment", "British", "5"]]
    assert elapsed < 30, f"{kind}: {elapsed:.1f} s"
    print(f"\n{kind}: {len(data) / 1e6:.1f} MB xlsx, {len(sheet_xml(data)) / 1e6:.0f} MB of sheet XML, parsed in {elapsed:.1f} s")


def test_a_table_starting_at_c5_keeps_its_rows_and_columns(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r, row in enumerate([["Offence", "Nationality", "Count"], ["Theft", "French", 3], [None, None, None],
                             ["Assault", "Polish", 2]], start=5):
        for c, value in enumerate(row, start=3):
            ws.cell(row=r, column=c, value=value)
    path = tmp_path / "c5.xlsx"
    wb.save(path)
    rows = read_xlsx(path).sheets[0].rows
    assert rows[:4] == [[""] * 5] * 4
    assert rows[4:] == [["", "", "Offence", "Nationality", "Count"], ["", "", "Theft", "French", "3"],
                        ["", "", "", "", ""], ["", "", "Assault", "Polish", "2"]]
    parsed = loaded(tmp_path, "c5.xlsx", path.read_bytes())
    assert parsed.tables[0].header_row == 5
    assert [(r.source_row, r.row_kind) for r in parsed.rows][4:] == [(5, "header"), (6, "data"), (7, "blank"), (8, "data")]


def test_a_worksheet_cut_off_after_its_data_is_refused(tmp_path):
    data = SAMPLE_XLSX.read_bytes()
    xml = sheet_xml(data)
    cut = xml[:xml.index(b"</row>") + 6] + b"</sheetData>"
    reason = quarantined(tmp_path, "cut.xlsx", rezip(data, {"xl/worksheets/sheet1.xml": cut}))
    assert "is cut off (it does not end with </worksheet>)" in reason


def test_not_a_zip(tmp_path):
    reason = quarantined(tmp_path, "cr.xlsx", SAMPLE_CSV.read_bytes())
    assert reason.startswith("kent/cr.xlsx: could not be read as an XLSX workbook: not a valid .xlsx (zip) file")
    assert reason.endswith("expected a valid .xlsx file")
    reason = quarantined(tmp_path / "b", "protected.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert "OLE2 file: a password-protected workbook" in reason


# ------------------------------------------------------------------------------ CSV


def test_bom_then_windows_1252_is_quarantined_not_a_crash(tmp_path):
    """Before: UnicodeDecodeError escaped read_csv and parse_return."""
    reason = quarantined(tmp_path, "cr.csv", b"\xef\xbb\xbfOffence,Count\r\nCaf\xe9 theft,3\r\n")
    assert "starts with a UTF-8 byte-order mark but is not valid UTF-8 at byte offset 21" in reason


def test_a_field_over_the_csv_limit_is_quarantined_or_read_when_the_limit_is_raised(tmp_path, monkeypatch):
    data = b'Offence,Nationality,Count\r\n"' + b"x" * 200_000 + b'",French,3\r\nTheft,Polish,2\r\n'
    reason = quarantined(tmp_path / "a", "cr.csv", data)
    assert "line 2: a field is longer than 131,072 characters" in reason and "CR_MAX_CSV_FIELD_CHARS" in reason
    monkeypatch.setenv("CR_MAX_CSV_FIELD_CHARS", "300000")
    parsed = loaded(tmp_path / "b", "cr.csv", data)
    assert len(parsed.rows[1].cells[0]) == 200_000 and parsed.rows[2].cells == ["Theft", "Polish", "2"]


def test_a_quote_never_closed_is_quarantined_with_a_hint(tmp_path):
    data = b'Offence,Nationality,Count\r\n"Theft,French,3\r\n' + b"Assault,Polish,2\r\n" * 10_000
    reason = quarantined(tmp_path, "cr.csv", data)
    assert "often a quote that is never closed" in reason


def test_delimiter_detection_is_linear(tmp_path):
    """Before: csv.Sniffer took 10 s on 48 KB of `,"a` (quadratic) and longer on 64 KB."""
    path = _write(tmp_path, "cr.csv", b"Offence,Count\r\n" + b',"a' * 21_000 + b"\r\n")
    t = time.perf_counter()
    try:
        read_csv(path)
    except ReadError:
        pass
    assert time.perf_counter() - t < 2


_BIG_CSV_MB = 200


@pytest.fixture(scope="module")
def big_csv(tmp_path_factory):
    """About 200 MB of record-level return (2.4 million rows, a unique crime reference on
    each), written on the fly and deleted afterwards."""
    import random

    rnd = random.Random(1)
    offences = ["Theft from a shop", "Assault without injury", "Criminal damage to a vehicle",
                "Possession of cannabis", "Public fear, alarm or distress", "Harassment"]
    nationalities = ["British", "Polish", "Romanian", "Not recorded", "Irish", "French", "C\u00f4te d'Ivoire"]
    block = "".join(
        f"{i:08d}/23,{rnd.choice(['19E', '46', '105A', '8N', '92A'])},\"{rnd.choice(offences)}\","
        f"8: Community resolution,2023-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d},"
        f"{rnd.choice(nationalities)},{rnd.randint(10, 80)},{rnd.choice('MF')}\r\n" for i in range(20_000)
    ).encode("utf-8")
    path = tmp_path_factory.mktemp("big") / "landing" / "kent" / "extract.csv"
    path.parent.mkdir(parents=True)
    blocks = -(-(_BIG_CSV_MB << 20) // len(block))
    with path.open("wb") as fh:
        fh.write(b"Crime Reference,HO Code,Offence,Outcome,Outcome Date,Nationality,Age,Sex\r\n")
        for _ in range(blocks):
            fh.write(block)
    yield path, 1 + 20_000 * blocks
    path.unlink()


def test_a_200_mb_csv_over_the_file_size_limit_is_quarantined_at_once(big_csv, monkeypatch):
    from orchestration.ingest.landing import discover
    from orchestration.ingest.parse import parse_return

    monkeypatch.setenv("CR_MAX_FILE_MB", "100")
    found = discover(big_csv[0].parents[1])
    t = time.perf_counter()
    parsed = parse_return(found[0])
    assert time.perf_counter() - t < 1
    assert parsed.status == "quarantined"
    assert parsed.reason.startswith("kent/extract.csv: file is 2")
    assert "over the 100 MB limit on file size (raise CR_MAX_FILE_MB to read it)" in parsed.reason


def test_a_200_mb_csv_streams_in_about_its_size(big_csv):
    """First: bytes, decoded text, a UCS-4 StringIO copy and one str per cell: 13 times
    the file's size (2.7 GB) and 36 s. Then one list per row: 1.7 times. Now DuckDB reads
    it in 16 MB parts into Arrow, repeated values dictionary-encoded: 1.36 times, DuckDB
    itself included. Measured in a child process (peak RSS)."""
    code = ("import json, resource, sys, time; from pathlib import Path\n"
            "from orchestration.ingest.readers import read_csv\n"
            "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "t = time.perf_counter(); book = read_csv(Path(sys.argv[1])); t = time.perf_counter() - t\n"
            "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "print(json.dumps({'rows': book.sheets[0].n_rows, 'seconds': t, 'kb': peak - base}))\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CR_MAX_")}
    path, n_rows = big_csv
    run = subprocess.run([sys.executable, "-c", code, str(path)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout)
    size = path.stat().st_size
    ratio = result["kb"] * 1024 / size
    print(f"\n{size / 2**20:.0f} MB CSV, {result['rows']:,} rows: {result['seconds']:.1f} s, "
          f"peak memory {result['kb'] / 1024:.0f} MB = {ratio:.2f} x the file")
    assert result["rows"] == n_rows
    assert ratio < 1.6


# ------------------------------------------------------------- beyond the readers

@pytest.mark.parametrize("name, content", [
    ("refusal.yaml", b"\xff\xfe not UTF-8"),
    ("refusal.yaml", b"section: [never closed"),
    ("refusal.yaml", b"- a list\n- not a mapping\n"),
    ("cr.csv.profile.yaml", b"columns: [Offence, Count]\n"),
])
def test_broken_refusals_and_profiles_are_quarantined_with_a_reason(tmp_path, name, content):
    landing = tmp_path / "landing" / "kent"
    landing.mkdir(parents=True)
    (landing / name).write_bytes(content)
    if name.endswith(".profile.yaml"):
        parsed = parse_in_landing(tmp_path, "kent", "cr.csv", SAMPLE_CSV.read_bytes())
    else:
        from orchestration.ingest.landing import discover
        from orchestration.ingest.parse import parse_return

        parsed = parse_return(discover(tmp_path / "landing")[0])
    assert parsed.status == "quarantined" and parsed.landing.source_file in parsed.reason
