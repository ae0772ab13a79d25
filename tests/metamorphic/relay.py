"""Re-lay a base return (truth.py) in the layouts forces use, and write it as files.

A transform takes a Base and returns a Relaid (sheets of cell values, the format a force
would send it in, the figures a correct pipeline must publish for it and the true count
behind each), or None when
the layout cannot carry that base truthfully (e.g. months across for a return with `<5`
cells: a withheld count cannot be split over months). A transform never changes the
truth: where it adds cells up (a table summed over nationality, a subtotal, a Total row)
it adds the force's own figures (`Cell.actual`) and suppresses a sum of 1..4 as the force
does; the expected figures are the sums of the bounds of the data cells the return
shows, so a layout that loses a breakdown (stacked marginals lose offence x nationality)
expects only the figures it still supports.

`write_return` writes the sheets as csv (any delimiter and encoding, any extension) or
xlsx (openpyxl: numbers as numbers, dates as dates, merged cells, indented cells), and
as .ods / .xls when odfpy / xlwt are importable.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib.util
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from tests.metamorphic.truth import CR, Base, Cell, figures_and_truth, fy_start, records, render_sum

Value = str | int | float | dt.datetime | dt.date | None


@dataclass
class Sheet:
    name: str
    rows: list[list[Value]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)  # (row, col, last row, last col), 0-based
    indents: dict[tuple[int, int], int] = field(default_factory=dict)      # (row, col) -> indent level
    formats: dict[tuple[int, int], str] = field(default_factory=dict)      # (row, col) -> workbook number format


@dataclass(frozen=True)
class Format:
    kind: str            # csv, xlsx, ods, xls
    ext: str             # file extension, without the dot
    delimiter: str = ","
    encoding: str = "utf-8"

    @property
    def label(self) -> str:
        if self.kind != "csv":
            return self.ext
        delim = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}[self.delimiter]
        return f"{self.ext} {delim} {self.encoding}"


XLSX = Format("xlsx", "xlsx")
CSV = Format("csv", "csv")
CSV_SEMICOLON_CP1252 = Format("csv", "csv", ";", "cp1252")
CSV_UTF8_BOM = Format("csv", "csv", ",", "utf-8-sig")
TXT_TAB_UTF16 = Format("csv", "txt", "\t", "utf-16")  # Python's utf-16 codec writes a BOM
ODS = Format("ods", "ods")
XLS = Format("xls", "xls")

HAVE_ODS = importlib.util.find_spec("odf") is not None
HAVE_XLS = importlib.util.find_spec("xlwt") is not None


@dataclass
class Relaid:
    sheets: list[Sheet]
    fmt: Format
    figures: dict        # case_format.md `figures`: [low, high] = sums of the bounds of the cells shown
    truth: dict          # case_format.md `truth`: the same keys, the sums of the cells' `actual`
    wrong_reading: str   # what a reader that misreads this layout would publish


# --- helpers over a base's cells -------------------------------------------------------------

CODE_HEADER = "HO Offence Code"
DIM_HEADERS = {"offence": [CODE_HEADER, "Offence"], "nationality": ["Nationality"], "outcome": ["Outcome"]}
YEAR_HEADER = "Financial Year"


def count_header(dims) -> str:
    return "Number of Outcomes" if "outcome" in dims else "Number of Community Resolutions"


def dim_values(cell: Cell, dim: str) -> list[str]:
    if dim == "offence":
        return [cell.ho_code, cell.offence]
    return [cell.nationality if dim == "nationality" else cell.outcome]


def row_labels(cell: Cell, dims) -> list[str]:
    return [v for d in dims for v in dim_values(cell, d)]


def row_headers(dims) -> list[str]:
    return [h for d in dims for h in DIM_HEADERS[d]]


def count_value(text: str) -> Value:
    """A count as a force's spreadsheet holds it: a number where it is one, else the text."""
    return int(text) if text.isdigit() else text


def figures_of(cells, dims) -> tuple[dict, dict]:
    """(figures, truth) for a return showing these cells (truth.figures_and_truth)."""
    return figures_and_truth(cells, offences="offence" in dims, nationalities="nationality" in dims)


def marginal_figures(off: list[Cell], nat: list[Cell]) -> tuple[dict, dict]:
    """(figures, truth) when offences and nationalities come from separate views: the offence
    figures from the offence view, the nationality figures from the nationality view."""
    figures, truth = figures_of(off, ("offence",))
    nat_figures, nat_truth = figures_of(nat, ("nationality",))
    figures["by_nationality_category"] = nat_figures["by_nationality_category"]
    truth["by_nationality_category"] = nat_truth["by_nationality_category"]
    return figures, truth


def aggregate(base: Base, dims, cr_only: bool = False) -> list[Cell]:
    """The base's cells summed over every breakdown not in `dims` (per financial year), as
    the force would tabulate its own figures: a group of one cell keeps its text; a sum is
    the force's actual figure, suppressed as the force suppresses (1..4 -> '<5')."""
    # summing over outcomes is only truthful for a table of community resolutions alone
    assert cr_only or "outcome" in dims or "outcome" not in base.dims
    groups: dict[tuple, list[Cell]] = defaultdict(list)
    for c in base.cells:
        if cr_only and not c.is_cr:
            continue
        groups[(c.year, *(tuple(dim_values(c, d)) for d in dims))].append(c)
    out = []
    for parts in groups.values():
        first = parts[0]
        keep = dict(
            year=first.year,
            offence=first.offence if "offence" in dims else None,
            ho_code=first.ho_code if "offence" in dims else None,
            ons_group=first.ons_group if "offence" in dims else None,
            nationality=first.nationality if "nationality" in dims else None,
            nationality_category=first.nationality_category if "nationality" in dims else None,
            outcome=first.outcome if "outcome" in dims else CR,
        )
        if len(parts) == 1:
            counts = first.count_text, first.low, first.high, first.actual
        else:
            counts = render_sum(sum(p.actual for p in parts), base.suppression)
        out.append(Cell(**keep, count_text=counts[0], low=counts[1], high=counts[2], actual=counts[3]))
    return out


def crosstab(cells, dims, years) -> tuple[list[list[Cell | None]], list[list[str]]]:
    """Rows keyed by the labels of `dims` in first-seen order, one cell per year (None where
    the base has no cell: a record-level base has no row for a combination with no records)."""
    rows: dict[tuple, dict[str, Cell]] = {}
    for c in cells:
        rows.setdefault(tuple(row_labels(c, dims)), {})[c.year] = c
    keys = list(rows)
    return [[rows[k].get(y) for y in years] for k in keys], [list(k) for k in keys]


def cell_value(c: Cell | None) -> Value:
    return count_value(c.count_text) if c is not None else 0


def has_withheld(base: Base) -> bool:
    return any(c.low != c.high for c in base.cells)


def dims_without(base: Base, *drop) -> tuple[str, ...]:
    return tuple(d for d in base.dims if d not in drop)


def long_rows(cells, dims, year_column: bool = True) -> list[list[Value]]:
    header = ([YEAR_HEADER] if year_column else []) + row_headers(dims) + [count_header(dims)]
    body = [([c.year] if year_column else []) + row_labels(c, dims) + [count_value(c.count_text)] for c in cells]
    return [header, *body]


# --- transforms: long (one count column) -----------------------------------------------------

def long_aggregate(base: Base) -> Relaid:
    """Long aggregate: one row per year and breakdown, one count column (the most common
    aggregate answer; record-level forces tabulate their own outcomes this way)."""
    cells = aggregate(base, base.dims)
    return Relaid([Sheet("Sheet1", long_rows(cells, base.dims))], XLSX, *figures_of(cells, base.dims),
                  "a reader that drops withheld cells or keeps other outcomes miscounts")


def long_grand_total(base: Base) -> Relaid:
    """Long aggregate with a `Grand Total` row under the table (Excel and most force
    reporting tools add one)."""
    cells = aggregate(base, base.dims)
    rows = long_rows(cells, base.dims)
    rows.append(["Grand Total"] + [""] * (len(rows[0]) - 2) + [sum(c.actual for c in cells)])
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, base.dims),
                  "reading the Grand Total row as data doubles every figure")


def columns_reordered(base: Base) -> Relaid:
    """Long aggregate with the columns in another order: count first, year last (forces'
    exports put the columns in whatever order the query selected them)."""
    cells = aggregate(base, base.dims)
    rows = [list(reversed(r)) for r in long_rows(cells, base.dims)]
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, base.dims),
                  "a reader that takes the last column as the count reads years or labels as counts")


def _long_as(fmt: Format, wrong: str) -> Callable[[Base], Relaid]:
    def relay(base: Base) -> Relaid:
        r = long_aggregate(base)
        return Relaid(r.sheets, fmt, r.figures, r.truth, wrong)
    return relay


def long_csv_semicolon_cp1252(base: Base) -> Relaid:
    """Long aggregate as a semicolon-separated Windows-1252 CSV (Excel's 'CSV' on a
    machine with a European locale; Windows' default code page)."""
    return _long_as(CSV_SEMICOLON_CP1252, "a reader that assumes commas or UTF-8 reads one column or mangles 'Côte d'Ivoire'")(base)


def long_csv_utf8_bom(base: Base) -> Relaid:
    """Long aggregate as UTF-8 CSV with a byte-order mark (Excel's 'CSV UTF-8')."""
    return _long_as(CSV_UTF8_BOM, "a reader that keeps the BOM loses the first header")(base)


def long_txt_tab_utf16(base: Base) -> Relaid:
    """Long aggregate as tab-separated UTF-16 with a BOM in a .txt (Excel's 'Unicode Text')."""
    return _long_as(TXT_TAB_UTF16, "a reader that assumes UTF-8 reads nothing or garbage")(base)


def long_ods(base: Base) -> Relaid | None:
    """Long aggregate as an OpenDocument spreadsheet (LibreOffice users; some forces' FOI
    teams publish .ods by policy)."""
    return _long_as(ODS, "a reader that cannot open .ods must quarantine, not skip")(base) if HAVE_ODS else None


def long_xls(base: Base) -> Relaid | None:
    """Long aggregate as a legacy Excel 97-2003 .xls (older reporting tools still export it)."""
    return _long_as(XLS, "a reader that cannot open .xls must quarantine, not skip")(base) if HAVE_XLS else None


def offence_code_in_label(base: Base) -> Relaid | None:
    """Long aggregate with the code and the description in one offence column,
    '105A - Assault without Injury' (many crime systems label classes this way)."""
    if "offence" not in base.dims:
        return None
    cells = aggregate(base, base.dims)
    rest = dims_without(base, "offence")
    rows = [[YEAR_HEADER, "Offence"] + row_headers(rest) + [count_header(base.dims)]]
    rows += [[c.year, f"{c.ho_code} - {c.offence}"] + row_labels(c, rest) + [count_value(c.count_text)] for c in cells]
    return Relaid([Sheet("Data", rows)], XLSX, *figures_of(cells, base.dims),
                  "a reader that maps only pure codes or pure descriptions leaves offences unmapped")


def split_years_into_sheets(base: Base) -> Relaid:
    """One sheet per financial year named `2022-23`, no year column (forces that run the
    query once per year and paste each into its own tab)."""
    cells = aggregate(base, base.dims)
    sheets = [Sheet(y.replace("/", "-"), long_rows([c for c in cells if c.year == y], base.dims, year_column=False))
              for y in base.years]
    return Relaid(sheets, XLSX, *figures_of(cells, base.dims),
                  "a reader that ignores the sheet name loses the year or merges years")


# --- transforms: cross-tabs -------------------------------------------------------------------

def _crosstab_rows(base: Base, year_headers=None, totals: bool = False):
    dims = dims_without(base, "year")
    cells = aggregate(base, dims)
    grid, labels = crosstab(cells, dims, base.years)
    header = row_headers(dims) + list(year_headers or base.years) + (["Total"] if totals else [])
    rows = [header]
    for lab, row in zip(labels, grid):
        rows.append(lab + [cell_value(c) for c in row] + ([sum(c.actual for c in row if c)] if totals else []))
    if totals:
        col_sums = [sum(row[i].actual for row in grid if row[i]) for i in range(len(base.years))]
        rows.append(["Total"] + [""] * (len(lab) - 1) + col_sums + [sum(col_sums)])
    return rows, cells, dims


def crosstab_years_across(base: Base) -> Relaid:
    """Cross-tab: breakdowns down, one column per financial year (the usual pivot)."""
    rows, cells, dims = _crosstab_rows(base)
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, dims),
                  "a reader that reads the year headers as data or one year only misses years")


def crosstab_with_totals(base: Base) -> Relaid:
    """Cross-tab with a `Total` column on the right and a `Total` row at the bottom."""
    rows, cells, dims = _crosstab_rows(base, totals=True)
    return Relaid([Sheet("Sheet1", rows)], XLSX, *figures_of(cells, dims),
                  "reading the Total column as a year or the Total row as an offence doubles figures")


def crosstab_year_ranges(base: Base) -> Relaid:
    """Cross-tab whose year headers are spelled out, `April 2022 - March 2023`."""
    headers = [f"April {y[:4]} - March {int(y[:4]) + 1}" for y in base.years]
    rows, cells, dims = _crosstab_rows(base, year_headers=headers)
    return Relaid([Sheet("Sheet1", rows)], XLSX, *figures_of(cells, dims),
                  "a reader that takes 'April 2022 - March 2023' as a calendar year or two mislabels the period")


def crosstab_two_row_header(base: Base) -> Relaid:
    """Cross-tab with a two-row header: a merged 'Financial Year' cell above the years, the
    row headers merged down both rows (report builders and hand-formatted workbooks)."""
    rows, cells, dims = _crosstab_rows(base)
    n_left = len(row_headers(dims))
    top = row_headers(dims) + ["Financial Year"] + [None] * (len(base.years) - 1)
    second = [None] * n_left + list(base.years)
    merges = [(0, c, 1, c) for c in range(n_left)] + [(0, n_left, 0, n_left + len(base.years) - 1)]
    return Relaid([Sheet("Sheet1", [top, second, *rows[1:]], merges=merges)], XLSX, *figures_of(cells, dims),
                  "a reader that takes the first header row alone finds no years; taking the second alone, no labels")


def title_block_and_footnotes(base: Base) -> Relaid:
    """Cross-tab under a title block (request reference, title, blank row) with notes and a
    source line below it, as FOI teams lay out a letter's table."""
    rows, cells, dims = _crosstab_rows(base)
    years = base.years
    title = [["Freedom of Information Request FOI/2025/0412"],
             [f"Community resolutions issued, {years[0]} to {years[-1]}"],
             []]
    notes = [[],
             ["Notes:"],
             ["1. <5 denotes a figure between 1 and 4, withheld under section 40(2) of the Act."],
             ["2. Data extracted from the crime recording system on 14/05/2025 and subject to change."],
             ["Source: Crime and Incident Recording System"]]
    return Relaid([Sheet("FOI 2025-0412", title + rows + notes)], XLSX, *figures_of(cells, dims),
                  "a reader that reads the title or the notes as rows miscounts or mislabels")


def transpose_offences_across(base: Base) -> Relaid | None:
    """Transposed: years (and other breakdowns) down, one column per offence (forces that
    answer 'by offence' with offences across the page)."""
    return one_dimension_across(base, "offence",
                                "a reader that expects offences down reads offence names as periods or nationalities")


def one_dimension_across(base: Base, dim: str, catches: str) -> Relaid | None:
    """One column per value of `dim`, the years and the other breakdowns down."""
    if dim not in base.dims:
        return None
    rest = dims_without(base, dim)
    cells = aggregate(base, base.dims)
    values = list(dict.fromkeys(getattr(c, dim) for c in cells))
    rows: dict[tuple, dict[str, Cell]] = {}
    for c in cells:
        rows.setdefault((c.year, *row_labels(c, rest)), {})[getattr(c, dim)] = c
    out = [[YEAR_HEADER] + row_headers(rest) + values]
    out += [list(k) + [cell_value(v.get(x)) for x in values] for k, v in rows.items()]
    return Relaid([Sheet("Sheet1", out)], XLSX, *figures_of(cells, base.dims), catches)


def _group_subtotals(base: Base, fmt: Format, csv_spaces: bool) -> Relaid | None:
    if "offence" not in base.dims:
        return None
    cells = aggregate(base, ("offence",), cr_only=True)
    grid, labels = crosstab(cells, ("offence",), base.years)
    by_group: dict[str, list[tuple[list[Cell | None], str]]] = {}
    for (code, label), row in zip(labels, grid):
        group = next(c.ons_group for c in row if c)
        by_group.setdefault(group, []).append((row, label))
    rows: list[list[Value]] = [["Offence"] + list(base.years)]
    indents = {}
    for group, items in by_group.items():
        sums = [sum(r[i].actual for r, _ in items if r[i]) for i in range(len(base.years))]
        rows.append([group] + [count_value(render_sum(s, base.suppression)[0]) for s in sums])
        for row, label in items:
            indents[(len(rows), 0)] = 1
            rows.append([("    " + label) if csv_spaces else label] + [cell_value(c) for c in row])
    rows.append(["Grand Total"] + [sum(c.actual for c in cells if c.year == y) for y in base.years])
    return Relaid([Sheet("Sheet1", rows, indents={} if csv_spaces else indents)], fmt,
                  *figures_of(cells, ("offence",)),
                  "reading the ONS group rows as offences counts every offence twice")


def group_subtotals(base: Base) -> Relaid | None:
    """Pivot of community resolutions with a row per ONS offence group carrying the sum of
    its offences (no word 'Total'), the offences indented under it by cell formatting
    (Excel's compact pivot), and a Grand Total row."""
    return _group_subtotals(base, XLSX, csv_spaces=False)


def group_subtotals_csv(base: Base) -> Relaid | None:
    """The group-subtotal pivot saved as CSV: the offences indented with leading spaces."""
    return _group_subtotals(base, CSV, csv_spaces=True)


def stacked_marginals(base: Base) -> Relaid | None:
    """Two views of the same community resolutions stacked in one table,
    `Breakdown | Category | Financial Year | Count`: offence rows, then nationality rows
    (forces asked for 'by offence and by nationality' answer each separately). The offence x
    nationality cross is lost, so offence figures come from the offence rows and
    nationality figures from the nationality rows."""
    if not {"offence", "nationality"} <= set(base.dims):
        return None
    off = aggregate(base, ("offence",), cr_only=True)
    nat = aggregate(base, ("nationality",), cr_only=True)
    rows: list[list[Value]] = [["Breakdown", "Category", YEAR_HEADER, "Count"]]
    rows += [["Offence", c.offence, c.year, count_value(c.count_text)] for c in off]
    rows += [["Nationality", c.nationality, c.year, count_value(c.count_text)] for c in nat]
    return Relaid([Sheet("Sheet1", rows)], CSV, *marginal_figures(off, nat),
                  "adding both views counts every community resolution twice")


# --- transforms: months across ----------------------------------------------------------------

def months_of(year: str) -> list[dt.date]:
    start = fy_start(year)
    return [dt.date(start.year + (start.month + m - 1) // 12, (start.month + m - 1) % 12 + 1, 1) for m in range(12)]


def _monthly(base: Base) -> tuple[list[list[str]], list[dict[dt.date, int]], list[Cell], tuple[str, ...]] | None:
    """Per row of breakdowns, counts per month: from the records' dates for a record-level
    base, else each year's exact count spread over its months deterministically. None when
    a count is withheld (a `<5` cannot be split over months truthfully)."""
    if has_withheld(base):
        return None
    dims = dims_without(base, "year")
    cells = aggregate(base, dims)
    per_row: dict[tuple, dict[dt.date, int]] = {}
    for c in cells:
        per_row.setdefault(tuple(row_labels(c, dims)), defaultdict(int))
    if base.record_level:
        for r in records(base):
            month = r.outcome_date.replace(day=1)
            per_row[tuple(row_labels(r.cell, dims))][month] += 1
    else:
        for i, c in enumerate(cells):
            q, rem = divmod(c.actual, 12)
            for m, month in enumerate(months_of(c.year)):
                # 7 is prime to 12, so exactly `rem` months get one more
                per_row[tuple(row_labels(c, dims))][month] += q + (1 if (m * 7 + i) % 12 < rem else 0)
    return [list(k) for k in per_row], list(per_row.values()), cells, dims


def months_across_dates(base: Base) -> Relaid | None:
    """Months across as real dates (first of the month, shown `Apr-22`), blank for none:
    monthly performance pivots from a force's BI tool."""
    m = _monthly(base)
    if m is None:
        return None
    labels, counts, cells, dims = m
    months = [month for y in base.years for month in months_of(y)]
    header = row_headers(dims) + [dt.datetime(d.year, d.month, 1) for d in months]
    n = len(row_headers(dims))
    formats = {(0, n + i): "mmm-yy" for i in range(len(months))}
    rows = [header] + [lab + [cnt.get(d) or None for d in months] for lab, cnt in zip(labels, counts)]
    return Relaid([Sheet("Monthly", rows, formats=formats)], XLSX, *figures_of(cells, dims),
                  "a reader that takes the month columns for calendar years or reads one month as a year mislabels periods")


def months_across_text(base: Base) -> Relaid | None:
    """Months across as text headers `Apr-22`, nought as 0, saved as CSV."""
    m = _monthly(base)
    if m is None:
        return None
    labels, counts, cells, dims = m
    months = [month for y in base.years for month in months_of(y)]
    rows = [row_headers(dims) + [f"{d:%b-%y}" for d in months]]
    rows += [lab + [cnt.get(d, 0) for d in months] for lab, cnt in zip(labels, counts)]
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, dims),
                  "a reader that reads 'Apr-22' as a date in 2022 of some other kind, or as a count column, mislabels periods")


# --- transforms: record-level ----------------------------------------------------------------

RECORD_HEADERS = ["Crime Reference", "Outcome Date", CODE_HEADER, "Offence Description", "Nationality", "Outcome"]


def _record_rows(base: Base, dates_as_text: bool) -> list[list[Value]]:
    rows: list[list[Value]] = [list(RECORD_HEADERS)]
    for r in records(base):
        date = f"{r.outcome_date:%d/%m/%Y}" if dates_as_text else dt.datetime.combine(r.outcome_date, dt.time())
        c = r.cell
        rows.append([r.reference, date, c.ho_code, c.offence, c.nationality, c.outcome])
    return rows


def record_level(base: Base) -> Relaid | None:
    """Record-level export: one row per outcome, dated, every outcome type (the force sends
    its crime system's extract; only community resolutions count)."""
    if not base.record_level:
        return None
    return Relaid([Sheet("Sheet1", _record_rows(base, dates_as_text=True))], CSV, *figures_of(base.cells, base.dims),
                  "counting every row counts charges and cautions as community resolutions")


def record_level_with_summary(base: Base) -> Relaid | None:
    """Record-level sheet `Data` plus a `Summary` sheet pivoting the same community
    resolutions by offence and financial year with a Grand Total (an analyst's workbook)."""
    if not base.record_level:
        return None
    data = Sheet("Data", _record_rows(base, dates_as_text=False),
                 formats={(r, 1): "dd/mm/yyyy" for r in range(1, 1 + len(records(base)))})
    cells = aggregate(base, ("offence",), cr_only=True)
    grid, labels = crosstab(cells, ("offence",), base.years)
    rows: list[list[Value]] = [["Community resolutions by offence"], [],
                               ["Offence"] + list(base.years) + ["Grand Total"]]
    for (code, label), row in zip(labels, grid):
        rows.append([label] + [cell_value(c) for c in row] + [sum(c.actual for c in row if c)])
    col = [sum(c.actual for c in cells if c.year == y) for y in base.years]
    rows.append(["Grand Total"] + col + [sum(col)])
    return Relaid([data, Sheet("Summary", rows)], XLSX, *figures_of(base.cells, base.dims),
                  "reading the Summary as more data doubles the figures; reading Data without outcomes counts charges")


# --- transforms: harder layouts seen in returns -------------------------------------------------

def _label_runs(rows: list[list[Value]], n_label_cols: int, first_row: int) -> list[tuple[int, int, int]]:
    """(column, first row, last row) of runs of a repeated label, hierarchically: a label
    column's run never crosses a change in the columns left of it. The last breakdown's
    columns are left out by the caller."""
    runs = []
    for col in range(n_label_cols):
        start = first_row
        for r in range(first_row + 1, len(rows) + 1):
            same = r < len(rows) and rows[r][:col + 1] == rows[start][:col + 1]
            if not same:
                if r - 1 > start:
                    runs.append((col, start, r - 1))
                start = r
    return runs


def _grouped_label_columns(base: Base) -> int | None:
    """How many label columns lead a cross-tab whose rows nest under them (all but the last
    breakdown's), or None when there is one breakdown only."""
    dims = dims_without(base, "year")
    return len(row_headers(dims[:-1])) if len(dims) > 1 else None


def crosstab_merged_labels(base: Base) -> Relaid | None:
    """Cross-tab whose offence (and nationality) cells are merged down over the rows of
    their block, the value in the top cell only (hand-formatted workbooks)."""
    n = _grouped_label_columns(base)
    if n is None:
        return None
    rows, cells, dims = _crosstab_rows(base)
    runs = _label_runs(rows, n, 1)
    merges = [(r1, c, r2, c) for c, r1, r2 in runs]
    return Relaid([Sheet("Sheet1", rows, merges=merges)], XLSX, *figures_of(cells, dims),
                  "a reader that does not fill merged labels down leaves rows without an offence or gives them the wrong one")


def crosstab_blank_repeats(base: Base) -> Relaid | None:
    """Cross-tab saved from a pivot as CSV: a repeated offence (or nationality) label is
    written once, the rows below it blank until the next one."""
    n = _grouped_label_columns(base)
    if n is None:
        return None
    rows, cells, dims = _crosstab_rows(base)
    for c, r1, r2 in _label_runs(rows, n, 1):
        for r in range(r1 + 1, r2 + 1):
            rows[r][c] = ""
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, dims),
                  "a reader that does not carry a label down reads blank offences as unknown or drops the rows")


def nationalities_across(base: Base) -> Relaid | None:
    """Cross-tab with one column per nationality, the years (and offences) down (answers
    'by nationality' laid out like a country table)."""
    return one_dimension_across(base, "nationality",
                                "a reader that reads nationality names as periods or sums the row as one count loses the nationality")


def percentage_column(base: Base) -> Relaid:
    """Long aggregate with a '% of Total' column after the count (a share of all rows,
    as a percentage-formatted number; withheld where the count is)."""
    cells = aggregate(base, base.dims)
    total = sum(c.actual for c in cells)
    rows = long_rows(cells, base.dims)
    rows[0].append("% of Total")
    formats = {}
    for r, c in enumerate(cells, start=1):
        withheld = c.low != c.high
        rows[r].append(c.count_text if withheld else round(c.actual / total, 4))
        if not withheld:
            formats[(r, len(rows[0]) - 1)] = "0.0%"
    return Relaid([Sheet("Sheet1", rows, formats=formats)], XLSX, *figures_of(cells, base.dims),
                  "a reader that takes the last numeric column as the count publishes shares as counts")


def _marginal_tables(base: Base):
    off = aggregate(base, ("offence",), cr_only=True)
    nat = aggregate(base, ("nationality",), cr_only=True)
    tables = []
    for cells, dims in ((off, ("offence",)), (nat, ("nationality",))):
        grid, labels = crosstab(cells, dims, base.years)
        tables.append([row_headers(dims) + list(base.years)]
                      + [lab + [cell_value(c) for c in row] for lab, row in zip(labels, grid)])
    return tables, marginal_figures(off, nat)


def marginal_tables_two_sheets(base: Base) -> Relaid | None:
    """The same community resolutions as two tables on two sheets, 'By Offence' and 'By
    Nationality', each with years across (the usual answer to 'by offence and by nationality')."""
    if not {"offence", "nationality"} <= set(base.dims):
        return None
    (off, nat), (figures, truth) = _marginal_tables(base)
    return Relaid([Sheet("By Offence", off), Sheet("By Nationality", nat)], XLSX, figures, truth,
                  "adding both sheets counts every community resolution twice")


def marginal_tables_one_sheet(base: Base) -> Relaid | None:
    """The two tables one under the other on one sheet, each under a caption ('Table 1:
    ... by offence'), two blank rows between them (tables pasted into one tab)."""
    if not {"offence", "nationality"} <= set(base.dims):
        return None
    (off, nat), (figures, truth) = _marginal_tables(base)
    rows = ([["Table 1: Community resolutions by offence"]] + off + [[], []]
            + [["Table 2: Community resolutions by nationality"]] + nat)
    return Relaid([Sheet("Sheet1", rows)], XLSX, figures, truth,
                  "reading the two tables as one counts every community resolution twice")


def thousands_separators(base: Base) -> Relaid | None:
    """Cross-tab CSV whose counts of a thousand or more are written '1,204' (Excel's
    number format kept when saving as CSV)."""
    if not any(c.actual >= 1000 for c in base.cells):
        return None
    rows, cells, dims = _crosstab_rows(base)
    rows = [rows[0]] + [[f"{v:,}" if isinstance(v, int) else v for v in row] for row in rows[1:]]
    return Relaid([Sheet("Sheet1", rows)], CSV, *figures_of(cells, dims),
                  "a reader that drops '1,204' or splits it at the comma reads 1 or 204")


def year_sections(base: Base) -> Relaid:
    """One table per financial year on one sheet, each under a row holding only the year
    ('2022/23'), a blank row between them (a letter's tables pasted into a workbook)."""
    cells = aggregate(base, base.dims)
    rows: list[list[Value]] = []
    for y in base.years:
        if rows:
            rows.append([])
        rows.append([y])
        rows += long_rows([c for c in cells if c.year == y], base.dims, year_column=False)
    return Relaid([Sheet("Sheet1", rows)], XLSX, *figures_of(cells, base.dims),
                  "a reader that ignores the year rows merges the years or reads the year as a count")


def excel_pivot_nested(base: Base) -> Relaid | None:
    """Excel's compact pivot: 'Row Labels' header, an offence row carrying its total with
    its nationalities indented under it (by formatting), years across, a 'Grand Total'
    column and row."""
    if not {"offence", "nationality"} <= set(base.dims):
        return None
    items = aggregate(base, ("offence", "nationality"), cr_only=True)
    grid, labels = crosstab(items, ("offence", "nationality"), base.years)
    rows: list[list[Value]] = [["Row Labels"] + list(base.years) + ["Grand Total"]]
    indents = {}
    blocks: dict[str, list[tuple[str, list[Cell | None]]]] = {}
    for (code, offence, nationality), row in zip(labels, grid):
        blocks.setdefault(offence, []).append((nationality, row))
    for offence, block in blocks.items():
        sums = [sum(row[i].actual for _, row in block if row[i]) for i in range(len(base.years))]
        rows.append([offence] + [count_value(render_sum(s, base.suppression)[0]) for s in sums]
                    + [count_value(render_sum(sum(sums), base.suppression)[0])])
        for nationality, row in block:
            indents[(len(rows), 0)] = 1
            rows.append([nationality] + [cell_value(c) for c in row]
                        + [count_value(render_sum(sum(c.actual for c in row if c), base.suppression)[0])])
    col = [sum(c.actual for c in items if c.year == y) for y in base.years]
    rows.append(["Grand Total"] + col + [sum(col)])
    return Relaid([Sheet("Sheet1", rows, indents=indents)], XLSX, *figures_of(items, ("offence", "nationality")),
                  "reading the offence rows as more data doubles them; reading nationalities as offences leaves them unmapped")


TRANSFORMS: list[Callable[[Base], Relaid | None]] = [
    long_aggregate, long_grand_total, columns_reordered,
    long_csv_semicolon_cp1252, long_csv_utf8_bom, long_txt_tab_utf16, long_ods, long_xls,
    offence_code_in_label, split_years_into_sheets,
    crosstab_years_across, crosstab_with_totals, crosstab_year_ranges, crosstab_two_row_header,
    title_block_and_footnotes, transpose_offences_across, group_subtotals, group_subtotals_csv,
    stacked_marginals, months_across_dates, months_across_text,
    record_level, record_level_with_summary,
    crosstab_merged_labels, crosstab_blank_repeats, nationalities_across, percentage_column,
    marginal_tables_two_sheets, marginal_tables_one_sheet, thousands_separators, year_sections,
    excel_pivot_nested,
]


# --- writing ---------------------------------------------------------------------------------

def _text(value: Value, indent: int = 0) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return f"{value:%d/%m/%Y}"
    return "    " * indent + str(value)


def write_return(relaid: Relaid, folder: Path, stem: str = "foi_response") -> list[Path]:
    """Write the sheets as the force would send them; a CSV holds one sheet, so several
    sheets become one CSV each, `<stem>_<sheet>.<ext>`."""
    folder.mkdir(parents=True, exist_ok=True)
    fmt = relaid.fmt
    if fmt.kind == "csv":
        paths = []
        for sheet in relaid.sheets:
            name = stem if len(relaid.sheets) == 1 else f"{stem}_{sheet.name}"
            path = folder / f"{name}.{fmt.ext}"
            with open(path, "w", encoding=fmt.encoding, newline="") as f:
                w = csv.writer(f, delimiter=fmt.delimiter, lineterminator="\r\n")
                for r, row in enumerate(sheet.rows):
                    w.writerow([_text(v, sheet.indents.get((r, c), 0)) for c, v in enumerate(row)])
            paths.append(path)
        return paths
    path = folder / f"{stem}.{fmt.ext}"
    {"xlsx": _write_xlsx, "ods": _write_ods, "xls": _write_xls}[fmt.kind](relaid.sheets, path)
    return [path]


def _write_xlsx(sheets: list[Sheet], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    wb = Workbook()
    wb.remove(wb.active)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None or v == "":
                    continue
                cell = ws.cell(row=r + 1, column=c + 1, value=v)
                if (r, c) in sheet.formats:
                    cell.number_format = sheet.formats[(r, c)]
                elif isinstance(v, dt.datetime | dt.date):
                    cell.number_format = "dd/mm/yyyy"
                if (r, c) in sheet.indents:
                    cell.alignment = Alignment(indent=sheet.indents[(r, c)])
        for r1, c1, r2, c2 in sheet.merges:
            ws.merge_cells(start_row=r1 + 1, start_column=c1 + 1, end_row=r2 + 1, end_column=c2 + 1)
    wb.save(path)


def _write_ods(sheets: list[Sheet], path: Path) -> None:
    import pandas as pd

    with pd.ExcelWriter(path, engine="odf") as writer:
        for sheet in sheets:
            pd.DataFrame(sheet.rows).to_excel(writer, sheet_name=sheet.name, header=False, index=False)


def _write_xls(sheets: list[Sheet], path: Path) -> None:
    import xlwt

    wb = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="dd/mm/yyyy")
    for sheet in sheets:
        ws = wb.add_sheet(sheet.name)
        for r, row in enumerate(sheet.rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, dt.date):
                    ws.write(r, c, v, date_style)
                else:
                    ws.write(r, c, v)
    wb.save(str(path))
