"""Give every column of a table a role, from its header and from its values.

A heading says what a column may be; its values say whether it can be: a column is read
as counts only when every cell is a count (`12`, `12.0`, `-`, `<5`, `*`), and never when
its numbers are row numbers (1, 2, 3, ...), years, shares or percentages. Columns across
(a cross-tab) are every column of counts whose heading is not a role: periods, or values
of the dimension named in a header row above them, or values a reviewed vocabulary
recognises (nationalities, outcomes, offences). A column that could be counts but whose
meaning is not clear is never guessed at: the table gets a problem naming the column and
the profile line that settles it, and the return is quarantined.

Every column ends with a note (Table.column_notes) saying what was decided and why; the
reading card shows them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .counts import count_bounds
from .shape import (ACROSS_DIMENSIONS, LABEL_ROLES, Table, classify_row, header_role, is_total_label, looks_like_period,
                    nationality_keys, offence_keys, outcome_keys)
from .text import lookup_key

PROFILE_ROWS = 2000  # data rows profiled per column: enough to see a row-number sequence or a share
ERROR_MARKS = {"#n/a", "#value!", "#ref!", "#div/0!", "#name?", "#null!", "#num!", "null", "n/a", "na"}
_PERCENT_HEADING = re.compile(r"%|\bper ?cent|\bpercentage\b|\bproportion\b|\bshare\b|\brate\b|\bratio\b", re.IGNORECASE)
_SEX = {"male", "female", "m", "f", "men", "women", "boys", "girls", "unknown sex", "not stated"}
_AGE_BAND = re.compile(r"^(under \d+|\d+ ?(-|to|–) ?\d+|\d+ ?\+|\d+ and over|over \d+|aged \d+.*|\d+)$", re.IGNORECASE)
_OUTCOME_CODE = re.compile(r"^(type |outcome )?\d{1,2}[a-z]?\s*[:\-–.]", re.IGNORECASE)


def column_letter(c: int) -> str:
    letters = ""
    while c:
        c, r = divmod(c - 1, 26)
        letters = chr(65 + r) + letters
    return letters


@dataclass
class ColumnProfile:
    nonblank: int = 0
    counts: int = 0  # cells readable as counts
    errors: int = 0  # '#N/A', 'NULL': read as unreadable cells, one by one, in dbt
    percents: int = 0  # cells with a % sign
    decimals: int = 0  # numbers with a fraction other than .0 (never counts)
    integers: list[int] | None = None  # the exact whole numbers, in row order, while every cell is one

    @property
    def count_like(self) -> bool:
        return self.counts > 0 and self.counts + self.errors == self.nonblank

    def sequence(self) -> bool:
        """1, 2, 3, ... (or k, k+1, ...) down the table: row numbers, not counts."""
        v = self.integers
        return bool(v) and len(v) >= 5 and all(b - a == 1 for a, b in zip(v, v[1:]))

    def years(self) -> bool:
        v = self.integers
        return bool(v) and len(v) >= 2 and all(1990 <= x <= 2100 for x in v)


_DECIMAL = re.compile(r"^-?\d[\d,]*\.\d*[1-9]\d*$")


def profile_column(values: list[str]) -> ColumnProfile:
    p = ColumnProfile(integers=[])
    for raw in values:
        text = raw.strip()
        if not text:
            continue
        p.nonblank += 1
        if "%" in text:
            p.percents += 1
        if _DECIMAL.match(text.replace("\xa0", "")):
            p.decimals += 1
        b = count_bounds(text)
        if b is not None:
            p.counts += 1
            if p.integers is not None:
                if b.low == b.high and re.fullmatch(r"[\d,\s]+(\.0+)?", text):
                    p.integers.append(b.low)
                else:
                    p.integers = None
        else:
            if text.lower() in ERROR_MARKS:
                p.errors += 1
            p.integers = None
    return p


def _cell(row: list[str], c: int) -> str:
    return row[c - 1].strip() if c <= len(row) else ""


def across_dimension(headings: list[str]) -> str | None:
    """What headings across are, from the reviewed vocabularies: the one dimension most of
    them belong to (and no other claims more than a third), else None."""
    votes: dict[str, int] = {}
    for h in headings:
        key = lookup_key(h)
        kinds = set()
        if looks_like_period(h):
            kinds.add("period")
        if key in nationality_keys():
            kinds.add("nationality")
        if key in outcome_keys() or _OUTCOME_CODE.match(h.strip()):
            kinds.add("outcome")
        if key in offence_keys():
            kinds.add("offence_text")
        if key in _SEX:
            kinds.add("sex")
        if _AGE_BAND.match(h.strip()) and not looks_like_period(h):
            kinds.add("age")
        for k in kinds:
            votes[k] = votes.get(k, 0) + 1
    if not votes:
        return None
    ranked = sorted(votes.items(), key=lambda kv: -kv[1])
    best, n = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if n * 2 >= len(headings) and runner_up * 3 <= len(headings) and n > runner_up:
        return best
    return None


def decide_columns(table: Table, rows: list[list[str]], profile: dict | None = None) -> None:
    """Set table.roles, across columns, total columns, nationality columns, notes and
    problems from the header stack and the data rows (spreadsheet rows of the table
    below its header). A profile's `columns` (header text -> role) and `across` settle
    what the header and values cannot."""
    profile = profile or {}
    forced = {lookup_key(str(h)): r for h, r in (profile.get("columns") or {}).items()}
    width = max([len(table.header_stack)] + [len(r) for r in rows[:PROFILE_ROWS]] + [0])
    stack = [table.header_stack[c] if c < len(table.header_stack) else [""] for c in range(width)]

    # provisional roles from the bottom header text, to tell data rows from totals and notes
    provisional = Table(table.sheet, table.header_row, table.headers, {}, header_stack=table.header_stack)
    for c in range(1, width + 1):
        role = header_role(stack[c - 1][-1]) if stack[c - 1][-1] else None
        if role and role not in provisional.roles and c not in table.personal_data_cols:
            provisional.roles[role] = c
    data = [r for r in rows if classify_row(r, provisional) == "data"][:PROFILE_ROWS]
    profiles = {c: profile_column([_cell(r, c) for r in data]) for c in range(1, width + 1)}

    roles: dict[str, int] = {}
    nationality_cols: list[int] = []
    offence_text_cols: list[int] = []
    count_cols: list[int] = []
    across: list[tuple[int, str | None, str, str | None, str | None]] = []  # col, dim, value, dim2, value2
    totals: list[int] = []
    unlabeled: list[int] = []
    notes = table.column_notes
    problems = table.problems
    where = table.where()

    def name(c: int) -> str:
        heading = table.headers[c - 1] if c <= len(table.headers) else ""
        return f"column {column_letter(c)} ('{heading}')" if heading else f"column {column_letter(c)} (no heading)"

    first_filled = next((c for c in range(1, width + 1) if profiles[c].nonblank), 0)
    for c in range(1, width + 1):
        texts = [t for t in stack[c - 1] if t]
        bottom = texts[-1] if texts else ""
        upper = texts[:-1]
        p = profiles[c]
        if c in table.personal_data_cols:
            notes[c] = "personal data: redacted, never read"
            continue
        role = forced.get(lookup_key(bottom)) or (header_role(bottom) if bottom else None)
        role_u = next((header_role(t) for t in upper if header_role(t)), None)
        period_u = next((t for t in upper if looks_like_period(t)), None)
        if role in LABEL_ROLES and lookup_key(bottom) in forced:
            roles.setdefault(role, c)
            notes[c] = f"{role.replace('_', ' ')} (return profile)"
            continue
        if not bottom and c == first_filled and p.nonblank and not p.count_like:
            role = "row_labels"  # the first column's labels under no heading ('' | 2022/23 | 2023/24)
        if role == "row_labels":  # an Excel pivot's labels: what they are, from the labels themselves
            values = [_cell(r, c) for r in data if _cell(r, c) and _cell(r, c) != "(blank)"]
            role = across_dimension(values) if values else None
            if role is None or role not in LABEL_ROLES:
                problems.append(f"{where}{name(c)}: could not tell whether its labels are offences, nationalities or "
                                "periods: expected a heading naming them (or 'columns: {\"Row Labels\": offence_text}' "
                                "in a return profile)")
                continue
            notes[c] = f"{role.replace('_', ' ')} (a pivot's row labels, read from the labels)"
        if role in LABEL_ROLES and not (upper and (role_u in ACROSS_DIMENSIONS or period_u)):
            # a label column; under a heading that names a dimension across, a heading is a value of it
            # numbers under an outcome or nationality heading: counts headed 'Outcomes', unless they
            # are outcome types (1 to 22)
            if (role in ("outcome", "nationality") and p.nonblank >= 2 and p.counts == p.nonblank
                    and (role == "nationality" or not p.integers or max(p.integers) > 22)):
                problems.append(f"{where}{name(c)} is headed like {role.replace('_', ' ')} labels but holds only numbers: "
                                "expected labels (if it holds counts, name it in a return profile: columns: "
                                "{'<heading>': count})")
                continue
            if role == "nationality":
                nationality_cols.append(c)
            elif role == "offence_text":
                offence_text_cols.append(c)
            elif role not in roles:
                roles[role] = c
                notes.setdefault(c, f"{role.replace('_', ' ')} (heading)")
            else:
                notes[c] = f"a second {role.replace('_', ' ')} column: not read (column {column_letter(roles[role])} is)"
            continue
        if not p.nonblank and not bottom:
            notes[c] = "empty"
            continue
        if p.percents or (_PERCENT_HEADING.search(bottom) and not p.integers):
            notes[c] = "percentages or shares: not counts"
            continue
        if _PERCENT_HEADING.search(bottom):
            notes[c] = "a share or rate by its heading: not counts"
            continue
        if not p.count_like:
            if p.nonblank and p.decimals and (role == "count" or looks_like_period(bottom) or role_u or period_u):
                problems.append(f"{where}{name(c)} holds decimals such as '{next(_cell(r, c) for r in data if _DECIMAL.match(_cell(r, c)))}': "
                                "expected whole counts (add a return profile naming the count column)")
                continue
            if role == "count" or looks_like_period(bottom):
                bad = next((_cell(r, c) for r in data if _cell(r, c) and count_bounds(_cell(r, c)) is None
                            and _cell(r, c).lower() not in ERROR_MARKS), None)
                if bad is not None:
                    problems.append(f"{where}{name(c)} is headed like counts but holds '{bad}': expected whole numbers "
                                    "or withheld marks such as <5")
                else:  # blank, or only marks such as '#N/A' that dbt quarantines cell by cell
                    notes[c] = "counts heading, no readable count in it"
                    count_cols.append(c) if role == "count" else across.append((c, "period", bottom, None, None))
                continue
            notes[c] = "text: not read" if bottom else "text without a heading: not read"
            continue
        # a column of counts, by its values
        if p.sequence() and not looks_like_period(bottom):
            notes[c] = f"row numbers ({p.integers[0]}, {p.integers[1]}, ... {p.integers[-1]}): not counts"
            continue
        if p.years() and (role == "period" or not bottom or header_role(bottom) in ("period", None)) and not looks_like_period(bottom):
            if role == "period":
                roles.setdefault("period", c)
                notes[c] = "period (years)"
            else:
                problems.append(f"{where}{name(c)} holds only years ({p.integers[0]}, ...): expected counts; "
                                "name its role in a return profile")
            continue
        if role == "count" and is_total_label(bottom) and not upper:
            totals.append(c)
            continue
        if role == "count" and not upper and not period_u:
            count_cols.append(c)
            continue
        if looks_like_period(bottom):
            dim2 = role_u if role_u in ACROSS_DIMENSIONS and role_u != "period" else None
            across.append((c, "period", bottom, dim2, None))
            continue
        if period_u and (role == "count" or not bottom):
            across.append((c, "period", period_u, None, None))
            continue
        if period_u and bottom:
            across.append((c, "period", period_u, "?", bottom))
            continue
        if role_u in ACROSS_DIMENSIONS and bottom and not is_total_label(bottom):
            across.append((c, role_u, bottom, None, None))
            continue
        if bottom and is_total_label(bottom):
            totals.append(c)
            continue
        if not bottom:
            unlabeled.append(c)
            continue
        across.append((c, None, bottom, None, None))

    # several nationality columns: every one is read (a dual national's second nationality)
    if nationality_cols:
        roles["nationality"] = nationality_cols[0]
        for k, c in enumerate(nationality_cols):
            notes[c] = "nationality (heading)" if k == 0 else "a further nationality of the same person (heading)"
        table.nationality_cols = nationality_cols if len(nationality_cols) > 1 else []
    if offence_text_cols:
        # 'Offence group' beside 'Offence': the column with more distinct labels is the finer one
        def distinct(c: int) -> int:
            return len({_cell(r, c) for r in data if _cell(r, c)})
        best = max(offence_text_cols, key=lambda c: (distinct(c), -c))
        roles["offence_text"] = best
        for c in offence_text_cols:
            notes[c] = "offence (heading)" if c == best else \
                f"offence labels coarser than column {column_letter(best)}'s: not read"

    if unlabeled:
        problems.append(f"{where}{', '.join(name(c) for c in unlabeled)} holds numbers under no heading: "
                        "expected a heading saying what they count (or a return profile naming the column)")

    # 'Offence | Community Resolution | Charged | Cautioned': a count heading that is an outcome
    # beside other outcomes across is one of the outcomes across, not the count column
    if across and count_cols and all(a[1] in (None, "outcome") for a in across):
        outcome_like = [c for c in count_cols if lookup_key(table.headers[c - 1]) in outcome_keys()]
        if outcome_like and across_dimension([a[2] for a in across] + [table.headers[c - 1] for c in outcome_like]) == "outcome":
            count_cols = [c for c in count_cols if c not in outcome_like]
            across = sorted([(a[0], "outcome", *a[2:]) for a in across]
                            + [(c, "outcome", table.headers[c - 1], None, None) for c in outcome_like])

    # what the columns across are: one dimension for all of them
    if across:
        unknown = [a for a in across if a[1] is None]
        if unknown:
            dim = profile.get("across") or across_dimension([a[2] for a in unknown])
            if dim is None or (dim in roles and dim != "period"):
                problems.append(
                    f"{where}{', '.join(name(a[0]) for a in unknown)} hold counts but their headings "
                    f"({', '.join(repr(a[2]) for a in unknown[:6])}) are not periods and name no known nationality, "
                    "outcome or offence: expected a header row naming them (add 'across: nationality' or another "
                    "dimension to the return profile)")
                across = [a for a in across if a[1] is not None]
            else:
                across = [(a[0], dim if a[1] is None else a[1], a[2], a[3], a[4]) for a in across]
        dims = {a[1] for a in across}
        if len(dims) > 1:
            problems.append(f"{where}columns across mix {' and '.join(sorted(dims))} headings: expected one dimension across")
        elif across:
            dim = dims.pop()
            second = [a for a in across if a[3]]
            if second:
                values2 = [a[4] for a in second]
                dim2 = second[0][3] if second[0][3] != "?" else (profile.get("across2") or across_dimension(values2))
                if dim2 is None or len(second) != len(across):
                    problems.append(f"{where}a two-row header over {', '.join(name(a[0]) for a in second[:4])}: could "
                                    "not tell what its lower row names: expected counts under each heading")
                else:
                    table.across_role2, table.across_values2 = dim2, [a[4] or a[2] for a in across]
            table.across_role = dim
            table.across_cols = [a[0] for a in across]
            table.across_values = [a[2] for a in across]
            for a in across:
                notes[a[0]] = f"counts across: {dim.replace('_', ' ')} '{a[2]}'" + (
                    f", {table.across_role2.replace('_', ' ')} '{a[4]}'" if table.across_role2 and a[4] else "")
            if dim in roles and dim != "period":
                problems.append(f"{where}{dim.replace('_', ' ')} is both a column and the headings across: expected one")

    if count_cols and table.across_cols:
        problems.append(f"{where}{name(count_cols[0])} and the columns across both hold counts: expected one or the "
                        "other (a row total should be headed 'Total')")
    elif len(count_cols) > 1:
        problems.append(f"{where}two candidate count columns, {name(count_cols[0])} and {name(count_cols[1])}: "
                        "expected one (name it in a return profile: columns: {'<heading>': count})")
    elif count_cols:
        roles["count"] = count_cols[0]
        notes[count_cols[0]] = "count (heading)"
    if totals:
        if table.across_cols:
            table.total_cols = totals
            for c in totals:
                notes[c] = "row total: checked against the columns across, never counted"
        elif "count" not in roles and len(totals) == 1:
            roles["count"] = totals[0]  # 'Offence | Total': the only count column
            notes[totals[0]] = "count (heading 'Total', the only count column)"
        else:
            for c in totals:
                notes[c] = "a total: not counted"

    table.roles = dict(sorted(roles.items(), key=lambda kv: kv[1]))
    if table.shape == "record" and not problems:
        _check_record_level(table, profiles, notes, problems, name, profile)


def _check_record_level(table: Table, profiles: dict[int, ColumnProfile], notes: dict[int, str],
                        problems: list[str], name, profile: dict) -> None:
    """A table with no count column is one row per community resolution. Numbers beside
    the labels could be counts under an unrecognised heading (or shares, with the counts
    left out): only a reference, a date, an age or a sex per row, or row numbers (things an
    aggregate table never has), or a profile saying so, make that reading safe."""
    per_person = ({"record_id", "date", "age", "sex", "victim_age"} & table.roles.keys()
                  or any("row numbers" in n for n in notes.values()) or profile.get("record_level"))
    numeric = [c for c, p in profiles.items() if (p.count_like or p.percents or p.decimals) and p.nonblank
               and c not in table.roles.values() and c not in table.nationality_cols
               and "row numbers" not in notes.get(c, "") and c not in table.personal_data_cols]
    for c in numeric:
        if per_person:
            notes[c] = notes.get(c, "numbers") + "; each row is one record (it has a reference, date, age, sex or row number)"
        else:
            problems.append(f"{table.where()}{name(c)} holds numbers but no column holds counts: expected a count column "
                            "(name it in a return profile: columns: {'<heading>': count}) or, if each row is one "
                            "community resolution, 'record_level: true' in the profile")
