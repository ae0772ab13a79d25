"""Narrow the bounds of withheld cells by the exact totals of their own table, as a correct
reader does (and as the pipeline's reader does, written here on its own so the manifest
does not take the pipeline's word for it).

A withheld cell (<5, *, [c], 1-4) counts 1 to 4. An exact total T of cells x1..xn says
x1 + ... + xn = T, so each withheld xi lies between T minus the others' highs and T minus
the others' lows: Total 43 = 20 + 21 + one withheld cell makes that cell exactly 2;
Total 45 = 20 + 21 + two withheld cells makes each 1 to 3. A cell may be in several totals
(its column's Total row and its row's Total column), so the rule is applied to every
total of the file until nothing moves.

Totals used, as a table states them:
  grand_total, subtotal, column_total  a Total / Grand Total / per-year subtotal row: the
                                       data cells it adds up
  row_totals                           a cross-tab's Total column: each row's cells across,
                                       where that row's total is written (a withheld row
                                       total is not exact and narrows nothing)
Not used: a total stated in a sentence (kind stated) and totals about other rows or sheets
(records, summary): a reader cannot tie them to cells of the table.
"""

from __future__ import annotations

from .writers import FileAccount, cell_ref

NARROWING_TOTALS = ("grand_total", "subtotal", "column_total")


def _rows(ranges: list[list[int]]) -> list[int]:
    return [r for first, last in ranges for r in range(first, last + 1)]


def constraints(acc: FileAccount) -> list[tuple[list[tuple], int]]:
    """(cells, T): the cells (sheet, row, column) that an exact total T of the file adds up."""
    out = []
    for t in acc.totals:
        if t["kind"] in NARROWING_TOTALS:
            first, last = t["sums"]["columns"]
            xs = [(t["sheet"], r, c) for r in _rows(t["sums"]["rows"]) for c in range(first, last + 1)]
            out.append((xs, t["value"]))
        elif t["kind"] == "row_totals":
            first, last = t["sums"]["columns"]
            for r in _rows(t["rows"]):
                if cell_ref(t["sheet"], r, t["column"]) in acc.withheld:
                    continue
                xs = [(t["sheet"], r, c) for c in range(first, last + 1)]
                out.append((xs, sum(acc.cells[x].value for x in xs)))
    for xs, total in out:  # every total is the true sum of what it adds up
        assert sum(acc.cells[x].value for x in xs) == total, (acc.path, xs[:3], total)
    return out


def narrow(acc: FileAccount) -> dict[tuple, tuple[int, int]]:
    """The bounds of every withheld cell of the file, narrowed by its totals until nothing
    moves: (sheet, row, column) -> (low, high); also kept as acc.narrowed."""
    bounds = {x: (c.low, c.high) for x, c in acc.cells.items()}
    withheld = {x for x, c in acc.cells.items() if c.low != c.high}
    found = [(xs, t) for xs, t in constraints(acc) if withheld.intersection(xs)]
    moved = True
    while moved:
        moved = False
        for xs, t in found:
            lows = sum(bounds[x][0] for x in xs)
            highs = sum(bounds[x][1] for x in xs)
            for x in xs:
                low, high = bounds[x]
                if low == high:
                    continue
                new = (max(low, t - (highs - high)), min(high, t - (lows - low)))
                if new != (low, high):
                    assert new[0] <= acc.cells[x].value <= new[1], (acc.path, x, new)
                    bounds[x] = new
                    lows += new[0] - low
                    highs += new[1] - high
                    moved = True
    out = {x: bounds[x] for x in sorted(withheld)}
    acc.narrowed = out
    return out
