"""The totals the generated returns state, read back from the written files (csv module,
python-calamine): every total the manifest lists sits where it says and equals the sum of
the true values of what it totals (a withheld cell at the true value the manifest gives
for it), and whole-table totals equal the force's true count from the population."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from synthetic_returns.catalogue import CR_LABELS, YOUTH_CR_LABEL
from synthetic_returns.generate import generate
from synthetic_returns.writers import column_letter as letter
from tests.generator.readback import read_landing

TOKENS = {"<5", "*", "[c]", "1-4"}
RECORD_REF = re.compile(r"^[A-Z]{2,3}/\d{2}/\d{5,7}$")
TOTAL_WORD = re.compile(r"\btotal\b", re.IGNORECASE)


def cell(f, sheet: str, row: int, col: int):
    rows = f.sheets[sheet]
    assert 1 <= row <= len(rows), (f.rel, sheet, row)
    r = rows[row - 1]
    return r[col - 1] if col <= len(r) else ""


def number(v) -> int:
    """A count cell as written: a number, or '-', '0' or blank for nil."""
    if isinstance(v, float):
        assert v.is_integer(), v
        return int(v)
    if isinstance(v, int):
        return v
    v = str(v).strip()
    return 0 if v in ("", "-") else int(v.replace(",", ""))


def true_value(f, withheld: dict, sheet: str, row: int, col: int) -> int:
    v = cell(f, sheet, row, col)
    ref = f"{sheet}!{letter(col)}{row}" if sheet else f"{letter(col)}{row}"
    if ref in withheld:
        assert v in TOKENS, (f.rel, ref, v)
        assert 1 <= withheld[ref] <= 4, (f.rel, ref)
        return withheld[ref]
    assert v not in TOKENS, (f.rel, ref, "withheld but not in the manifest")
    return number(v)


def rows_of(ranges) -> list[int]:
    return [r for a, b in ranges for r in range(a, b + 1)]


def first_text(row) -> str:
    return next((str(c) for c in row if c not in ("", None)), "")


def financial_year(d: dt.date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def check_totals(m: dict, files: dict) -> Counter:
    """Every listed total of every file; returns the kinds checked."""
    kinds: Counter = Counter()
    for rel, mf in m["files"].items():
        f = files[rel]
        wh = mf["withheld"]
        for t in mf["totals"]:
            kinds[t["kind"]] += 1
            sheet, what = t["sheet"], (rel, t["kind"], t["sheet"], t.get("cell") or t["column"])
            if t["kind"] == "row_totals":
                lo, hi = t["sums"]["columns"]
                column_sum = 0
                for r in rows_of(t["rows"]):
                    total = true_value(f, wh, sheet, r, t["column"])
                    assert total == sum(true_value(f, wh, sheet, r, c) for c in range(lo, hi + 1)), (what, r)
                    column_sum += total
                assert column_sum == t["value"], what
                continue
            shown = cell(f, sheet, t["row"], t["column"])
            assert t["cell"] == f"{letter(t['column'])}{t['row']}", what
            if t["kind"] in ("records", "summary"):
                written = number(re.sub(r"^Total records: ", "", shown) if isinstance(shown, str) else shown)
                assert written == t["value"], what
                c = t["counts"]
                n = 0
                for s, ranges in c["records"].items():
                    rows = rows_of(ranges)
                    # the ranges hold every record of the sheet, and only records
                    assert sum(bool(RECORD_REF.match(str(row[0]))) for row in f.sheets[s] if row) == len(rows), what
                    for r in rows:
                        row = f.sheets[s][r - 1]
                        assert RECORD_REF.match(str(row[0])), (what, s, r)
                        if c.get("outcome") is not None and row[c["outcome_column"] - 1] != c["outcome"]:
                            continue
                        if c.get("financial_year") is not None and financial_year(row[c["date_column"] - 1]) != c["financial_year"]:
                            continue
                        n += 1
                assert n == t["value"], what
                continue
            if t["kind"] == "stated":
                written = int(re.search(r"\d[\d,]*", str(shown)).group().replace(",", ""))
            else:
                written = number(shown)
            assert written == t["value"], what
            lo, hi = t["sums"]["columns"]
            summed = 0
            for r in rows_of(t["sums"]["rows"]):
                row = f.sheets[sheet][r - 1]
                assert not TOTAL_WORD.search(first_text(row)), (what, r, "a total row among the cells summed")
                summed += sum(true_value(f, wh, sheet, r, col) for col in range(lo, hi + 1))
            assert summed == t["value"], what
    return kinds


def test_every_total_equals_the_true_sum_of_what_it_totals(sample, files):
    kinds = check_totals(sample[1], files)
    assert set(kinds) == {"grand_total", "subtotal", "column_total", "row_totals", "stated", "records", "summary"}


def test_another_seed_states_true_totals(other_seed):
    out, m = other_seed
    check_totals(m, read_landing(out / "landing"))


def test_most_returns_state_totals_a_few_none(sample):
    m = sample[1]
    returned = {s: f for s, f in m["forces"].items() if f["status"] == "returned"}
    without = {s for s, f in returned.items() if not any(m["files"][p]["totals"] for p in f["files"])}
    assert 3 <= len(without) <= 6
    assert {returned[s]["shape"] for s in without} >= {"record", "long", "calendar_year"}
    # every cross-tab has a Total row and a Total column, each table of a two-table return too
    for s, f in returned.items():
        if f["shape"] in ("crosstab", "split") or (f["shape"] == "no_nationality" and "Total row" in f["quirks"]):
            kinds = Counter(t["kind"] for p in f["files"] for t in m["files"][p]["totals"])
            tables = 2 if f["shape"] == "split" else 1
            assert kinds["row_totals"] == kinds["grand_total"] == tables, s


def test_whole_table_totals_are_the_forces_true_count(sample):
    """Independent of the cells: a table's grand total is the force's number of community
    resolutions in the population (one table, two tables of the same population, or one
    table per year adding up to it); a record-level Summary's community-resolution rows add
    up to it too, and a records total to every record row of the file."""
    m = sample[1]
    cr_labels = set(CR_LABELS) | {YOUTH_CR_LABEL}
    checked = 0
    for s, f in m["forces"].items():
        if f["status"] != "returned":
            continue
        truth = f["community_resolutions_truth"]
        totals = [t for p in f["files"] for t in m["files"][p]["totals"]]
        whole = [t["value"] for t in totals if t["kind"] in ("grand_total", "stated")]
        if whole:
            assert all(v == truth for v in whole) or sum(whole) == truth, (s, whole, truth)
            checked += 1
        summary = [t for t in totals if t["kind"] == "summary" and t["counts"]["financial_year"] is None]
        if summary:
            assert sum(t["value"] for t in summary if t["counts"]["outcome"] in cr_labels) == truth, s
            (grand,) = [t["value"] for t in summary if t["counts"]["outcome"] is None]
            (p,) = f["files"]
            assert grand == m["files"][p]["rows_loaded"] + m["files"][p]["rows_other_outcome"], s
            checked += 1
        for t in totals:
            if t["kind"] == "records":
                (p,) = f["files"]
                assert t["value"] == m["files"][p]["rows_loaded"] + m["files"][p]["rows_other_outcome"], s
                checked += 1
    assert checked >= 30


def test_rows_totals_are_the_total_and_summary_rows(sample, files):
    """rows_totals, read back: every row of a Summary sheet, and every other row that
    begins with the word 'total' ('Grand Total', '2022/23 Total', 'Total records: ...',
    'In total ...'); each listed total sits on such a row."""
    m = sample[1]
    for rel, mf in m["files"].items():
        summary = {t["sheet"] for t in mf["totals"] if t["kind"] == "summary"}
        total_rows = set()
        for name, rows in files[rel].sheets.items():
            for i, row in enumerate(rows, start=1):
                if name in summary or TOTAL_WORD.search(first_text(row)):
                    total_rows.add((name, i))
        assert len(total_rows) == mf["rows_totals"], rel
        assert {(t["sheet"], t["row"]) for t in mf["totals"] if "row" in t} <= total_rows, rel
        if mf["rows_other_outcome"]:  # a record-level export: its rows add up
            assert mf["rows_loaded"] + mf["rows_other_outcome"] + mf["rows_totals"] <= mf["rows"]


def test_withheld_cells_are_exactly_the_cells_shown_withheld(sample, files):
    m = sample[1]
    for rel, mf in m["files"].items():
        shown = set()
        for name, rows in files[rel].sheets.items():
            for i, row in enumerate(rows, start=1):
                for j, v in enumerate(row, start=1):
                    if v in TOKENS:
                        shown.add(f"{name}!{letter(j)}{i}" if name else f"{letter(j)}{i}")
        assert shown == set(mf["withheld"]), rel
    assert sum(len(mf["withheld"]) for mf in m["files"].values()) > 100


def test_scaled_summaries_count_the_scaled_records(other_seed, tmp_path):
    _, m1 = other_seed
    m2 = generate(7, 2, tmp_path)
    record = [rel for rel, f in m2["files"].items() if f["rows_other_outcome"]]
    files2 = read_landing(tmp_path / "landing")
    check_totals({"files": {rel: m2["files"][rel] for rel in record}}, files2)
    stated = 0
    for rel in record:
        t1, t2 = m1["files"][rel]["totals"], m2["files"][rel]["totals"]
        assert [t["value"] * 2 for t in t1] == [t["value"] for t in t2], rel
        stated += len(t2)
    assert stated > 0


def test_summaries_count_records_split_over_several_sheets(monkeypatch, tmp_path):
    """A record-level export past Excel's row limit is split over Data, Data (2), ...; its
    Summary counts the records of every data sheet (the limit lowered to see it at scale 1)."""
    import synthetic_returns.returns as returns

    monkeypatch.setattr(returns, "XLSX_MAX_DATA_ROWS", 2_000)
    m = generate(2025, 1, tmp_path)
    record = {rel: f for rel, f in m["files"].items() if f["rows_other_outcome"] and rel.endswith(".xlsx")}
    split = {rel for rel, f in record.items() if "Data (3)" in f["sheets"]}
    summaries = {rel for rel, f in record.items() if any(t["kind"] == "summary" for t in f["totals"])}
    assert split & summaries
    files = read_landing(tmp_path / "landing")
    check_totals({"files": {rel: m["files"][rel] for rel in record}}, files)
    for rel in split & summaries:
        (grand,) = [t for t in m["files"][rel]["totals"] if t["kind"] == "summary"
                    and t["counts"]["outcome"] is None and t["counts"]["financial_year"] is None]
        assert len(grand["counts"]["records"]) >= 3
        assert grand["value"] == m["files"][rel]["rows_loaded"] + m["files"][rel]["rows_other_outcome"]
