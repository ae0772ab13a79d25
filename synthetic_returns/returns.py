"""Each returning force's answer, in its shape, written to <out>/landing/<slug>/.

Aggregate returns are built as row specs whose count cells know what they count; the
force's tokens for zero and for withheld small counts are applied when the rows are
rendered, so the manifest's bounds come from what was actually written.

A row spec is (kind, cells) or, for a data row, ("data", cells, scopes): the scopes are the
keys of the totals that include the row (a table, a table's year). A total cell (Tot)
sums the count cells of its scope's data rows above it; the rendering writes down where
each total and each withheld cell landed, for the manifest.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import catalogue as C
from .labels import (NationalityLabels, OffenceLabels, fy_text, period_label, va_status_band,
                     va_status_exact, victim_band)
from .plan import ForcePlan
from .population import Population
from .reference import Reference
from .writers import Cell, FileAccount, SheetOut, cell_ref, row_ranges, write_csv, write_record_xlsx, write_xlsx

XLSX_MAX_DATA_ROWS = 1_000_000  # per sheet of a record-level export (Excel's limit is 1,048,576 rows)


class Count:
    """A count cell: its true value and what it counts (an accounting key)."""

    __slots__ = ("value", "key", "table", "eligible", "counted")

    def __init__(self, value: int, key: tuple | None, table: str, eligible: bool, counted: bool = True):
        self.value, self.key, self.table, self.eligible, self.counted = value, key, table, eligible, counted


class RowTot(Count):
    """A row total in a cross-tab's Total column: the sum of the row's count cells at
    `cols` (0-based), withheld like them when small."""

    __slots__ = ("cols",)

    def __init__(self, value: int, table: str, eligible: bool, cols: range):
        super().__init__(value, None, table, eligible, counted=False)
        self.cols = cols


class Tot:
    """A total cell: the true sum (withheld cells at their true value) of the count cells
    at `cols` (0-based) of the data rows of `scope` above it. `text` writes it in a
    sentence ('Total ...: {:,}')."""

    __slots__ = ("value", "kind", "scope", "cols", "text")

    def __init__(self, value: int, kind: str, scope: tuple, cols, text: str | None = None):
        self.value, self.kind, self.scope, self.cols, self.text = value, kind, scope, cols, text


@dataclass
class ReturnFile:
    name: str
    fmt: str  # csv | xlsx
    sheets: list  # [(sheet name, [row specs])] for aggregates; SheetOut for record-level
    encoding: str = "utf-8"
    delimiter: str = ","
    date_format: str = "%Y-%m-%d"
    profile: str | None = None  # YAML text of a return profile
    totals: list = field(default_factory=list)  # totals of a record-level export, placed when it is built


@dataclass
class ForceReturn:
    plan: ForcePlan
    files: list[ReturnFile] = field(default_factory=list)
    quirks: list[str] = field(default_factory=list)
    shape_text: str = ""
    formats: list[str] = field(default_factory=list)


class ForceWriter:
    def __init__(self, ref: Reference, plan: ForcePlan, pop: Population, seed: int, scale: int):
        self.ref, self.plan, self.scale, self.seed = ref, plan, scale, seed
        self.rng = random.Random(f"{seed}:render:{plan.slug}")
        self.off = OffenceLabels(ref, plan, self.rng)
        self.nat = NationalityLabels(ref, plan, self.rng)
        self.records = pop.records[plan.slug]
        self.other = pop.other.get(plan.slug, [])
        self.nat_texts = [self.nat.text(r[2], self.rng) for r in self.records]
        self.local_cls = None
        if plan.local_label:
            present = {r[1] for r in self.records}
            self.local_cls = next((c for c in C.LOCAL_LABEL_CLASSES if c in present), None)
        self._periods: dict = {}
        self._vis_off: dict = {}
        self._vis_nat: dict = {}
        self.ret = ForceReturn(plan)
        self.headline = C.HEADLINE_CLASSES | {c for c, k in ref.classes.items() if k.group == "Sexual offences"}

    # --- labels and what they map to --------------------------------------------------

    def offence_label(self, cls: str) -> str:
        if cls == self.local_cls:
            return self.plan.local_label
        return self.off.label(cls)

    def vis_offence(self, code: str | None, text: str | None) -> str | None:
        k = (code, text)
        if k not in self._vis_off:
            self._vis_off[k] = self.ref.offence_class(code, text)
        return self._vis_off[k]

    def vis_nat(self, text: str) -> tuple:
        if text not in self._vis_nat:
            self._vis_nat[text] = self.ref.nationality(text)
        return self._vis_nat[text]

    def period(self, r) -> str:
        label = self._periods.get(r[0])
        if label is None:
            label = self._periods[r[0]] = period_label(self.plan, r[0])
        return label

    def periods(self) -> list[str]:
        if self.plan.shape == "calendar_year":
            return [str(y) for y in C.CALENDAR_YEARS]
        return [fy_text(self.plan.fy_style, y) for y, _ in C.FINANCIAL_YEARS]

    def offence_cells(self, cls: str, with_code: bool) -> tuple[str | None, str | None, list[str]]:
        """(code cell, text cell, the cells written) for a class in an aggregate table."""
        if with_code:
            code = self.off.code(cls) if cls != self.local_cls else ""
            text = self.offence_label(cls) if cls != self.local_cls else self.plan.local_label
            if cls != self.local_cls:
                text = self.off.description(cls)
            return code or None, text, [code, text]
        label = self.offence_label(cls)
        if self.off.in_code_column:
            return label, None, [label]
        return None, label, [label]

    def eligible(self, cls: str | None) -> bool:
        return cls is None or cls not in self.headline

    # --- tokens ---------------------------------------------------------------------------

    def render(self, spec_rows: list, fmt: str, sheet: str = "", acc: FileAccount | None = None):
        """Row specs -> (cells, kind, contributions), applying this force's tokens. With
        `acc`, records every total written (acc.totals) and every withheld cell's true value
        (acc.withheld); rows are numbered as a spreadsheet shows them (one per row yielded)."""
        p = self.plan
        r = 0
        scope_rows: dict[tuple, list[int]] = {}
        row_totals: dict[tuple, dict] = {}
        for spec in spec_rows:
            kind, cells = spec[0], spec[1]
            if kind == "footnotes":
                for _k, note in self._footnote_rows(*cells):
                    r += 1
                    yield note, "note", None
                continue
            r += 1
            out, contribs = [], []
            for ci, c in enumerate(cells):
                if isinstance(c, Tot):
                    out.append(c.text.format(c.value) if c.text else c.value)
                    if acc is not None:
                        acc.totals.append({
                            "kind": c.kind, "sheet": sheet, "row": r, "column": ci + 1, "cell": cell_ref("", r, ci + 1),
                            "value": c.value,
                            "sums": {"rows": row_ranges(scope_rows[c.scope]), "columns": [c.cols[0] + 1, c.cols[-1] + 1]},
                        })
                elif isinstance(c, Count):
                    v = c.value
                    suppressed = 1 <= v <= 4 and c.eligible and (
                        (c.table == "nat" and p.suppress_nationality) or (c.table != "nat" and p.suppress_offence_view))
                    if v == 0:
                        tok = p.zero_token
                        out.append(0 if tok == "0" and fmt == "xlsx" else tok)
                        low = high = 0
                    elif suppressed:
                        out.append(p.suppress_token)
                        low, high = 1, 4
                        if acc is not None:
                            acc.withheld[cell_ref(sheet, r, ci + 1)] = v
                    else:
                        out.append(v)
                        low = high = v
                    if c.counted and c.key is not None:
                        contribs.append((c.key, low, high))
                    if acc is not None and kind == "data" and not isinstance(c, RowTot):
                        acc.cells[(sheet, r, ci + 1)] = Cell(low, high, v, c.key if c.counted else None)
                    if isinstance(c, RowTot) and acc is not None:
                        e = row_totals.get((c.table, ci))
                        if e is None:
                            e = row_totals[(c.table, ci)] = {
                                "kind": "row_totals", "sheet": sheet, "column": ci + 1, "rows": [], "value": 0,
                                "sums": {"columns": [c.cols[0] + 1, c.cols[-1] + 1]}}
                        e["rows"].append(r)
                        e["value"] += v
                else:
                    out.append(c)
            if kind == "data" and len(spec) > 2:
                for scope in spec[2]:
                    scope_rows.setdefault(scope, []).append(r)
            yield out, kind, (contribs if kind == "data" else None)
        if acc is not None:
            for e in row_totals.values():
                e["rows"] = row_ranges(e["rows"])
                acc.totals.append(e)

    def potential_loss(self) -> int:
        """Lower-bound loss if this force withheld its small offence-view cells."""
        loss = 0
        for f in self.ret.files:
            if f.fmt.startswith("record"):
                continue
            for _name, rows in f.sheets:
                for spec in rows:
                    if spec[0] != "data":
                        continue
                    for c in spec[1]:
                        if isinstance(c, Count) and c.counted and c.table != "nat" and c.eligible and 1 <= c.value <= 4:
                            loss += c.value - 1
        return loss

    # --- keys -----------------------------------------------------------------------------

    def key(self, table: str, code: str | None, text: str | None, nat_text: str | None, va: str) -> tuple:
        has_off = table in ("off", "joint")
        has_nat = table in ("nat", "joint")
        cls = self.vis_offence(code, text) if has_off else ""
        nat = self.vis_nat(nat_text) if has_nat else None
        return (has_off, has_nat, cls, nat, va if cls == "20A" else "")

    # --- common blocks --------------------------------------------------------------------

    def title_block(self, lines: int = 3, request: bool = True) -> list:
        f = self.plan.force
        ref_no = f"FOI {2025}-{self.rng.randint(100, 2999):04d}"
        options = [
            [f.full_name],
            [f"Freedom of Information request {ref_no}"] if request else [f"Our reference: {ref_no}"],
            ["Request: community resolutions issued in financial years 2022/23, 2023/24 and 2024/25, broken down by offence and by the offender's nationality"],
            ["Community resolutions (Home Office outcome type 8), 1 April 2022 to 31 March 2025"],
        ]
        chosen = options[:1] + options[1:][: max(1, lines - 1)]
        return [("title", c) for c in chosen[:lines]]

    def footnotes(self, suppressed_possible: bool = True, source: bool = True) -> list:
        """Footnote rows, decided when the rows are rendered (suppression is settled later)."""
        return [("footnotes", [suppressed_possible, source])]

    def _footnote_rows(self, suppressed_possible: bool, source: bool) -> list:
        p = self.plan
        notes = []
        if suppressed_possible and (p.suppress_offence_view or p.suppress_nationality):
            notes.append({
                "<5": "<5 denotes a figure between 1 and 4, withheld under section 40(2) FOIA",
                "*": "* denotes 1 to 4, suppressed under s40(2)",
                "[c]": "[c] confidential: a count of 1 to 4, withheld under section 40(2) of the FOI Act",
                "1-4": "Counts between 1 and 4 are shown as 1-4 to protect personal data (s40(2))",
            }[p.suppress_token])
        if p.zero_token == "-":
            notes.append("- denotes nil")
        if source:
            system = self.rng.choice(["Niche RMS", "Athena", "Connect", "Storm/Niche", "PoliceWorks"])
            notes.append(f"Source: {system}, extracted {self.rng.randint(1, 28):02d}/0{self.rng.randint(4, 6)}/2025. Figures are provisional and may change.")
        return [("note", [n]) for n in notes]

    # --- aggregates -----------------------------------------------------------------------

    def counts(self, fn) -> Counter:
        out: Counter = Counter()
        for r, nt in zip(self.records, self.nat_texts):
            out[fn(r, nt)] += 1
        return out

    def band(self, r) -> str:
        if self.ref.classes[r[1]].group != "Sexual offences":
            return ""
        return victim_band(r[5])

    def long_rows(self, header: list[str], with_code: bool, banded: bool, subtotals: bool,
                  grand_total: str | None, period_col: bool = True, table: str = "joint", records_filter=None) -> list:
        """Financial year | offence | nationality | [victim age band] | count; a subtotal row
        after each year ('2022/23 Total') and a last row labelled `grand_total`."""
        def fn(r, nt):
            return (self.period(r) if period_col else "", r[1], nt if table == "joint" else "", self.band(r) if banded else "")
        counts = self.counts(fn) if records_filter is None else Counter(
            fn(r, nt) for r, nt in zip(self.records, self.nat_texts) if records_filter(r))
        order = {p: i for i, p in enumerate(self.periods())}
        rows = [("header", header)]
        by_period: dict[str, list] = {}
        for (per, cls, nt, band), n in counts.items():
            by_period.setdefault(per, []).append((self.offence_label(cls), cls, nt, band, n))
        grand = 0
        col = len(header) - 1  # the count column
        for per in sorted(by_period, key=lambda x: order.get(x, 0)):
            sub = 0
            for label, cls, nt, band, n in sorted(by_period[per], key=lambda x: (x[0].lower(), x[2].lower(), x[3])):
                code, text, off_cells = self.offence_cells(cls, with_code)
                vis = self.vis_offence(code, text)
                va = va_status_band(band) if banded else "maybe"
                cells = ([per] if period_col else []) + off_cells
                if table == "joint":
                    cells.append(nt)
                if banded:
                    cells.append(band)
                key = self.key(table, code, text, nt, va)
                cells.append(Count(n, key, table, self.eligible(vis)))
                rows.append(("data", cells, (("long",), ("long", per))))
                sub += n
            if subtotals and period_col:
                rows.append(("total", [f"{per} Total"] + [""] * (col - 1) + [Tot(sub, "subtotal", ("long", per), (col,))]))
            grand += sub
        if grand_total:
            rows.append(("total", [grand_total] + [""] * (col - 1) + [Tot(grand, "grand_total", ("long",), (col,))]))
        return rows

    @staticmethod
    def stated_total(rows: list, text: str) -> tuple:
        """A note giving the total of a long table (rows from long_rows) in a sentence."""
        header = rows[0][1]
        grand = sum(spec[1][-1].value for spec in rows if spec[0] == "data")
        return ("total", [Tot(grand, "stated", ("long",), (len(header) - 1,), text=text)])

    def crosstab_rows(self, label_header: list[str], table: str, with_code: bool = False,
                      total_col: bool = True, full_offence_list: bool = False) -> list:
        """Offences (and/or nationalities) down, periods across."""
        periods = self.periods()
        idx = {p: i for i, p in enumerate(periods)}

        def fn(r, nt):
            return (r[1] if table in ("off", "joint") else "", nt if table in ("nat", "joint") else "", self.period(r))
        counts = self.counts(fn)
        grid: dict[tuple, list[int]] = {}
        for (cls, nt, per), n in counts.items():
            grid.setdefault((cls, nt), [0] * len(periods))[idx[per]] += n
        if full_offence_list and table == "off":
            for cls in sorted(set(C.CLASS_WEIGHTS) | set(C.FIXED_COUNTS)):
                if cls != self.local_cls:
                    grid.setdefault((cls, ""), [0] * len(periods))
        header = label_header + periods + (["Total"] if total_col else [])
        rows = [("header", header)]

        def sort_key(item):
            (cls, nt), _ = item
            lab = self.offence_label(cls) if cls else ""
            return (lab.lower(), nt.lower())
        col_totals = [0] * len(periods)
        for (cls, nt), vals in sorted(grid.items(), key=sort_key):
            cells: list = []
            code = None
            code = text = None
            if cls:
                code, text, off_cells = self.offence_cells(cls, with_code)
                cells += off_cells
            if nt or table in ("nat", "joint"):
                cells.append(nt)
            vis = self.vis_offence(code, text) if cls else None
            key = self.key(table, code, text, nt, "maybe")
            elig = True if table == "nat" else self.eligible(vis)
            first = len(cells)  # the first period column
            cells += [Count(v, key, table, elig) for v in vals]
            if total_col:  # a row total: withheld like its cells
                cells.append(RowTot(sum(vals), table, elig, range(first, first + len(vals))))
            rows.append(("data", cells, ((table,),)))
            col_totals = [a + b for a, b in zip(col_totals, vals)]
        first = len(label_header)
        totals = [Tot(v, "column_total", (table,), (first + j,)) for j, v in enumerate(col_totals)]
        if total_col:
            totals.append(Tot(sum(col_totals), "grand_total", (table,), range(first, first + len(periods))))
        rows.append(("total", ["Total"] + [""] * (len(label_header) - 1) + totals))
        return rows


def _pick(rng: random.Random, options: list):
    return options[rng.randrange(len(options))]


# --- the shapes -----------------------------------------------------------------------------

def build_aggregate(w: ForceWriter) -> None:
    p, rng, ret = w.plan, w.rng, w.ret
    slug = p.slug
    style_code = p.offence_style in ("code", "subcode")
    off_header = "HO Offence Code" if style_code else _pick(rng, ["Offence", "Offence Description", "Offence Type", "Crime Type", "Offence Category"])
    nat_header = _pick(rng, ["Nationality", "Offender Nationality", "Nationality of Offender"])
    count_header = _pick(rng, ["Number of Community Resolutions", "Total", "Count", "Number of CRs", "No. of Community Resolutions"])
    fy_header = _pick(rng, ["Financial Year", "FY", "Year", "Period"])

    if p.shape == "long":
        v = p.variant % 4
        with_code = v == 1 and not style_code
        header = [fy_header] + (["HO Offence Code", "Offence Description"] if with_code else [off_header]) + [nat_header]
        if p.banded_victim_age:
            header.append("Victim Age Band")
        header.append(count_header)
        # layout 2 (five forces) ends in a Grand Total row, nothing, a total stated in a
        # note, nothing, a Total row; the other layouts in a Grand Total row
        last = {0: "Grand Total", 4: "Total"}.get(p.variant // 4) if v == 2 else "Grand Total"
        stated = v == 2 and p.variant // 4 == 2
        rows = w.long_rows(header, with_code, p.banded_victim_age, subtotals=v in (0, 3), grand_total=last)
        fmt = "xlsx" if v in (0, 2) or slug == "metropolitan" else "csv"
        blocks = (w.title_block(rng.randint(2, 4)) + [("blank", [])]) if v != 1 else []
        note = [w.stated_total(rows, "In total {:,} community resolutions were issued between 1 April 2022 and 31 March 2025.")] if stated else []
        sheet_rows = blocks + rows + [("blank", [])] + note + w.footnotes()
        sheets = [("Community Resolutions" if v == 0 else "Data", sheet_rows)]
        if v == 2:
            sheets.insert(0, ("Notes", _notes_sheet(w)))
            ret.quirks.append("Notes sheet first")
        name = _pick(rng, [f"{slug} community resolutions.{fmt}", f"FOI response - community resolutions.{fmt}", f"CR_by_offence_nationality.{fmt}"])
        enc = "utf-8-sig" if v == 3 else "utf-8"
        ret.files.append(ReturnFile(name, fmt, sheets, encoding=enc))
        ret.shape_text = "aggregate: financial year × offence × nationality, count column"
        if v in (0, 3):
            ret.quirks.append("per-year subtotal rows")
        if last:
            ret.quirks.append(f"{last} row")
        if stated:
            ret.quirks.append("total stated in a note below the table")
        if not last and not stated:
            ret.quirks.append("no totals")
        if blocks:
            ret.quirks.append("title block")
        if with_code:
            ret.quirks.append("HO code and description columns")
        if p.banded_victim_age:
            ret.quirks.append("victim age band column (sexual offences)")
        if enc == "utf-8-sig":
            ret.quirks.append("UTF-8 with BOM")

    elif p.shape == "crosstab":
        v = p.variant
        with_code = v == 1 and not style_code
        label_header = (["HO Code", "Offence Description"] if with_code else [off_header]) + [nat_header]
        rows = w.crosstab_rows(label_header, "joint", with_code=with_code)
        fmt = "xlsx" if v != 1 else "csv"
        sheet_rows = w.title_block(2) + [("blank", [])] + rows + [("blank", [])] + w.footnotes()
        ret.files.append(ReturnFile(f"{slug}_CR_offence_nationality_by_year.{fmt}", fmt, [("CR by year", sheet_rows)]))
        ret.shape_text = "cross-tab: offence and nationality down, financial years across"
        ret.quirks += ["title block", "Total row", "row-total column"]

    elif p.shape == "no_nationality":
        v = p.variant
        if v == 2:
            header = [fy_header, off_header, count_header]
            rows = w.long_rows(header, False, False, subtotals=False, grand_total="Grand Total", table="off")
            sheet_rows = w.title_block(2, request=False) + [("blank", [])] + rows + [("blank", [])] + w.footnotes()
            ret.files.append(ReturnFile(f"{slug} FOI response.csv", "csv", [("", sheet_rows)]))
            ret.shape_text = "aggregate: financial year × offence, no nationality"
            ret.quirks += ["title block", "Grand Total row", "nationality not provided"]
        else:
            with_code = v == 0 and not style_code
            label_header = ["HO Code", "Offence"] if with_code else [off_header]
            rows = w.crosstab_rows(label_header, "off", with_code=with_code, full_offence_list=True)
            fmt = "csv" if v == 1 else "xlsx"
            sheet_rows = w.title_block(3) + [("blank", [])] + rows + [("blank", [])] + w.footnotes()
            sheets = [("Offences", sheet_rows)]
            if fmt == "xlsx" and v == 0:
                sheets.insert(0, ("Notes", _notes_sheet(w, nationality=False)))
                ret.quirks.append("Notes sheet first")
            ret.files.append(ReturnFile(f"{slug}_community_resolutions_by_offence.{fmt}", fmt, sheets))
            ret.shape_text = "cross-tab: offence down, financial years across; no nationality"
            ret.quirks += ["fixed offence list with zero rows", "Total row", "row-total column", "nationality not provided"]

    elif p.shape == "split":
        off_rows = w.crosstab_rows([off_header], "off")
        nat_rows = w.crosstab_rows([nat_header], "nat")
        p.suppress_nationality = True
        if p.variant == 0:
            sheets = [
                ("Notes", _notes_sheet(w)),
                ("By offence", w.title_block(2) + [("blank", [])] + off_rows),
                ("By nationality", w.title_block(2) + [("blank", [])] + nat_rows + [("blank", [])] + w.footnotes()),
            ]
            ret.files.append(ReturnFile(f"{slug} CR response.xlsx", "xlsx", sheets))
            ret.quirks += ["Notes sheet first", "sheets 'By offence' and 'By nationality'"]
        else:
            rows = (w.title_block(3) + [("blank", [])] + off_rows + [("blank", [])]
                    + [("note", ["Table 2: community resolutions by nationality of offender"])] + [("blank", [])]
                    + nat_rows + [("blank", [])] + w.footnotes())
            ret.files.append(ReturnFile(f"{slug}_foi_response.csv", "csv", [("", rows)]))
            ret.quirks += ["two tables on one sheet, blank row and caption between"]
        ret.shape_text = "two tables of the same population: offence × year and nationality × year"
        ret.quirks += ["Total row and row-total column in each table", "withheld cells in the nationality table"]

    elif p.shape == "per_year_sheets":
        sheets = [("Notes", _notes_sheet(w))]
        for (start, label) in C.FINANCIAL_YEARS:
            def in_year(r, s=start):
                d = dt.date.fromordinal(r[0])
                return (d.year if d.month >= 4 else d.year - 1) == s
            rows = w.long_rows([off_header, nat_header, count_header], False, False, subtotals=False,
                               grand_total="Total", period_col=False, records_filter=in_year)
            title = [("title", [w.plan.force.full_name]), ("title", [f"Community resolutions issued in {label}, by offence and nationality"])]
            sheets.append((f"{start}-{(start + 1) % 100:02d}", title + [("blank", [])] + rows + [("blank", [])] + w.footnotes(source=False)))
        ret.files.append(ReturnFile(f"{slug} community resolutions 2022-2025.xlsx", "xlsx", sheets))
        ret.shape_text = "one sheet per financial year (2022-23, 2023-24, 2024-25): offence × nationality, no year column"
        ret.quirks += ["Notes sheet first", "period only in the sheet name and title", "Total row on each sheet"]

    elif p.shape == "per_year_files":
        for (start, label) in C.FINANCIAL_YEARS:
            def in_year(r, s=start):
                d = dt.date.fromordinal(r[0])
                return (d.year if d.month >= 4 else d.year - 1) == s
            rows = w.long_rows([off_header, nat_header, count_header], False, False, subtotals=False,
                               grand_total="Grand Total", period_col=False, records_filter=in_year)
            title = [("title", [f"Community resolutions issued in {label} by offence and nationality of offender"])]
            ret.files.append(ReturnFile(f"CR {start}-{(start + 1) % 100:02d}.csv", "csv", [("", title + [("blank", [])] + rows + [("blank", [])] + w.footnotes(source=False))]))
        ret.shape_text = "three files, one per financial year: offence × nationality, year in the title"
        ret.quirks += ["period only in the title line", "Grand Total row"]

    elif p.shape == "calendar_year":
        header = ["Year", off_header, nat_header, "Total"]
        rows = w.long_rows(header, False, False, subtotals=False, grand_total=None)
        title = [("title", [f"{p.force.full_name} \u2013 community resolutions by calendar year, offence and nationality"])]
        notes = [("note", ["Note: figures are for calendar years (January\u2013December) as recorded on our system, not financial years."])]
        ret.files.append(ReturnFile(f"{slug}_cr_calendar_years.csv", "csv", [("", title + rows + [("blank", [])] + notes + w.footnotes())],
                                    encoding="cp1252", delimiter=";"))
        ret.shape_text = "aggregate by calendar year (2022, 2023, 2024) although financial years were asked"
        ret.quirks += ["Windows-1252", "semicolon-delimited", "calendar years", "no totals"]

    elif p.shape == "profile":
        header = ["Financial Year", "Crime Kind", "Country", "Qty"]
        rows = w.long_rows(header, False, False, subtotals=False, grand_total="Grand Total")
        lead = [
            ("title", ["Breakdown requested:", "Offence", "Nationality", "Financial Year"]),
            ("title", [f"{p.force.full_name} - response to your Freedom of Information request"]),
            ("title", ["Data extracted from the crime recording system; see notes below the table"]),
            ("blank", []), ("blank", []),
        ]
        header_row = len(lead) + 1
        sheets = [("Notes", _notes_sheet(w)), ("Data", lead + rows + [("blank", [])] + w.footnotes())]
        profile = (
            f'# The header row says "Crime Kind", "Country" and "Qty", and row 1 looks like a header.\n'
            f'sheet: "Data"\nheader_row: {header_row}\n'
            f'columns: {{"Crime Kind": offence_text, "Country": nationality, "Qty": count}}\n'
        )
        ret.files.append(ReturnFile(f"{slug} FOI 2025 response.xlsx", "xlsx", sheets, profile=profile))
        ret.shape_text = "aggregate with unusual headers (Crime Kind, Country, Qty) after a misleading first line: needs a return profile"
        ret.quirks += ["return profile", "Notes sheet first", "Grand Total row"]
    else:
        raise ValueError(p.shape)
    if p.local_label and w.local_cls:
        ret.quirks.append(f"unmappable local label '{p.local_label}'")


def _notes_sheet(w: ForceWriter, nationality: bool = True) -> list:
    f = w.plan.force
    lines = [
        f"{f.full_name}: Freedom of Information response",
        "Community resolutions are Home Office outcome type 8 (an informal out-of-court disposal).",
        "Offences are classified under the Home Office Counting Rules.",
    ]
    if nationality:
        lines.append("Nationality is as recorded by the officer at the time of the outcome; it is not verified.")
    else:
        lines.append("Nationality is not held in a reportable field and has not been provided.")
    return [("title", [t]) for t in lines]


# --- record-level ---------------------------------------------------------------------------

RECORD_LAYOUTS = [
    # (format, encoding, date format, header, title lines, totals)
    # totals: records_line  'Total records: 4,123' below the records
    #         grand_total   a 'Grand Total' row with the record count in the last column
    #         pivot         a Summary sheet after the data: an Excel pivot of all outcomes by
    #                       financial year, pasted as values (blank for none)
    #         summary       a Summary sheet before the data: outcome by financial year, Total
    #                       column and Grand Total row
    dict(fmt="csv", encoding="utf-8-sig", date="%Y-%m-%d", totals="records_line",
         header=["Crime Reference", "HO Offence Code", "Offence Description", "Outcome", "Outcome Date",
                 "Offender Nationality", "Offender Age", "Gender", "Victim Age"], title=2),
    dict(fmt="xlsx", date="dd/mm/yyyy", notes=True, totals="pivot",
         header=["Occurrence Number", "Offence", "Outcome Type", "Outcome Date", "Nationality", "Age", "Sex", "Victim Age"], title=0),
    dict(fmt="csv", encoding="cp1252", date="%d/%m/%Y", totals="grand_total",
         header=["URN", "Offence Code", "Offence", "Disposal", "Disposal Date", "Nationality", "Age", "Gender", "Victim Age"], title=1),
    dict(fmt="xlsx", date="dd/mm/yyyy", totals=None,
         header=["Crime Number", "HOC Code", "Crime Type", "Outcome", "Outcome Date", "Offender Nationality",
                 "Offender Age", "Offender Gender", "Victim Age At Offence"], title=3),
    dict(fmt="csv", encoding="utf-8", date="%d/%m/%Y", totals=None,
         header=["Crime Ref", "Home Office Code", "Offence", "Outcome", "Outcome Date", "Nationality", "Age", "Sex", "Victim Age"], title=0),
    dict(fmt="xlsx", date="yyyy-mm-dd", notes=True, totals="summary",
         header=["Reference", "HO Offence Code", "Offence Description", "Outcome", "Outcome Date", "Offender Nationality",
                 "Offender Age", "Gender", "Victim Age"], title=2),
]


def build_record(w: ForceWriter) -> None:
    p, rng, ret = w.plan, w.rng, w.ret
    lay = RECORD_LAYOUTS[p.variant % len(RECORD_LAYOUTS)]
    header = lay["header"]
    fmt = lay["fmt"]
    has_code = any(h in header for h in ("HO Offence Code", "Offence Code", "HOC Code", "Home Office Code"))
    cr_label = "8: Community resolution" if p.slug == "durham" else _pick(rng, C.CR_LABELS)
    prefix = "".join(x[0] for x in p.slug.split("-")).upper()[:2] + ("" if "-" in p.slug else p.slug[1].upper())
    short_sex = rng.random() < 0.5
    scale = w.scale
    # base rows: (record, nationality text, is_cr), CRs and other outcomes by date
    base = [(r, nt, True) for r, nt in zip(w.records, w.nat_texts)]
    base += [(r, w.nat.text(r[2], rng), False) for r in w.other]
    base.sort(key=lambda b: (b[0][0], b[0][1], not b[2]))
    jitter_rng = random.Random(f"{w.seed}:jitter:{p.slug}")
    sexual = {c for c, k in w.ref.classes.items() if k.group == "Sexual offences"}
    blank_code = set()
    if has_code:  # a few rows where only the description was filled in
        blank_code = {i for i in range(len(base)) if rng.random() < 0.02}
    date_fmt = lay["date"]

    def record_rows():
        n = 0
        for i, (r, nt, is_cr) in enumerate(base):
            cls = r[1]
            code = None if (i in blank_code or not has_code) else w.off.code(cls)
            text = w.off.description(cls) if has_code else w.offence_label(cls)
            vis = w.vis_offence(code, text)
            if is_cr:
                outcome = C.YOUTH_CR_LABEL if r[6] else cr_label
                va = va_status_exact(r[5]) if vis == "20A" else ""
                key = (True, True, vis, w.vis_nat(nt), va)
            else:
                outcome, key = r[6], None
            sex = {"M": "Male", "F": "Female", "U": "Unknown"}[r[4]]
            if short_sex:
                sex = sex[0]
            vage = (r[5] if r[5] is not None else "") if cls in sexual else ""
            d0 = dt.date.fromordinal(r[0])
            fy0 = d0.year if d0.month >= 4 else d0.year - 1
            lo, hi = dt.date(fy0, 4, 1).toordinal(), dt.date(fy0 + 1, 3, 31).toordinal()
            for k in range(scale):
                if k:
                    o = min(hi, max(lo, r[0] + jitter_rng.randint(-12, 12)))
                else:
                    o = r[0]
                d = dt.date.fromordinal(o)
                n += 1
                ref_no = f"{prefix}/{d.year % 100:02d}/{n:07d}" if scale > 1 else f"{prefix}/{d.year % 100:02d}/{n:05d}"
                date_cell = d if fmt == "xlsx" else d.strftime(date_fmt)
                cells = [ref_no]
                if has_code:
                    cells += [code or "", text]
                else:
                    cells.append(text)
                cells += [outcome, date_cell, nt, r[3], sex, vage]
                yield cells, ("data" if is_cr else "other"), key

    title = [
        [p.force.full_name + " - Freedom of Information request " + f"{rng.randint(100, 999):03d}/25"],
        ["Community resolutions and other outcomes, 1 April 2022 \u2013 31 March 2025 (one row per outcome)"],
        ["Offender nationality as recorded in custody; victim age shown for sexual offences only"],
    ][: lay["title"]]
    lead = [(t, "title", None) for t in title] + ([([], "blank", None)] if title else [])
    source = ([f"Source: {p.force.name} crime and outcomes data, extracted 12/05/2025."], "note", None)
    tail = [([], "blank", None), source]
    total_rows = len(base) * scale
    totals = lay["totals"]
    first_row = len(lead) + 2  # of the records (below the header) on the first data sheet
    outcome_col = 3 + has_code  # 1-based, as a spreadsheet numbers columns
    ret_totals: list = []

    if fmt == "csv":
        records = {"": [[first_row, first_row + total_rows - 1]]}
        last_row = first_row + total_rows - 1
        if totals == "records_line":
            tail = [([], "blank", None), ([f"Total records: {total_rows:,}"], "total", None), source]
            ret_totals.append(_records_total("", last_row + 2, 1, total_rows, records))
            ret.quirks.append("'Total records: N' line below the records")
        elif totals == "grand_total":
            tail = [(["Grand Total"] + [""] * (len(header) - 2) + [total_rows], "total", None)] + tail
            ret_totals.append(_records_total("", last_row + 1, len(header), total_rows, records))
            ret.quirks.append("Grand Total row counting the records in the last column")
        else:
            ret.quirks.append("no totals")

        def all_rows():
            yield from lead
            yield header, "header", None
            yield from record_rows()
            yield from tail
        name = {0: "FOI-2025-0412 community resolutions.csv"}.get(p.variant, f"{p.slug}_outcomes_extract.csv")
        ret.files.append(ReturnFile(name, "record", [SheetOut("", all_rows())], encoding=lay["encoding"], date_format=date_fmt,
                                    totals=ret_totals))
        ret.formats.append("csv")
    else:
        gen = record_rows()
        sheets = []
        if lay.get("notes"):
            sheets.append(SheetOut("Notes", [([t], "title", None) for t in
                                             [f"{p.force.full_name}", "One row per outcome. Outcome types follow the Home Office counting rules.",
                                              "Only outcomes 1 April 2022 to 31 March 2025 are included."]]))
        n_sheets = max(1, -(-total_rows // XLSX_MAX_DATA_ROWS))
        records = {}
        for s in range(n_sheets):
            take = min(XLSX_MAX_DATA_ROWS, total_rows - s * XLSX_MAX_DATA_ROWS)
            start = first_row if s == 0 else 2
            records["Data" if s == 0 else f"Data ({s + 1})"] = [[start, start + take - 1]]

            def sheet_rows(take=take, first=(s == 0), last=(s == n_sheets - 1)):
                if first:
                    yield from lead
                yield header, "header", None
                for _ in range(take):
                    yield next(gen)
                if last:
                    yield from tail
            sheets.append(SheetOut("Data" if s == 0 else f"Data ({s + 1})", sheet_rows()))
        if totals in ("pivot", "summary"):
            # the same records (every outcome) by financial year and outcome label
            by: Counter = Counter()
            for r, _nt, is_cr in base:
                label = (C.YOUTH_CR_LABEL if r[6] else cr_label) if is_cr else r[6]
                by[(label, C.fy_label(dt.date.fromordinal(r[0])))] += scale
            where = {"records": records, "outcome_column": outcome_col, "date_column": outcome_col + 1}
            rows, ret_totals = _summary_sheet(by, totals == "pivot", header[0], where)
            summary = SheetOut("Summary", rows)
            if totals == "pivot":
                sheets.append(summary)
                ret.quirks.append("Summary sheet after the data: pivot of all outcomes by financial year, pasted as values")
            else:
                sheets.insert(1 if lay.get("notes") else 0, summary)
                ret.quirks.append("Summary sheet before the data: all outcomes by financial year, Grand Total row and column")
        else:
            ret.quirks.append("no totals")
        ret.files.append(ReturnFile(f"{p.slug}_community_resolutions.xlsx", "record", sheets, date_format=date_fmt,
                                    totals=ret_totals))
        ret.formats.append("xlsx")
        ret.quirks.append("real Excel dates")
        if lay.get("notes"):
            ret.quirks.append("Notes sheet first")
        if n_sheets > 1:
            ret.quirks.append(f"split over {n_sheets} data sheets (Excel row limit)")
    ret.files[-1].fmt = "record-" + fmt
    enc = lay.get("encoding")
    ret.shape_text = "record level: one row per outcome, other outcome types mixed in"
    ret.quirks += (["title block"] if title else []) + ["other outcomes to filter", "victim age for sexual offences"]
    if enc == "utf-8-sig":
        ret.quirks.append("UTF-8 with BOM")
    if enc == "cp1252":
        ret.quirks.append("Windows-1252")
    if has_code:
        ret.quirks.append("HO code and description columns")
    ret.quirks.append(f"outcome labels '{cr_label}', '{C.YOUTH_CR_LABEL}'")


def _records_total(sheet: str, row: int, col: int, value: int, records: dict) -> dict:
    """A total that counts the record rows (every outcome) in `records` ({sheet: [[first, last]]})."""
    return {"kind": "records", "sheet": sheet, "row": row, "column": col, "cell": cell_ref("", row, col),
            "value": value, "counts": {"records": records}}


def _summary_sheet(by: Counter, pivot: bool, ref_header: str, where: dict) -> tuple[list, list]:
    """Rows of a Summary sheet counting records by outcome (down) and financial year
    (across), with row and column totals, and the manifest entry of every count written."""
    years = [label for _, label in C.FINANCIAL_YEARS]
    outcomes = sorted({o for o, _ in by}, key=str.lower)  # as a pivot sorts its row labels
    if pivot:
        lead = [[f"Count of {ref_header}", "Column Labels"], ["Row Labels", *years, "Grand Total"]]
    else:
        lead = [["Outcomes by financial year: every row of the Data sheet"], [], ["Outcome", *years, "Total"]]
    rows = [(cells, "summary", None) for cells in lead]
    entries = []

    def put(cells: list, outcome: str | None) -> None:
        r = len(rows) + 1
        for c, (year, n) in enumerate(cells, start=2):
            if n or not pivot:  # a pivot leaves a combination with no records blank
                entries.append({"kind": "summary", "sheet": "Summary", "row": r, "column": c, "cell": cell_ref("", r, c),
                                "value": n, "counts": {**where, "outcome": outcome, "financial_year": year}})
        label = "Grand Total" if outcome is None else outcome
        rows.append(([label] + [(n or None) if pivot else n for _, n in cells], "summary", None))

    for o in outcomes:
        counts = [by[(o, y)] for y in years]
        put(list(zip(years, counts)) + [(None, sum(counts))], o)
    col = [sum(by[(o, y)] for o in outcomes) for y in years]
    put(list(zip(years, col)) + [(None, sum(col))], None)
    return rows, entries


def write_return(w: ForceWriter, landing: Path) -> list[FileAccount]:
    accounts = []
    for f in w.ret.files:
        path = landing / w.plan.slug / f.name
        acc = FileAccount(f"{w.plan.slug}/{f.name}")
        if f.fmt == "record-csv":
            write_csv(path, acc, f.sheets[0], encoding=f.encoding, delimiter=f.delimiter)
        elif f.fmt == "record-xlsx":
            write_record_xlsx(path, acc, f.sheets, date_format=f.date_format)
        elif f.fmt == "csv":
            write_csv(path, acc, SheetOut("", w.render(f.sheets[0][1], "csv", "", acc)), encoding=f.encoding, delimiter=f.delimiter)
        else:
            write_xlsx(path, acc, [SheetOut(name, w.render(rows, "xlsx", name, acc)) for name, rows in f.sheets])
        acc.totals.extend(f.totals)
        if f.profile:
            (landing / w.plan.slug / (f.name + ".profile.yaml")).write_text(f.profile, encoding="utf-8")
        accounts.append(acc)
    return accounts
