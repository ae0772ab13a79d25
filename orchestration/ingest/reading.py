"""Read a table found in a sheet: the role of every column (columns.py), the kind of every
row, the views a stacked layout holds, what the table counts, and the proof against its
own totals (proof.py).

The stages run one way: header (shape.py) -> columns -> rows -> views -> subject -> proof.
A table comes out with its problems: any problem quarantines the return (parse.py).
"""

from __future__ import annotations

import copy
import re

from .columns import across_dimension, column_letter, decide_columns
from .counts import ZERO, Bounds
from .proof import count_columns, find_group_rows, prove, row_vector, table_rows
from .shape import (LABEL_ROLES, SUBJECT_ROLES, Table, classify_row, header_role, in_vocabulary, is_total_label,
                    later_header)
from .text import lookup_key

PROFILE_SPAN = 5000  # rows below a header that column roles are decided from (both reading paths)

_CR_WORDS = re.compile(r"community resolution|\bcrs?\b|outcome (type )?8\b|restorative", re.IGNORECASE)
# a title saying the table counts something else than community resolutions
_OTHER_SUBJECT = re.compile(
    r"\b(crimes?|offences)\s+(recorded|reported|committed|occurring)\b|\brecorded (crimes?|offences)\b|\barrests?\b"
    r"|stop and search|\bincidents\b|\bvictims\b|\ball (crimes|outcomes|offences)\b|\boutcomes\b|\bcharges\b|\bcautions\b"
    r"|\bcalls?\b|\bcomplaints\b",
    re.IGNORECASE)


def row_kinds(table: Table, row_at, rows: list[int]) -> dict[int, str]:
    """The kind of every row of `rows` (1-based, in order) other than data. A blank row
    since the table's last data row is where footnotes usually start."""
    kinds: dict[int, str] = {}
    after_blank = False
    for r in rows:
        kind = classify_row(row_at(r), table, after_blank)
        after_blank = (after_blank or kind == "blank") and kind != "data"
        if kind != "data":
            kinds[r] = kind
    return kinds


def read_table(table: Table, rows, profile: dict, context: str) -> list[Table]:
    """The table's reading, as one table or, for a stacked layout, one table per view.
    `rows` is the sheet's rows (0-based); `context` the file name and sheet name, for
    what the table counts. Sets roles, kinds (Table.kinds: non-data rows), checks and
    problems."""
    table = read_columns(table, rows, profile)
    if profile.get("period"):
        table.default_period = str(profile["period"])
    span = list(range(table.first_data_row, table.last_row + 1))
    table.kinds = row_kinds(table, lambda r: rows[r - 1], span)
    fill_down(table, rows)
    if {"breakdown", "category"} <= table.roles.keys():
        views = split_views(table, rows)
    else:
        views = [table]
    for t in views:
        if t.problems:
            continue
        _group_rows(t, rows)
        _unlabelled_total(t, rows)
        subject(t, context)
        notes = " ".join([t.title] + [" ".join(rows[r - 1]) for r, k in t.kinds.items() if k == "note"])
        prove(t, {r: rows[r - 1] for r in table_rows(t)}, t.kinds, notes, pin=profile.get("pin_withheld") is not False)
    return views


def fill_down(table: Table, rows) -> None:
    """A label written once over the rows it applies to (a merged cell, read as its top
    cell only, or a label left blank on the rows after it): in a table of counts, an outer
    label column that is blank where a label column to its right is filled takes the label
    above. Recorded in Table.filled_cols; dbt fills the cells the same way. A blank in the
    first data row has nothing above it: a problem."""
    if table.shape == "record":
        return
    labels = sorted(c for r, c in table.roles.items() if r in LABEL_ROLES)
    data = [r for r in range(table.first_data_row, table.last_row + 1) if table.kinds.get(r, "data") == "data"]

    def cell(r: int, c: int) -> str:
        row = rows[r - 1]
        return row[c - 1].strip() if c <= len(row) else ""

    for k, c in enumerate(labels[:-1]):
        inner = labels[k + 1:]
        gaps = [r for r in data if not cell(r, c) and any(cell(r, i) for i in inner)]
        if not gaps:
            continue
        if not cell(data[0], c):
            table.problems.append(f"{table.where()}row {data[0]}: column {column_letter(c)} ('{table.headers[c - 1]}') "
                                  "is blank in the first row of the table: expected its label (it labels the rows under it)")
            continue
        table.filled_cols.append(c)
        table.column_notes[c] = table.column_notes.get(c, "") + \
            f"; blank on {len(gaps)} rows, which take the label above (merged or written once per block)"


def read_columns(table: Table, rows, profile: dict) -> Table:
    """The table with every column's role decided (columns.py). When that reading has a
    problem, the header may be further down (a pivot's filter lines above it): the table
    read from there, if that reads cleanly; else the first reading with its problems.
    `rows[i]` is the sheet's row i + 1 (at least the first PROFILE_SPAN + 30 rows from the
    header)."""
    decide_columns(table, _body(table, rows), profile)
    if table.problems and not profile.get("header_row"):
        later = later_header(rows, table)
        if later is not None:
            decide_columns(later, _body(later, rows), profile)
            if not later.problems:
                later.checks.append(f"header row {later.header_row}, not row {table.header_row}: the rows above it "
                                    "do not read as a header of this table")
                return later
    return table


def _body(table: Table, rows) -> list[list[str]]:
    """The first rows under the header: what column roles are decided from."""
    return [rows[r - 1] for r in range(table.first_data_row, min(table.last_row, table.first_data_row + PROFILE_SPAN - 1) + 1)]


def _group_rows(table: Table, rows) -> None:
    """A pivot's group rows (subtotals without the word Total) become total rows, when
    the table's last total row (its Grand Total) is the sum of the other rows and not of
    every row, or, with no total row, when a 'Row Labels' heading marks a pivot."""
    data = [r for r in table_rows(table) if table.kinds.get(r, "data") == "data"]
    totals = [r for r in table_rows(table) if table.kinds.get(r) == "total"]
    groups = find_group_rows(table, {r: rows[r - 1] for r in data}, data, bool(totals))
    if not groups:
        return
    if totals:
        grand = row_vector(table, rows[totals[-1] - 1])

        def total_of(rs: list[int]) -> list[Bounds]:
            out = [ZERO] * len(grand)
            for r in rs:
                out = [a + (b or ZERO) for a, b in zip(out, row_vector(table, rows[r - 1]))]
            return out

        def matches(v: list[Bounds]) -> bool:
            return all(g is None or g.holds(x) for g, x in zip(grand, v))

        items = [r for r in data if r not in set(groups) and r < totals[-1]]
        if matches(total_of([r for r in data if r < totals[-1]])) or not matches(total_of(items)):
            return  # the grand total adds every row up: no group rows (or it settles nothing)
    table.group_rows = groups
    for r in groups:
        table.kinds[r] = "total"
    table.checks.append(f"{len(groups)} group rows (rows {', '.join(map(str, groups[:6]))}"
                        f"{', ...' if len(groups) > 6 else ''}) each equal the rows under them: read as subtotals")
    _nested_groups(table, rows, data, groups)


def _unlabelled_total(table: Table, rows) -> None:
    """A last row that adds up every row above it is the table's total even without the
    word Total ('Force', 'All', a blank label): counting it would double the table. With
    a blank label or a label no vocabulary knows, two rows above are enough; a row labelled
    with a known offence or nationality is a total only when several columns all add up
    (one coincidence is plausible, several are not)."""
    cols = count_columns(table)
    data = [r for r in table_rows(table) if table.kinds.get(r, "data") == "data"]
    if not cols or len(data) < 3 or any(k == "total" for k in table.kinds.values()):
        return
    vectors = {r: row_vector(table, rows[r - 1]) for r in data}
    last, above = data[-1], data[:-1]
    if any(b is None or b.low != b.high for r in data for b in vectors[r]):
        return
    sums = [sum(vectors[r][j].low for r in above) for j in range(len(cols))]
    if [b.low for b in vectors[last]] != sums or not any(sums):
        return
    label_cols = [c for r, c in table.roles.items() if r in LABEL_ROLES]
    labels = [rows[last - 1][c - 1].strip() for c in label_cols if c <= len(rows[last - 1]) and rows[last - 1][c - 1].strip()]
    known = any(in_vocabulary(x) for x in labels)
    if (not labels and len(above) >= 2) or (not known and len(above) >= 3) or (known and len([x for x in sums if x]) >= 3):
        table.kinds[last] = "total"
        table.checks.append(f"row {last} ('{labels[0] if labels else ''}') adds up all {len(above)} rows above it in every "
                            "column: read as the table's total")


def _nested_groups(table: Table, rows, data: list[int], groups: list[int]) -> None:
    """A pivot in Excel's compact form nests its row fields in one column: offences as group
    rows, the nationalities of each under it. When the group labels are one dimension and
    the rows under them another, the rows under a group take its label as their second
    label (Table.group_role; dbt reads it from the group row above)."""
    col = min((c for r, c in table.roles.items() if r in LABEL_ROLES), default=None)
    if col is None:
        return

    def labels(rs: list[int]) -> list[str]:
        return [rows[r - 1][col - 1].strip() for r in rs if col <= len(rows[r - 1]) and rows[r - 1][col - 1].strip()]

    items = [r for r in data if r not in set(groups)]
    outer, inner = across_dimension(labels(groups)), across_dimension(labels(items))
    if outer and inner and outer != inner and outer in LABEL_ROLES:
        own = next(r for r, c in table.roles.items() if c == col)
        if own != inner:
            table.roles = {r: c for r, c in table.roles.items() if c != col}
            table.roles[inner] = col
        table.group_role, table.group_col = outer, col
        table.column_notes[col] = (f"{inner.replace('_', ' ')} on the rows under each group row; the group rows' labels are "
                                   f"the {outer.replace('_', ' ')} of the rows under them (a nested pivot)")


def subject(table: Table, context: str) -> None:
    """What the table counts: outcomes (an outcome column, filtered to type 8 in dbt),
    community resolutions by its title or headings, or, with nothing said, community
    resolutions as the request asked. A title naming something else is a problem."""
    if "outcome" in table.roles or table.across_role == "outcome" or table.across_role2 == "outcome":
        table.subject = "outcome column"
        return
    said = " ".join([table.title, context] + [table.headers[c - 1] for c in count_columns(table) + table.total_cols
                                              if c <= len(table.headers)])
    if _CR_WORDS.search(said):
        table.subject = "named"
        return
    other = _OTHER_SUBJECT.search(" ".join([table.title, context]))
    if other:
        table.subject = f"other: {other.group(0).lower()}"  # parse.py may keep it as a check of an outcome table
        table.problems.append(
            f"{table.where()}the table has no outcome column and its title or name says it counts '{other.group(0)}' "
            f"({(table.title or context)[:120]!r}): expected community resolutions only, or an outcome column")
        return
    table.subject = "implied"


def split_views(table: Table, rows) -> list[Table]:
    """A stacked layout ('Breakdown | Category | Year | Number'): one table per breakdown,
    each a view of the same population. The offence and the nationality views are
    counted (each in its own marts); every other view only checks them. The views must
    agree with each other, and with the 'Total' breakdown, period by period."""
    b_col, c_col = table.roles["breakdown"], table.roles["category"]
    base_roles = {r: c for r, c in table.roles.items() if r not in ("breakdown", "category")}
    views: dict[str, list[int]] = {}
    names: dict[str, str] = {}
    totals: list[int] = []
    above = ""
    for r in range(table.first_data_row, table.last_row + 1):
        kind = table.kinds.get(r, "data")
        if kind not in ("data", "total"):
            continue
        row = rows[r - 1]
        name = row[b_col - 1].strip() if b_col <= len(row) else ""
        if not name and b_col in table.filled_cols:
            name = above
        above = name
        category = row[c_col - 1].strip() if c_col <= len(row) else ""
        if is_total_label(name) or not name or lookup_key(name) in ("all", "overall"):
            totals.append(r)  # the population's total, period by period: checks every view
            table.kinds.pop(r, None)
            continue
        views.setdefault(lookup_key(name), []).append(r)  # a view's own 'Total' row stays a total row of it
        names.setdefault(lookup_key(name), name)
    out: list[Table] = []
    counted_roles: dict[str, Table] = {}
    for key, members in views.items():
        role = header_role(names[key])
        role = role if role in LABEL_ROLES - {"breakdown", "category", "record_id"} else None
        t = copy.deepcopy(table)
        t.roles = dict(sorted({**base_roles, **({role: c_col} if role else {})}.items(), key=lambda kv: kv[1]))
        t.member_rows = members
        t.kinds = {r: k for r, k in table.kinds.items() if r in set(members)}
        t.label = f"breakdown '{names[key]}'"
        t.column_notes = dict(table.column_notes)
        t.column_notes[c_col] = f"{role.replace('_', ' ') if role else 'not a dimension the marts have'} (breakdown '{names[key]}')"
        t.column_notes[b_col] = "breakdown: which view of the population each row belongs to"
        if role in ("offence_text", "offence_code", "nationality"):
            kept = counted_roles.get(role)
            if kept is None or len(set(_labels(t, rows))) > len(set(_labels(kept, rows))):
                if kept is not None:
                    kept.counted = False
                counted_roles[role] = t
            else:
                t.counted = False
        else:
            t.counted = False
        out.append(t)
    if not counted_roles and out:
        out[0].counted = True  # no offence or nationality view: the first view carries the figures
    if out:  # the rows no view holds (blank, notes) stay with the first
        members = {r for t in out for r in t.member_rows} | set(totals)
        out[0].kinds.update({r: k for r, k in table.kinds.items() if r not in members})
    if totals:
        t = copy.deepcopy(table)
        t.roles = base_roles
        t.member_rows = totals
        t.kinds = {}
        t.label = "breakdown 'Total'"
        t.counted = False
        out.append(t)
    _views_agree(out, rows)
    return out


def _labels(table: Table, rows) -> list[str]:
    c = next((c for r, c in table.roles.items() if r in SUBJECT_ROLES), None)
    return [rows[r - 1][c - 1] for r in table_rows(table) if c and c <= len(rows[r - 1])]


def _period_key(table: Table, row: list[str]) -> str:
    c = table.roles.get("period") or table.roles.get("date")
    return row[c - 1].strip() if c and c <= len(row) else ""


def _views_agree(views: list[Table], rows) -> None:
    """Every view of a stacked layout sums to the same figures period by period."""
    sums: dict[str, dict[str, list[Bounds]]] = {}
    for t in views:
        per: dict[str, list[Bounds]] = {}
        for r in table_rows(t):
            if t.kinds.get(r, "data") != "data":
                continue
            row = rows[r - 1]
            v = [b if b is not None else ZERO for b in row_vector(t, row)]
            key = _period_key(t, row)
            per[key] = [a + b for a, b in zip(per.get(key, [ZERO] * len(v)), v)]
        sums[t.label] = per
    labels = [t.label for t in views]
    agreeing = set()
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            for period in sums[a].keys() & sums[b].keys():
                va, vb = sums[a][period], sums[b][period]
                if not all(x.holds(y) for x, y in zip(va, vb)):
                    t = next(t for t in views if t.label == b)
                    when = f" in {period}" if period else ""
                    t.problems.append(
                        f"{t.where()}{a} sums to {'/'.join(x.text() for x in va)}{when}, {b} to "
                        f"{'/'.join(x.text() for x in vb)}: views of one population must agree")
                else:
                    agreeing.update((a, b))
    for t in views:
        if t.label in agreeing:
            t.checks.append(f"{t.label} agrees period by period with "
                            f"{', '.join(x for x in labels if x != t.label and x in agreeing)}")


def read_sheet(sheet, profile: dict | None = None, context: str = "") -> list[Table]:
    """Every table of a sheet, found and read (each view of a stacked layout apart)."""
    from .shape import find_tables

    profile = profile or {}
    return [v for t in find_tables(sheet, profile.get("header_row")) for v in read_table(t, sheet.rows, profile, context)]
