"""Read a return into sheets of text cells, keeping every cell as the text a person sees.

Delimited text (.csv, .tsv, .txt: what Excel saves as CSV, "Text (Tab delimited)" and
"Unicode text"): the encoding is detected (UTF-16 by its byte-order mark or, without one,
by its NUL bytes; else UTF-8 with or without BOM, else Windows-1252) and the delimiter
sniffed; the file is decoded as a stream, never held as bytes and text at once.
Workbooks (.xlsx, .xls, .ods): read with python-calamine, row by row; numbers are written
back the way Excel shows them (whole numbers without ".0"), dates as ISO dates. Blank rows
at the end of a sheet (cells formatted but empty, or holding only spaces) are dropped;
blank rows between data are kept, so rows[i] is always spreadsheet row i + 1.

Resource limits (`limits.ReadLimits`, overridable with CR_MAX_* environment variables) are
checked before a file is opened (its size), before calamine sees a workbook (an .xlsx: its
zip and the extent of the cells of each worksheet, found by scanning the XML, see
xlsx_scan; an .xls or .ods: its structure and the extent of its cells, see xls_ods_scan)
and while rows are read (rows per sheet, cells per file). Every violation, and every file
that cannot be read, is a `ReadError` saying what was found and what was expected;
nothing else escapes.
"""

from __future__ import annotations

import codecs
import collections
import contextlib
import csv
import datetime as dt
import gc
import io
import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import islice, zip_longest
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
from python_calamine import CalamineWorkbook

from .limits import LIMIT_NAMES, MB, ReadError, ReadLimits, env_var, format_mb, over_limit
from .xls_ods_scan import check_ods, check_xls
from .xlsx_scan import XlsxPrescan, check_xlsx


@dataclass
class Sheet:
    """A sheet's rows, every cell as text. A small sheet is a list of lists; a big one
    (more than `bulk_min_rows()` rows) is an Arrow table instead, so that millions of rows
    are classified and written by DuckDB rather than one Python object at a time."""

    name: str  # the workbook's sheet name; "" for a CSV
    rows: list[list[str]] = field(default_factory=list)  # rows[i] is spreadsheet row i + 1
    # A big sheet: columns c1..cN (string, null where a row is shorter) and `width`, the
    # row's own number of cells; row i is spreadsheet row i + 1. `rows` is then empty.
    columns: pa.Table | None = None

    @property
    def n_rows(self) -> int:
        return self.columns.num_rows if self.columns is not None else len(self.rows)


BULK_MIN_ROWS = 100_000  # default; CR_BULK_MIN_ROWS overrides it (0: every sheet in bulk, for tests)
_BATCH_ROWS = 65_536  # rows turned into Arrow at a time: bounds the Python objects alive at once


def bulk_min_rows() -> int:
    return int(os.environ.get("CR_BULK_MIN_ROWS", BULK_MIN_ROWS))


class _RowCollector:
    """Collects a sheet's rows: Python lists while few, Arrow record batches once the sheet
    passes `bulk_min_rows()`, so a big sheet never exists as millions of Python lists."""

    def __init__(self, bulk_min: int):
        self.bulk_min = bulk_min
        self.rows: list[list[str]] = []
        self.batches: list[pa.RecordBatch] = []
        self.count = 0

    def append(self, row: list[str]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= _BATCH_ROWS and (self.batches or len(self.rows) > self.bulk_min):
            self._flush()

    def extend_blank(self, width: int, n: int) -> None:
        for _ in range(n):
            self.append([""] * width)

    def _flush(self) -> None:
        rows, self.rows = self.rows, []
        columns = {f"c{i}": _compact(pa.array(col, pa.string()))
                   for i, col in enumerate(zip_longest(*rows, fillvalue=None), start=1)}
        columns["width"] = pa.array(map(len, rows), pa.int32(), size=len(rows))
        self.batches.append(pa.RecordBatch.from_pydict(columns))

    def sheet(self, name: str) -> Sheet:
        if not self.batches and len(self.rows) <= self.bulk_min:
            return Sheet(name=name, rows=self.rows)
        if self.rows or not self.batches:
            self._flush()
        batches, self.batches = self.batches, []
        width = max(b.num_columns - 1 for b in batches)
        columns = {}
        for name_ in [f"c{i}" for i in range(1, width + 1)]:
            columns[name_] = _chunked([b.column(name_) if name_ in b.schema.names else pa.nulls(b.num_rows, pa.string())
                                       for b in batches])
        columns["width"] = pa.chunked_array([b.column("width") for b in batches])
        return Sheet(name=name, columns=pa.table(columns))


def _compact(values: pa.Array) -> pa.Array:
    """Dictionary-encoded when the column repeats itself (offences, outcomes, nationalities
    on every row of a record-level return): a fraction of the memory of plain strings."""
    encoded = values.dictionary_encode()
    return encoded if len(encoded.dictionary) * 2 < len(values) else values


@dataclass
class Workbook:
    sheets: list[Sheet]
    encoding: str | None = None  # CSV only


TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}  # delimited text; the delimiter is sniffed whatever the name says
WORKBOOK_SUFFIXES = {".xlsx", ".xls", ".ods"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | WORKBOOK_SUFFIXES
_SUPPORTED_TEXT = ".csv, .tsv or .txt (delimited text), .xlsx, .xls or .ods"

_CHUNK = 1 << 20  # bytes read at a time when streaming a file or a zip member
_SNIFF_CHARS = 65536
_UTF8_BOM = codecs.BOM_UTF8


def read_return(path: Path, limits: ReadLimits | None = None, prescan: XlsxPrescan | None = None) -> Workbook:
    """The sheets of a return, read by the reader of its suffix (in any case: .XLS is .xls)."""
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return read_csv(path, limits)
    if suffix == ".xlsx":
        return read_xlsx(path, limits, prescan)
    if suffix == ".xls":
        return read_xls(path, limits)
    if suffix == ".ods":
        return read_ods(path, limits)
    raise ReadError(f"unsupported file type '{suffix}': expected {_SUPPORTED_TEXT}")


@contextlib.contextmanager
def _no_cyclic_gc():
    """Millions of row lists, none in a reference cycle, make the cyclic garbage collector
    walk every row again and again (reading a 200 MB CSV took three times as long)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _check_file_size(path: Path, limits: ReadLimits) -> int:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ReadError(f"could not be opened ({exc.strerror or exc}): expected a readable file") from exc
    if size > limits.max_file_bytes:
        raise over_limit("file is", format_mb(size), format_mb(limits.max_file_bytes), "max_file_bytes")
    return size


# --------------------------------------------------------------------------------- CSV


def decode_csv_bytes(data: bytes) -> tuple[str, str]:
    """Return (text, encoding). UTF-16 when the bytes are (see _utf16_encoding); else
    UTF-8 first (BOM stripped); Windows-1252 is what Excel on a force's PC writes when
    UTF-8 fails; Latin-1 cannot fail and is the last resort. A file that starts with a
    UTF-8 byte-order mark but is not UTF-8 is a ReadError."""
    if utf16 := _utf16_encoding(data[:_SNIFF_CHARS]):
        try:
            return data.decode(utf16), utf16
        except UnicodeDecodeError as exc:
            raise _utf16_error(exc.start) from exc
    if data.startswith(_UTF8_BOM):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bom_error(exc.start + 3) from exc
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


_UTF16_BOMS = {codecs.BOM_UTF16_LE: "le", codecs.BOM_UTF16_BE: "be"}


def _utf16_encoding(head: bytes) -> str | None:
    """'utf-16' for text that starts with a UTF-16 byte-order mark (Excel's "Unicode
    text"), 'utf-16-le' or 'utf-16-be' for UTF-16 without one, None for anything else;
    `head` is the start of the file.

    UTF-16 is told by its NUL bytes: a return is mostly ASCII (digits, delimiters, line
    ends), and every ASCII character is a NUL and a byte of text. Without a byte-order
    mark, NULs must fill at least half of one byte position and none of the other, and the
    head must decode; any other file with a NUL is binary, or text that cannot be read
    without guessing (read_csv refuses it). With a mark, one NUL where the mark says the
    high bytes are is enough: the mark alone could be 'ÿþ' at the start of a cp1252 file."""
    order = _UTF16_BOMS.get(head[:2])
    body = head[2:] if order else head
    body = body[:len(body) // 2 * 2]
    if not body:
        return "utf-16" if order else None
    units = len(body) // 2
    nul_high_le, nul_high_be = body[1::2].count(0), body[0::2].count(0)
    if order:
        return "utf-16" if (nul_high_le if order == "le" else nul_high_be) else None
    if nul_high_le * 2 >= units and not nul_high_be:
        codec = "utf-16-le"
    elif nul_high_be * 2 >= units and not nul_high_le:
        codec = "utf-16-be"
    else:
        return None
    try:
        codecs.getincrementaldecoder(codec)().decode(body)  # not final: a pair cut by the head's end is fine
    except UnicodeDecodeError:
        return None
    return codec


def _utf16_error(offset: int) -> ReadError:
    return ReadError(f"is UTF-16 text but not valid UTF-16 at byte offset {offset:,} (cut off, or damaged): "
                     "expected a complete UTF-16 text file")


def _bom_error(offset: int) -> ReadError:
    return ReadError(f"starts with a UTF-8 byte-order mark but is not valid UTF-8 at byte offset {offset:,}: "
                     "expected a UTF-8 file (save it again as 'CSV UTF-8')")


def _first_undecodable(fh, encoding: str, start: int = 0) -> int | None:
    """Byte offset of the first byte `encoding` cannot decode, reading from `start` in
    chunks; None when the whole file decodes."""
    fh.seek(start)
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = start
    try:
        while chunk := fh.read(_CHUNK):
            decoder.decode(chunk)
            offset += len(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError as exc:
        pending = len(decoder.getstate()[0]) if hasattr(decoder, "getstate") else 0
        return max(start, offset - pending + exc.start)
    return None


def _detect_encoding(fh) -> str:
    """The encoding decode_csv_bytes would choose, found without holding the file."""
    if fh.read(3) == _UTF8_BOM:
        bad = _first_undecodable(fh, "utf-8", start=3)
        if bad is not None:
            raise _bom_error(bad)
        return "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        if _first_undecodable(fh, encoding) is None:
            return encoding
    return "latin-1"


def _sniff_delimiter(sample: str) -> str:
    """The delimiter that splits the most rows of the sample into the same number (> 1) of
    fields; on a tie, the one whose table ends lower down (a title or a note above or below
    a table may hold other delimiters). Comma when no delimiter splits any row.

    csv.Sniffer is not used: it defaults to comma for a table whose rows are all blank but
    one, and its quote-guessing regular expression takes time quadratic in the sample
    (48 KB of `,"a` took it 10 s). Parsing the sample once per candidate is linear."""
    if len(sample) >= _SNIFF_CHARS and (end := max(sample.rfind("\n"), sample.rfind("\r"))) > 0:
        sample = sample[:end]  # the sample stops mid-file: leave out its last, partial line
    best, best_score = ",", (0, 0)
    for delimiter in ",;\t|":
        widths: collections.Counter[int] = collections.Counter()  # fields per row -> rows
        last_line: dict[int, int] = {}  # fields per row -> line where the last such row ends
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        try:
            for row in reader:
                if len(row) > 1:
                    widths[len(row)] += 1
                    last_line[len(row)] = reader.line_num
        except csv.Error:  # a field longer than the csv module's limit: score what was read
            pass
        if not widths:
            continue
        width, count = max(widths.items(), key=lambda wc: (wc[1], last_line[wc[0]]))
        score = (count, last_line[width])
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_csv(path: Path, limits: ReadLimits | None = None) -> Workbook:
    limits = limits or ReadLimits.from_env()
    _check_file_size(path, limits)
    try:
        with path.open("rb") as fh:
            head = fh.read(_SNIFF_CHARS)
            utf16 = _utf16_encoding(head)
            if utf16 is None and b"\x00" in head:
                raise ReadError("contains NUL bytes: expected a text CSV file")
            fh.seek(0)
            if utf16 is None:
                encoding = _detect_encoding(fh)
            elif (bad := _first_undecodable(fh, utf16)) is not None:
                raise _utf16_error(bad)
            else:
                encoding = utf16
            fh.seek(0)
            text = io.TextIOWrapper(fh, encoding=encoding, newline="")
            sample = text.read(_SNIFF_CHARS)
            if "\x00" in sample:  # UTF-16 holding U+0000: as binary as a NUL byte in UTF-8
                raise ReadError("contains NUL characters: expected a text CSV file")
            delimiter = _sniff_delimiter(sample)
            sheet = None
            if path.stat().st_size >= bulk_min_rows() * _BYTES_PER_ROW:
                sheet = _read_csv_duckdb(fh, encoding, delimiter, sample, limits)
            if sheet is None:
                text.seek(0)
                with _no_cyclic_gc():
                    sheet = _read_csv_rows(text, delimiter, limits)
            text.detach()
    except OSError as exc:
        raise ReadError(f"could not be read ({exc.strerror or exc}): expected a readable file") from exc
    except UnicodeDecodeError as exc:  # the file changed between detection and reading
        raise ReadError(f"could not be decoded as {encoding} ({exc.reason}): expected a stable file") from exc
    return Workbook(sheets=[sheet], encoding=encoding)


_BYTES_PER_ROW = 64  # a CSV of more than bulk_min_rows() * this many bytes is tried with DuckDB's reader
# What str.strip() strips: DuckDB's trim(s, characters) is given the same set.
_PY_WHITESPACE = "".join(ch for ch in map(chr, range(0x110000)) if ch.isspace())


_BLANK_LINE = b"\x01"  # written where a blank line was, so DuckDB's reader keeps the row


_PART_BYTES = 16 * MB  # DuckDB reads the copy in parts of about this size: its memory stays bounded


def _copy_for_duckdb(fh, encoding: str, delimiter: str, folder: Path) -> list[Path] | None:
    """Copy the CSV into `folder` as UTF-8 parts cut at line ends between records, each
    blank line holding one _BLANK_LINE byte (DuckDB's reader skips blank lines; they are
    rows here). None when the file holds what the two readers could read differently: a
    NUL, a _BLANK_LINE byte of its own, a carriage return that does not end a line (the
    csv module ends a row there), or quoting other than quotes that open a field, close it
    or are doubled inside it (the csv module reads a quote inside an unquoted field, text
    after a closing quote or a quote never closed in its own forgiving way)."""
    d = re.escape(delimiter.encode())
    # a quoted field: opened after a delimiter or line end, closed before one (the quote
    # comes first so that the search skips to quotes instead of trying every byte)
    quoted = re.compile(rb'"(?<![^' + d + rb'\n]")[^"]*(?:""[^"]*)*"(?![^' + d + rb'\r\n])')
    fh.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    parts: list[Path] = []
    out = None
    carry = b""
    try:
        while True:
            raw = fh.read(_CHUNK)
            final = not raw
            data = carry + decoder.decode(raw, final=final).encode("utf-8")
            if b"\x00" in data or _BLANK_LINE in data:
                return None
            if data.count(b"\r") - data.count(b"\r\n") != (1 if data.endswith(b"\r") and not final else 0):
                return None
            if final:
                cut = len(data) - 1
            else:
                cut = len(data)
                while (cut := data.rfind(b"\n", 0, cut)) >= 0 and data.count(b'"', 0, cut) % 2:
                    pass  # this line end is inside a quoted field
                if cut < 0:
                    if len(data) > 16 * MB:  # one quoted field this long: leave it to the csv module
                        return None
                    carry = data
                    continue
            segment, carry = data[:cut + 1], data[cut + 1:]
            if b'"' in segment and b'"' in quoted.sub(b"", segment):
                return None
            # every segment starts a line: "\n" in front finds a blank first line
            marked = b"\n" + segment
            for _ in range(2):  # twice: in "\n\n\n" one pass finds one blank line of two
                marked = marked.replace(b"\n\n", b"\n\x01\n").replace(b"\n\r\n", b"\n\x01\r\n")
            if out is None or out.tell() >= _PART_BYTES:
                if out is not None:
                    out.close()
                parts.append(folder / f"part{len(parts):05d}.csv")
                out = parts[-1].open("wb")
            out.write(marked[1:])
            if final:
                return parts
    finally:
        if out is not None:
            out.close()


def _read_csv_duckdb(fh, encoding: str, delimiter: str, sample: str, limits: ReadLimits) -> Sheet | None:
    """A big CSV read by DuckDB's CSV reader (from a UTF-8 copy, see _copy_for_duckdb),
    several times faster than the csv module; or None when the file is outside what both
    readers read the same way (see _copy_for_duckdb; also a blank line inside quotes,
    rows wider than the first 64 KB suggest, over-long fields, no room for the copy): the
    csv module then reads it and reports any problem. A property test reads CSVs both ways
    and compares."""
    rows_in_sample = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter))
    width = max((len(r) for r in rows_in_sample), default=1)
    cols = [f"c{i}" for i in range(1, width + 1)]
    import duckdb  # here: the readers are also used where the warehouse is not

    con = duckdb.connect()
    con.execute("set enable_progress_bar = false")  # it would print to stdout
    folder = tempfile.TemporaryDirectory(prefix="cr-csv-")
    try:
        try:
            parts = _copy_for_duckdb(fh, encoding, delimiter, Path(folder.name))
        except OSError:
            return None
        if parts is None:
            return None
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in cols) + "}"
        batches, n_rows, n_cells = [], 0, 0
        for part in parts:  # a part at a time: memory stays bounded
            table = con.sql(f"""select * from read_csv('{_sql_text(str(part))}', header = false, auto_detect = false,
                delim = '{_sql_text(delimiter)}', quote = '"', escape = '"', null_padding = true, parallel = false,
                nullstr = chr(0), strict_mode = true, encoding = 'utf-8', max_line_size = 16777216,
                columns = {columns})""").to_arrow_table()
            part.unlink()
            for batch in table.to_batches():
                valid = [pc.is_valid(batch.column(c)) for c in cols]
                width = pc.cast(valid[0], pa.int32())
                for v in valid[1:]:
                    width = pc.add(width, pc.cast(v, pa.int32()))
                blank = pc.fill_null(pc.and_(pc.equal(width, 1), pc.equal(batch.column("c1"), _BLANK_LINE.decode())), False)
                longest = max((pc.max(pc.utf8_length(batch.column(c))).as_py() or 0) for c in cols)
                marks = sum(pc.sum(pc.match_substring(batch.column(c), _BLANK_LINE.decode())).as_py() or 0 for c in cols)
                n_rows, n_cells = n_rows + batch.num_rows, n_cells + (pc.sum(width).as_py() or 0)
                if n_rows > limits.max_rows_per_sheet or n_cells > limits.max_cells_per_file or longest > limits.max_csv_field_chars:
                    return None  # the csv module's reader reports it, with the line
                if marks != pc.sum(blank).as_py():
                    return None  # a blank line inside a quoted field
                arrays = {c: _trimmed(pc.if_else(blank, pa.scalar(None, pa.string()), batch.column(c)) if c == "c1"
                                      else batch.column(c)) for c in cols}
                arrays["width"] = pc.if_else(blank, pa.scalar(0, pa.int32()), width)
                batches.append(arrays)
            del table
    except (duckdb.Error, pa.ArrowException):  # DuckDB refused the file (errors may arrive through Arrow)
        return None
    finally:
        con.close()
        folder.cleanup()
    if n_rows == 0:
        return None
    return Sheet(name="", columns=pa.table({name: _chunked([b[name] for b in batches]) for name in cols + ["width"]}))


def _sql_text(text: str) -> str:
    return text.replace("'", "''")


def _chunked(chunks: list[pa.Array]) -> pa.ChunkedArray:
    if len({c.type for c in chunks}) > 1:  # plain in some batches, dictionary in others
        chunks = [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in chunks]
    return pa.chunked_array(chunks)


def _trimmed(values: pa.Array) -> pa.Array:
    """Cells stripped as str.strip() strips them (Arrow's trim, given the same characters:
    much faster than DuckDB's trim with a character list), repeated values dictionary-encoded."""
    values = _compact(values)
    if pa.types.is_dictionary(values.type):  # trim each distinct value once
        return pa.DictionaryArray.from_arrays(values.indices, pc.utf8_trim(values.dictionary, characters=_PY_WHITESPACE))
    return pc.utf8_trim(values, characters=_PY_WHITESPACE)


def _read_csv_rows(text, delimiter: str, limits: ReadLimits) -> Sheet:
    # The limit is the csv module's, process-wide: raising it only makes other readers more
    # permissive, and every CSV read here sets it to the configured value first.
    csv.field_size_limit(limits.max_csv_field_chars)
    reader = csv.reader(text, delimiter=delimiter)
    rows = _RowCollector(bulk_min_rows())
    append = rows.append
    # Returns repeat the same few values (offences, nationalities, counts) on every row:
    # one str object per distinct value instead of one per cell. Bounded, so a column of
    # unique references cannot grow it without end.
    seen: dict[str, str] = {}
    canonical = seen.setdefault
    max_rows, max_cells = limits.max_rows_per_sheet, limits.max_cells_per_file
    cells = 0
    n = 0
    try:
        for row in reader:
            cells += len(row)
            n += 1
            if n > max_rows:
                raise over_limit("has more than", f"{max_rows:,} rows", f"{max_rows:,}-row", "max_rows_per_sheet")
            if cells > max_cells:
                raise over_limit("has more than", f"{max_cells:,} cells", f"{max_cells:,}-cell", "max_cells_per_file")
            append([canonical(s, s) for s in map(str.strip, row)])
            if len(seen) > 50_000:
                seen.clear()
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise ReadError(
                f"line {reader.line_num:,}: a field is longer than {limits.max_csv_field_chars:,} characters, over "
                f"the limit on {LIMIT_NAMES['max_csv_field_chars']} (often a quote that is never closed; raise "
                f"{env_var('max_csv_field_chars')} to read it): expected a CSV file with balanced quotes"
            ) from exc
        raise ReadError(f"line {reader.line_num:,}: malformed CSV ({exc})") from exc
    return rows.sheet("")


# --------------------------------------------------------------------- XLSX, XLS, ODS


def cell_text(value: object) -> str:
    """The text a person sees in the cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value).strip()


def read_xlsx(path: Path, limits: ReadLimits | None = None, prescan: XlsxPrescan | None = None) -> Workbook:
    """The sheets of an .xlsx, once it has passed check_xlsx (here, or in `prescan`'s
    process when it was given the file and the same limits)."""
    limits = limits or ReadLimits.from_env()
    _check_file_size(path, limits)
    if prescan is not None and prescan.limits == limits:
        prescan.wait(path)
    else:
        check_xlsx(path, limits)
    return _read_workbook(path, ".xlsx", limits)


def read_xls(path: Path, limits: ReadLimits | None = None) -> Workbook:
    """The sheets of an Excel 97-2003 workbook (.xls), once it has passed check_xls."""
    limits = limits or ReadLimits.from_env()
    _check_file_size(path, limits)
    check_xls(path, limits)
    return _read_workbook(path, ".xls", limits)


def read_ods(path: Path, limits: ReadLimits | None = None) -> Workbook:
    """The sheets of an OpenDocument spreadsheet (.ods), once it has passed check_ods."""
    limits = limits or ReadLimits.from_env()
    _check_file_size(path, limits)
    check_ods(path, limits)
    return _read_workbook(path, ".ods", limits)


@contextlib.contextmanager
def _named_for_calamine(path: Path, suffix: str):
    """The path calamine is to open: the file itself, or a link to it named with the
    lower-case suffix. calamine picks its reader by the suffix, and when that is not one
    it knows (.XLS) it tries every reader in turn: an .xlsx named .XLS would then be read
    without the checks made for an .xlsx."""
    if path.suffix == suffix:
        yield str(path)
        return
    with tempfile.TemporaryDirectory(prefix="cr-book-") as folder:
        link = Path(folder) / f"workbook{suffix}"
        link.symlink_to(path.absolute())
        yield str(link)


def _read_workbook(path: Path, suffix: str, limits: ReadLimits) -> Workbook:
    """The sheets of a workbook that has passed the check of its format."""
    kind = suffix.lstrip(".").upper()
    sheets = []
    cells = 0
    try:
        # calamine parses the next sheet (releasing the GIL) while this thread turns the
        # previous one into text: on two cores, big sheets read faster (an .xls or .ods is
        # parsed whole when opened: there the thread only copies)
        with _named_for_calamine(path, suffix) as calamine_path, \
                CalamineWorkbook.from_path(calamine_path) as workbook, \
                _no_cyclic_gc(), ThreadPoolExecutor(1, thread_name_prefix="calamine") as calamine:
            names = workbook.sheet_names
            parsing = [calamine.submit(workbook.get_sheet_by_name, names[0])] if names else []
            for k, name in enumerate(names):
                sheet = parsing[k].result()
                if k + 1 < len(names):
                    parsing.append(calamine.submit(workbook.get_sheet_by_name, names[k + 1]))
                parsing[k] = None  # the parsed sheet is released once converted
                if sheet.end is not None and sheet.end[0] + 1 > bulk_min_rows():
                    big, cells = _sheet_columns(sheet, limits, cells)
                    sheets.append(Sheet(name=name, columns=big) if big.num_rows > bulk_min_rows()
                                  else Sheet(name=name, rows=_rows(big)))  # mostly blank rows, now cut off
                    continue
                rows, cells = _sheet_rows(sheet, limits, cells)
                sheets.append(rows.sheet(name))
    except ReadError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # calamine raises several error types, and Rust panics (not Exceptions)
        raise ReadError(f"could not be read as an {kind} workbook ({exc}): expected a valid {suffix} file") from exc
    return Workbook(sheets=sheets)


def _sheet_rows(sheet, limits: ReadLimits, cells: int) -> tuple[_RowCollector, int]:
    """The sheet's rows from row 1, as text, without the blank rows at its end.

    iter_rows() yields the rows above the used range as empty rows, but not the columns to
    its left: a sheet whose first cell is C5 yields rows of the width of C:..., so the
    missing columns are put back to keep every cell in its spreadsheet column."""
    start = sheet.start
    rows = _RowCollector(bulk_min_rows())
    if start is None:  # no cells at all
        return rows, cells
    pad = [""] * start[1]
    blank_run = 0  # blank rows seen since the last row with text, not yet kept
    max_rows, max_cells = limits.max_rows_per_sheet, limits.max_cells_per_file
    for values in sheet.iter_rows():
        # str and float are nearly every cell: handled inline, the rest by cell_text
        texts = [v.strip() if type(v) is str else (str(int(v)) if v.is_integer() else repr(v))
                 if type(v) is float else cell_text(v) for v in values]
        if not any(texts):
            blank_run += 1
            continue
        if rows.count + blank_run + 1 > max_rows:
            raise over_limit("a sheet has more than", f"{max_rows:,} rows", f"{max_rows:,}-row", "max_rows_per_sheet")
        width = len(pad) + len(texts)
        cells += width * (blank_run + 1)
        if cells > max_cells:
            raise over_limit("has more than", f"{max_cells:,} cells", f"{max_cells:,}-cell", "max_cells_per_file")
        rows.extend_blank(width, blank_run)
        blank_run = 0
        rows.append(pad + texts if pad else texts)
    return rows, cells


def _sheet_columns(sheet, limits: ReadLimits, cells: int) -> tuple[pa.Table, int]:
    """What _sheet_rows gives, for a big sheet: the cells converted a column at a time by
    Arrow (a column of text, of whole numbers or of dates costs a few C loops instead of a
    Python call per cell), the blank rows at the end cut off. The rows limit holds already:
    calamine's range ends at the last cell with a value, which the scan of the worksheet
    XML (xlsx_scan.check_xlsx) found within it."""
    pad = sheet.start[1]
    batches: list[dict[str, pa.Array]] = []
    rows = sheet.iter_rows()
    while block := list(islice(rows, _BATCH_ROWS)):
        blank = pa.array([""] * len(block), pa.string()).dictionary_encode()
        columns = [blank] * pad + [_compact(_column_text(col)) for col in zip_longest(*block, fillvalue=None)]
        batch = {f"c{i}": col for i, col in enumerate(columns, start=1)}
        batch["width"] = pa.array([pad + len(r) for r in block], pa.int32())
        batches.append(batch)
    names = [f"c{i}" for i in range(1, max(len(b) for b in batches))] + ["width"]
    table = pa.table({name: _chunked([b.get(name, pa.nulls(len(b["width"]), pa.string())) for b in batches])
                      for name in names})
    filled = None
    for name in names[:-1]:
        has = pc.fill_null(pc.not_equal(table.column(name), ""), False)
        filled = has if filled is None else pc.or_(filled, has)
    last = pc.max(pc.indices_nonzero(filled)).as_py() if filled is not None else None
    table = table.slice(0, 0 if last is None else last + 1)  # the blank rows at the end are not kept
    cells += pc.sum(table.column("width")).as_py() or 0
    if cells > limits.max_cells_per_file:
        raise over_limit("has more than", f"{limits.max_cells_per_file:,} cells", f"{limits.max_cells_per_file:,}-cell",
                         "max_cells_per_file")
    return table, cells


def _rows(table: pa.Table) -> list[list[str]]:
    columns = table.to_pydict()
    widths = columns.pop("width")
    cells = list(columns.values())
    return [[col[k] or "" for col in cells[:w]] for k, w in enumerate(widths)]


def _column_text(values: tuple) -> pa.Array:
    """cell_text of every value of a column (None past the end of a shorter row): at C speed
    for a column of text, of whole numbers or of dates (blank cells allowed), one cell at a
    time otherwise."""
    kinds = set(map(type, values)) - {type(None)}
    if kinds <= {str}:
        return pc.utf8_trim(pa.array(values, pa.string()), characters=_PY_WHITESPACE)
    if len(kinds) == 1 or _blank_text_only(values, kinds):
        if kinds - {str} == {float}:
            numbers = pa.array([None if type(v) is str else v for v in values], pa.float64())
            whole = pc.fill_null(pc.and_(pc.equal(numbers, pc.floor(numbers)), pc.less(pc.abs(numbers), 2.0 ** 62)), True)
            if pc.all(whole).as_py():  # str(int(v)) for each: exact for whole floats below 2**62
                return _blanks_back(pc.cast(pc.cast(numbers, pa.int64()), pa.string()), values)
        elif kinds - {str} == {dt.date}:
            dates = pa.array([None if type(v) is str else v for v in values], pa.date32())
            return _blanks_back(pc.cast(dates, pa.string()), values)
    return pa.array([None if v is None else v.strip() if type(v) is str else cell_text(v) for v in values], pa.string())


def _blank_text_only(values: tuple, kinds: set) -> bool:
    """The column's text cells, if any, are all blank (''): a column of numbers or dates."""
    return str in kinds and len(kinds) == 2 and values.count("") == sum(1 for v in values if type(v) is str)


def _blanks_back(text: pa.Array, values: tuple) -> pa.Array:
    """'' where the cell was blank, None past the end of a shorter row."""
    if None in values:
        return pa.array([None if v is None else t for v, t in zip(values, text.to_pylist())], pa.string())
    return pc.fill_null(text, "")
