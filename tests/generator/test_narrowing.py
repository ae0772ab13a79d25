"""Withheld cells narrowed by their tables' own totals: the manifest's bounds are the
narrowed ones, they always hold the truth, narrowing never widens a bound, and each
withheld cell's narrowed bounds follow from the numbers written in the files (read back
with the csv module and python-calamine, not from the generator's bookkeeping)."""

from __future__ import annotations

import pytest

from synthetic_returns.generate import generate
from synthetic_returns.narrow import narrow
from synthetic_returns.writers import Cell, FileAccount
from tests.generator.readback import read_landing
from tests.generator.test_totals import TOKENS, cell, letter, number, rows_of

NATIONALITY = ("foreign_nationals", "uk_nationals", "nationality_not_recorded", "nationality_unmapped")


def test_a_worked_cross_tab():
    """      B    C    D (Total)
    row 2   20   <5   22          C2 = 22 - 20 = 2
    row 3   <5   <5   <5          a withheld row total narrows nothing
    row 4   23    3   26 (Total)  B3 = 23 - 20 = 3; C3 = 3 - C2 = 1 (once C2 is known)"""
    acc = FileAccount("force/table.csv")
    acc.cells = {("", 2, 2): Cell(20, 20, 20, None), ("", 2, 3): Cell(1, 4, 2, None),
                 ("", 3, 2): Cell(1, 4, 3, None), ("", 3, 3): Cell(1, 4, 1, None)}
    acc.withheld = {"C2": 2, "B3": 3, "C3": 1, "D3": 4}
    acc.totals = [
        {"kind": "column_total", "sheet": "", "row": 4, "column": 2, "value": 23, "sums": {"rows": [[2, 3]], "columns": [2, 2]}},
        {"kind": "column_total", "sheet": "", "row": 4, "column": 3, "value": 3, "sums": {"rows": [[2, 3]], "columns": [3, 3]}},
        {"kind": "grand_total", "sheet": "", "row": 4, "column": 4, "value": 26, "sums": {"rows": [[2, 3]], "columns": [2, 3]}},
        {"kind": "row_totals", "sheet": "", "column": 4, "rows": [[2, 3]], "value": 26, "sums": {"columns": [2, 3]}},
    ]
    assert narrow(acc) == {("", 2, 3): (2, 2), ("", 3, 2): (3, 3), ("", 3, 3): (1, 1)}
    # without the Total column, C2 and C3 only share 3: each 1 or 2
    acc.totals = acc.totals[:3]
    assert narrow(acc) == {("", 2, 3): (1, 2), ("", 3, 2): (3, 3), ("", 3, 3): (1, 2)}


def test_a_stated_total_narrows_nothing():
    """'In total 21 community resolutions' below 20 + <5 is prose: the cell stays 1 to 4."""
    acc = FileAccount("force/table.csv")
    acc.cells = {("", 2, 2): Cell(20, 20, 20, None), ("", 3, 2): Cell(1, 4, 1, None)}
    acc.withheld = {"B3": 1}
    acc.totals = [{"kind": "stated", "sheet": "", "row": 5, "column": 1, "value": 21, "sums": {"rows": [[2, 3]], "columns": [2, 2]}}]
    assert narrow(acc) == {("", 3, 2): (1, 4)}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed2025scale2")
    return out, generate(2025, 2, out)


@pytest.fixture(params=["seed 2025", "seed 7", "seed 2025 scale 2"])
def corpus(request, sample, other_seed, scaled):
    return {"seed 2025": sample, "seed 7": other_seed, "seed 2025 scale 2": scaled}[request.param]


def test_narrowed_bounds_hold_the_truth_and_never_widen(corpus):
    _, m = corpus
    narrowed = pinned = 0
    for rel, f in m["files"].items():
        withheld, bounds = f["withheld"], f["withheld_bounds"]
        assert set(bounds) <= set(withheld), rel  # the rest are withheld row totals
        for ref, (low, high) in bounds.items():
            assert 1 <= low <= withheld[ref] <= high <= 4, (rel, ref, low, high)
            narrowed += (low, high) != (1, 4)
            pinned += low == high
        lo, hi = f["community_resolutions"]
        wide_lo, wide_hi = f["community_resolutions_unnarrowed"]
        assert wide_lo <= lo <= hi <= wide_hi, rel
    for fid, f in m["figures"].items():
        assert f["low_unnarrowed"] <= f["low"] <= f["withheld_at_truth"][0], fid
        assert f["withheld_at_truth"][1] <= f["high"] <= f["high_unnarrowed"], fid
        if fid not in NATIONALITY:  # nationality not recorded hides people from the files
            assert f["low"] <= f["truth"] <= f["high"], fid
    assert narrowed > 20 and pinned > 5
    total = m["figures"]["total"]
    assert total["low_unnarrowed"] < total["low"] <= total["truth"] <= total["high"] < total["high_unnarrowed"]


def _narrow_as_written(f, mf: dict) -> dict[str, tuple[int, int]]:
    """The narrowing done again from the file as written: cell bounds and totals as the
    file shows them, the manifest saying only which cells each total adds up."""
    def bounds(sheet, r, c):
        v = cell(f, sheet, r, c)
        return (1, 4) if v in TOKENS else (number(v), number(v))

    sums = []
    for t in mf["totals"]:
        first, last = t["sums"]["columns"] if "sums" in t else (0, -1)
        if t["kind"] in ("grand_total", "subtotal", "column_total"):
            xs = [(t["sheet"], r, c) for r in rows_of(t["sums"]["rows"]) for c in range(first, last + 1)]
            sums.append((xs, number(cell(f, t["sheet"], t["row"], t["column"]))))
        elif t["kind"] == "row_totals":
            for r in rows_of(t["rows"]):
                written = cell(f, t["sheet"], r, t["column"])
                if written not in TOKENS:
                    sums.append(([(t["sheet"], r, c) for c in range(first, last + 1)], number(written)))
    b = {x: bounds(*x) for xs, _ in sums for x in xs}
    changed = True
    while changed:
        changed = False
        for xs, total in sums:
            for x in xs:
                others_low = sum(b[y][0] for y in xs if y != x)
                others_high = sum(b[y][1] for y in xs if y != x)
                new = (max(b[x][0], total - others_high), min(b[x][1], total - others_low))
                if new != b[x]:
                    b[x], changed = new, True
    ref = {x: f"{x[0]}!{letter(x[2])}{x[1]}" if x[0] else f"{letter(x[2])}{x[1]}" for x in b}
    return {ref[x]: v for x, v in b.items() if ref[x] in mf["withheld"]}


@pytest.mark.parametrize("which", ["seed 2025", "seed 7"])
def test_narrowed_bounds_follow_from_the_written_totals(which, sample, other_seed, files):
    out, m = {"seed 2025": sample, "seed 7": other_seed}[which]
    read = files if which == "seed 2025" else read_landing(out / "landing")
    checked = 0
    for rel, mf in m["files"].items():
        if not mf["withheld"]:
            continue
        again = _narrow_as_written(read[rel], mf)
        assert set(again) <= set(mf["withheld_bounds"]), rel
        # a withheld cell no total adds up keeps 1 to 4
        expected = {ref: tuple(again.get(ref, (1, 4))) for ref in mf["withheld_bounds"]}
        assert {ref: tuple(b) for ref, b in mf["withheld_bounds"].items()} == expected, rel
        checked += len(expected)
    assert checked > 100
