"""The check an .xlsx passes before calamine reads it (check_xlsx), and a second process
that runs it ahead of the reading (XlsxPrescan).

The check is pure Python (zlib and regular expressions over the worksheet XML), so in the
reading process it would hold the GIL that turning calamine's cells into text needs. Run in
its own process, on the other core, one file ahead, it costs the reading nothing but the
wait for the first file. This module imports only the standard library and limits.py, so
the process starts in a few tens of milliseconds.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Iterable
from operator import itemgetter
from pathlib import Path

from .limits import MB, ReadError, ReadLimits, format_mb, over_limit

_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_XML_CHUNK = 4 << 20  # bytes of a zip member inflated at a time


# Scanning worksheet XML for the extent of its cells. Every writer in use (Excel, LibreOffice,
# openpyxl, XlsxWriter) writes cells as <c r="B7" ...>, so a fast path reads only those
# (_fast_extent); a worksheet with any other form of cell tag (namespace prefix, no r, r not
# first, odd whitespace, a reference that is not plain A1 style) is scanned tag by tag
# instead. A cell that closes itself (<c r="B7" s="3"/>, formatting without a value) is not
# stored by calamine and not counted.
_CELL_START = b'<c r="'
_FAST_VALUED = re.compile(rb'<c r="([A-Z]{1,3})([1-9]\d{0,6})"[^>/]*>')
_FAST_CLOSED = re.compile(rb'<c r="[^>]*/>')
_ODD_CELL = re.compile(rb'<c(?:[>/\t\r\n]| (?!r="))')
_PREFIXED_CELL = re.compile(rb':c[\s/>]')
_PLAIN_REF = rb'[A-Z]{1,3}[1-9]\d{0,6}"'
# General path: a start tag of a cell or row (any prefix), its attributes ending in "/" when
# it closes itself, and the r attribute wherever it is.
_XML_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(c|row)((?:[\s/][^>]*)?)>")
_CELL_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']\$?([A-Za-z]{1,7})\$?(\d{1,12})["']""")
_ROW_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["'](\d{1,12})["']""")
_MAX_TAG = 1 * MB
_SHEET_DATA = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?sheetData[\s/>]")
_SHEET_END = re.compile(rb"</(?:[A-Za-z_][\w.\-]*:)?(?:worksheet|dialogsheet|macrosheet)>\s*$")


def _column_index(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 64
    return n - 1


def _column_letters(index: int) -> str:
    letters = ""
    index += 1
    while index > 0:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _fast_extent(data: bytes, last_row: int, last_col: int) -> tuple[int, int] | None:
    """The extent (0-based last row and column) of the cells with a value so far, with
    those of a chunk in which every cell tag starts <c r="; None when the fast path cannot
    read one of them. Rows come in order in every writer, so the chunk's last cell with a
    value nearly always holds the extent. One search for a cell beyond it, or one whose
    reference is not plain, confirms that without making an object per cell (a cell
    within the extent adds nothing, valued or not); from such a cell on, every cell is read."""
    end = len(data)
    while (at := data.rfind(_CELL_START, 0, end)) >= 0:
        m = _FAST_VALUED.match(data, at)
        if m:
            last_row, last_col = max(last_row, int(m[2]) - 1), max(last_col, _column_index(m[1]))
            break
        end = at  # a cell that closes itself, or one read below
    beyond = re.compile(rb'<c r="(?:(?:' + _columns_after(last_col) + rb')[1-9]\d{0,6}"|[A-Z]{1,3}(?:'
                        + _rows_after(last_row + 1) + rb')"|(?!' + _PLAIN_REF + rb'))')
    m = beyond.search(data)
    if m is None:
        return last_row, last_col
    rest = data[m.start():]
    valued = _FAST_VALUED.findall(rest)
    if len(valued) + len(_FAST_CLOSED.findall(rest)) != rest.count(_CELL_START):
        return None
    if valued:
        last_row = max(last_row, max(map(int, set(map(itemgetter(1), valued)))) - 1)  # a row's cells share it
        widest = max(set(map(itemgetter(0), valued)), key=lambda c: (len(c), c))
        last_col = max(last_col, _column_index(widest))
    return last_row, last_col


def _rows_after(row: int) -> bytes:
    """A regex for the row numbers (1 to 7 digits, no leading zero) greater than row."""
    digits = str(row)
    n = len(digits)
    longer = [rb"[1-9]\d{%d,6}" % n] if n < 7 else []
    return b"|".join(longer + [b"%s[%s-9]" % (digits[:i].encode(), str(int(d) + 1).encode())
                               + (rb"\d{%d}" % (n - i - 1) if i < n - 1 else b"")
                               for i, d in enumerate(digits) if d != "9"]) or b"(?!)"


def _columns_after(col: int) -> bytes:
    """A regex for the column letters (1 to 3) after 0-based column col."""
    if col < 0:
        return b"[A-Z]{1,3}"
    letters = _column_letters(col)
    n = len(letters)
    longer = [b"[A-Z]{%d,3}" % (n + 1)] if n < 3 else []
    return b"|".join(longer + [b"%s[%s-Z]" % (letters[:i].encode(), chr(ord(ch) + 1).encode())
                               + (b"[A-Z]{%d}" % (n - i - 1) if i < n - 1 else b"")
                               for i, ch in enumerate(letters) if ch != "Z"]) or b"(?!)"


def check_xlsx(path: Path, limits: ReadLimits) -> _Scan:
    """Refuse an .xlsx before calamine opens it when it is not a zip, is a zip bomb, or
    holds a worksheet whose cells span more rows or cells than the limits allow.

    calamine holds each sheet as a dense rectangle from its first to its last cell with a
    value, so one value in cell XFD1048576 of an otherwise small file asks it for 17
    billion cells (and aborts the process: a Rust allocation failure, not an exception).
    The worksheet XML is therefore scanned first, as a stream, for the extent of its cells.
    Every member is inflated by zipfile, which checks its CRC and declared size, so a member
    cannot inflate to more than it declares."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"could not be opened ({exc.strerror or exc}): expected a readable file") from exc
    if head.startswith(_OLE2_MAGIC):
        raise _not_xlsx("an OLE2 file: a password-protected workbook, or an .xls named .xlsx",
                        "an unprotected .xlsx file")
    try:
        zf = zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, and struct/value/overflow errors on crafted headers
        raise _not_xlsx(exc) from exc
    with zf:
        members = zf.infolist()
        if len(members) > limits.max_zip_members:
            raise over_limit("the .xlsx has", f"{len(members):,} parts", f"{limits.max_zip_members:,}-part", "max_zip_members")
        declared = sum(m.file_size for m in members)
        compressed = sum(m.compress_size for m in members)
        _check_size_and_ratio("the .xlsx", declared, compressed, limits)
        for m in members:
            _check_ratio(f"part '{m.filename}' of the .xlsx", m.file_size, m.compress_size, limits)
        scan = _Scan(limits)
        for m in members:
            if not m.is_dir():
                scan.check(zf, m)
        return scan


def _not_xlsx(detail: object, expected: str = "a valid .xlsx file") -> ReadError:
    return ReadError(f"could not be read as an XLSX workbook: not a valid .xlsx (zip) file ({detail}): "
                     f"expected {expected}")


def _check_size_and_ratio(what: str, uncompressed: int, compressed: int, limits: ReadLimits) -> None:
    if uncompressed > limits.max_uncompressed_bytes:
        raise over_limit(f"{what} inflates to", format_mb(uncompressed), format_mb(limits.max_uncompressed_bytes),
                         "max_uncompressed_bytes")
    _check_ratio(what, uncompressed, compressed, limits)


def _check_ratio(what: str, uncompressed: int, compressed: int, limits: ReadLimits) -> None:
    """Small parts compress well without being bombs; the ratio counts from 1 MB up."""
    if uncompressed >= MB and uncompressed > limits.max_zip_ratio * max(compressed, 1):
        ratio = uncompressed / max(compressed, 1)
        raise over_limit(f"{what} is compressed", f"{ratio:,.0f}:1 ({format_mb(uncompressed)} from "
                         f"{compressed:,} bytes)", f"{limits.max_zip_ratio:g}:1", "max_zip_ratio")


class _Scan:
    """Running totals over the members of one .xlsx: bytes inflated, and the cells (from
    A1 to the last cell with a value) of the worksheets scanned so far."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.inflated = 0
        self.cells = 0
        self.extents: dict[str, tuple[int, int, bool]] = {}  # worksheet -> last row, last column (0-based), fast path

    def check(self, zf: zipfile.ZipFile, m: zipfile.ZipInfo) -> None:
        try:
            if not self.member(zf, m, fast=True):
                self.member(zf, m, fast=False)
        except ReadError:
            raise
        except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
            raise _not_xlsx(exc, "an unprotected .xlsx file") from exc
        except Exception as exc:  # bad CRC, truncated data, unsupported compression
            raise _not_xlsx(f"part '{m.filename}': {exc}") from exc

    def member(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, fast: bool) -> bool:
        """Inflate one member; when it is a worksheet (has sheetData), find its last row and
        column holding a value. False when the fast path met a cell tag it does not read:
        nothing is added and the member must be scanned again with fast=False."""
        limits = self.limits
        inflated = self.inflated
        in_sheet = False
        tail = b""  # an unfinished tag carried into the next chunk
        row = col = -1  # general path: position of the last row / cell tag
        last_row = last_col = -1  # 0-based extent of the cells with a value
        end = b""  # the last bytes of the member, trailing whitespace left out
        with zf.open(info) as member:
            while chunk := member.read(_XML_CHUNK):
                inflated += len(chunk)
                end = (end + chunk).rstrip()[-64:]
                if inflated > limits.max_uncompressed_bytes:
                    raise over_limit("the .xlsx inflates to more than", format_mb(limits.max_uncompressed_bytes),
                                     format_mb(limits.max_uncompressed_bytes), "max_uncompressed_bytes")
                data = tail + chunk
                if not in_sheet:
                    m = _SHEET_DATA.search(data) if b"sheetData" in data else None
                    if m is None:
                        tail = data[-64:]
                        continue
                    in_sheet, data = True, data[m.start():]
                cut = data.rfind(b"<")
                if cut >= 0 and data.find(b">", cut) < 0:
                    data, tail = data[:cut], data[cut:]
                    if len(tail) > _MAX_TAG:
                        raise ReadError(f"part '{info.filename}' of the .xlsx has an XML tag longer than "
                                        f"{format_mb(_MAX_TAG)}: expected a workbook saved by a spreadsheet program")
                else:
                    tail = b""
                if fast:
                    if _ODD_CELL.search(data) or _PREFIXED_CELL.search(data):
                        return False
                    extent = _fast_extent(data, last_row, last_col)
                    if extent is None:
                        return False
                    last_row, last_col = extent
                else:
                    for tag, attrs in _XML_TAG.findall(data):
                        if tag == b"row":
                            m = _ROW_REF.search(attrs)
                            row = int(m[1]) - 1 if m else row + 1
                            col = -1
                            continue
                        m = _CELL_REF.search(attrs)
                        if m:
                            col, cell_row = _column_index(m[1]), int(m[2]) - 1
                        else:
                            col, cell_row = col + 1, max(row, 0)
                        if attrs.endswith(b"/"):  # no value
                            continue
                        last_row = max(last_row, cell_row)
                        last_col = max(last_col, col)
                self._check_extent(info.filename, last_row, last_col)
        if in_sheet and not _SHEET_END.search(end):
            # calamine reads a worksheet cut off after </sheetData> as if it were whole
            raise ReadError(f"could not be read as an XLSX workbook: worksheet '{info.filename}' is cut off "
                            "(it does not end with </worksheet>): expected a complete .xlsx file")
        self.inflated = inflated
        self.cells += (last_row + 1) * (last_col + 1)
        if in_sheet:
            self.extents[info.filename] = (last_row, last_col, fast)
        return True

    def _check_extent(self, name: str, last_row: int, last_col: int) -> None:
        limits = self.limits
        if last_row + 1 > limits.max_rows_per_sheet:
            raise over_limit(f"worksheet '{name}' has cells down to", f"row {last_row + 1:,}",
                             f"{limits.max_rows_per_sheet:,}-row", "max_rows_per_sheet")
        if self.cells + (last_row + 1) * (last_col + 1) > limits.max_cells_per_file:
            span = f"A1:{_column_letters(last_col)}{last_row + 1}"
            raise over_limit(f"worksheet '{name}' spans", f"{span} (with the sheets before it, more than "
                             f"{limits.max_cells_per_file:,} cells)", f"{limits.max_cells_per_file:,}-cell",
                             "max_cells_per_file")


class XlsxPrescan:
    """check_xlsx of the given files, in order, in a second process started at once:
    `wait(path)` returns when the file passed (raising its ReadError when it did not).

    A file that changed after its check (size or modification time), that was not
    submitted, or whose check the process could not give (it died), is checked here
    instead, so calamine never opens an unchecked file."""

    def __init__(self, paths: Iterable[Path], limits: ReadLimits):
        self.limits = limits
        self._paths = [str(p) for p in paths]
        self._submitted = set(self._paths)
        self._results: dict[str, dict] = {}
        self._proc = None
        if not self._paths:
            return
        root = str(Path(__file__).resolve().parents[2])
        self._proc = subprocess.Popen(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {root!r}); "
                                   "from orchestration.ingest.xlsx_scan import _serve; _serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8")
        request = json.dumps({"limits": dataclasses.asdict(limits), "paths": self._paths})
        # written by a thread: the pipe holds only so much, and the answers are read as needed
        threading.Thread(target=self._send, args=(request,), daemon=True).start()

    def _send(self, request: str) -> None:
        try:
            self._proc.stdin.write(request + "\n")
            self._proc.stdin.close()
        except OSError:  # the process died: wait() checks in this process
            pass

    def wait(self, path: Path) -> None:
        key = str(path)
        while key in self._submitted and key not in self._results and self._proc is not None:
            line = self._proc.stdout.readline()
            if not line:
                break
            answer = json.loads(line)
            self._results[answer["path"]] = answer
        answer = self._results.pop(key, None)
        stat = _stat(path)
        if answer is None or answer["stat"] is None or answer["stat"] != stat:
            check_xlsx(path, self.limits)
        elif answer["error"] is not None:
            raise ReadError(answer["error"])
        elif answer["crash"] is not None:
            check_xlsx(path, self.limits)  # a bug in the check: raise it here, where it is reported

    def close(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._proc.wait()
            self._proc.stdout.close()
            self._proc = None

    def __enter__(self) -> XlsxPrescan:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _stat(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


def _serve() -> None:
    """The second process: check each requested file, answer one JSON line per file."""
    request = json.loads(sys.stdin.readline())
    limits = ReadLimits(**request["limits"])
    for path in request["paths"]:
        stat, error, crash = _stat(Path(path)), None, None
        try:
            check_xlsx(Path(path), limits)
        except ReadError as exc:
            error = str(exc)
        except Exception as exc:
            crash = f"{exc.__class__.__name__}: {exc}"
        print(json.dumps({"path": path, "stat": stat, "error": error, "crash": crash}), flush=True)
