"""Find the tables in a sheet: header row, column roles, and what each row is.

A table is a header row followed by data rows. Column roles come from the header text
(`Offence Code` -> offence_code). A table is
  - record-level when it has no count column (each row is one community resolution),
  - aggregate when one column holds counts,
  - a cross-tab when several columns are headed by periods (`2022/23`, `2023`), each
    holding counts for that period.
Everything above the first header is the title block; rows are classed as data, total,
note or blank so totals are never added to the data and nothing is silently dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .readers import Sheet
from .text import lookup_key

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# A sheet whose first header is not within this many rows has no table we can find
# (and scanning every row of a huge unrecognised export would take minutes).
FIRST_HEADER_WITHIN = 1000

# Columns that identify a person or carry free text a force should have redacted. They
# are never a role the marts use; parse.py redacts their cells and warns.
PERSONAL_DATA = re.compile(
    r"^((offender|suspect|victim|person|subject)s? )?(full |first |last |given |family )?(name|forename|surname)s?$"
    r"|date of birth|\bdob\b|\baddress\b|post ?code|telephone|\bphone\b|mobile|e ?mail"
    r"|national insurance|\bni (no|number)\b|\bpnc (id|no|number)\b"
    r"|^(officer |free text |case |incident )?notes?$|free text|circumstances|^mo$|modus operandi|incident (details|description)"
)

# Order matters: the first role whose pattern matches a header wins.
ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("record_id", re.compile(r"^(crime )?(ref|reference|crime ref(erence)?|crime no|crime number|urn|occurrence( ref| number)?|id)( no| number)?$")),
    ("victim_age", re.compile(r"\bvictim\b.*\bage\b|\bage\b.*\bvictim\b")),
    ("offence_code", re.compile(r"\b(offence|crime|ho|home office|hoc|classification)\b.*\bcode\b|^(ho|hoc|hocr) (code|class)$|^code$")),
    ("offence_text", re.compile(r"\boffen[cs]e|\bcrime (type|category|classification|description)\b|^classification$|^crime$")),
    ("outcome", re.compile(r"\boutcome\b(?!.*\bdate\b)|\bdisposal\b(?!.*\bdate\b)|^clearance( type)?$|^result$")),
    ("nationality", re.compile(r"\bnationality\b|\bcitizenship\b|^country of (birth|origin|nationality)$")),
    ("date", re.compile(r"\bdate\b")),
    ("period", re.compile(r"\b(financial|fiscal|calendar)? ?year\b|^(fy|period|reporting period)$")),
    ("age", re.compile(r"\bage\b")),
    ("sex", re.compile(r"\b(sex|gender)\b")),
    ("force", re.compile(r"\bforce\b")),
    ("count", re.compile(r"^(count|number|no|n|total|volume|frequency|sum|crs?|community resolutions?)( of .*)?$|\b(number|no|count|total) of\b|community resolutions?( issued| given| count)?$")),
]

# Roles that say what was counted; a header row needs one of these.
SUBJECT_ROLES = {"offence_code", "offence_text", "nationality", "outcome"}

_FY = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_CAL = re.compile(r"^(?:cy\s*)?(\d{4})$", re.IGNORECASE)
_NOTE = re.compile(r"^\s*(notes?\b|source\b|\*+\s+\S|\[?\d{1,2}[\].)]\s+[a-z])", re.IGNORECASE)
_TOTAL = re.compile(r"^(grand )?total\b|^sub ?total\b|\btotal$", re.IGNORECASE)


def looks_like_period(text: str) -> bool:
    text = text.strip()
    m = _FY.match(text)
    if m:
        return True
    m = _CAL.match(text)
    return bool(m) and 1990 <= int(m.group(1)) <= 2100


def header_role(text: str) -> str | None:
    key = lookup_key(text)
    if not key:
        return None
    for role, pattern in ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return None


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based spreadsheet row
    headers: list[str]
    roles: dict[str, int]  # role -> 1-based column index (first column with that role)
    across_cols: list[int] = field(default_factory=list)  # cross-tab count columns (1-based)
    across_values: list[str] = field(default_factory=list)  # their header text (a period)
    across_role: str | None = None
    last_row: int = 0  # last spreadsheet row belonging to the table
    title: str = ""  # title block text above the header, joined
    default_period: str | None = None  # a period named in the title block, for tables without one
    personal_data_cols: list[int] = field(default_factory=list)  # columns redacted as personal data

    @property
    def shape(self) -> str:
        if self.across_cols:
            return "crosstab"
        return "aggregate" if "count" in self.roles else "record"


def _nonblank(row: list[str]) -> list[str]:
    return [c for c in row if c.strip()]


@cache
def nationality_keys() -> frozenset[str]:
    """Folded nationality spellings from the reviewed seeds, to recognise a cross-tab
    with nationalities across ('Offence | British | Polish | Not recorded | Total')."""
    keys = set()
    for name in ("nationality_aliases.csv", "iso_countries.csv"):
        with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as fh:
            keys.update(row["nationality_key"] for row in csv.DictReader(fh) if row["nationality_key"])
    return frozenset(keys)


@dataclass
class HeaderScore:
    roles: dict[str, int]
    period_cols: list[int]
    nationality_cols: list[int]
    personal_data_cols: list[int]


def score_header(row: list[str]) -> HeaderScore:
    """Roles found in a candidate header row, and columns headed by a period or a nationality."""
    score = HeaderScore({}, [], [], [])
    for idx, cell in enumerate(row, start=1):
        if PERSONAL_DATA.search(lookup_key(cell)):
            score.personal_data_cols.append(idx)
            continue
        if looks_like_period(cell):
            score.period_cols.append(idx)
            continue
        role = header_role(cell)
        if role and role not in score.roles:
            score.roles[role] = idx
        elif role is None and lookup_key(cell) in nationality_keys():
            score.nationality_cols.append(idx)
    return score


def is_header(score: HeaderScore) -> bool:
    if not SUBJECT_ROLES & score.roles.keys():
        return False
    return len(score.roles) >= 2 or len(score.period_cols) >= 1 or len(score.nationality_cols) >= 2


_TITLE_PERIOD = re.compile(r"\b(?:fy\s*)?(20\d{2}\s*[/\-–]\s*(?:20)?\d{2})\b", re.IGNORECASE)


def period_in_title(title: str) -> str | None:
    """A single financial year named in a title block ("... issued in 2022/23")."""
    found = {m.group(1).replace(" ", "") for m in _TITLE_PERIOD.finditer(title)}
    return found.pop() if len(found) == 1 else None


def classify_row(row: list[str], table: Table, after_blank: bool = False) -> str:
    """What a row of a table is. `after_blank`: a blank row came between it and the
    table's last data row, where footnotes usually start."""
    cells = _nonblank(row)
    if not cells:
        return "blank"
    label_cols = [i for r, i in table.roles.items() if r != "count"] or [1]
    first_cols = sorted(label_cols)[:3]
    for idx in first_cols + [1]:
        if idx <= len(row) and _TOTAL.search(row[idx - 1].strip()):
            return "total"
    if _NOTE.match(cells[0]):
        return "note"
    # A cross-tab row may fill only its label: every count blank means nil, not a note
    # (a fixed offence list with no cases) unless it comes after a blank row.
    if table.across_cols and not after_blank and any(
            idx <= len(row) and row[idx - 1].strip() for role, idx in table.roles.items() if role in SUBJECT_ROLES):
        return "data"
    # A footnote is text in one or two cells of a much wider table ("Source: ...", or a
    # sentence a CSV export split at its comma); a data row fills most of its columns.
    width = len(table.roles) + len(table.across_cols)
    if width >= 2 and (len(cells) == 1 or len(cells) <= width // 3):
        return "note"
    return "data"


def _is_caption(rows: list[list[str]], i: int) -> bool:
    """Row i is a one-cell caption ('Table 2: by nationality') with a blank row above it."""
    return i >= 1 and len(_nonblank(rows[i])) == 1 and not _nonblank(rows[i - 1])


def find_tables(sheet: Sheet, forced_header_row: int | None = None) -> list[Table]:
    """Tables in reading order. Once a table starts, every following row belongs to it
    until a new header row appears after a blank row (or after a caption that follows a
    blank row; the caption then titles the new table)."""
    return find_tables_in(sheet.name, sheet.rows, len(sheet.rows), range(len(sheet.rows)), forced_header_row)


def find_tables_in(sheet_name: str, rows, n_rows: int, indices: Iterable[int],
                   forced_header_row: int | None = None) -> list[Table]:
    """find_tables over `rows` (anything indexable by 0-based row) visiting only `indices`,
    in order: every row before the first table and within FIRST_HEADER_WITHIN (or up to a
    forced header row), and after that at least every row that can start a table (the row
    after a blank row or a caption), with the one or two rows before each. A big sheet
    passes just those rows (see bulk.py); every other row belongs to the table above it."""
    tables: list[Table] = []
    title_lines: list[str] = []
    for i in indices:
        row = rows[i]
        if not tables and not forced_header_row and i >= FIRST_HEADER_WITHIN:
            break
        if forced_header_row:
            starts_new = forced_header_row == i + 1
        else:
            # Only a row with no table open yet, or right after a blank row or a caption, can
            # start one: scoring every row of a big record-level export would cost minutes.
            starts_new = (not tables or not _nonblank(rows[i - 1]) or _is_caption(rows, i - 1)) and is_header(
                score_header(row))
        if starts_new:
            score = score_header(row)
            if tables:
                tables[-1].last_row = i  # every row down to this header belongs to the table above
                if _is_caption(rows, i - 1):
                    tables[-1].last_row = i - 1  # the caption belongs to the new table
                    title_lines = _nonblank(rows[i - 1])
            title = " ".join(title_lines)
            table = Table(
                sheet=sheet_name,
                header_row=i + 1,
                headers=list(row),
                roles=score.roles,
                personal_data_cols=score.personal_data_cols,
                title=title,
                # a period named in the title block, else a sheet named like one ('2022-23')
                default_period=period_in_title(title) or (sheet_name.strip() if looks_like_period(sheet_name) else None),
                last_row=i + 1,
            )
            # Cross-tab: several count columns headed by periods or by nationalities; a
            # trailing 'Total' column is then a row total, not a count to load.
            if len(score.period_cols) >= 2 or (score.period_cols and "count" not in score.roles):
                table.across_role, table.across_cols = "period", score.period_cols
            elif len(score.nationality_cols) >= 2 and "nationality" not in score.roles:
                table.across_role, table.across_cols = "nationality", score.nationality_cols
            if table.across_cols:
                table.across_values = [row[c - 1].strip() for c in table.across_cols]
                table.roles.pop("count", None)
            tables.append(table)
            title_lines = []
        elif not tables and _nonblank(row):
            title_lines.append(" ".join(_nonblank(row)))
    if tables:
        tables[-1].last_row = n_rows  # the last table runs to the end of the sheet
    return tables
