"""Turn one landing file into raw rows: every cell kept as text, every row classed, every
table described, or the whole return quarantined with a reason a person can act on.

A return profile (YAML beside the file, `<file>.profile.yaml`) settles what shape
detection cannot:

    sheet: "CR by nationality"     # only this sheet holds the table
    header_row: 4                  # 1-based row of the header
    columns: {"Crime Type": offence_text, "Qty": count}   # header text -> role
    period: "2022/23"              # the period when the table has no period column
    across: nationality            # what unrecognised headings of columns across are
    record_level: true             # each row is one community resolution (numbers beside are not counts)
    pin_withheld: false            # the totals are rounded: never narrow withheld cells from them
    approved: "3f9c07b21e4a"       # the file's sha256 (12+ hex digits, quoted): a person checked the reading card
    supersedes: [old file.xlsx]    # this file replaces those files of the same force (they are not counted)

A refusal is a file named `refusal.yaml` in the force's folder:

    section: "s12"                 # FOI Act section cited
    note: "Cost limit exceeded"
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .bulk import REDACTED, BulkRows, BulkSheet
from .landing import LandingFile
from .limits import LimitsConfigError
from .readers import ReadError, Sheet, Workbook, read_return
from .proof import prove
from .reading import PROFILE_SPAN, read_columns, read_table, subject
from .shape import FIRST_HEADER_WITHIN, ROLE_PATTERNS, SUBJECT_ROLES, Table, find_tables, period_in_title
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
    supersedes = profile.get("supersedes") or []
    if isinstance(supersedes, str):
        supersedes = [supersedes]
    if not isinstance(supersedes, list) or not all(isinstance(f, str) for f in supersedes):
        raise ProfileError(f"{path.name}: 'supersedes' is {supersedes!r}: expected a file name or a list of them")
    profile["supersedes"] = supersedes
    approved = profile.get("approved")
    if approved is not None and not (isinstance(approved, str) and re.fullmatch(r"[0-9a-fA-F]{12,64}", approved.strip())):
        raise ProfileError(f"{path.name}: 'approved' is {approved!r}: expected the file's sha256 (at least its first 12 "
                           "hex digits) in quotes, as the reading card shows it")
    return profile


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
        return _quarantine(parsed, f"{landing.source_file}: empty file (0 bytes): expected a return (delimited text or a workbook)")
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
        if sheet.columns is not None and _parse_big_sheet(parsed, sheet, profile, problems):
            continue
        if profile.get("sheet") and sheet.name != profile["sheet"]:
            tables = []
        else:
            tables = find_tables(sheet, forced_header_row=profile.get("header_row"))
        usable = _read(tables, sheet.rows, profile, _context(landing, sheet.name))
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
    _other_subjects(parsed)
    table_problems = [p for t in parsed.tables for p in t.problems]
    if table_problems:
        return _quarantine(parsed, f"{landing.source_file}: " + "; ".join(dict.fromkeys(table_problems)))
    _join_continued_lists(parsed)
    _period_from_file_name(parsed)
    _approve(parsed, profile)
    return parsed


def _period_from_file_name(parsed: ParsedReturn) -> None:
    """A table that names no period anywhere (no period or date column, none across, none
    in its title or sheet name) takes the one financial year its file's name names ('CR
    2021-22.csv'), as forces answering year by year name their files: without it, two such
    files would look like one population counted twice."""
    period = period_in_title(parsed.landing.path.stem.replace("_", " "))
    if period is None:
        return
    for t in parsed.tables:
        if (t.default_period is None and not {"period", "date"} & t.roles.keys()
                and "period" not in (t.across_role, t.across_role2)):
            t.default_period = period


def _join_continued_lists(parsed: ParsedReturn) -> None:
    """A record-level export longer than a sheet holds goes on in the next sheet under the
    same header: the sheets are parts of one list, never two tables of one population (which
    dbt would compare and refuse). Each later part becomes part of the first: its rows take
    the first's table id, and the first's sums and checks cover them all."""
    first_of: dict[tuple, int] = {}
    remap: dict[int, int] = {}
    for k, t in enumerate(parsed.tables):
        if t.shape != "record" or not t.counted:
            continue
        key = (tuple(h.strip().lower() for h in t.headers), tuple(sorted(t.roles.items())))
        if key in first_of and parsed.tables[first_of[key]].sheet != t.sheet:
            first = parsed.tables[first_of[key]]
            remap[k] = first_of[key]
            first.data_low, first.data_high = first.data_low + t.data_low, first.data_high + t.data_high
            first.checks.extend(f"sheet '{t.sheet}': {c}" for c in t.checks)
            if t.verification != "reconciled":
                first.verification = t.verification
            first.checks.append(f"sheet '{t.sheet}' goes on with the same header: part of this list")
        else:
            first_of.setdefault(key, k)
    if not remap:
        return
    kept = [k for k in range(len(parsed.tables)) if k not in remap]
    index = {old: new for new, old in enumerate(kept)}
    index.update({old: index[first] for old, first in remap.items()})
    parsed.tables = [parsed.tables[k] for k in kept]
    for row in parsed.rows:
        if row.table_index is not None:
            row.table_index = index[row.table_index]
    for big in parsed.bulk:
        big.renumber(index)


def _other_subjects(parsed: ParsedReturn) -> None:
    """A table with no outcome column whose title says it counts something else (all
    crimes) is refused on its own. Beside a table with an outcome column it is that
    table's population of every outcome (a year table of all crimes above the record
    list): kept, never counted, and dbt checks it against that table's outcomes."""
    if not any(t.subject == "outcome column" and not t.problems for t in parsed.tables):
        return
    for t in parsed.tables:
        if t.subject.startswith("other: ") and len(t.problems) == 1:
            t.problems.clear()
            t.counted = False
            t.checks.append(f"its title says it counts {t.subject[7:]!r}, not community resolutions: kept to check the "
                            "outcome table's count of every outcome, never added")


def _approve(parsed: ParsedReturn, profile: dict) -> None:
    """A person who checked the reading card approves it with the file's sha256 in the
    profile: the tables nothing else proved become 'profile'. An approval of other content
    (the file changed since) approves nothing, and says so."""
    approved = str(profile.get("approved") or "").strip().lower()
    if not approved:
        return
    sha = parsed.landing.sha256
    if len(approved) >= 12 and sha.startswith(approved):
        for t in parsed.tables:
            if t.verification == "unverified":
                t.verification = "profile"
                t.checks.append(f"reading approved in the return profile (sha256 {approved[:12]}... is this file's)")
    else:
        parsed.warnings.append(f"{parsed.landing.source_file}: the profile approves sha256 {approved[:12]}..., but this "
                               f"file's is {sha[:12]}...: the approval is for other content, so nothing is approved")


def _context(landing: LandingFile, sheet: str) -> str:
    """The file's and the sheet's names: what a table counts may be said there."""
    return f"{landing.path.stem} {sheet}".replace("_", " ")


def _read(tables: list[Table], rows, profile: dict, context: str) -> list[Table]:
    """The readings of the tables found in a sheet that count something (every view of a
    stacked layout); a table with no offence, nationality or outcome column and nothing
    across is not one (a notes table)."""
    usable = []
    for table in tables:
        views = read_table(table, rows, profile, context)
        if any(SUBJECT_ROLES & v.roles.keys() or v.across_cols or v.problems or {"period", "count"} <= v.roles.keys()
               for v in views):
            usable.extend(views)
    return usable


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


def _parse_big_sheet(parsed: ParsedReturn, sheet: Sheet, profile: dict, problems: list[str]) -> bool:
    """A big sheet of record-level tables, the same as the row-by-row path below with
    DuckDB doing the per-row work (bulk.py). False, with the sheet's rows put back in
    sheet.rows, when one of its tables is anything else: those are read row by row."""
    big = BulkSheet(sheet.name, sheet.columns)
    try:
        if profile.get("sheet") and sheet.name != profile["sheet"]:
            tables = []
        else:
            tables = big.find_tables(forced_header_row=profile.get("header_row"))
        context = _context(parsed.landing, sheet.name)
        tables = [read_columns(table, big.window(table.header_row - 4, table.first_data_row + PROFILE_SPAN + 30), profile)
                  for table in tables]
        if any(t.shape != "record" or {"breakdown", "category"} <= t.roles.keys() for t in tables):
            sheet.rows, sheet.columns = big.all_rows(), None
            return False
        usable = []
        for table in tables:
            if profile.get("period"):
                table.default_period = str(profile["period"])
            table.kinds = big.kinds(table)
            if not (SUBJECT_ROLES & table.roles.keys() or table.problems or {"period", "count"} <= table.roles.keys()):
                continue
            if not table.problems:
                subject(table, context)
                notes = [r for r, k in table.kinds.items() if k in ("note", "total")]
                rows = big.rows_at([r - 1 for r in notes])
                prove(table, {r: rows[r - 1] for r in notes}, table.kinds,
                      " ".join([table.title] + [" ".join(rows[r - 1]) for r in notes if table.kinds[r] == "note"]))
            usable.append(table)
        if not usable and big.has_text():
            problems.append(_no_header(sheet.name))
        first_index = len(parsed.tables)
        _add_tables(parsed, sheet.name, usable)
        parsed.bulk.append(big.rows(usable, first_index))
    finally:
        big.close()
    sheet.columns = None  # held by the BulkRows now
    return True


def _classify_rows(parsed: ParsedReturn, sheet: str, rows: list[list[str]], tables: list[Table]) -> None:
    """Every row of the sheet with its kind and table: a table's header rows, its rows by
    their kind (data unless Table.kinds says otherwise), and outside any table a title or
    a blank row. A row of a stacked layout belongs to the view that holds it."""
    owner: dict[int, int] = {}
    first_index = len(parsed.tables)
    _add_tables(parsed, sheet, tables)
    for k, table in enumerate(tables):
        t_index = first_index + k
        for r in range(table.header_row, table.last_row + 1):
            owner.setdefault(r, t_index)  # the first view of a stacked layout holds what no view holds
        for r in table.member_rows or []:
            owner[r] = t_index
    for i, cells in enumerate(rows, start=1):
        table_index = owner.get(i)
        if table_index is None:
            kind = "title" if any(c.strip() for c in cells) else "blank"
        else:
            table = parsed.tables[table_index]
            if i < table.first_data_row:
                kind = "header"
            else:
                kind = table.kinds.get(i, "data")
            if table.personal_data_cols:  # keep the data minimal: never store what a force should have redacted
                cells = [REDACTED if c in table.personal_data_cols and cells[c - 1].strip() and i >= table.first_data_row else v
                         for c, v in enumerate(cells, start=1)]
        parsed.rows.append(RawRow(sheet, i, table_index, kind, cells))
