"""The checks an .xls or an .ods passes before calamine reads it (check_xls, check_ods).

calamine reads every sheet of these formats as soon as it opens the file, each into a
dense rectangle from its first to its last cell with a value, and it trusts the sizes the
file declares. One number in cell (65535, 65535) of a 6 KB .xls made it ask for 137 GB,
and the Rust allocator aborted the process (not an exception); an .ods can repeat one
cell a million times across and down in a few bytes of XML, and calamine silently drops
cells beyond row 1,048,576 or column 16,384. So, as for an .xlsx (xlsx_scan), the file is
walked first, in Python, and refused when it is damaged or would exceed the limits.

.xls: the compound file (OLE2) is walked as calamine walks it: every sector it would read
must lie in the file, every chain must end, every size it reserves memory for must fit in
the file. Then the records of the Workbook stream: a password (FilePass), the number of
shared strings, each sheet's DIMENSIONS and the row and column of every cell record, and
the EOF record that ends each part (without it the file is cut off).

.ods: a zip, checked as an .xlsx is (parts, declared and inflated size, compression
ratio, every part inflated with its CRC checked); then its mimetype, encryption, and
content.xml scanned as a stream for the extent of each sheet's cells, repeats included.
"""

from __future__ import annotations

import re
import struct
import zipfile
from pyexpat import ExpatError, ParserCreate

from .limits import MB, ReadError, ReadLimits, format_mb, over_limit
from .xlsx_scan import _OLE2_MAGIC, _check_ratio, _check_size_and_ratio, _column_letters

# ------------------------------------------------------------------------------ XLS

_ENDOFCHAIN = 0xFFFFFFFE
_MARKERS = 0xFFFFFFFA  # sector ids from here up mark ends and free sectors, not sectors
_DIFSECT = 0xFFFFFFFC
_MINI_CUTOFF = 4096  # streams shorter than this live in the mini stream
# Records calamine turns into cells (row and column are the first two u16 of each)
_CELL_RECORDS = {0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD, 0x00D6}
_MULRK, _DIMENSIONS, _EOF, _FILEPASS = 0x00BD, 0x0200, 0x000A, 0x002F
_BOUNDSHEET, _SST, _CONTINUE = 0x0085, 0x00FC, 0x003C


def _xls_error(detail: str, expected: str = "a valid .xls file") -> ReadError:
    return ReadError(f"could not be read as an XLS workbook: {detail}: expected {expected}")


def _cut_off(detail: str) -> ReadError:
    return _xls_error(f"cut off ({detail})", "a complete .xls file")


def _not_ole2(head: bytes) -> ReadError:
    if head.startswith(b"PK\x03\x04"):
        what = "a zip file (an .xlsx or .ods named .xls?)"
    elif head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
        what = "an HTML or XML page (a web export named .xls?)"
    else:
        what = f"it starts with bytes {head[:8].hex(' ')}"
    return _xls_error(f"not an Excel 97-2003 file: {what}", "an .xls file as Excel saves it (or save it as .xlsx)")


def _u32s(data: bytes) -> list[int]:
    return list(struct.unpack(f"<{len(data) // 4}I", data[:len(data) // 4 * 4]))


class _Cfb:
    """The compound file of an .xls, as calamine reads it (cfb.rs): the header, the DIFAT
    and FAT, the directory, the mini stream and its FAT. Every sector id is checked before
    it is used (calamine grows its buffer to any id it is given), no chain may visit a
    sector twice (calamine follows a loop for ever) and every stream must be as long as
    its directory entry says (calamine returns what it found, the rest silently missing)."""

    def __init__(self, data: bytes):
        if len(data) < 512:
            if not data.startswith(_OLE2_MAGIC[:len(data)]):
                raise _not_ole2(data)
            raise _cut_off(f"{len(data):,} bytes, less than the 512-byte header")
        if not data.startswith(_OLE2_MAGIC):
            raise _not_ole2(data)
        shift, mini_shift = struct.unpack_from("<HH", data, 30)
        if shift not in (9, 12) or mini_shift != 6:
            raise _xls_error(f"its header gives sector sizes 2^{shift} and 2^{mini_shift} "
                             "(2^9 or 2^12, and 2^6, in an .xls)")
        self.data = data
        self.size = 1 << shift
        self.n = -(-max(0, len(data) - self.size) // self.size)  # sectors after the header (the last may be short)
        dir_len, fat_len, dir_start = struct.unpack_from("<III", data, 40)
        mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
        for name, count in (("FAT", fat_len), ("directory", dir_len), ("mini FAT", mini_fat_len)):
            if count > self.n:
                raise _cut_off(f"its header counts {count:,} sectors of {name}; the file holds {self.n:,} sectors")
        # calamine reserves room for as many DIFAT entries as the 4 bytes at offset 62 say
        # (a misreading of the header: harmless in files as written, up to 16 GB if crafted)
        if struct.unpack_from("<I", data, 62)[0] > 1 << 26:
            raise _xls_error("its header is damaged (bytes 62-65 out of range)")

        difat = _u32s(data[76:512])
        seen = set()
        sector_id = difat_start
        while sector_id < _MARKERS:
            if sector_id in seen:
                raise _xls_error("the chain of sectors of the DIFAT loops")
            seen.add(sector_id)
            difat.extend(_u32s(self.sector(sector_id, "DIFAT")))
            sector_id = difat.pop()
        self.fat: list[int] = []
        for sector_id in difat:
            if sector_id < _DIFSECT:
                self.fat.extend(_u32s(self.sector(sector_id, "FAT")))

        directory = self.chain(dir_start, self.fat, self.sector, dir_len * self.size, "directory")
        if len(directory) % 128:  # entries of 128 bytes: the file ends inside its directory
            raise _cut_off(f"its directory ends inside an entry ({len(directory):,} bytes)")
        self.entries = []  # (name, first sector, size)
        for at in range(0, len(directory) - 127, 128):
            name = directory[at:at + 64].decode("utf-16-le", errors="replace").split("\x00")[0]
            start = struct.unpack_from("<I", directory, at + 116)[0]
            size = struct.unpack_from("<I" if self.size == 512 else "<Q", directory, at + 120)[0]
            self.entries.append((name, start, size))
        if not self.entries:
            raise _xls_error("its directory is empty")
        self.mini = b""
        self.mini_fat: list[int] = []
        if mini_fat_len > 0:
            _, root_start, root_size = self.entries[0]
            self.mini = self.chain(root_start, self.fat, self.sector, root_size, "mini stream")
            mini_fat = self.chain(mini_fat_start, self.fat, self.sector, mini_fat_len * self.size, "mini FAT")
            self.mini_fat = _u32s(mini_fat)

    def sector(self, sector_id: int, what: str) -> bytes:
        if sector_id >= self.n:
            raise _cut_off(f"the {what} refers to sector {sector_id:,}; the file holds {self.n:,}")
        at = (sector_id + 1) * self.size
        return self.data[at:at + self.size]

    def mini_sector(self, sector_id: int, what: str) -> bytes:
        if (sector_id + 1) * 64 > len(self.mini):
            raise _cut_off(f"the {what} refers to mini sector {sector_id:,}; "
                           f"the mini stream holds {len(self.mini) // 64:,}")
        return self.mini[sector_id * 64:(sector_id + 1) * 64]

    def chain(self, sector_id: int, fat: list[int], read, size: int, what: str) -> bytes:
        if size > len(self.data):
            raise _cut_off(f"the {what} is declared {size:,} bytes long, more than the file's {len(self.data):,}")
        parts = []
        seen = set()
        while sector_id != _ENDOFCHAIN:
            if sector_id in seen:
                raise _xls_error(f"the chain of sectors of the {what} loops")
            seen.add(sector_id)
            parts.append(read(sector_id, what))
            if sector_id >= len(fat):
                raise _xls_error(f"the {what} refers to sector {sector_id:,}, "
                                 "which its allocation table does not cover")
            sector_id = fat[sector_id]
        data = b"".join(parts)
        if len(data) < size:
            raise _cut_off(f"the {what} is declared {size:,} bytes long; its sectors hold {len(data):,}")
        return data[:size] if size > 0 else data

    def stream(self, name: str) -> bytes | None:
        """The named stream, as calamine's get_stream finds it (the first entry of that name)."""
        for entry, start, size in self.entries:
            if entry == name:
                if size < _MINI_CUTOFF:
                    return self.chain(start, self.mini_fat, self.mini_sector, size, f"'{name}' stream")
                return self.chain(start, self.fat, self.sector, size, f"'{name}' stream")
        return None


def _records(stream: bytes, pos: int, part: str):
    """(type, start, end) of each BIFF record from `pos`, as calamine's RecordIter reads them."""
    end = len(stream)
    while pos < end:
        if pos + 4 > end:
            raise _cut_off(f"{part} ends inside a record header")
        typ, length = struct.unpack_from("<HH", stream, pos)
        if pos + 4 + length > end:
            raise _cut_off(f"{part} ends inside a record")
        yield typ, pos + 4, pos + 4 + length
        pos += 4 + length


def _sheet_name(body: bytes, index: int) -> str:
    """The name in a BoundSheet record (BIFF8: a length, a flags byte, Latin-1 or UTF-16)."""
    if len(body) >= 8:
        cch, flags = body[6], body[7]
        raw = body[8:8 + cch * (2 if flags & 1 else 1)]
        name = raw.decode("utf-16-le" if flags & 1 else "latin-1", errors="replace").replace("\x00", "")
        if name.isprintable() and name:
            return name
    return f"sheet {index}"


def check_xls(path, limits: ReadLimits) -> None:
    """Refuse an .xls before calamine opens it when it is not an OLE2 workbook, is
    damaged or cut off, is password-protected, or holds sheets whose cells span more rows
    or cells than the limits allow (counted from A1, as for an .xlsx)."""
    try:
        data = path.read_bytes()  # calamine holds the whole file too; the size limit applies first
    except OSError as exc:
        raise ReadError(f"could not be opened ({exc.strerror or exc}): expected a readable file") from exc
    cfb = _Cfb(data)
    stream = cfb.stream("Workbook")
    if stream is None:
        stream = cfb.stream("Book")
    if stream is None:
        raise _xls_error("an OLE2 file without a Workbook stream (a Word document or another Office file named .xls?)",
                         "an Excel 97-2003 workbook")

    sheets = []
    records = _records(stream, 0, "the workbook")
    for typ, start, end in records:
        body = stream[start:end]
        if typ == _FILEPASS:
            raise _xls_error("the workbook is password-protected", "an unprotected .xls file")
        if typ == _BOUNDSHEET and len(body) >= 4:
            sheets.append((_sheet_name(body, len(sheets) + 1), struct.unpack_from("<I", body)[0]))
        elif typ == _SST and len(body) >= 8:
            count = struct.unpack_from("<i", body, 4)[0]
            room = len(body) - 8
            for typ2, start2, end2 in _records(stream, end, "the workbook"):
                if typ2 != _CONTINUE:
                    break
                room += end2 - start2
            if not 0 <= count <= room // 3:  # a string takes 3 bytes at least; calamine reserves `count` at once
                raise _xls_error(f"it declares {count:,} shared strings in {room:,} bytes")
        elif typ == _EOF:
            break
    else:
        raise _cut_off("the workbook part has no EOF record")

    cells = 0
    for name, pos in sheets:
        if pos > len(stream):
            raise _cut_off(f"sheet '{name}' starts at byte {pos:,} of a {len(stream):,}-byte stream")
        last_row, last_col = _sheet_extent(stream, pos, name, limits)
        cells = _check_extent(f"sheet '{name}'", last_row, last_col, cells, limits)


_HEADER = struct.Struct("<HH").unpack_from  # a record's type and length; a cell's row and column
_RECORD_AND_CELL = struct.Struct("<HHHH").unpack_from


def _sheet_extent(stream: bytes, pos: int, name: str, limits: ReadLimits) -> tuple[int, int]:
    """The last row and column (0-based) of the cell records of the sheet that starts at
    `pos`, up to its EOF record; its DIMENSIONS record checked on the way. A loop of its
    own rather than _records: a sheet has a record per cell."""
    end = len(stream)
    header, record_and_cell, cell_records = _HEADER, _RECORD_AND_CELL, _CELL_RECORDS
    last_row = last_col = -1
    while pos + 4 <= end:
        if pos + 8 <= end:  # type, length, and (for a cell record) row and column in one call
            typ, length, row, col = record_and_cell(stream, pos)
        else:
            typ, length = header(stream, pos)
        start, pos = pos + 4, pos + 4 + length
        if pos > end:
            raise _cut_off(f"sheet '{name}' ends inside a record")
        if typ in cell_records:
            if length >= 4:
                if row > last_row:
                    last_row = row
                if col > last_col:
                    last_col = col
        elif typ == _EOF:
            return last_row, last_col
        elif typ == _MULRK and length >= 6:
            row, first = header(stream, start)
            col = max(first + (length - 6) // 6 - 1, struct.unpack_from("<H", stream, pos - 2)[0])
            last_row, last_col = max(last_row, row), max(last_col, col)
        elif typ == _DIMENSIONS and length in (10, 14):
            _check_dimensions(name, stream[start:pos], limits)
    raise _cut_off(f"sheet '{name}' has no EOF record")


def _check_dimensions(name: str, body: bytes, limits: ReadLimits) -> None:
    """calamine reserves room for every cell of the range a sheet's DIMENSIONS record
    declares (first row, last row + 1, first column, last column + 1)."""
    if len(body) == 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", body)
    else:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", body)
    if end_row < 1 or end_col < 1:
        return
    if end_row <= first_row or end_col <= first_col:
        raise _xls_error(f"sheet '{name}' declares its cells from row {first_row + 1:,} to row {end_row:,} "
                         f"and from column {first_col + 1:,} to column {end_col:,}")
    _check_extent(f"sheet '{name}' (its DIMENSIONS record)", end_row - 1, end_col - 1, 0, limits)


def _check_extent(what: str, last_row: int, last_col: int, cells_before: int, limits: ReadLimits) -> int:
    """The cells from A1 to (last_row, last_col), 0-based, added to the cells of the sheets
    before; a ReadError when the rows or the cells are over the limits."""
    if last_row + 1 > limits.max_rows_per_sheet:
        raise over_limit(f"{what} has cells down to", f"row {last_row + 1:,}", f"{limits.max_rows_per_sheet:,}-row",
                         "max_rows_per_sheet")
    cells = cells_before + (last_row + 1) * (last_col + 1)
    if cells > limits.max_cells_per_file:
        span = f"A1:{_column_letters(last_col)}{last_row + 1}"
        if cells_before:
            span += f" (with the sheets before it, more than {limits.max_cells_per_file:,} cells)"
        raise over_limit(f"{what} spans", span, f"{limits.max_cells_per_file:,}-cell", "max_cells_per_file")
    return cells


# ------------------------------------------------------------------------------ ODS

_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_XML_CHUNK = 4 << 20
# What calamine reads of an .ods at most: cells beyond are dropped without a word
_ODS_MAX_ROWS, _ODS_MAX_COLS = 1_048_576, 16_384
# A cell holds a value when it has one of these attributes, or any content
_VALUE_ATTRS = {"value-type", "value", "date-value", "time-value", "boolean-value", "string-value", "formula"}
_COUNT = re.compile(r"\s*\+?(\d{1,12})\s*")


def _ods_error(detail: object, expected: str = "a valid .ods file") -> ReadError:
    return ReadError(f"could not be read as an ODS workbook: {detail}: expected {expected}")


def check_ods(path, limits: ReadLimits) -> None:
    """Refuse an .ods before calamine opens it when it is not an OpenDocument spreadsheet
    (zip), is a zip bomb, damaged or cut off, is password-protected, or holds sheets whose
    cells (repeats counted) span more rows or cells than the limits allow or lie beyond
    the rows and columns calamine reads."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise ReadError(f"could not be opened ({exc.strerror or exc}): expected a readable file") from exc
    try:
        zf = zipfile.ZipFile(path)
    except Exception as exc:  # BadZipFile, and struct/value/overflow errors on crafted headers
        if head.startswith(b"PK\x03\x04"):
            raise _ods_error(f"cut off: it starts as a zip file but its zip directory is missing ({exc})",
                             "a complete .ods file") from exc
        if head.startswith(_OLE2_MAGIC):
            raise _ods_error("an OLE2 file: an .xls named .ods, or a password-protected workbook",
                             "an unprotected .ods file") from exc
        raise _ods_error(f"not a zip file ({exc})") from exc
    with zf:
        members = zf.infolist()
        if len(members) > limits.max_zip_members:
            raise over_limit("the .ods has", f"{len(members):,} parts", f"{limits.max_zip_members:,}-part",
                             "max_zip_members")
        names = [m.filename for m in members]
        if len(set(names)) != len(names):  # readers disagree on which of two same-named parts counts
            raise _ods_error("two parts of the zip have the same name")
        _check_size_and_ratio("the .ods", sum(m.file_size for m in members), sum(m.compress_size for m in members),
                              limits)
        for m in members:
            _check_ratio(f"part '{m.filename}' of the .ods", m.file_size, m.compress_size, limits)
        if "mimetype" not in names or "content.xml" not in names:
            missing = "mimetype" if "mimetype" not in names else "content.xml"
            raise _ods_error(f"no '{missing}' part", "an OpenDocument spreadsheet (.ods)")
        try:
            if zf.getinfo("mimetype").file_size > 200:
                raise _ods_error("its 'mimetype' part is not a media type", "an OpenDocument spreadsheet (.ods)")
            mimetype = zf.read("mimetype")
            manifest = b""
            if "META-INF/manifest.xml" in names:
                with zf.open("META-INF/manifest.xml") as fh:
                    manifest = fh.read(4 * MB)
        except ReadError:
            raise
        except Exception as exc:  # bad CRC, truncated data, unsupported compression
            detail = str(exc) or exc.__class__.__name__
            raise _ods_error(f"part 'mimetype' or 'META-INF/manifest.xml': {detail}") from exc
        if mimetype[:len(_ODS_MIMETYPE)] != _ODS_MIMETYPE or mimetype[len(_ODS_MIMETYPE):].strip():
            shown = mimetype.decode("ascii", errors="replace").strip()
            raise _ods_error(f"its media type is '{shown}', not an OpenDocument spreadsheet", "an .ods spreadsheet")
        if b"encryption-data" in manifest:
            raise _ods_error("the workbook is password-protected", "an unprotected .ods file")
        inflated = 0
        for m in members:
            if m.is_dir():
                continue
            extent = _OdsExtent(limits) if m.filename == "content.xml" else None
            try:
                with zf.open(m) as member:
                    while chunk := member.read(_XML_CHUNK):
                        inflated += len(chunk)
                        if inflated > limits.max_uncompressed_bytes:
                            raise over_limit("the .ods inflates to more than", format_mb(limits.max_uncompressed_bytes),
                                             format_mb(limits.max_uncompressed_bytes), "max_uncompressed_bytes")
                        if extent:
                            extent.feed(chunk)
                    if extent:
                        extent.feed(b"", final=True)
            except ReadError:
                raise
            except ExpatError as exc:
                raise _ods_error(f"its content.xml is not well-formed XML ({exc})") from exc
            except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
                raise _ods_error(exc, "an unprotected .ods file") from exc
            except Exception as exc:  # bad CRC, truncated data, unsupported compression
                raise _ods_error(f"part '{m.filename}': {str(exc) or exc.__class__.__name__}") from exc


# What an element or attribute is, by its name without its prefix ('table:table-row' ->
# 'table-row'): names are matched whatever their prefix, so that no spelling of a row or
# a cell goes uncounted.
_TABLE, _ROW, _CELL = 1, 2, 3
_ELEMENTS = {"table": _TABLE, "table-row": _ROW, "table-cell": _CELL, "covered-table-cell": _CELL}
_NAME, _ROWS_REPEATED, _COLUMNS_REPEATED, _VALUE = 1, 2, 3, 4
_ATTRIBUTES = {"name": _NAME, "number-rows-repeated": _ROWS_REPEATED, "number-columns-repeated": _COLUMNS_REPEATED,
               **{a: _VALUE for a in _VALUE_ATTRS}}


class _Kinds(dict):
    """name -> what it is (0: nothing counted), looked up once per distinct name."""

    def __init__(self, kinds: dict[str, int]):
        super().__init__()
        self.kinds = kinds

    def __missing__(self, name: str) -> int:
        if len(self) > 10_000:  # names made up by the thousand: keep the cache small
            self.clear()
        kind = self[name] = self.kinds.get(name.rpartition(":")[2], 0)
        return kind


def _count(value: str) -> int:
    m = _COUNT.fullmatch(value)
    return max(int(m[1]), 1) if m else 1


class _Table:
    def __init__(self, name: str):
        self.name = name
        self.row = 0  # 0-based index of the next row
        self.row_repeat = 1
        self.row_valued = False
        self.col = 0  # 0-based index of the next cell in the row
        self.last_row = self.last_col = -1


class _OdsExtent:
    """content.xml, parsed as a stream (expat, no tree): the extent of each table's cells
    with a value (a value attribute, or any element inside the cell: text directly in a
    cell is not ODF and not read), rows and columns repeated as often as the file says."""

    def __init__(self, limits: ReadLimits):
        self.limits = limits
        self.cells = 0
        self.tables: list[_Table] = []
        self.open_cells: list[list] = []  # [table, first column, repeat, has a value]
        self.elements, self.attributes = _Kinds(_ELEMENTS), _Kinds(_ATTRIBUTES)
        parser = ParserCreate()  # names as written, prefix and all
        parser.StartElementHandler = self.start
        parser.EndElementHandler = self.end
        parser.StartDoctypeDeclHandler = self.doctype
        self.parser = parser

    def feed(self, data: bytes, final: bool = False) -> None:
        self.parser.Parse(data, final)

    def doctype(self, *args) -> None:
        raise _ods_error("its content.xml declares a DTD")

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.open_cells:
            self.open_cells[-1][3] = True  # any element inside a cell is content
        kind = self.elements[name]
        if not kind:
            return
        if kind == _TABLE:
            label = [v for k, v in attrs.items() if self.attributes[k] == _NAME]
            self.tables.append(_Table(label[0] if label else f"table {len(self.tables) + 1}"))
            return
        if not self.tables:
            return
        table = self.tables[-1]
        repeat, valued = 1, False
        for k, v in attrs.items():
            what = self.attributes[k]
            if what == _VALUE:
                valued = True
            elif what == (_COLUMNS_REPEATED if kind == _CELL else _ROWS_REPEATED):
                repeat = max(repeat, _count(v))
        if kind == _ROW:
            table.row_repeat, table.row_valued, table.col = repeat, False, 0
        else:
            self.open_cells.append([table, table.col, repeat, valued])
            table.col += repeat

    def end(self, name: str) -> None:
        kind = self.elements[name]
        if kind == _CELL and self.open_cells:
            table, col, repeat, valued = self.open_cells.pop()
            if valued:
                table.last_col = max(table.last_col, col + repeat - 1)
                table.row_valued = True
        elif kind == _ROW and self.tables:
            table = self.tables[-1]
            if table.row_valued:
                table.last_row = table.row + table.row_repeat - 1
                self._check(table, self.cells)
            table.row += table.row_repeat
        elif kind == _TABLE and self.tables:
            table = self.tables.pop()
            self.cells = self._check(table, self.cells)

    def _check(self, table: _Table, cells_before: int) -> int:
        if table.last_row < 0 or table.last_col < 0:
            return cells_before
        if table.last_row >= _ODS_MAX_ROWS or table.last_col >= _ODS_MAX_COLS:
            raise _ods_error(f"sheet '{table.name}' has cells beyond row {_ODS_MAX_ROWS:,} or column "
                             f"{_column_letters(_ODS_MAX_COLS - 1)}, which are not read",
                             f"a sheet within {_ODS_MAX_ROWS:,} rows and {_ODS_MAX_COLS:,} columns")
        return _check_extent(f"sheet '{table.name}'", table.last_row, table.last_col, cells_before, self.limits)
