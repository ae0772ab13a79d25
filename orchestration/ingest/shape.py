"""Find the tables in a sheet: their header rows, what each header names, and what each
row of a table is.

A table is one to three header rows followed by data rows. Here the header is read as
text only: which role each heading names (`Offence Code` -> offence_code), which headings
are periods (`2022/23`, `Apr-22`), and how a multi-row header stacks (a merged `Offence
group` cell above the group names). Whether a column really holds counts is decided from
its values (columns.py); whether the reading adds up, from the table's own totals
(proof.py). Everything above the first header is the title block; rows are classed as
data, total, note or blank so totals are never added to the data and nothing is
silently dropped.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from .counts import count_bounds
from .readers import Sheet
from .text import lookup_key

SEEDS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# A sheet whose first header is not within this many rows has no table we can find
# (and scanning every row of a huge unrecognised export would take minutes).
FIRST_HEADER_WITHIN = 1000
MAX_HEADER_ROWS = 3

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
    # 'Number of offences', 'Count of Crime Reference' (a pivot's data field): counts, whatever they count
    ("count", re.compile(r"^(number|no|count|total|sum|volume) of\b")),
    ("record_id", re.compile(r"^(crime )?(ref|reference|crime ref(erence)?|crime no|crime number|urn|occurrence( ref| number)?|id)( no| number)?$")),
    ("victim_age", re.compile(r"\bvictim\b.*\bage\b|\bage\b.*\bvictim\b")),
    ("offence_code", re.compile(r"\b(offence|crime|ho|home office|hoc|classification)\b.*\bcode\b|^(ho|hoc|hocr) (code|class)$|^code$")),
    ("offence_text", re.compile(r"\boffen[cs]e|\bcrime (type|category|classification|description|group)\b|^classification$|^crime$")),
    ("outcome", re.compile(r"\boutcome\b(?!.*\bdate\b)|\bdisposal\b(?!.*\bdate\b)|^clearance( type)?$|^result$")),
    ("nationality", re.compile(r"\bnationality\b|\bcitizenship\b|^country of (birth|origin|nationality)$")),
    ("date", re.compile(r"\bdate\b")),
    ("period", re.compile(r"\b(financial|fiscal|calendar)? ?year\b|^(fy|period|reporting period|month|quarter)$")),
    ("age", re.compile(r"\bage\b")),
    ("sex", re.compile(r"\b(sex|gender)\b")),
    ("force", re.compile(r"\bforce\b")),
    ("count", re.compile(r"^(count|number|no|n|total|volume|frequency|sum|crs?|community resolutions?)( of .*)?$|\b(number|no|count|total) of\b|community resolutions?( issued| given| count)?$")),
    # a long table of several breakdowns stacked ('Breakdown | Category | Year | Number')
    # an Excel pivot's label column: what its labels are is read from them (columns.py)
    ("row_labels", re.compile(r"^row labels$")),
    ("breakdown", re.compile(r"^(breakdown|breakdown type|dimension|variable|characteristic|grouping|split|measure type|category type)$")),
    ("category", re.compile(r"^(category|sub ?category|breakdown value|value|item|group|description|label)$")),
]

# Roles that say what was counted; a header row needs one of these.
SUBJECT_ROLES = {"offence_code", "offence_text", "nationality", "outcome", "row_labels"}
# Roles whose columns label a row (as opposed to holding counts).
LABEL_ROLES = SUBJECT_ROLES | {"period", "date", "age", "sex", "victim_age", "force", "record_id", "breakdown", "category"}
# what the columns across a cross-tab can be (a heading above them names one of these)
ACROSS_DIMENSIONS = {"period", "nationality", "offence_text", "offence_code", "outcome", "sex", "age", "victim_age"}

_FY = re.compile(r"^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$", re.IGNORECASE)
_CAL = re.compile(r"^(?:cy\s*)?(\d{4})$", re.IGNORECASE)
_MONTHS = "jan(uary)?|feb(ruary)?|mar(ch)?|apr(il)?|may|june?|july?|aug(ust)?|sep(t(ember)?)?|oct(ober)?|nov(ember)?|dec(ember)?"
# months and quarters ('Apr-22', 'April 2022', '2022-04', '2023 Q1', 'Q1 2022/23') and dates,
# as headings of columns across; dbt's int_period_map says which financial year each is in
_SUB_YEAR = re.compile(
    rf"^(({_MONTHS})[\s\-/']*(\d{{2}}|\d{{4}})|(\d{{4}})[\-/](0?[1-9]|1[0-2])|\d{{4}}-\d{{2}}-\d{{2}}( 00:00:00)?"
    r"|q[1-4][\s\-]*(\d{4}([/\-]\d{2,4})?|fy\s*\d{2,4}([/\-]\d{2,4})?)|(\d{4}([/\-]\d{2,4})?)[\s\-]*q[1-4]"
    r"|\d{1,2}/\d{1,2}/\d{4})$",
    re.IGNORECASE)
# a whole year spelled out as a span ('April 2022 - March 2023', '01/04/2022 - 31/03/2023');
# int_period_map says which year, and leaves any other span unrecognised
_SPAN = re.compile(
    rf"^((\d{{1,2}}(st|nd|rd|th)?\s+)?({_MONTHS})\.?\s+(19|20)\d{{2}}|\d{{1,2}}/\d{{1,2}}/(19|20)\d{{2}})\s*(-|–|to)\s*"
    rf"((\d{{1,2}}(st|nd|rd|th)?\s+)?({_MONTHS})\.?\s+(19|20)\d{{2}}|\d{{1,2}}/\d{{1,2}}/(19|20)\d{{2}})$",
    re.IGNORECASE)
_NOTE = re.compile(r"^\s*(notes?\b|source\b|\*+\s+\S|\[?\d{1,2}[\].)]\s+[a-z])", re.IGNORECASE)
_TOTAL = re.compile(r"^(grand )?totals?\b|^sub ?totals?\b|\btotals?$|^overall$|^sum$"
                    r"|^all (offences|crimes|offenders|nationalities|outcomes|categories|groups|years|ages|persons|people)$",
                    re.IGNORECASE)


def looks_like_period(text: str) -> bool:
    text = text.strip()
    if _FY.match(text) or _SUB_YEAR.match(text) or _SPAN.match(text):
        return True
    m = _CAL.match(text)
    return bool(m) and 1990 <= int(m.group(1)) <= 2100


def is_total_label(text: str) -> bool:
    return bool(_TOTAL.search(text.strip()))


def header_role(text: str) -> str | None:
    """The role a heading names; for a bilingual heading ('Nifer / Number') the role one
    of its parts names, when they do not name two different ones."""
    role = _role_of(lookup_key(text))
    if role is None and re.search(r"\S\s*[/|]\s*\S", text):
        roles = {r for part in re.split(r"\s*[/|]\s*", text) if (r := _role_of(lookup_key(part)))}
        role = roles.pop() if len(roles) == 1 else None
    return role


def _role_of(key: str) -> str | None:
    if not key:
        return None
    for role, pattern in ROLE_PATTERNS:
        if pattern.search(key):
            return role
    return None


def looks_like_count(text: str) -> bool:
    """A cell a header row never holds: a number or a withheld-count mark (not a year)."""
    text = text.strip()
    return bool(text) and count_bounds(text) is not None and text not in {"-", "–", "—"} and not looks_like_period(text)


@dataclass
class Table:
    sheet: str
    header_row: int  # 1-based spreadsheet row of the (first) header row
    headers: list[str]  # per column, the header text (the rows of a multi-row header joined by ' | ')
    roles: dict[str, int]  # role -> 1-based column index (first column with that role)
    across_cols: list[int] = field(default_factory=list)  # count columns of a cross-tab (1-based)
    across_values: list[str] = field(default_factory=list)  # their heading (a period, a nationality, ...)
    across_role: str | None = None  # what the headings across are
    last_row: int = 0  # last spreadsheet row belonging to the table
    title: str = ""  # title block text above the header, joined
    default_period: str | None = None  # a period named in the title block, for tables without one
    personal_data_cols: list[int] = field(default_factory=list)  # columns redacted as personal data
    header_rows: int = 1  # rows header_row .. header_row + header_rows - 1 are the header
    # a second dimension across, from the other row of a two-row header ('2022/23' over 'British')
    across_role2: str | None = None
    across_values2: list[str] = field(default_factory=list)
    total_cols: list[int] = field(default_factory=list)  # row-total columns: checked, never counted
    nationality_cols: list[int] = field(default_factory=list)  # every nationality column (dual nationals)
    column_notes: dict[int, str] = field(default_factory=dict)  # what was decided for each column, and why
    problems: list[str] = field(default_factory=list)  # why the table cannot be read without a person
    # rows (1-based) of a table that shares its rows with others (one breakdown of a stacked
    # layout); None: every row of header_row..last_row
    member_rows: list[int] | None = None
    label: str = ""  # a short name for the card and reasons ("sheet 'Data'", "breakdown 'Nationality'")
    subject: str = "implied"  # outcome column | named (title or heading names community resolutions) | implied
    verification: str = "unverified"  # reconciled | profile | unverified
    checks: list[str] = field(default_factory=list)  # the checks made against the return's own totals
    data_low: int = 0  # the table's count cells (every outcome), summed
    data_high: int = 0
    pinned: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # (row, col) -> bounds from totals
    header_stack: list[list[str]] = field(default_factory=list)  # per column, the header rows' texts top to bottom
    kinds: dict[int, str] = field(default_factory=dict)  # kind of each row below the header that is not data
    counted: bool = True  # False: a view or summary that only checks another table
    group_rows: list[int] = field(default_factory=list)  # a pivot's group rows: subtotals of the rows under them
    filled_cols: list[int] = field(default_factory=list)  # label columns whose blank cells take the label above
    group_role: str | None = None  # a nested pivot: the dimension its group rows' labels give the rows under them
    group_col: int | None = None  # the column holding those labels

    @property
    def shape(self) -> str:
        if self.across_cols:
            return "crosstab"
        return "aggregate" if "count" in self.roles else "record"

    @property
    def first_data_row(self) -> int:
        return self.header_row + self.header_rows

    def where(self) -> str:
        return f"sheet '{self.sheet}' " if self.sheet else ""


def _nonblank(row: list[str]) -> list[str]:
    return [c for c in row if c.strip()]


@cache
def _seed_keys(name: str, column: str) -> frozenset[str]:
    with (SEEDS_DIR / name).open(encoding="utf-8", newline="") as fh:
        return frozenset(row[column] for row in csv.DictReader(fh) if row[column])


def nationality_keys() -> frozenset[str]:
    """Folded nationality spellings from the reviewed seeds: one of the signals that
    headings across are nationalities. Mapping them is dbt's job; a heading not in the
    seeds stays in the table and shows up as unmapped."""
    return _seed_keys("nationality_aliases.csv", "nationality_key") | _seed_keys("iso_countries.csv", "nationality_key")


def outcome_keys() -> frozenset[str]:
    return _seed_keys("outcome_aliases.csv", "outcome_key")


def offence_keys() -> frozenset[str]:
    return _seed_keys("offence_text_aliases.csv", "offence_key")


@dataclass
class HeaderScore:
    roles: dict[str, int]
    period_cols: list[int]
    vocabulary_cols: list[int]  # headed by a nationality, offence or outcome the seeds know
    personal_data_cols: list[int]
    count_like_cols: list[int] = field(default_factory=list)  # cells a header never holds


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
        if looks_like_count(cell):
            score.count_like_cols.append(idx)
            continue
        role = header_role(cell)
        if role and role not in score.roles:
            score.roles[role] = idx
        elif role is None and in_vocabulary(cell):
            score.vocabulary_cols.append(idx)
    return score


def in_vocabulary(text: str) -> bool:
    key = lookup_key(text)
    return key in nationality_keys() or key in offence_keys() or key in outcome_keys()


def is_header(score: HeaderScore) -> bool:
    if score.count_like_cols:  # a number or '<5' under a heading: this is a data row
        return False
    if {"breakdown", "category"} <= score.roles.keys() and ({"count", "period"} & score.roles.keys() or score.period_cols):
        return True
    labels = score.roles.keys() & LABEL_ROLES
    if len(score.vocabulary_cols) >= 2 and labels:  # 'Financial Year | Shoplifting | Harassment | ...'
        return True
    if {"period", "count"} <= score.roles.keys():  # 'Financial Year | Number of community resolutions'
        return True
    if len(score.period_cols) >= 2 and not score.roles and 1 not in score.period_cols:  # ' | 2022/23 | 2023/24'
        return True
    if not SUBJECT_ROLES & score.roles.keys():
        return False
    return len(score.roles) >= 2 or len(score.period_cols) >= 1 or len(score.vocabulary_cols) >= 2


_TITLE_PERIOD = re.compile(r"\b(?:fy\s*)?(20\d{2}\s*[/\-–]\s*(?:20)?\d{2})\b", re.IGNORECASE)


def period_in_title(title: str) -> str | None:
    """A single financial year named in a title block ("... issued in 2022/23"): its two
    years follow each other, so '1 April 2022 - 31 March 2025' names none."""
    found = set()
    for m in _TITLE_PERIOD.finditer(title):
        text = m.group(1).replace(" ", "")
        start, end = re.split(r"[/\-–]", text)
        if int(end) % 100 == (int(start) + 1) % 100:
            found.add(text)
    return found.pop() if len(found) == 1 else None


def label_columns(table: Table) -> list[int]:
    return sorted({i for r, i in table.roles.items() if r in LABEL_ROLES}) or [1]


def classify_row(row: list[str], table: Table, after_blank: bool = False) -> str:
    """What a row of a table is. `after_blank`: a blank row came between it and the
    table's last data row, where footnotes usually start."""
    cells = _nonblank(row)
    if not cells:
        return "blank"
    if table.header_stack and cells == [c for c in (s[-1] for s in table.header_stack) if c.strip()]:
        return "header"  # the header repeated (an export's page break)
    first_cols = label_columns(table)[:3]
    for idx in first_cols + [1]:
        if idx <= len(row) and _TOTAL.search(row[idx - 1].strip()):
            return "total"
    if _NOTE.match(cells[0]):
        return "note"
    # A cross-tab row may fill only its label: every count blank means nil, not a note
    # (a fixed offence list with no cases) unless it comes after a blank row.
    if table.across_cols and not after_blank and any(
            idx <= len(row) and row[idx - 1].strip() for role, idx in table.roles.items() if role in LABEL_ROLES):
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


def _cell(row: list[str], c: int) -> str:
    return row[c - 1].strip() if c <= len(row) else ""


def _filled(row: list[str], c: int) -> bool:
    return bool(_cell(row, c))


def header_stack(rows, i: int, n_rows: int, score: HeaderScore) -> tuple[int, int]:
    """(first header row, number of header rows), 0-based, of the header found at row i:
    a row straight above it or below it that names what the columns across are (a merged
    'Offence group' cell over the group names; the group names under it) joins it."""
    label_cols = {c for r, c in score.roles.items() if r in LABEL_ROLES}
    main = rows[i]
    width = len(main)

    def spans(c: int) -> bool:  # a heading followed by blank cells: a merged cell over several columns
        return _filled(main, c) and c < width and not _filled(main, c + 1)

    first, count = i, 1
    # below: a row that heads the columns a merged cell of the main header spans, leaving
    # the main header's other label columns blank, with counts in the row after it
    while count < MAX_HEADER_ROWS and first + count + 1 < n_rows:
        below = rows[first + count]
        filled = [c for c in range(1, len(below) + 1) if _filled(below, c)]
        if (len(filled) >= 2 and not any(looks_like_count(_cell(below, c)) for c in filled)
                and all(not _filled(main, c) or spans(c) or c not in label_cols for c in filled)
                and any(not _filled(main, c) for c in filled)
                and any(looks_like_count(c) for c in rows[first + count + 1])):
            count += 1
            continue
        break
    # above: a row straight above (no blank between) whose text names what the columns
    # across are ('Offence group', '2022/23' over 'Count' and '%'), away from the label columns
    while count < MAX_HEADER_ROWS and first >= 1:
        above = rows[first - 1]
        cells = [c for c in range(1, len(above) + 1) if _filled(above, c)]
        if (cells and not any(c in label_cols for c in cells) and min(cells) > min(label_cols or {1})
                and all(looks_like_period(_cell(above, c)) or header_role(_cell(above, c)) in ACROSS_DIMENSIONS
                        for c in cells)):
            first -= 1
            count += 1
            continue
        break
    return first, count


def stacked_headers(rows, first: int, count: int) -> list[list[str]]:
    """Per column, the header texts top to bottom. An upper row's text is carried right
    over the blank cells after it (a merged cell is read as its top-left cell only), up to
    its next text; the bottom row is never carried."""
    width = max(len(rows[first + k]) for k in range(count))
    stack = [[""] * count for _ in range(width)]
    for k in range(count):
        row = rows[first + k]
        carried = ""
        for c in range(width):
            text = row[c].strip() if c < len(row) else ""
            if text:
                carried = text
            stack[c][k] = text if k == count - 1 else (text or carried)
    # a carried text stops at a column the bottom row leaves blank (a label column)
    for c in range(width):
        if not stack[c][-1] and count > 1:
            own = [rows[first + k][c].strip() if c < len(rows[first + k]) else "" for k in range(count)]
            stack[c] = own
    return stack


def new_table(sheet_name: str, rows, first: int, count: int, score: HeaderScore, title: str) -> Table:
    """A table whose header is rows first .. first + count - 1 (0-based)."""
    stack = stacked_headers(rows, first, count)
    return Table(
        sheet=sheet_name,
        header_row=first + 1,
        headers=[" | ".join(dict.fromkeys(t for t in texts if t)) for texts in stack],
        roles={},
        personal_data_cols=score.personal_data_cols,
        title=title,
        # a period named in the title block, else a sheet named like one ('2022-23')
        default_period=period_in_title(title) or (sheet_name.strip() if looks_like_period(sheet_name) else None),
        last_row=first + count,
        header_rows=count,
        header_stack=stack,
    )


def later_header(rows, table: Table, within: int = 12) -> Table | None:
    """A header row further down a table's first rows (not after a blank row) that reads
    as one: an Excel pivot's 'Row Labels' row under its filter and 'Column Labels' lines,
    or a real header under a line that only looked like one. The rows above it become
    the title block."""
    for i in range(table.first_data_row - 1, min(table.last_row, table.first_data_row - 1 + within)):
        score = score_header(rows[i])
        if _nonblank(rows[i]) and is_header(score):
            first, count = header_stack(rows, i, table.last_row, score)
            title = " ".join(" ".join(_nonblank(rows[r])) for r in range(table.header_row - 1, first) if _nonblank(rows[r]))
            later = new_table(table.sheet, rows, first, count, score, " ".join(filter(None, [table.title, title])))
            later.last_row = table.last_row
            return later
    return None


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
    after a blank row or a caption), with the one or two rows before and the two rows after
    each. A big sheet passes just those rows (see bulk.py); every other row belongs to the
    table above it."""
    tables: list[Table] = []
    title_lines: list[str] = []
    skip_to = -1
    for i in indices:
        if i < skip_to:
            continue
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
            first, count = (i, 1) if forced_header_row else header_stack(rows, i, n_rows, score)
            if first < i and title_lines:  # the row above joined the header: it is not a title line
                title_lines = title_lines[:-1]
            if tables:
                tables[-1].last_row = first  # every row down to this header belongs to the table above
                if _is_caption(rows, first - 1):
                    tables[-1].last_row = first - 1  # the caption belongs to the new table
                    title_lines = _nonblank(rows[first - 1])
            table = new_table(sheet_name, rows, first, count, score, " ".join(title_lines))
            tables.append(table)
            title_lines = []
            skip_to = first + count
        elif not tables and _nonblank(row):
            title_lines.append(" ".join(_nonblank(row)))
    if tables:
        tables[-1].last_row = n_rows  # the last table runs to the end of the sheet
    return tables
