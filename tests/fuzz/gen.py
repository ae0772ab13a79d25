"""Generators for the reader fuzz tests: Hypothesis strategies for CSV tables and XLSX
workbooks shaped like FOI returns, writers that turn them into files, and the counter of
generated inputs each property tried (printed at the end of the run by conftest.py)."""

from __future__ import annotations

import collections
import csv
import datetime as dt
import os
import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from orchestration.ingest.readers import cell_text

ROOT = Path(__file__).resolve().parents[2]
FIXTURE_LANDING = ROOT / "tests" / "fixtures" / "landing"

# property name -> generated inputs tried (every call of the test body, shrinking included)
TRIED: collections.Counter[str] = collections.Counter()


def fuzz_settings(max_examples: int, deadline_s: float = 2.0) -> settings:
    """Sized for the default run (all of tests/fuzz in about a minute on two cores);
    FUZZ_MAX_EXAMPLES=5000 runs every property longer."""
    return settings(
        max_examples=int(os.environ.get("FUZZ_MAX_EXAMPLES") or max_examples),
        deadline=timedelta(seconds=deadline_s),
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    )

HEADER = ["Offence", "Nationality", "Count"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252"]
DELIMITERS = [",", ";", "\t", "|"]
FORCES = ["durham", "kent", "west-mercia", "humberside", "btp"]

# --------------------------------------------------------------------------- CSV


@dataclass
class CsvTable:
    rows: list[list[str]]  # as written, blank rows as []
    encoding: str
    delimiter: str
    quoting: int
    lineterminator: str

    def to_bytes(self) -> bytes:
        """RFC 4180 as Excel writes it. Not csv.writer: with lineterminator "\n" it leaves a
        field holding a lone "\r" unquoted, which every reader takes for a line break."""
        special = (self.delimiter, '"', "\r", "\n")

        def field(text: str) -> str:
            if self.quoting == csv.QUOTE_ALL or any(ch in text for ch in special):
                return '"' + text.replace('"', '""') + '"'
            return text

        lines = ['""' if row == [""] else self.delimiter.join(map(field, row)) for row in self.rows]
        return "".join(line + self.lineterminator for line in lines).encode(self.encoding)

    @property
    def expected(self) -> list[list[str]]:
        """What read_csv must return: every row, every cell, as written, trimmed."""
        return [[c.strip() for c in row] for row in self.rows]


def _alphabet(encoding: str, newlines: bool = False) -> st.SearchStrategy[str]:
    # NUL makes a file binary (refused by design); U+FEFF first in a file without a BOM is
    # indistinguishable from a BOM.
    exclude = "\x00\ufeff" + ("" if newlines else "\r\n")
    return st.characters(codec="cp1252" if encoding == "cp1252" else "utf-8", exclude_characters=exclude)


WORDS = ["Theft from a shop", "Assault without injury", "Criminal damage \u2013 dwelling", "C\u00f4te d'Ivoire",
         "British", "Polish", "Not recorded", "<5", "*", "[c]", "-", "1-4", "n/a", "Total", "Grand Total",
         "19E", "019/16", "8: Community resolution", "\u00c9ire", "Ren\u00e9e; \"quoted\"", "a, b", "x|y", "tab\there"]
FORMULAS = ["=SUM(A1)", "=A1+B1", '=HYPERLINK("http://x")', "+1", "-2", "@cmd", "=1/0", "#N/A", "#REF!"]


def csv_cell(encoding: str) -> st.SearchStrategy[str]:
    text = st.text(_alphabet(encoding), max_size=12)
    multiline = st.tuples(st.text(_alphabet(encoding), max_size=6), st.sampled_from(["\n", "\r\n", "\r"]),
                          st.text(_alphabet(encoding), max_size=6)).map("".join)
    words = st.sampled_from([w for w in WORDS if _encodable(w, encoding)])
    numbers = st.one_of(
        st.integers(-(10**30), 10**30).map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
        st.sampled_from(["1e-300", "5e-324", "1.7976931348623157e308", "0.000001", "-0", "00012", "1,234", "12.50"]),
    )
    return st.one_of(text, multiline, words, numbers, st.sampled_from(FORMULAS))


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@st.composite
def csv_tables(draw, max_rows: int = 12) -> CsvTable:
    """A return as forces write them: maybe title lines, maybe blank rows, the header
    Offence,Nationality,Count, then data rows, in one of the encodings and delimiters."""
    encoding = draw(st.sampled_from(ENCODINGS))
    cell = csv_cell(encoding)
    rows: list[list[str]] = []
    for _ in range(draw(st.integers(0, 3))):  # title block
        rows.append([draw(st.one_of(st.text(_alphabet(encoding), min_size=1, max_size=30),
                                    st.sampled_from(["Community resolutions 2023/24", "FOI 2025-0412: response"])))])
        if draw(st.booleans()):
            rows.append([])
    rows.append(list(HEADER))
    for _ in range(draw(st.integers(0, max_rows))):
        if draw(st.integers(0, 9)) == 0:
            rows.append([])
        rows.append([draw(cell) for _ in HEADER])
    return CsvTable(
        rows=rows,
        encoding=encoding,
        delimiter=draw(st.sampled_from(DELIMITERS)),
        quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
        lineterminator=draw(st.sampled_from(["\r\n", "\n"])),
    )


def unambiguous(table: CsvTable, data: bytes) -> bool:
    """Windows-1252 text that is also valid UTF-8 (e.g. 'Ã©') cannot be told apart from
    UTF-8 by any reader: such inputs are not well-formed for the round trip."""
    if table.encoding != "cp1252" or data.isascii():
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def delimiter_is_determinable(table: CsvTable) -> bool:
    """The table's own delimiter splits more rows into one width than any other candidate
    does. A title block with more lines holding, say, one comma each than the table has
    rows (";" tables of a header and a row under two such titles) is ambiguous to any
    reader, Excel included; such inputs are left to the never-crash property."""
    import io

    text = table.to_bytes().decode(table.encoding)

    def most_rows_of_one_width(delimiter: str) -> int:
        widths = collections.Counter(len(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        return max((n for w, n in widths.items() if w > 1), default=0)

    own = most_rows_of_one_width(table.delimiter)
    return all(own > most_rows_of_one_width(d) for d in DELIMITERS if d != table.delimiter)


@st.composite
def csvish_bytes(draw) -> bytes:
    """Anything: random bytes, or a generated table with bytes spliced in, or text full of
    quotes and delimiters (the inputs that trouble delimiter sniffing)."""
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.binary(max_size=2000))
    if kind == 1:
        data = draw(csv_tables(max_rows=6)).to_bytes()
        pos = draw(st.integers(0, len(data)))
        return data[:pos] + draw(st.binary(max_size=20)) + data[pos + draw(st.integers(0, 20)):]
    if kind == 2:
        junk = st.text(st.sampled_from(list(',;\t|"\'\r\n =ab\u00e9\u2013')), max_size=400)
        return draw(junk).encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    return draw(st.text(max_size=300)).encode("utf-8", errors="surrogatepass")


# -------------------------------------------------------------------------- XLSX

# Excel reads "_x0041_" in a string as "A"; openpyxl writes such text unescaped.
_OOXML_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")

xlsx_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cc"], include_characters="\t\n"),
                    max_size=15).filter(lambda s: not _OOXML_ESCAPE.search(s))

XLSX_VALUES = st.one_of(
    st.none(),
    xlsx_text,
    st.sampled_from(WORDS + FORMULAS),
    st.integers(-(10**15) + 1, 10**15 - 1),  # Excel keeps 15 significant digits
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(9999, 12, 31)).map(lambda d: d.replace(microsecond=0)),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.booleans(),
)

SHEET_NAME = st.text(st.characters(categories=["L", "Nd"], include_characters=" -_()&"), min_size=1, max_size=31).filter(
    lambda s: s.strip() == s and s.lower() != "history")


def stored_text(value: object) -> str:
    """The text the file holds for a value openpyxl writes: numbers with 16 significant
    digits ('%.16g'), dates as serial numbers read back as dates."""
    if isinstance(value, bool) or value is None or isinstance(value, (str, dt.date, dt.time)):
        return cell_text(value)
    return cell_text(float("%.16g" % value))


@dataclass
class XlsxSheet:
    name: str
    cells: dict[tuple[int, int], object]  # (row, column), 1-based -> value
    styled_blank: list[tuple[int, int]]  # formatted cells with no value, after the data

    @property
    def expected(self) -> dict[tuple[int, int], str]:
        return {rc: t for rc, v in self.cells.items() if (t := stored_text(v))}


@st.composite
def xlsx_books(draw, max_rows: int = 10) -> list[XlsxSheet]:
    names = draw(st.lists(SHEET_NAME, min_size=1, max_size=3, unique_by=str.lower))
    sheets = []
    for name in names:
        cells: dict[tuple[int, int], object] = {}
        col0 = draw(st.integers(1, 5))
        row = draw(st.integers(1, 6))  # rows above the title/header are empty
        for _ in range(draw(st.integers(0, 2))):  # title block
            cells[(row, col0)] = draw(st.sampled_from(["Community resolutions", "FOI 2025-0412", "  Table 1  "]))
            row += draw(st.integers(1, 2))
        for j, h in enumerate(HEADER):
            cells[(row, col0 + j)] = h
        for _ in range(draw(st.integers(0, max_rows))):
            row += draw(st.sampled_from([1, 1, 1, 2, 3]))  # blank rows between data
            for j in range(len(HEADER)):
                value = draw(XLSX_VALUES)
                if value is not None:
                    cells[(row, col0 + j)] = value
        trailing = []
        if draw(st.booleans()):  # formatting or spaces below the table
            for k in range(draw(st.integers(1, 30))):
                if draw(st.booleans()):
                    trailing.append((row + 1 + k, col0))
                else:
                    cells[(row + 1 + k, col0 + 1)] = " "
        sheets.append(XlsxSheet(name, cells, trailing))
    return sheets


def write_xlsx(sheets: list[XlsxSheet], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    fill = PatternFill("solid", fgColor="FFFF00")
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for (r, c), value in sheet.cells.items():
            cell = ws.cell(row=r, column=c, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # text, even when it starts with "=" (not a formula)
        for r, c in sheet.styled_blank:
            ws.cell(row=r, column=c).fill = fill
    wb.save(path)


def check_sheet_rows(rows: list[list[str]], expected: dict[tuple[int, int], str]) -> None:
    """rows[i][j] is spreadsheet cell (i + 1, j + 1): every expected text where it was
    written, blank everywhere else, and no rows after the last one with text."""
    last = max((r for r, _ in expected), default=0)
    assert len(rows) == last, f"{len(rows)} rows read, last row with text is {last}"
    if rows:
        width = len(rows[0])
        assert all(len(r) == width for r in rows), "rows of different widths"
        assert width >= max(c for _, c in expected)
    got = {(i, j): t for i, row in enumerate(rows, start=1) for j, t in enumerate(row, start=1) if t}
    assert got == expected


# ------------------------------------------------------------------ parse_return


def parse_in_landing(root: Path, force: str, filename: str, data: bytes):
    """Drop `data` as landing/<force>/<filename> under root and parse it as the pipeline
    does: discover(), then parse_return()."""
    from orchestration.ingest.landing import discover
    from orchestration.ingest.parse import parse_return

    landing = root / "landing"
    path = landing / force / filename
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    found = discover(landing)
    assert [f.path for f in found] == [path]
    return parse_return(found[0])


ROW_KINDS = {"title", "header", "data", "total", "note", "blank"}


def check_outcome(parsed) -> None:
    """Loaded with every row accounted for, or quarantined with a reason naming the file."""
    assert parsed.status in {"loaded", "quarantined"}, parsed.status
    if parsed.status == "quarantined":
        assert parsed.reason and parsed.reason.strip()
        assert parsed.landing.source_file in parsed.reason
        assert parsed.rows == []
    else:
        assert parsed.tables
        assert len(parsed.rows) == parsed.rows_read  # every row read is kept, with its kind
        assert {r.row_kind for r in parsed.rows} <= ROW_KINDS


FIXTURE_RETURNS = sorted(p for p in FIXTURE_LANDING.rglob("*") if p.suffix.lower() in {".csv", ".xlsx"})


VALID_XLSX_FIXTURES = [p for p in FIXTURE_RETURNS if p.suffix == ".xlsx" and p.read_bytes().startswith(b"PK\x03\x04")
                       and p.name != "kent_return.xlsx"]
MUTATIONS = ["damaged xml inside a valid zip", "truncate", "bit flips", "bit flips near the end", "wrong extension",
             "empty", "spliced junk"]


def _rezip(data: bytes, mutate_member) -> bytes:
    """The same workbook with one part's XML changed, zipped again with valid CRCs, so the
    damage reaches calamine's XML parser rather than stopping at the zip layer."""
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, mutate_member(info.filename, src.read(info)))
    return out.getvalue()


@st.composite
def mutated_fixtures(draw, kinds: list[str] | None = None) -> tuple[str, str, bytes, str]:
    """(force, file name, bytes, kind of damage) from one of the sample returns."""
    kind = draw(st.sampled_from(kinds or MUTATIONS))
    src = draw(st.sampled_from(VALID_XLSX_FIXTURES if kind == "damaged xml inside a valid zip" else FIXTURE_RETURNS))
    force, name, data = src.parent.name, src.name, src.read_bytes()
    if kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif kind.startswith("bit flips"):
        buf = bytearray(data)
        low = max(0, len(buf) - 200) if kind.endswith("end") else 0
        for _ in range(draw(st.integers(1, 8))):
            buf[draw(st.integers(low, len(buf) - 1))] ^= 1 << draw(st.integers(0, 7))
        data = bytes(buf)
    elif kind == "wrong extension":
        name = src.stem + (".xlsx" if src.suffix == ".csv" else ".csv")
    elif kind == "empty":
        data = b""
    elif kind == "spliced junk":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at + draw(st.integers(0, 64)):]
    else:
        import io
        import zipfile

        members = [i.filename for i in zipfile.ZipFile(io.BytesIO(data)).infolist() if i.filename.endswith(".xml")]
        target = draw(st.sampled_from(members))
        how = draw(st.sampled_from(["truncate", "flip", "junk"]))
        cut = draw(st.integers(0, 10**6))
        junk = draw(st.binary(min_size=1, max_size=32))

        def mutate(member: str, xml: bytes) -> bytes:
            if member != target or not xml:
                return xml
            at = cut % len(xml)
            if how == "truncate":
                return xml[:at]
            if how == "flip":
                return xml[:at] + bytes([xml[at] ^ 0x20]) + xml[at + 1:]
            return xml[:at] + junk + xml[at:]

        data = _rezip(data, mutate)
        kind = f"{kind} ({how} {target})"
    return force, name, data, kind


# ------------------------------------------------------- worksheet XML, hand-written

_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/'
       'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
       'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/'
       'workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'spreadsheetml.worksheet+xml"/></Types>')
_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats'
         '.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
         'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/'
       'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
       '<sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '</Relationships>')
SHEET_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def minimal_xlsx(sheet_data: str, prefix: str = "") -> bytes:
    """A workbook of one worksheet whose <sheetData> content is `sheet_data`."""
    import io
    import zipfile

    p = f"{prefix}:" if prefix else ""
    ns = f'xmlns:{prefix}="{SHEET_MAIN}"' if prefix else f'xmlns="{SHEET_MAIN}"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><{p}worksheet {ns}>'
             f"<{p}sheetData>{sheet_data}</{p}sheetData></{p}worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/worksheets/sheet1.xml", sheet)):
            z.writestr(name, text)
    return out.getvalue()


def column_letters(index: int) -> str:  # 1-based
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@st.composite
def sheet_data_xml(draw) -> tuple[str, str, bool]:
    """(sheetData content, namespace prefix, written the way every mainstream writer does)
    with cells as writers and hand-made files have them: with or without r, r first or
    not, either quote, odd whitespace, formatted cells without a value, formulas without a
    cached value, rows without r or out of order."""
    prefix = draw(st.sampled_from(["", "", "", "x"]))
    p = f"{prefix}:" if prefix else ""
    canonical = True  # every cell tag written <c r="..."
    parts = []
    row_numbers = sorted(draw(st.sets(st.integers(1, 60), min_size=1, max_size=8)))
    if draw(st.integers(0, 5)) == 0:
        row_numbers = draw(st.permutations(row_numbers))
    for r in row_numbers:
        row_r = draw(st.sampled_from([True, True, True, False]))
        parts.append(f'<{p}row r="{r}">' if row_r else f"<{p}row>")
        for c in sorted(draw(st.sets(st.integers(1, 40), max_size=5))):
            kind = draw(st.sampled_from(["number", "string", "styled", "styled", "formula", "open-empty"]))
            ref = f"{column_letters(c)}{r}"
            form = draw(st.sampled_from(["r first", "r first", "r first", "r last", "no r", "single quotes", "newline",
                                         "lower-case ref"]))
            # a formatted cell without a value is not stored, whatever its reference
            if (form != "r first" and not (kind == "styled" and form.endswith(" ref"))) or prefix:
                canonical = False
            attrs = {"r first": f' r="{ref}" s="1"', "r last": f' s="1" r="{ref}"', "no r": ' s="1"',
                     "single quotes": f" r='{ref}' s='1'", "newline": f'\n r="{ref}" s="1"',
                     "lower-case ref": f' r="{ref.lower()}" s="1"'}[form]
            if kind == "styled":
                parts.append(f"<{p}c{attrs}/>")
            elif kind == "number":
                parts.append(f"<{p}c{attrs}><{p}v>{draw(st.integers(-9, 99))}</{p}v></{p}c>")
            elif kind == "string":
                parts.append(f'<{p}c{attrs} t="inlineStr"><{p}is><{p}t>x</{p}t></{p}is></{p}c>')
            elif kind == "formula":
                parts.append(f"<{p}c{attrs}><{p}f>1+1</{p}f></{p}c>")
            else:
                parts.append(f"<{p}c{attrs}></{p}c>")
        parts.append(f"</{p}row>")
    return "".join(parts), prefix, canonical
