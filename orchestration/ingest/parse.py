"""Turn one landing file into raw rows: every cell kept as text, every row classed, every
table described, or the whole return quarantined with a reason a person can act on.

A return profile (YAML beside the file, `<file>.profile.yaml`) settles what shape
detection cannot:

    sheet: "CR by nationality"     # only this sheet holds the table
    header_row: 4                  # 1-based row of the header
    columns: {"Crime Type": offence_text, "Qty": count}   # header text -> role
    period: "2022/23"              # the period when the table has no period column

A refusal is a file named `refusal.yaml` in the force's folder:

    section: "s12"                 # FOI Act section cited
    note: "Cost limit exceeded"
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bulk import REDACTED, BulkRows, BulkSheet
from .landing import LandingFile
from .limits import LimitsConfigError
from .readers import ReadError, Sheet, Workbook, read_return
from .shape import FIRST_HEADER_WITHIN, ROLE_PATTERNS, SUBJECT_ROLES, Table, classify_row, find_tables
from .xlsx_scan import XlsxPrescan

KNOWN_ROLES = {role for role, _ in ROLE_PATTERNS}
REFUSAL_FILE = "refusal.yaml"


@dataclass
class RawRow:
    sheet: str
    source_row: int
    table_index: int | None  # index into ParsedReturn.tables, None outside any table
    row_kind: str  # title | header | data | total | note | blank
    cells: list[str]


@dataclass
class ParsedReturn:
    landing: LandingFile
    status: str  # loaded | quarantined | refused
    reason: str | None = None
    file_format: str = ""
    encoding: str | None = None
    tables: list[Table] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    bulk: list[BulkRows] = field(default_factory=list)  # the rows of big sheets, as Arrow tables
    rows_read: int = 0
    profile: dict | None = None
    warnings: list[str] = field(default_factory=list)

    def all_rows(self):
        """(sheet, source_row, table index, row kind, cells) of every row, of small and big sheets."""
        for r in self.rows:
            yield r.sheet, r.source_row, r.table_index, r.row_kind, r.cells
        for b in self.bulk:
            d = b.to_pydict()
            yield from zip([b.sheet] * len(d["source_row"]), d["source_row"], d["table_id"], d["row_kind"], d["cells"])


def _quarantine(parsed: ParsedReturn, reason: str) -> ParsedReturn:
    """Never half-loaded: a quarantined return keeps its row count but no rows."""
    parsed.status, parsed.reason, parsed.tables, parsed.rows, parsed.bulk = "quarantined", reason, [], [], []
    return parsed


class ProfileError(ValueError):
    """A return profile or refusal file that cannot be used."""


def _read_yaml_mapping(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ProfileError(f"{path.name}: not readable as UTF-8 YAML ({exc.__class__.__name__}): expected "
                           "'key: value' lines, see README 'Adding returns'") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"{path.name}: is a {type(data).__name__}: expected a mapping of 'key: value' lines")
    return data


def load_profile(path: Path) -> dict | None:
    if not path.exists():
        return None
    profile = _read_yaml_mapping(path)
    columns = profile.get("columns") or {}
    if not isinstance(columns, dict):
        raise ProfileError(f"{path.name}: 'columns' is a {type(columns).__name__}: expected header text: role pairs")
    unknown = set(columns.values()) - KNOWN_ROLES
    if unknown:
        raise ProfileError(f"{path.name}: unknown column roles {sorted(unknown)}: expected some of {sorted(KNOWN_ROLES)}")
    return profile


def _apply_profile(table: Table, profile: dict) -> None:
    for header, role in (profile.get("columns") or {}).items():
        for idx, text in enumerate(table.headers, start=1):
            if text.strip().lower() == str(header).strip().lower():
                table.roles = {r: i for r, i in table.roles.items() if i != idx and r != role}
                table.roles[role] = idx
    if profile.get("period"):
        table.default_period = str(profile["period"])


def parse_refusal(landing: LandingFile) -> ParsedReturn:
    try:
        info = _read_yaml_mapping(landing.path)
    except ProfileError as exc:
        parsed = ParsedReturn(landing, status="quarantined", file_format="refusal")
        return _quarantine(parsed, f"{landing.source_file}: {exc}")
    section = str(info.get("section", "")).strip()
    note = str(info.get("note", "")).strip()
    return ParsedReturn(landing, status="refused", reason=f"{section}: {note}" if note else section, file_format="refusal")


def parse_return(landing: LandingFile, prescan: XlsxPrescan | None = None) -> ParsedReturn:
    if landing.path.name == REFUSAL_FILE:
        return parse_refusal(landing)
    parsed = ParsedReturn(landing, status="loaded", file_format=landing.path.suffix.lower().lstrip("."))
    if landing.path.is_symlink():
        return _quarantine(parsed, f"{landing.source_file}: a symbolic link (to {os.readlink(landing.path)}): links are "
                                   "not followed; copy the file itself into data/landing/<force-slug>/")
    if not landing.force_slug:
        return _quarantine(parsed, f"{landing.source_file}: not in a force folder: expected data/landing/<force-slug>/{landing.path.name}")
    if landing.size_bytes == 0:
        return _quarantine(parsed, f"{landing.source_file}: empty file (0 bytes): expected a CSV or XLSX return")
    try:
        parsed.profile = load_profile(landing.profile_path)
        workbook: Workbook = read_return(landing.path, prescan=prescan)
    except (ReadError, ProfileError) as exc:
        return _quarantine(parsed, f"{landing.source_file}: {exc}")
    except LimitsConfigError:
        raise  # a mistyped limit setting must fail the run, not quarantine every return
    except Exception as exc:  # a reader bug must not stop the other returns from loading
        return _quarantine(parsed, f"{landing.source_file}: unexpected {exc.__class__.__name__} while reading "
                                   f"({exc}): expected the reader to accept or refuse the file; please report this")
    parsed.encoding = workbook.encoding
    parsed.rows_read = sum(s.n_rows for s in workbook.sheets)
    profile = parsed.profile or {}

    problems = []
    for sheet in workbook.sheets:
        if sheet.columns is not None:
            _parse_big_sheet(parsed, sheet, profile, problems)
            continue
        if profile.get("sheet") and sheet.name != profile["sheet"]:
            tables = []
        else:
            tables = find_tables(sheet, forced_header_row=profile.get("header_row"))
        usable = _usable(tables, profile)
        if not usable and any(any(c.strip() for c in r) for r in sheet.rows):
            problems.append(_no_header(sheet.name))
        _classify_rows(parsed, sheet.name, sheet.rows, usable)

    if not parsed.tables:
        if parsed.rows_read == 0 or (all(r.row_kind == "blank" for r in parsed.rows)
                                     and not any(b.has_text for b in parsed.bulk)):
            return _quarantine(parsed, f"{landing.source_file}: no non-blank rows: expected a header row and data")
        detail = "; ".join(problems) or "no table found"
        return _quarantine(
            parsed,
            f"{landing.source_file}: {detail}: expected column names such as 'Offence', 'Nationality', "
            "'Outcome', 'Financial Year', 'Count' (add a return profile if the headers are unusual)",
        )
    return parsed


def _usable(tables: list[Table], profile: dict) -> list[Table]:
    for table in tables:
        _apply_profile(table, profile)
    return [t for t in tables if SUBJECT_ROLES & t.roles.keys() or (t.across_cols and t.roles)]


def _no_header(sheet: str) -> str:
    where = f"sheet '{sheet}': " if sheet else ""
    return f"{where}no header row with an offence, nationality or outcome column in the first {FIRST_HEADER_WITHIN:,} rows"


def _add_tables(parsed: ParsedReturn, sheet: str, tables: list[Table]) -> None:
    for table in tables:
        parsed.tables.append(table)
        if table.personal_data_cols:
            names = ", ".join(f"'{table.headers[c - 1]}'" for c in table.personal_data_cols)
            where = f"sheet '{sheet}' " if sheet else ""
            parsed.warnings.append(
                f"{parsed.landing.source_file}: {where}columns {names} look like personal data; "
                "their cells were redacted and are never published")


def _parse_big_sheet(parsed: ParsedReturn, sheet: Sheet, profile: dict, problems: list[str]) -> None:
    """The same as the row-by-row path below, with DuckDB doing the per-row work (bulk.py)."""
    big = BulkSheet(sheet.name, sheet.columns)
    try:
        if profile.get("sheet") and sheet.name != profile["sheet"]:
            tables = []
        else:
            tables = big.find_tables(forced_header_row=profile.get("header_row"))
        usable = _usable(tables, profile)
        if not usable and big.has_text():
            problems.append(_no_header(sheet.name))
        first_index = len(parsed.tables)
        _add_tables(parsed, sheet.name, usable)
        parsed.bulk.append(big.classify(usable, first_index))
    finally:
        big.close()
    sheet.columns = None  # held by the BulkRows now


def _classify_rows(parsed: ParsedReturn, sheet: str, rows: list[list[str]], tables: list[Table]) -> None:
    by_row: dict[int, int] = {}
    first_index = len(parsed.tables)
    _add_tables(parsed, sheet, tables)
    for k, table in enumerate(tables):
        for r in range(table.header_row, table.last_row + 1):
            by_row[r] = first_index + k
    after_blank = False  # a blank row since the current table's last data row
    for i, cells in enumerate(rows, start=1):
        table_index = by_row.get(i)
        if table_index is None:
            kind = "title" if any(c.strip() for c in cells) else "blank"
        elif parsed.tables[table_index].header_row == i:
            kind, after_blank = "header", False
        else:
            table = parsed.tables[table_index]
            kind = classify_row(cells, table, after_blank)
            after_blank = (after_blank or kind == "blank") and kind != "data"
            if table.personal_data_cols:  # keep the data minimal: never store what a force should have redacted
                cells = [REDACTED if c in table.personal_data_cols and cells[c - 1].strip() else v
                         for c, v in enumerate(cells, start=1)]
        parsed.rows.append(RawRow(sheet, i, table_index, kind, cells))
