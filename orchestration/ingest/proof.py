"""Prove a table's reading against the return's own totals.

A reading is a claim: these cells are the counts, these rows are data. A return usually
says what its counts add up to: a Total or Grand Total row, subtotal rows (per year, per
offence group), a row-total column, a total stated in a title or a note. Each one is a
check the reading must pass:

- a total row equals the data rows between it and some earlier boundary (the top of the
  table or an earlier total row): a subtotal covers its block, a grand total everything;
- a total row above the data (a pivot's 'All offences' first) equals the rows below it;
- a row-total column equals the row's columns across;
- a record-level table's stated total equals its number of rows;

each within the bounds withheld cells allow. A check that fails makes the table a problem
(the return is quarantined with both numbers); a table whose checks all pass, with at
least one, is `reconciled`. Group rows of a pivot pasted as values (a group's subtotal on
its own row, without the word Total) are found the same way: rows that are each the sum
of the rows under them, which a Grand Total confirms or a 'Row Labels' heading marks.
"""

from __future__ import annotations

import re

from .columns import column_letter
from .counts import ZERO, Bounds, count_bounds
from .shape import Table, label_columns

MAX_PIVOT_ROWS = 5000  # a pivot pasted as values is small; the search for group rows is quadratic
_STATED_TOTAL = re.compile(r"\b(?:grand )?total\b[^0-9]{0,40}?(\d{1,3}(?:,\d{3})+|\d+)\b", re.IGNORECASE)


def _cell(row: list[str], c: int) -> str:
    return row[c - 1].strip() if c <= len(row) else ""


def count_columns(table: Table) -> list[int]:
    if table.across_cols:
        return list(table.across_cols)
    if "count" in table.roles:
        return [table.roles["count"]]
    return []


def row_vector(table: Table, row: list[str]) -> list[Bounds | None]:
    """The bounds of a row's count cells (one per count column; [1] for a record)."""
    cols = count_columns(table)
    if not cols:
        return [Bounds(1, 1)]
    return [count_bounds(_cell(row, c)) for c in cols]


def _label(table: Table, row: list[str]) -> str:
    texts = [_cell(row, c) for c in label_columns(table) if _cell(row, c)]
    return texts[0] if texts else next((c.strip() for c in row if c.strip()), "")


def _add(a: list[Bounds | None], b: list[Bounds | None]) -> list[Bounds | None]:
    return [None if x is None or y is None else x + y for x, y in zip(a, b)]


def _holds(total: list[Bounds | None], parts: list[Bounds | None]) -> bool:
    """Every total cell that was given holds the sum of its parts, and at least one was."""
    given = [(t, p) for t, p in zip(total, parts) if t is not None]
    return bool(given) and all(p is not None and t.holds(p) for t, p in given)


def _text(v: list[Bounds | None]) -> str:
    shown = [b.text() if b is not None else "?" for b in v]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"


def find_group_rows(table: Table, rows: dict[int, list[str]], data_rows: list[int], has_grand_total: bool) -> list[int]:
    """Rows of a pivot pasted as values that carry their group's subtotal without the
    word Total: the table splits into groups, each a row equal to the sum of the rows
    under it, at least two groups. Accepted when a Grand Total row (checked afterwards)
    stands behind it, or, with none, a 'Row Labels' heading and most groups of two rows
    or more (a single row under a group equals it by construction)."""
    cols = count_columns(table)
    if not cols or not 4 <= len(data_rows) <= MAX_PIVOT_ROWS:
        return []
    pivot_heading = any("row labels" in h.lower() for h in table.headers)
    if not (pivot_heading or has_grand_total):
        return []
    vectors = [row_vector(table, rows[r]) for r in data_rows]
    if any(b is None for v in vectors for b in v):
        return []
    n = len(vectors)
    # groups[i]: a split of vectors[i:] into groups, as the index of each group row
    best: dict[int, list[int] | None] = {n: []}
    for i in range(n - 1, -1, -1):
        best[i] = None
        running = [ZERO] * len(cols)
        for j in range(i + 1, n):
            running = _add(running, vectors[j])
            if all(t.holds(p) for t, p in zip(vectors[i], running)) and best.get(j + 1) is not None:
                best[i] = [i] + best[j + 1]
                break
            if any(p.low > t.high for t, p in zip(vectors[i], running)):
                break
    groups = best[0]
    if not groups or len(groups) < 2:
        return []
    sizes = [(groups[k + 1] if k + 1 < len(groups) else n) - g - 1 for k, g in enumerate(groups)]
    if not has_grand_total and sum(s >= 2 for s in sizes) * 2 < len(sizes):
        return []
    return [data_rows[i] for i in groups]


def prove(table: Table, rows, kinds: dict[int, str], notes_text: str = "", pin: bool = True) -> None:
    """Check the table against its totals; set table.checks, verification, data bounds
    and problems. `kinds` gives the kind of every row of the table below its header that
    is not data (and may give the data rows too); every other row of
    table_rows(table) is data. `rows[r]` is spreadsheet row r's cells: every row for a
    table with count columns, at least the non-data rows for a record-level one.
    `notes_text` is the title block and notes around the table, for a stated total.
    With `pin`, a withheld cell's bounds are narrowed by the exact totals it is part of
    (Table.pinned): Total 1,845 = 1,678 + 121 + one withheld cell makes that cell 46."""
    where = table.where()
    cols = count_columns(table)
    record = not cols
    checks, failures = table.checks, []
    width = max(1, len(cols))

    def vector(r: int) -> list[Bounds]:
        if record:
            return [Bounds(1, 1)]
        return [b if b is not None else ZERO for b in row_vector(table, rows[r])]  # unreadable cells: dbt's to report

    if record and table.member_rows is None:  # a big export: count its rows, never list them
        span, data_rows = [], []
        n_data = table.last_row - table.first_data_row + 1 - sum(
            1 for k, v in kinds.items() if v != "data" and table.first_data_row <= k <= table.last_row)
        data_sum = [Bounds(n_data, n_data)]
    else:
        span = table_rows(table)
        data_rows = [r for r in span if kinds.get(r, "data") == "data"]
        n_data = len(data_rows)
        data_sum = [ZERO] * width
        for r in data_rows:
            data_sum = [s + b for s, b in zip(data_sum, vector(r))]
    total = sum(data_sum, ZERO)
    table.data_low, table.data_high = total.low, total.high

    constraints: list[tuple[list[tuple[int, int]], int]] = []  # cells and the exact total they add up to

    def constrain(block: list[int], t: list[Bounds | None]) -> None:
        for j, b in enumerate(t):
            if b is not None and b.low == b.high and not record:
                constraints.append(([(x, cols[j]) for x in block], b.low))

    # a row-total column: each row's columns across add up to it
    for tc in table.total_cols:
        bad, n_checked, exact_rows = [], 0, []
        for r in span:
            if kinds.get(r, "data") not in ("data", "total"):
                continue
            t = count_bounds(_cell(rows[r], tc))
            parts = row_vector(table, rows[r])
            if t is None or not _cell(rows[r], tc):
                continue
            n_checked += 1
            if None in parts or not t.holds(sum(parts, ZERO)):
                bad.append((r, t, parts))
            elif kinds.get(r, "data") == "data" and t.low == t.high:
                exact_rows.append(([(r, c) for c in cols], t.low))
        if bad and _partial_total_column(table, rows, span, kinds, tc, cols, checks):
            continue  # its parts are not every column across: it narrows nothing
        constraints.extend(exact_rows)
        if bad:
            r, t, parts = bad[0]
            s = "?" if None in parts else sum(parts, ZERO).text()
            failures.append(f"{where}row {r}: the columns across sum to {s}, the '{table.headers[tc - 1]}' column "
                            f"({column_letter(tc)}) says {t.text()}" + (f" (and {len(bad) - 1} more rows)" if len(bad) > 1 else ""))
        elif n_checked:
            checks.append(f"row-total column {column_letter(tc)}: {n_checked} rows add up")

    # total rows: each equals the data between an earlier boundary and itself (a subtotal
    # its block, a grand total everything), or, above any data, the rows below it
    boundaries = [(0, [ZERO] * width)]  # (data rows before, the running sum there)
    running = [ZERO] * width
    seen = 0
    previous = table.first_data_row - 1
    next_data = 0  # index into data_rows of the first data row not yet summed
    summed: list[int] = []  # the data rows summed so far, in order
    # a pivot's last group ends at its Grand Total (the first total row after the last group)
    stop_of_groups = min([r for r, k in kinds.items() if k == "total" and r not in table.group_rows
                          and r > max(table.group_rows, default=0)] + [table.last_row + 1])
    for r in sorted(k for k in kinds if kinds[k] != "data") + [None]:
        # the data rows between the previous non-data row and this one
        stop = r if r is not None else table.last_row + 1
        if record and table.member_rows is None:
            between = stop - previous - 1  # no non-data row lies between two consecutive ones
            seen += between
            running = [running[0] + Bounds(between, between)]
        else:
            while next_data < len(data_rows) and data_rows[next_data] < stop:
                summed.append(data_rows[next_data])
                running = [a + b for a, b in zip(running, vector(data_rows[next_data]))]
                seen += 1
                next_data += 1
        previous = stop
        if r in table.group_rows:  # checked when found: the rows under it, up to the next group row
            block = [x for x in data_rows if r < x < min([g for g in table.group_rows if g > r] + [stop_of_groups])]
            constrain(block, row_vector(table, rows[r]))
            continue
        if r is None or kinds[r] != "total":
            continue
        t = _total_vector(table, rows[r], record)
        label = _label(table, rows[r])
        if t is None or all(b is None for b in t):
            checks.append(f"row {r} '{label}': no figure to check")
            continue
        matched = None
        for before, at in reversed(boundaries):
            if before < seen and _holds_sub(t, _minus(running, at)):
                matched = before
                break
        period_col = table.roles.get("period")
        if matched is None and period_col and _cell(rows[r], period_col) and not record:
            # a period's total ('2023 | Total | 8,947') where rows are not in period order
            same = [x for x in data_rows if _cell(rows[x], period_col) == _cell(rows[r], period_col)]
            part = [ZERO] * width
            for x in same:
                part = [a + b for a, b in zip(part, vector(x))]
            if same and _holds_sub(t, _minus(part, [ZERO] * width)):
                checks.append(f"row {r} '{label}' = the {len(same):,} data rows of {_cell(rows[r], period_col)} ({_text(t)})")
                constrain(same, t)
                continue
        if matched is None and seen == 0:  # a total above the data: the rows below it
            if _holds_sub(t, _minus(data_sum, [ZERO] * width)):
                checks.append(f"row {r} '{label}' = the {n_data:,} data rows below it ({_text(t)})")
                constrain(data_rows, t)
                continue
        if matched is None and not record and any(x > r for x in data_rows):
            # a subtotal of the rows just above it with more rows after it ('EU total' after
            # the EU nationalities): exact rows only, so no withheld range makes it fit
            k = _exact_run_above(summed[boundaries[-1][0]:seen], vector, t)
            if k:
                checks.append(f"row {r} '{label}' = the {k} data rows just above it ({_text(t)}), a partial subtotal")
                continue
        if matched is None:
            block = _minus(running, boundaries[-1][1])
            failures.append(f"{where}row {r} '{label}' says {_text(t)}, the rows above it sum to {_sub_text(block)}"
                            + (f" (all {seen:,} rows above: {_sub_text(_minus(running, boundaries[0][1]))})"
                               if len(boundaries) > 1 else ""))
        else:
            checks.append(f"row {r} '{label}' = {'all ' if matched == 0 else ''}{seen - matched:,} data rows above it ({_text(t)})")
            if not record:
                constrain(summed[matched:seen], t)
        boundaries.append((seen, list(running)))

    # a total stated in the title block or a note ('Total records: 4,129'): a check when it
    # agrees; a number in prose may be about something else, so disagreeing proves nothing
    if notes_text and not failures:
        for m in _STATED_TOTAL.finditer(notes_text):
            stated = int(m.group(1).replace(",", ""))
            if total.low <= stated <= total.high and stated > 0:
                checks.append(f"stated total '{m.group(0).strip()}' = the table's {'rows' if record else 'counts'}")
                break

    table.problems.extend(failures)
    if pin and constraints and not failures:
        cells = {(r, c): count_bounds(_cell(rows[r], c)) for r in data_rows for c in cols}
        table.pinned = pin_withheld(cells, constraints)
        if table.pinned:
            low = sum(b.low for k, b in cells.items() if b is not None)
            high = sum(b.high for k, b in cells.items() if b is not None)
            checks.append(f"{len(table.pinned)} withheld cells narrowed by the totals: the table's counts "
                          f"{Bounds(table.data_low, table.data_high).text()} -> {Bounds(low, high).text()}")
            table.data_low, table.data_high = low, high
    if failures:
        table.verification = "failed"
    elif any(" = " in c or "add up" in c for c in checks):
        table.verification = "reconciled"


def pin_withheld(cells: dict[tuple[int, int], Bounds | None],
                 constraints: list[tuple[list[tuple[int, int]], int]]) -> dict[tuple[int, int], tuple[int, int]]:
    """Narrow the bounds of withheld cells from exact totals: a cell of a total T lies
    between T minus the others' highs and T minus the others' lows. Repeated until
    nothing changes (a cell may be in a row total and a column total). `cells` is
    updated in place; returns the cells whose bounds changed."""
    usable = [(xs, t) for xs, t in constraints if xs and all(cells.get(x) is not None for x in xs)]
    changed: dict[tuple[int, int], tuple[int, int]] = {}
    for _ in range(50):
        moved = False
        for xs, t in usable:
            lows = sum(cells[x].low for x in xs)
            highs = sum(cells[x].high for x in xs)
            for x in xs:
                b = cells[x]
                if b.low == b.high:
                    continue
                lo, hi = max(b.low, t - (highs - b.high)), min(b.high, t - (lows - b.low))
                if (lo, hi) != (b.low, b.high) and lo <= hi:
                    lows, highs = lows - b.low + lo, highs - b.high + hi
                    cells[x] = Bounds(lo, hi)
                    changed[x] = (lo, hi)
                    moved = True
        if not moved:
            break
    return changed


def table_rows(table: Table) -> list[int]:
    """The spreadsheet rows (1-based) of the table below its header."""
    if table.member_rows is not None:
        return list(table.member_rows)
    return list(range(table.first_data_row, table.last_row + 1))


def _total_vector(table: Table, row: list[str], record: bool) -> list[Bounds | None] | None:
    if not record:
        return row_vector(table, row)
    # a record-level table's total row: the one number in it ('Grand Total | 4492', 'Total records: 4,129')
    numbers = [count_bounds(c) for c in row if c.strip() and count_bounds(c) is not None and count_bounds(c).low == count_bounds(c).high]
    if len(numbers) == 1:
        return numbers
    found = [int(m.group(1).replace(",", "")) for c in row for m in _STATED_TOTAL.finditer(c)]
    return [Bounds(found[0], found[0])] if len(found) == 1 else None


def _exact_run_above(block: list[int], vector, t: list[Bounds | None]) -> int:
    """How many rows (two or more) at the end of `block` add up exactly to the exact total
    `t`, every cell of theirs exact; 0 when none do."""
    if any(b is None or b.low != b.high for b in t):
        return 0
    part = [0] * len(t)
    for k, x in enumerate(reversed(block), start=1):
        v = vector(x)
        if any(b.low != b.high for b in v):
            return 0
        part = [a + b.low for a, b in zip(part, v)]
        if k >= 2 and part == [b.low for b in t]:
            return k
    return 0


def _partial_total_column(table: Table, rows, span: list[int], kinds: dict[int, str], tc: int, cols: list[int],
                          checks: list[str]) -> bool:
    """A total column before the last one that adds up the columns just left of it, back to
    the previous total column ('England | Wales | Scotland | UK total | Polish | ... |
    Grand Total'), exactly in every row: a partial subtotal, whose parts the last total
    column checks. True (with the check noted) when it is one."""
    if tc >= max(table.total_cols):
        return False
    start = max([c for c in table.total_cols if c < tc], default=0)
    run = [j for j, c in enumerate(cols) if start < c < tc]
    if len(run) < 2:
        return False
    n = 0
    for r in span:
        if kinds.get(r, "data") not in ("data", "total") or not _cell(rows[r], tc):
            continue
        t, parts = count_bounds(_cell(rows[r], tc)), row_vector(table, rows[r])
        picked = [parts[j] for j in run]
        if t is None or t.low != t.high or any(b is None or b.low != b.high for b in picked) \
                or sum(b.low for b in picked) != t.low:
            return False
        n += 1
    if n:
        checks.append(f"column {column_letter(tc)} '{table.headers[tc - 1]}' = columns "
                      f"{column_letter(cols[run[0]])}-{column_letter(cols[run[-1]])} in {n} rows, a partial subtotal")
    return n > 0


def _minus(running: list[Bounds], earlier: list[Bounds]) -> list[tuple[int, int]]:
    """The sum of the rows between two points of a running sum, as (low, high)."""
    return [(a.low - b.low, a.high - b.high) for a, b in zip(running, earlier)]


def _holds_sub(total: list[Bounds | None], part: list[tuple[int, int] | None]) -> bool:
    given = [(t, p) for t, p in zip(total, part) if t is not None]
    return bool(given) and all(p is not None and p[0] <= t.high and t.low <= p[1] for t, p in given)


def _sub_text(v: list[tuple[int, int] | None]) -> str:
    shown = ["?" if p is None else (f"{p[0]:,}" if p[0] == p[1] else f"{p[0]:,}-{p[1]:,}") for p in v]
    return shown[0] if len(shown) == 1 else "(" + ", ".join(shown) + ")"
