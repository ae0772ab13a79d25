"""Write the hand-made acceptance cases in tests/acceptance/shapes/: one force's return per
case, in the shapes real forces send, with the figures a correct pipeline must publish
(format: tests/acceptance/runner.py and the case format note).

Every figure in an expected.yaml is written here by hand, with its working in the case's
README.md; `_check` then recomputes each one from the rows written to the file and stops if
the hand working is wrong, so the arithmetic is checked twice. Where the return's own exact
totals narrow its withheld cells (a Total column over `<5` cells) the figures are the
narrowed bounds, as the reader must publish them, and a `truth` the file fixes is given. The files are synthetic (no
real force's figures) and deterministic: rerunning writes identical bytes.

    .venv/bin/python -m scripts.make_shape_cases [out_dir]
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "acceptance" / "shapes"
FIXED_TIME = dt.datetime(2025, 6, 1)

# Home Office offence classes used below: label as forces write it -> (code, ONS offence group)
OFFENCES = {
    "Assault without Injury": ("105A", "Violence against the person"),
    "Assault with Injury": ("8N", "Violence against the person"),
    "Harassment": ("8L", "Violence against the person"),
    "Shoplifting": ("46", "Theft offences"),
    "Theft from the Person": ("39", "Theft offences"),
    "Other Theft": ("49", "Theft offences"),
    "Possession of Cannabis": ("92E", "Drug offences"),
    "Criminal Damage to a Vehicle": ("58C", "Criminal damage and arson"),
    "Criminal Damage to a Dwelling": ("58A", "Criminal damage and arson"),
    "Public Fear, Alarm or Distress": ("9A", "Public order offences"),
}
NATIONALITY = {"British": "uk", "Polish": "foreign", "Romanian": "foreign", "Irish": "foreign",
               "Lithuanian": "foreign", "Not Recorded": "unknown"}
WITHHELD = {"<5", "*", "[c]", "1-4"}  # 1 to 4, never 0
NIL = {None, "", "-"}
CR = "Community Resolution"


# ---------------------------------------------------------------- truth and checking

@dataclass
class Obs:
    """One count the return makes about community resolutions, for the self-check."""
    period: str
    value: object  # int, a withheld marker or a nil marker as written, or (low, high) once narrowed
    offence: str | None = None  # a key of OFFENCES
    group: str | None = None  # ONS group when the return gives only the group
    nationality: str | None = None  # category: uk / foreign / unknown


def bounds(value) -> tuple[int, int]:
    if isinstance(value, tuple):  # a withheld cell narrowed by an exact total
        return value
    if value in NIL:
        return 0, 0
    if value in WITHHELD:
        return 1, 4
    if isinstance(value, float) and value.is_integer():
        return int(value), int(value)
    assert isinstance(value, int), value
    return value, value


def narrowed_by_total(cells: list, total: int) -> list:
    """A row's cells with each withheld one narrowed by the row's exact Total: the k withheld
    cells add up to S = Total - the known cells, so each lies between max(1, S - 4(k-1)) and
    min(4, S - (k-1)). A narrowed cell becomes (low, high)."""
    k = sum(v in WITHHELD for v in cells)
    if not k:
        assert sum(bounds(v)[0] for v in cells) == total, (cells, total)
        return list(cells)
    s = total - sum(bounds(v)[0] for v in cells if v not in WITHHELD)
    assert k <= s <= 4 * k, (cells, total)  # the Total is consistent with the cells
    low, high = max(1, s - 4 * (k - 1)), min(4, s - (k - 1))
    return [(low, high) if v in WITHHELD else v for v in cells]


def _derive(offence_view: list[Obs], nationality_view: list[Obs]) -> dict:
    def add(table, key, value):
        low, high = bounds(value)
        old = table.get(key, (0, 0))
        table[key] = (old[0] + low, old[1] + high)

    out: dict = {"total": {}, "by_period": {}, "by_offence_group": {}, "by_ho_offence_code": {},
                 "by_nationality_category": {}}
    for o in offence_view:
        add(out["total"], "total", o.value)
        add(out["by_period"], o.period, o.value)
        code, group = OFFENCES[o.offence] if o.offence else (None, o.group)
        if group:
            add(out["by_offence_group"], group, o.value)
        if code:
            add(out["by_ho_offence_code"], code, o.value)
    for o in nationality_view:
        add(out["by_nationality_category"], o.nationality, o.value)
    return out


def _check(name: str, figures: dict, offence_view: list[Obs], nationality_view: list[Obs] | None = None,
           truth: dict | None = None) -> None:
    """The hand-written figures must equal what the rows written sum to, a breakdown that is
    listed must list every key that has a count, and a truth must lie inside its figure."""
    for key, value in (truth or {}).items():
        items = {"total": value} if key == "total" else value
        bounds_ = {"total": figures[key]} if key == "total" else figures[key]
        for k, n in items.items():
            assert bounds_[k][0] <= n <= bounds_[k][1], f"{name} truth {key} {k}: {n} outside {bounds_[k]}"
    derived = _derive(offence_view, offence_view if nationality_view is None else nationality_view)
    for key, expected in figures.items():
        if key == "total":
            got = derived["total"].get("total", (0, 0))
            assert tuple(expected) == got, f"{name} total: hand {expected}, rows {got}"
            continue
        got = {k: v for k, v in derived[key].items() if v != (0, 0)}
        hand = {k: tuple(v) for k, v in expected.items()}
        assert hand == got, f"{name} {key}: hand {hand}, rows {got}"


# ---------------------------------------------------------------- writing

def _yaml(description: str, outcome: str, figures: dict | None = None, reason_contains: list[str] | None = None,
          truth: dict | None = None) -> str:
    # JSON scalars are YAML: keeps "2022/23" and '8N' as strings and the file easy to read
    lines = [f"description: {json.dumps(description, ensure_ascii=False)}", f"outcome: {outcome}"]
    if reason_contains:
        lines.append(f"reason_contains: {json.dumps(reason_contains, ensure_ascii=False)}")
    if figures:
        lines.append("figures:")
        for key, value in figures.items():
            if key == "total":
                lines.append(f"  total: {json.dumps(list(value))}")
            else:
                inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {json.dumps(list(v))}" for k, v in value.items())
                lines.append(f"  {key}: {{{inner}}}")
    if truth:
        lines.append("truth:")
        for key, value in truth.items():
            if key == "total":
                lines.append(f"  total: {value}")
            else:
                inner = ", ".join(f"{json.dumps(k, ensure_ascii=False)}: {n}" for k, n in value.items())
                lines.append(f"  {key}: {{{inner}}}")
    return "\n".join(lines) + "\n"


class CaseWriter:
    def __init__(self, out: Path, name: str):
        self.name = name
        self.dir = out / name
        self.files = self.dir / "files"
        self.files.mkdir(parents=True)

    def expected(self, description, outcome, figures=None, reason_contains=None, readme="", truth=None):
        (self.dir / "expected.yaml").write_text(_yaml(description, outcome, figures, reason_contains, truth),
                                                encoding="utf-8")
        (self.dir / "README.md").write_text(f"# {self.name}\n\n{description}\n\n{readme.strip()}\n", encoding="utf-8")

    def csv(self, filename, rows, *, delimiter=",", encoding="utf-8", preamble=(), postamble=(), bom=False):
        buf = io.StringIO()
        writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
        for line in preamble:
            writer.writerow([line])
        writer.writerows([["" if c is None else c for c in r] for r in rows])
        for line in postamble:
            writer.writerow([line])
        data = buf.getvalue().encode(encoding)
        if bom:
            data = {"utf-16-le": b"\xff\xfe", "utf-8": b"\xef\xbb\xbf"}[encoding] + data
        (self.files / filename).write_bytes(data)

    def xlsx(self, filename, wb: Workbook):
        wb.properties.created = wb.properties.modified = FIXED_TIME
        path = self.files / filename
        wb.save(path)
        _fix_zip_times(path)


def _fix_zip_times(path: Path) -> None:
    """Rewrite a zip (xlsx, ods) with fixed entry times, and the modified time openpyxl stamps
    into docProps/core.xml at save fixed too, so its bytes, and so its sha256, do not change
    from one build to the next. Order and compression are kept (ODS needs its stored
    `mimetype` first)."""
    with zipfile.ZipFile(path) as z:
        entries = [(i, z.read(i)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w") as z:
        for info, data in entries:
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2025-06-01T00:00:00Z", data)
            fixed = zipfile.ZipInfo(info.filename, date_time=(2025, 6, 1, 0, 0, 0))
            fixed.compress_type = info.compress_type
            fixed.external_attr = info.external_attr
            z.writestr(fixed, data)


def _sheet(wb: Workbook, title: str, rows, index=None):
    ws = wb.active if index == 0 else wb.create_sheet()
    ws.title = title
    for r in rows:
        ws.append(list(r))
    return ws


def _obs_from_records(records, fy=1, offence=2, outcome=3, nationality=None) -> list[Obs]:
    return [Obs(r[fy], 1, offence=r[offence], nationality=NATIONALITY[r[nationality]] if nationality is not None else None)
            for r in records if r[outcome] == CR]


# ---------------------------------------------------------------- the cases

def a_record_level_row_numbers(out: Path) -> None:
    w = CaseWriter(out, "a_record_level_row_numbers")
    header = ["No.", "Financial Year", "Crime Type", "Outcome Description", "Nationality"]
    records = [
        (1, "2022/23", "Assault without Injury", CR, "British"),
        (2, "2022/23", "Shoplifting", CR, "Romanian"),
        (3, "2022/23", "Shoplifting", "Charged/Summonsed", "British"),
        (4, "2022/23", "Possession of Cannabis", CR, "British"),
        (5, "2022/23", "Criminal Damage to a Vehicle", CR, "Polish"),
        (6, "2022/23", "Assault with Injury", "Caution - Adult", "British"),
        (7, "2022/23", "Assault without Injury", CR, "Not Recorded"),
        (8, "2022/23", "Shoplifting", CR, "British"),
        (9, "2022/23", "Public Fear, Alarm or Distress", "Penalty Notice for Disorder", "Irish"),
        (10, "2022/23", "Possession of Cannabis", "Cannabis Warning", "Polish"),
        (11, "2022/23", "Harassment", CR, "British"),
        (12, "2022/23", "Shoplifting", CR, "Polish"),
        (13, "2023/24", "Assault without Injury", CR, "British"),
        (14, "2023/24", "Shoplifting", CR, "British"),
        (15, "2023/24", "Shoplifting", "Charged/Summonsed", "Romanian"),
        (16, "2023/24", "Possession of Cannabis", CR, "Irish"),
        (17, "2023/24", "Criminal Damage to a Vehicle", CR, "British"),
        (18, "2023/24", "Assault with Injury", CR, "British"),
        (19, "2023/24", "Public Fear, Alarm or Distress", CR, "Not Recorded"),
        (20, "2023/24", "Assault without Injury", "Caution - Adult", "Polish"),
        (21, "2023/24", "Shoplifting", CR, "Romanian"),
        (22, "2023/24", "Possession of Cannabis", CR, "British"),
        (23, "2024/25", "Assault without Injury", CR, "Polish"),
        (24, "2024/25", "Shoplifting", CR, "British"),
        (25, "2024/25", "Harassment", "Charged/Summonsed", "British"),
        (26, "2024/25", "Criminal Damage to a Vehicle", CR, "British"),
        (27, "2024/25", "Possession of Cannabis", CR, "Not Recorded"),
        (28, "2024/25", "Shoplifting", "Penalty Notice for Disorder", "British"),
        (29, "2024/25", "Assault with Injury", CR, "Irish"),
        (30, "2024/25", "Shoplifting", CR, "British"),
    ]
    wb = Workbook()
    _sheet(wb, "Sheet1", [header, *records], index=0)
    w.xlsx("FOI 2025-0231 outcomes.xlsx", wb)
    figures = {
        "total": [22, 22],
        "by_period": {"2022/23": [8, 8], "2023/24": [8, 8], "2024/25": [6, 6]},
        "by_ho_offence_code": {"105A": [4, 4], "46": [7, 7], "92E": [4, 4], "58C": [3, 3], "8N": [2, 2], "8L": [1, 1],
                               "9A": [1, 1]},
        "by_offence_group": {"Violence against the person": [7, 7], "Theft offences": [7, 7], "Drug offences": [4, 4],
                             "Criminal damage and arson": [3, 3], "Public order offences": [1, 1]},
        "by_nationality_category": {"uk": [12, 12], "foreign": [7, 7], "unknown": [3, 3]},
    }
    _check(w.name, figures, _obs_from_records(records, nationality=4))
    w.expected(
        "Record-level list, 30 rows numbered 1..30 in a `No.` column beside Financial Year / Crime Type / "
        "Outcome Description; 8 rows are other outcomes. A reader that takes `No.` for a count sums row numbers "
        "(e.g. 465 for all rows) instead of counting the 22 community resolutions.",
        "exact", figures, readme="""
Each row is one outcome; count the rows whose Outcome Description is `Community Resolution`.
Not community resolutions: rows 3, 15, 25 (Charged/Summonsed), 6, 20 (Caution - Adult), 9, 28 (Penalty
Notice for Disorder), 10 (Cannabis Warning).

- 2022/23: rows 1, 2, 4, 5, 7, 8, 11, 12 = **8**
- 2023/24: rows 13, 14, 16, 17, 18, 19, 21, 22 = **8**
- 2024/25: rows 23, 24, 26, 27, 29, 30 = **6**
- total 8 + 8 + 6 = **22**

By offence: Assault without Injury (105A) 1, 7, 13, 23 = 4; Shoplifting (46) 2, 8, 12, 14, 21, 24, 30 = 7;
Possession of Cannabis (92E) 4, 16, 22, 27 = 4; Criminal Damage to a Vehicle (58C) 5, 17, 26 = 3; Assault with
Injury (8N) 18, 29 = 2; Harassment (8L) 11 = 1; Public Fear, Alarm or Distress (9A) 19 = 1. Groups: violence
against the person 4 + 2 + 1 = 7, theft 7, drugs 4, criminal damage 3, public order 1 (= 22).

Nationality: British 1, 4, 8, 11, 13, 14, 17, 18, 22, 24, 26, 30 = 12 (uk); Romanian 2, 21, Polish 5, 12, 23,
Irish 16, 29 = 7 (foreign); Not Recorded 7, 19, 27 = 3 (unknown).
""")


def b_stacked_marginal_tables(out: Path) -> None:
    w = CaseWriter(out, "b_stacked_marginal_tables")
    groups = {
        "2022": [("Violence against the person", 41), ("Theft offences", 27), ("Drug offences", 12),
                 ("Criminal damage and arson", 8), ("Public order offences", 5)],
        "2023": [("Violence against the person", 45), ("Theft offences", 30), ("Drug offences", 10),
                 ("Criminal damage and arson", 6), ("Public order offences", 4)],
    }
    nationalities = {
        "2022": [("British", 71), ("Polish", 9), ("Romanian", 6), ("Irish", 3), ("Not Recorded", 4)],
        "2023": [("British", 74), ("Polish", 8), ("Romanian", 7), ("Irish", 2), ("Not Recorded", 4)],
    }
    rows = [["Breakdown", "Category", "Calendar Year", "Number of community resolutions"]]
    rows += [["Offence group", g, year, n] for year, items in groups.items() for g, n in items]
    rows += [["Nationality", nat, year, n] for year, items in nationalities.items() for nat, n in items]
    w.csv("community_resolutions_2022_2023.csv", rows,
          preamble=["Community resolutions issued in calendar years 2022 and 2023, by offence group and by nationality"])
    figures = {
        "total": [188, 188],
        "by_period": {"2022": [93, 93], "2023": [95, 95]},
        "by_offence_group": {"Violence against the person": [86, 86], "Theft offences": [57, 57], "Drug offences": [22, 22],
                             "Criminal damage and arson": [14, 14], "Public order offences": [9, 9]},
        "by_nationality_category": {"uk": [145, 145], "foreign": [35, 35], "unknown": [8, 8]},
    }
    _check(w.name, figures,
           [Obs(y, n, group=g) for y, items in groups.items() for g, n in items],
           [Obs(y, n, nationality=NATIONALITY[nat]) for y, items in nationalities.items() for nat, n in items])
    w.expected(
        "Two marginal tables of the same people stacked in one long CSV (Breakdown = Offence group, then "
        "Breakdown = Nationality), calendar years, a title line above the header. Adding both breakdowns "
        "counts everyone twice (376 instead of 188).",
        "exact", figures, readme="""
Both breakdowns describe the same community resolutions, so each sums to the same yearly total:

- 2022 by offence group: 41 + 27 + 12 + 8 + 5 = **93**; by nationality: 71 + 9 + 6 + 3 + 4 = 93
- 2023 by offence group: 45 + 30 + 10 + 6 + 4 = **95**; by nationality: 74 + 8 + 7 + 2 + 4 = 95
- total 93 + 95 = **188** (once, not 376)

Offence groups over both years: violence against the person 41 + 45 = 86, theft 27 + 30 = 57, drugs
12 + 10 = 22, criminal damage and arson 8 + 6 = 14, public order 5 + 4 = 9 (= 188).

Nationality (from the nationality rows only): uk (British) 71 + 74 = 145; foreign (Polish, Romanian, Irish)
9 + 6 + 3 + 8 + 7 + 2 = 35; unknown (Not Recorded) 4 + 4 = 8 (= 188).

Periods are calendar years: `2022`, `2023` (no financial year is invented). No offence codes are given.
""")


def c_two_row_header_merged_groups(out: Path) -> None:
    w = CaseWriter(out, "c_two_row_header_merged_groups")
    group_names = ["Violence against the person", "Theft offences", "Drug offences", "Criminal damage and arson"]
    # (year, nationality, cells per group (None = blank = 0), the force's Total column)
    data = [
        ("2022/23", "British", [38, 22, 9, 6], 75),
        ("2022/23", "Polish", ["<5", 6, "<5", None], 11),
        ("2022/23", "Romanian", ["<5", 7, None, "<5"], 10),
        ("2022/23", "Irish", ["<5", "<5", "<5", None], 4),
        ("2022/23", "Not Recorded", [5, "<5", None, None], 8),
        ("2023/24", "British", [41, 25, 11, 7], 84),
        ("2023/24", "Polish", [5, "<5", "<5", None], 10),
        ("2023/24", "Romanian", ["<5", 9, None, "<5"], 12),
        ("2023/24", "Irish", ["<5", None, "<5", None], 5),
        ("2023/24", "Not Recorded", [6, "<5", "<5", None], 9),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "CR by nationality"
    ws.append(["Financial Year", "Nationality", "Offence group", None, None, None, "Total"])
    ws.append([None, None, *group_names, None])
    for year, nat, cells, total in data:
        ws.append([year, nat, *cells, total])
    for rng in ("A1:A2", "B1:B2", "C1:F1", "G1:G2"):
        ws.merge_cells(rng)
    ws["C1"].alignment = Alignment(horizontal="center")
    for cell in ws[1] + ws[2]:
        cell.font = Font(bold=True)
    w.xlsx("CR nationality by offence group.xlsx", wb)
    # each row's Total is exact: it narrows the row's withheld cells (README)
    obs = [Obs(y, v, group=g, nationality=NATIONALITY[nat])
           for y, nat, cells, total in data for g, v in zip(group_names, narrowed_by_total(cells, total))]
    figures = {
        "total": [215, 242],
        "by_period": {"2022/23": [103, 114], "2023/24": [112, 128]},
        "by_offence_group": {"Violence against the person": [100, 109], "Theft offences": [75, 80],
                             "Drug offences": [25, 36], "Criminal damage and arson": [15, 17]},
        "by_nationality_category": {"uk": [159, 159], "foreign": [40, 65], "unknown": [16, 18]},
    }
    # whole rows' true counts are their Totals; the groups' are not in the file
    truth = {"total": 228, "by_period": {"2022/23": 108, "2023/24": 120},
             "by_nationality_category": {"uk": 159, "foreign": 52, "unknown": 17}}
    from_totals: dict = {"total": 0, "by_period": {}, "by_nationality_category": {}}
    for y, nat, _, total in data:
        from_totals["total"] += total
        from_totals["by_period"][y] = from_totals["by_period"].get(y, 0) + total
        cat = from_totals["by_nationality_category"]
        cat[NATIONALITY[nat]] = cat.get(NATIONALITY[nat], 0) + total
    assert truth == from_totals, from_totals
    _check(w.name, figures, obs, truth=truth)
    w.expected(
        "Cross-tab with a two-row header: a merged 'Offence group' cell over four group columns (row 1), the "
        "group names in row 2, a Total column at the end; rows are financial year x nationality; some cells "
        "withheld as <5, blanks for nil, each row's exact Total narrowing its <5 cells. Reading row 1 as the "
        "header loses the groups; adding the Total column counts everything twice.",
        "exact", figures, truth=truth, readme="""
Figures come from the group cells: `<5` is 1-4, blank is 0. The Total column is the force's own sum of each
row, not a fifth group (never counted). It is exact, so it narrows the row's withheld cells, as the reader
does: the k withheld cells of a row add up to S = Total - the row's known cells, so each lies between
max(1, S - 4(k-1)) and min(4, S - (k-1)). This finds nothing the force did not publish itself: its Total
column already fixes it (Not Recorded 2022/23's `<5` theft cell is 8 - 5 = 3).

Per row: cells (Total): S, k → each withheld cell; the row's cells.

2022/23
- British 38 + 22 + 9 + 6 (75): nothing withheld; 75
- Polish <5 + 6 + <5 + blank (11): S = 11 - 6 = 5, k = 2 → max(1, 1) to min(4, 4) = 1-4 (not narrowed); 8-14
- Romanian <5 + 7 + blank + <5 (10): S = 10 - 7 = 3, k = 2 → max(1, -1) to min(4, 2) = 1-2; 9-11
- Irish <5 + <5 + <5 + blank (4): S = 4, k = 3 → max(1, -4) to min(4, 2) = 1-2; 3-6
- Not Recorded 5 + <5 + blank + blank (8): S = 8 - 5 = 3, k = 1 → 3; 8

2023/24
- British 41 + 25 + 11 + 7 (84): nothing withheld; 84
- Polish 5 + <5 + <5 + blank (10): S = 5, k = 2 → 1-4 (not narrowed); 7-13
- Romanian <5 + 9 + blank + <5 (12): S = 3, k = 2 → 1-2; 11-13
- Irish <5 + blank + <5 + blank (5): S = 5, k = 2 → 1-4 (not narrowed); 2-8
- Not Recorded 6 + <5 + <5 + blank (9): S = 3, k = 2 → 1-2; 8-10

- 2022/23: 75 + 8 + 9 + 3 + 8 = 103 to 75 + 14 + 11 + 6 + 8 = 114 → **103-114**
- 2023/24: 84 + 7 + 11 + 2 + 8 = 112 to 84 + 13 + 13 + 8 + 10 = 128 → **112-128**
- total **215-242** (without the narrowing, the plain sum of cell bounds: 213-261)

Groups, narrowed cells as ranges:
- violence: 2022/23 38 + Polish 1-4 + Romanian 1-2 + Irish 1-2 + 5 = 46-51; 2023/24 41 + 5 + Romanian 1-2
  + Irish 1-4 + 6 = 54-58 → **100-109**
- theft: 2022/23 22 + 6 + 7 + Irish 1-2 + Not Recorded 3 = 39-40; 2023/24 25 + Polish 1-4 + 9 + Not
  Recorded 1-2 = 36-40 → **75-80**
- drugs: 2022/23 9 + Polish 1-4 + Irish 1-2 = 11-15; 2023/24 11 + Polish 1-4 + Irish 1-4 + Not Recorded
  1-2 = 14-21 → **25-36**
- criminal damage: 2022/23 6 + Romanian 1-2 = 7-8; 2023/24 7 + Romanian 1-2 = 8-9 → **15-17**
- (100 + 75 + 25 + 15 = 215; 109 + 80 + 36 + 17 = 242)

Nationality: uk 75 + 84 = **159**; foreign (Polish, Romanian, Irish) 8 + 9 + 3 + 7 + 11 + 2 = 40 to
14 + 11 + 6 + 13 + 13 + 8 = 65 → **40-65**; unknown (Not Recorded) 8 + 8 = 16 to 8 + 10 = 18 → **16-18**.

Truth (`truth:` in expected.yaml): a whole row's true count is its Total, so the figures made of whole rows
are known: 2022/23 75 + 11 + 10 + 4 + 8 = 108, 2023/24 84 + 10 + 12 + 5 + 9 = 120, total 228; uk 159,
foreign 11 + 10 + 4 + 10 + 12 + 5 = 52, unknown 8 + 9 = 17. Each lies inside its figure above. A group's
true count is not in the file (which of a row's withheld cells is the larger is withheld), so no truth is
given for the groups: they must be published as above.

Judgement call: the figures above narrow each cell on its own and add the cells' bounds, as the marts hold
offence-group x nationality cells. A reader that instead publishes each row's Total for the whole-row
figures (total 228, 2022/23 108, ...) is narrower still and holds the truth: the runner accepts it as
`narrowed`.
""")


def d_data_sheet_and_summary_dual_nationality(out: Path) -> None:
    w = CaseWriter(out, "d_data_sheet_and_summary_dual_nationality")
    header = ["Occurrence Number", "Financial Year", "Offence", "Outcome", "Nationality 1", "Nationality 2"]
    records = [
        ("22/004117", "2022/23", "Shoplifting", CR, "British", None),
        ("22/004562", "2022/23", "Assault without Injury", CR, "Irish", "British"),
        ("22/005019", "2022/23", "Possession of Cannabis", CR, "Polish", None),
        ("22/005873", "2022/23", "Shoplifting", CR, "Romanian", None),
        ("22/006240", "2022/23", "Criminal Damage to a Vehicle", CR, "British", None),
        ("22/007731", "2022/23", "Assault with Injury", CR, "Polish", "British"),
        ("22/008015", "2022/23", "Shoplifting", CR, "Not Recorded", None),
        ("22/009348", "2022/23", "Harassment", CR, "British", "Irish"),
        ("23/000412", "2022/23", "Possession of Cannabis", CR, "Irish", None),
        ("23/001187", "2022/23", "Assault without Injury", CR, "British", None),
        ("23/001950", "2022/23", "Shoplifting", CR, "Romanian", "Polish"),
        ("23/002603", "2022/23", "Public Fear, Alarm or Distress", CR, "British", None),
        ("23/004021", "2023/24", "Shoplifting", CR, "British", None),
        ("23/004588", "2023/24", "Assault without Injury", CR, "Irish", "British"),
        ("23/005102", "2023/24", "Possession of Cannabis", CR, "British", None),
        ("23/005960", "2023/24", "Shoplifting", CR, "Polish", None),
        ("23/006377", "2023/24", "Criminal Damage to a Vehicle", CR, "Not Recorded", None),
        ("23/007145", "2023/24", "Assault with Injury", CR, "British", None),
        ("23/008290", "2023/24", "Shoplifting", CR, "Romanian", None),
        ("23/009034", "2023/24", "Assault without Injury", CR, "British", "Polish"),
        ("24/000561", "2023/24", "Possession of Cannabis", CR, "British", None),
        ("24/001208", "2023/24", "Shoplifting", CR, "Irish", None),
        ("24/001876", "2023/24", "Harassment", CR, "Not Recorded", None),
        ("24/002411", "2023/24", "Shoplifting", CR, "British", None),
        ("24/002979", "2023/24", "Other Theft", CR, "Lithuanian", None),
        ("24/003350", "2023/24", "Theft from the Person", CR, "British", "Romanian"),
    ]
    wb = Workbook()
    _sheet(wb, "Summary", [
        ["Community resolutions, 1 April 2022 to 31 March 2024"],
        [],
        ["Financial Year", "Number of Community Resolutions"],
        ["2022/23", 12],
        ["2023/24", 14],
        ["Grand Total", 26],
    ], index=0)
    _sheet(wb, "Data", [header, *records])
    w.xlsx("FOI-0893 community resolutions.xlsx", wb)

    def category(r):  # a British part makes the person uk; else the first nationality
        return "uk" if "British" in (r[4], r[5]) else NATIONALITY[r[4]]

    obs = [Obs(r[1], 1, offence=r[2], nationality=category(r)) for r in records]
    figures = {
        "total": [26, 26],
        "by_period": {"2022/23": [12, 12], "2023/24": [14, 14]},
        "by_ho_offence_code": {"46": [9, 9], "105A": [4, 4], "92E": [4, 4], "58C": [2, 2], "8N": [2, 2], "8L": [2, 2],
                               "9A": [1, 1], "49": [1, 1], "39": [1, 1]},
        "by_offence_group": {"Theft offences": [11, 11], "Violence against the person": [8, 8], "Drug offences": [4, 4],
                             "Criminal damage and arson": [2, 2], "Public order offences": [1, 1]},
        "by_nationality_category": {"uk": [15, 15], "foreign": [8, 8], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Workbook with a Summary sheet (counts by financial year, Grand Total 26) and a record-level Data sheet "
        "of the same 26 people, with two nationality columns for dual nationals. Reading both sheets counts "
        "everyone twice; reading Nationality 2 as another person adds 7; a dual national with a British part is uk.",
        "exact", figures, readme="""
Data sheet: 26 records, all community resolutions; the Summary sheet counts the same records (12, 14, Grand
Total 26) and agrees with them, so the records are counted once.

- 2022/23: 12 records (occurrences 22/004117 to 23/002603) = **12**
- 2023/24: 14 records (23/004021 to 24/003350) = **14**
- total **26** (not 52, not 26 + 26 + 12 + 14)

Nationality, one per person; with two, a British part makes the person uk, otherwise the first counts:
- uk: British only 22/004117, 22/006240, 23/001187, 23/002603, 23/004021, 23/005102, 23/007145, 24/000561,
  24/002411 = 9; dual with British: 22/004562 (Irish + British), 22/007731 (Polish + British), 22/009348
  (British + Irish), 23/004588 (Irish + British), 23/009034 (British + Polish), 24/003350 (British +
  Romanian) = 6 → **15**
- foreign: 22/005019 Polish, 22/005873 Romanian, 23/000412 Irish, 23/001950 Romanian + Polish, 23/005960
  Polish, 23/008290 Romanian, 24/001208 Irish, 24/002979 Lithuanian → **8**
- unknown (Not Recorded): 22/008015, 23/006377, 24/001876 → **3**

Offences: Shoplifting (46) 4 in 2022/23 + 5 in 2023/24 = 9; Assault without Injury (105A) 2 + 2 = 4;
Possession of Cannabis (92E) 2 + 2 = 4; Criminal Damage to a Vehicle (58C) 1 + 1 = 2; Assault with Injury
(8N) 1 + 1 = 2; Harassment (8L) 1 + 1 = 2; Public Fear, Alarm or Distress (9A) 1; Other Theft (49) 1;
Theft from the Person (39) 1 (= 26). Groups: theft 9 + 1 + 1 = 11, violence 4 + 2 + 2 = 8, drugs 4,
criminal damage 2, public order 1.
""")


def e_pivot_pasted_as_values(out: Path) -> None:
    w = CaseWriter(out, "e_pivot_pasted_as_values")
    # (label as pasted, 2022/23, 2023/24, Grand Total); two leading spaces mark an item under its group
    pivot = [
        ("Violence against the person", 30, 34, 64),
        ("  Assault with Injury", 8, 9, 17),
        ("  Assault without Injury", 17, 20, 37),
        ("  Harassment", 5, 5, 10),
        ("Theft offences", 26, 29, 55),
        ("  Shoplifting", 21, 25, 46),
        ("  Theft from the Person", 5, 4, 9),
        ("Drug offences", 12, 9, 21),
        ("  Possession of Cannabis", 12, 9, 21),
        ("Criminal damage and arson", 7, 8, 15),
        ("  Criminal Damage to a Vehicle", 4, 3, 7),
        ("  Criminal Damage to a Dwelling", 3, 5, 8),
        ("(blank)", 2, 1, 3),
        ("  (blank)", 2, 1, 3),
        ("Grand Total", 77, 81, 158),
    ]
    wb = Workbook()
    ws = _sheet(wb, "Sheet2", [
        ["Outcome", "Community Resolution"],
        [],
        ["Count of Crime Reference", "Column Labels"],
        ["Row Labels", "2022/23", "2023/24", "Grand Total"],
        *pivot,
    ], index=0)
    for row in ws.iter_rows(min_row=5):
        if str(row[0].value).startswith("  "):
            row[0].alignment = Alignment(indent=1)
        else:  # group and Grand Total rows, bold as Excel shows them
            for cell in row:
                cell.font = Font(bold=True)
    w.xlsx("CR offences pivot.xlsx", wb)
    obs = []
    for label, a, b, _ in pivot:
        if label.startswith("  "):  # items only: the group rows and Grand Total are subtotals
            offence = label.strip() if label.strip() != "(blank)" else None
            obs += [Obs("2022/23", a, offence=offence), Obs("2023/24", b, offence=offence)]
    figures = {
        "total": [158, 158],
        "by_period": {"2022/23": [77, 77], "2023/24": [81, 81]},
        "by_offence_group": {"Violence against the person": [64, 64], "Theft offences": [55, 55],
                             "Drug offences": [21, 21], "Criminal damage and arson": [15, 15]},
        "by_ho_offence_code": {"8N": [17, 17], "105A": [37, 37], "8L": [10, 10], "46": [46, 46], "39": [9, 9],
                               "92E": [21, 21], "58C": [7, 7], "58A": [8, 8]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Excel pivot table pasted as values: report filter line, 'Row Labels' header, offence-group rows carrying "
        "subtotals (without the word Total), offences indented under them with leading spaces, a '(blank)' group, "
        "'Grand Total' row and column; years across. Adding the group rows counts twice (316 instead of 158).",
        "exact", figures, readme="""
The group rows (not indented) are subtotals of the indented items below them; `Grand Total` is the sum of
the groups. Count the indented items only. `(blank)` is a group of records without an offence: its item
row `  (blank)` counts (in the total, with no offence code or group).

Items, 2022/23 + 2023/24 = both: Assault with Injury (8N) 8 + 9 = 17; Assault without Injury (105A) 17 + 20
= 37; Harassment (8L) 5 + 5 = 10; Shoplifting (46) 21 + 25 = 46; Theft from the Person (39) 5 + 4 = 9;
Possession of Cannabis (92E) 12 + 9 = 21; Criminal Damage to a Vehicle (58C) 4 + 3 = 7; Criminal Damage to
a Dwelling (58A) 3 + 5 = 8; (blank) 2 + 1 = 3.

- 2022/23: 8 + 17 + 5 + 21 + 5 + 12 + 4 + 3 + 2 = **77** (the pivot's Grand Total row: 77)
- 2023/24: 9 + 20 + 5 + 25 + 4 + 9 + 3 + 5 + 1 = **81** (81)
- total **158** (Grand Total column 158)

Groups agree with their subtotal rows: violence 17 + 37 + 10 = 64, theft 46 + 9 = 55, drugs 21 (the group
row and its one item both say 21: once), criminal damage 7 + 8 = 15.
""")


def f_offences_across_years_down(out: Path) -> None:
    w = CaseWriter(out, "f_offences_across_years_down")
    offences = ["Assault without Injury", "Assault with Injury", "Harassment", "Shoplifting", "Theft from the Person",
                "Possession of Cannabis", "Criminal Damage to a Vehicle", "Public Fear, Alarm or Distress"]
    years = {
        "2022/23": [34, 11, 6, 28, 4, 15, 7, 5],
        "2023/24": [38, 9, 8, 31, 3, 12, 6, 4],
        "2024/25": [36, 12, 7, 35, 5, 10, 8, 2],
    }
    wb = Workbook()
    ws = _sheet(wb, "Community resolutions", [
        ["Community resolutions by offence, financial years 2022/23 to 2024/25"],
        [],
        ["Financial Year", *offences, "Total"],
        *[[y, *v, sum(v)] for y, v in years.items()],
        ["Total", *[sum(col) for col in zip(*years.values())], sum(map(sum, years.values()))],
    ], index=0)
    ws["A1"].font = Font(bold=True)
    w.xlsx("CR by offence and year.xlsx", wb)
    obs = [Obs(y, n, offence=o) for y, v in years.items() for o, n in zip(offences, v)]
    figures = {
        "total": [336, 336],
        "by_period": {"2022/23": [110, 110], "2023/24": [111, 111], "2024/25": [115, 115]},
        "by_offence_group": {"Violence against the person": [161, 161], "Theft offences": [106, 106],
                             "Drug offences": [37, 37], "Criminal damage and arson": [21, 21],
                             "Public order offences": [11, 11]},
        "by_ho_offence_code": {"105A": [108, 108], "8N": [32, 32], "8L": [21, 21], "46": [94, 94], "39": [12, 12],
                               "92E": [37, 37], "58C": [21, 21], "9A": [11, 11]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Transposed cross-tab: offences across, financial years down, a Total column and a Total row. Read with "
        "years across in mind it yields nothing or the wrong axis; adding the Total row or column doubles.",
        "exact", figures, readme="""
24 cells (3 years x 8 offences); the Total column and Total row are the force's sums, not counted.

- 2022/23: 34 + 11 + 6 + 28 + 4 + 15 + 7 + 5 = **110** (Total column 110)
- 2023/24: 38 + 9 + 8 + 31 + 3 + 12 + 6 + 4 = **111** (111)
- 2024/25: 36 + 12 + 7 + 35 + 5 + 10 + 8 + 2 = **115** (115)
- total 110 + 111 + 115 = **336** (Total row's last cell 336)

By offence (the Total row): Assault without Injury (105A) 34 + 38 + 36 = 108; Assault with Injury (8N) 11 +
9 + 12 = 32; Harassment (8L) 6 + 8 + 7 = 21; Shoplifting (46) 28 + 31 + 35 = 94; Theft from the Person (39)
4 + 3 + 5 = 12; Possession of Cannabis (92E) 15 + 12 + 10 = 37; Criminal Damage to a Vehicle (58C) 7 + 6 +
8 = 21; Public Fear, Alarm or Distress (9A) 5 + 4 + 2 = 11.
Groups: violence 108 + 32 + 21 = 161; theft 94 + 12 = 106; drugs 37; criminal damage 21; public order 11.
""")


def g_months_across(out: Path) -> None:
    w = CaseWriter(out, "g_months_across")
    months = ["Apr-22", "May-22", "Jun-22", "Jul-22", "Aug-22", "Sep-22", "Oct-22", "Nov-22", "Dec-22", "Jan-23",
              "Feb-23", "Mar-23"]
    rows = {
        "Assault without Injury": [3, 2, 4, 3, 1, 2, 5, 3, 2, 4, 3, 2],
        "Assault with Injury": [1, "-", 1, 2, "-", 1, 1, "-", 2, 1, "-", 1],
        "Shoplifting": [4, 3, 5, 2, 4, 3, 3, 5, 4, 2, 3, 4],
        "Possession of Cannabis": [2, 1, "*", 2, 1, "-", 2, 1, 1, "*", 2, 1],
        "Criminal Damage to a Vehicle": [1, "-", 1, "-", 1, 1, "-", 2, "-", 1, "-", 1],
        "Public Fear, Alarm or Distress": ["-", 1, "-", 1, "-", "-", 1, "-", 1, "-", "-", 1],
    }
    w.csv("cr_by_month_2022_23.csv", [["Offence", *months], *[[o, *v] for o, v in rows.items()]],
          preamble=["Community resolutions by month of outcome, April 2022 to March 2023"],
          postamble=["* fewer than 5, withheld", "- nil"])
    obs = [Obs("2022/23", v, offence=o) for o, vs in rows.items() for v in vs]
    figures = {
        "total": [114, 120],
        "by_period": {"2022/23": [114, 120]},
        "by_ho_offence_code": {"105A": [34, 34], "8N": [10, 10], "46": [42, 42], "92E": [15, 21], "58C": [8, 8],
                               "9A": [5, 5]},
        "by_offence_group": {"Violence against the person": [44, 44], "Theft offences": [42, 42],
                             "Drug offences": [15, 21], "Criminal damage and arson": [8, 8],
                             "Public order offences": [5, 5]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Months across as text headers ('Apr-22' .. 'Mar-23'), offences down, '*' withheld and '-' nil, title and "
        "footnotes. The twelve months roll up to financial year 2022/23; a reader that does not know month "
        "headers finds no period, or takes 'Apr-22' for a date in 2022 only.",
        "exact", figures, readme="""
`*` is 1-4, `-` is 0. All twelve months fall in April 2022 - March 2023, financial year 2022/23.

- Assault without Injury (105A): 3 + 2 + 4 + 3 + 1 + 2 + 5 + 3 + 2 + 4 + 3 + 2 = 34
- Assault with Injury (8N): 1 + 1 + 2 + 1 + 1 + 2 + 1 + 1 = 10
- Shoplifting (46): 4 + 3 + 5 + 2 + 4 + 3 + 3 + 5 + 4 + 2 + 3 + 4 = 42
- Possession of Cannabis (92E): 2 + 1 + 2 + 1 + 2 + 1 + 1 + 2 + 1 = 13, plus two `*` → 15-21
- Criminal Damage to a Vehicle (58C): 1 + 1 + 1 + 1 + 2 + 1 + 1 = 8
- Public Fear, Alarm or Distress (9A): 1 + 1 + 1 + 1 + 1 = 5
- 2022/23 = total: 34 + 10 + 42 + 15 + 8 + 5 = 114 to 120 → **114-120**

Groups: violence 34 + 10 = 44; theft 42; drugs 15-21; criminal damage 8; public order 5.
""")


def h_dates_across(out: Path) -> None:
    w = CaseWriter(out, "h_dates_across")
    quarters = [dt.datetime(2022, 4, 1), dt.datetime(2022, 7, 1), dt.datetime(2022, 10, 1), dt.datetime(2023, 1, 1),
                dt.datetime(2023, 4, 1), dt.datetime(2023, 7, 1), dt.datetime(2023, 10, 1), dt.datetime(2024, 1, 1)]
    rows = [
        ("105A", "Assault without Injury", [9, 8, 10, 7, 11, 9, 8, 10]),
        ("8N", "Assault with Injury", [3, 2, 4, 2, 3, 3, 2, 4]),
        ("46", "Shoplifting", [7, 6, 8, 9, 8, 7, 9, 10]),
        ("92E", "Possession of Cannabis", [4, 3, 3, 2, 3, 2, 4, 3]),
        ("58C", "Criminal Damage to a Vehicle", [2, 1, 2, 1, 1, 2, 1, 2]),
        ("9A", "Public Fear, Alarm or Distress", [1, "-", 2, 1, 1, 1, "-", 1]),
    ]
    wb = Workbook()
    ws = _sheet(wb, "Quarterly", [
        ["Community resolutions by quarter (quarter commencing)"],
        [],
        ["HO Code", "Offence", *quarters],
        *[[code, label, *v] for code, label, v in rows],
    ], index=0)
    for cell in ws[3][2:]:
        cell.number_format = "dd/mm/yyyy"  # real dates, shown as dates
    w.xlsx("CR quarterly 2022-2024.xlsx", wb)
    fy = ["2022/23"] * 4 + ["2023/24"] * 4
    obs = [Obs(y, v, offence=label) for _, label, vs in rows for y, v in zip(fy, vs)]
    figures = {
        "total": [202, 202],
        "by_period": {"2022/23": [97, 97], "2023/24": [105, 105]},
        "by_ho_offence_code": {"105A": [72, 72], "8N": [23, 23], "46": [64, 64], "92E": [24, 24], "58C": [12, 12],
                               "9A": [7, 7]},
        "by_offence_group": {"Violence against the person": [95, 95], "Theft offences": [64, 64],
                             "Drug offences": [24, 24], "Criminal damage and arson": [12, 12],
                             "Public order offences": [7, 7]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Real Excel dates as column headers (quarters commencing 01/04/2022 .. 01/01/2024), offence code and "
        "label down. Dates become serial numbers (44652 ...) if read as plain cells: no period, or numbers read as "
        "years.",
        "exact", figures, readme="""
Eight quarters; each starts and ends inside one financial year (April-June, July-September, October-December,
January-March), so quarters 01/04/2022-01/01/2023 are 2022/23 and 01/04/2023-01/01/2024 are 2023/24.
`-` is 0.

2022/23 (first four) | 2023/24 (last four):
- 105A Assault without Injury: 9 + 8 + 10 + 7 = 34 | 11 + 9 + 8 + 10 = 38 → 72
- 8N Assault with Injury: 3 + 2 + 4 + 2 = 11 | 3 + 3 + 2 + 4 = 12 → 23
- 46 Shoplifting: 7 + 6 + 8 + 9 = 30 | 8 + 7 + 9 + 10 = 34 → 64
- 92E Possession of Cannabis: 4 + 3 + 3 + 2 = 12 | 3 + 2 + 4 + 3 = 12 → 24
- 58C Criminal Damage to a Vehicle: 2 + 1 + 2 + 1 = 6 | 1 + 2 + 1 + 2 = 6 → 12
- 9A Public Fear, Alarm or Distress: 1 + 0 + 2 + 1 = 4 | 1 + 1 + 0 + 1 = 3 → 7
- 2022/23: 34 + 11 + 30 + 12 + 6 + 4 = **97**; 2023/24: 38 + 12 + 34 + 12 + 6 + 3 = **105**; total **202**

Groups: violence 72 + 23 = 95; theft 64; drugs 24; criminal damage 12; public order 7.
""")


def h_quarters_across(out: Path) -> None:
    w = CaseWriter(out, "h_quarters_across")
    quarters = ["2022 Q2", "2022 Q3", "2022 Q4", "2023 Q1", "2023 Q2", "2023 Q3", "2023 Q4", "2024 Q1"]
    rows = {
        "Shoplifting": [6, 5, 7, 8, 7, 6, 9, 8],
        "Assault without Injury": [8, 9, 7, 6, 9, 10, 8, 7],
        "Possession of Cannabis": [3, 2, "<5", 3, 2, 4, 3, "<5"],
        "Criminal Damage to a Vehicle": [2, 1, 1, 2, 1, 2, 2, 1],
        "Theft from the Person": [1, "-", 1, 1, "-", 1, 1, "-"],
    }
    w.csv("community resolutions by calendar quarter.csv",
          [["Offence", *quarters], *[[o, *v] for o, v in rows.items()]],
          preamble=["Community resolutions by calendar quarter (Q1 = January to March), April 2022 to March 2024"])
    fy = ["2022/23"] * 4 + ["2023/24"] * 4
    obs = [Obs(y, v, offence=o) for o, vs in rows.items() for y, v in zip(fy, vs)]
    figures = {
        "total": [156, 162],
        "by_period": {"2022/23": [74, 77], "2023/24": [82, 85]},
        "by_ho_offence_code": {"46": [56, 56], "105A": [64, 64], "92E": [19, 25], "58C": [12, 12], "39": [5, 5]},
        "by_offence_group": {"Theft offences": [61, 61], "Violence against the person": [64, 64],
                             "Drug offences": [19, 25], "Criminal damage and arson": [12, 12]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Calendar quarters across as text ('2022 Q2' .. '2024 Q1'; the title says Q1 = January to March), "
        "offences down, '<5' withheld. The quarters roll up to financial years 2022/23 and 2023/24; read as "
        "calendar years they would split 2022 Q2-Q4 / 2023 / 2024 Q1, and read as financial quarters a year off.",
        "exact", figures, readme="""
Calendar quarters: 2022 Q2 = April-June 2022, ..., 2023 Q1 = January-March 2023 (all 2022/23); 2023 Q2 ..
2024 Q1 are 2023/24. `<5` is 1-4, `-` is 0.

2022/23 (first four) | 2023/24 (last four):
- Shoplifting (46): 6 + 5 + 7 + 8 = 26 | 7 + 6 + 9 + 8 = 30 → 56
- Assault without Injury (105A): 8 + 9 + 7 + 6 = 30 | 9 + 10 + 8 + 7 = 34 → 64
- Possession of Cannabis (92E): 3 + 2 + <5 + 3 = 9-12 | 2 + 4 + 3 + <5 = 10-13 → 19-25
- Criminal Damage to a Vehicle (58C): 2 + 1 + 1 + 2 = 6 | 1 + 2 + 2 + 1 = 6 → 12
- Theft from the Person (39): 1 + 1 + 1 = 3 | 1 + 1 = 2 → 5
- 2022/23: 26 + 30 + 9 + 6 + 3 = 74 to 77 → **74-77**; 2023/24: 30 + 34 + 10 + 6 + 2 = 82 to 85 → **82-85**
- total **156-162**

Groups: theft 56 + 5 = 61; violence 64; drugs 19-25; criminal damage 12.
""")


def i_ons_groups_upper_case(out: Path) -> None:
    w = CaseWriter(out, "i_ons_groups_upper_case")
    groups = [
        ("VIOLENCE AGAINST THE PERSON", "Violence against the person", [112, 120, 131]),
        ("THEFT", "Theft offences", [87, 95, 102]),
        ("DRUG OFFENCES", "Drug offences", [40, 36, 33]),
        ("CRIMINAL DAMAGE AND ARSON", "Criminal damage and arson", [25, 22, 27]),
        ("PUBLIC ORDER OFFENCES", "Public order offences", [18, 21, 19]),
        ("POSSESSION OF WEAPONS OFFENCES", "Possession of weapons offences", [3, "[c]", 2]),
        ("SEXUAL OFFENCES", "Sexual offences", ["[c]", "-", "[c]"]),
        ("MISCELLANEOUS CRIMES AGAINST SOCIETY", "Miscellaneous crimes against society", [6, 4, 5]),
    ]
    years = ["2022/23", "2023/24", "2024/25"]
    wb = Workbook()
    _sheet(wb, "Table 1", [
        ["Table 1: Community resolutions by offence group and financial year"],
        ["[c] = figure withheld to protect individuals (fewer than 5)"],
        ["OFFENCE GROUP", *years],
        *[[label, *v] for label, _, v in groups],
    ], index=0)
    w.xlsx("Table 1 community resolutions.xlsx", wb)
    obs = [Obs(y, v, group=g) for _, g, vs in groups for y, v in zip(years, vs)]
    figures = {
        "total": [911, 920],
        "by_period": {"2022/23": [292, 295], "2023/24": [299, 302], "2024/25": [320, 323]},
        "by_offence_group": {"Violence against the person": [363, 363], "Theft offences": [284, 284],
                             "Drug offences": [109, 109], "Criminal damage and arson": [74, 74],
                             "Public order offences": [58, 58], "Possession of weapons offences": [6, 9],
                             "Sexual offences": [2, 8], "Miscellaneous crimes against society": [15, 15]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Offences given only as upper-case ONS offence groups ('VIOLENCE AGAINST THE PERSON', 'THEFT', ...), "
        "years across, '[c]' withheld. No offence codes exist; figures by group are exact, and an offence "
        "lookup that knows only class names leaves everything unmapped.",
        "exact", figures, readme="""
`[c]` is 1-4, `-` is 0. `THEFT` is the ONS group Theft offences. No offence class codes are given, so no
figure by code is asked for.

- 2022/23: 112 + 87 + 40 + 25 + 18 + 3 + [c] + 6 = 291 + 1-4 → **292-295**
- 2023/24: 120 + 95 + 36 + 22 + 21 + [c] + 0 + 4 = 298 + 1-4 → **299-302**
- 2024/25: 131 + 102 + 33 + 27 + 19 + 2 + [c] + 5 = 319 + 1-4 → **320-323**
- total **911-920**

Groups over three years: violence 112 + 120 + 131 = 363; theft 87 + 95 + 102 = 284; drugs 40 + 36 + 33 =
109; criminal damage and arson 25 + 22 + 27 = 74; public order 18 + 21 + 19 = 58; possession of weapons 3
+ [c] + 2 = 6-9; sexual offences [c] + [c] = 2-8; miscellaneous crimes against society 6 + 4 + 5 = 15.
""")


def j_bilingual_welsh_english(out: Path) -> None:
    w = CaseWriter(out, "j_bilingual_welsh_english")
    off = {
        "Assault without Injury": "Ymosod heb anaf / Assault without injury",
        "Assault with Injury": "Ymosod gydag anaf / Assault with injury",
        "Shoplifting": "Dwyn o siopau / Shoplifting",
        "Possession of Cannabis": "Meddu ar ganabis / Possession of cannabis",
        "Criminal Damage to a Vehicle": "Difrod troseddol i gerbyd / Criminal damage to a vehicle",
        "Public Fear, Alarm or Distress": "Ofn, braw neu drallod cyhoeddus / Public fear, alarm or distress",
    }
    nat = {"British": "Prydeinig / British", "Polish": "Pwylaidd / Polish", "Romanian": "Rwmanaidd / Romanian",
           "Irish": "Gwyddelig / Irish", "Not Recorded": "Heb ei gofnodi / Not recorded"}
    data = [
        ("2022/23", "Assault without Injury", "British", 14),
        ("2022/23", "Assault without Injury", "Polish", 2),
        ("2022/23", "Assault with Injury", "British", 5),
        ("2022/23", "Shoplifting", "British", 11),
        ("2022/23", "Shoplifting", "Romanian", 3),
        ("2022/23", "Possession of Cannabis", "British", 7),
        ("2022/23", "Possession of Cannabis", "Not Recorded", 2),
        ("2022/23", "Criminal Damage to a Vehicle", "British", 4),
        ("2022/23", "Criminal Damage to a Vehicle", "Irish", "<5"),
        ("2023/24", "Assault without Injury", "British", 16),
        ("2023/24", "Assault without Injury", "Irish", "<5"),
        ("2023/24", "Assault with Injury", "British", 6),
        ("2023/24", "Shoplifting", "British", 13),
        ("2023/24", "Shoplifting", "Polish", 5),
        ("2023/24", "Possession of Cannabis", "British", 8),
        ("2023/24", "Criminal Damage to a Vehicle", "British", 3),
        ("2023/24", "Criminal Damage to a Vehicle", "Not Recorded", 1),
        ("2023/24", "Public Fear, Alarm or Distress", "British", 2),
    ]
    wb = Workbook()
    _sheet(wb, "Datrysiadau Cymunedol", [
        ["Datrysiadau cymunedol / Community resolutions"],
        [],
        ["Blwyddyn Ariannol / Financial Year", "Trosedd / Offence", "Cenedligrwydd / Nationality", "Nifer / Number"],
        *[[y, off[o], nat[n], v] for y, o, n, v in data],
    ], index=0)
    w.xlsx("Cais RhG 2025-114 FOI request.xlsx", wb)
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, o, n, v in data]
    figures = {
        "total": [104, 110],
        "by_period": {"2022/23": [49, 52], "2023/24": [55, 58]},
        "by_ho_offence_code": {"105A": [33, 36], "8N": [11, 11], "46": [32, 32], "92E": [17, 17], "58C": [9, 12],
                               "9A": [2, 2]},
        "by_offence_group": {"Violence against the person": [44, 47], "Theft offences": [32, 32],
                             "Drug offences": [17, 17], "Criminal damage and arson": [9, 12],
                             "Public order offences": [2, 2]},
        "by_nationality_category": {"uk": [89, 89], "foreign": [12, 18], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Welsh force's bilingual return: headers, offences and nationalities written 'Welsh / English' "
        "('Ymosod heb anaf / Assault without injury', 'Prydeinig / British'), '<5' withheld. A lookup on the whole "
        "label finds nothing; the English half is the Home Office label.",
        "exact", figures, readme="""
18 aggregate rows; `<5` is 1-4. The English half of each label names the offence and nationality.

- 2022/23: 14 + 2 + 5 + 11 + 3 + 7 + 2 + 4 = 48, + <5 → **49-52**
- 2023/24: 16 + 6 + 13 + 5 + 8 + 3 + 1 + 2 = 54, + <5 → **55-58**
- total **104-110**

Offences: Assault without injury (105A) 14 + 2 + 16 + <5 = 33-36; Assault with injury (8N) 5 + 6 = 11;
Shoplifting (46) 11 + 3 + 13 + 5 = 32; Possession of cannabis (92E) 7 + 2 + 8 = 17; Criminal damage to a
vehicle (58C) 4 + <5 + 3 + 1 = 9-12; Public fear, alarm or distress (9A) 2.
Groups: violence 33 + 11 = 44 to 47; theft 32; drugs 17; criminal damage 9-12; public order 2.

Nationality: uk (Prydeinig / British) 14 + 5 + 11 + 7 + 4 + 16 + 6 + 13 + 8 + 3 + 2 = 89; foreign Polish 2
+ 5, Romanian 3, Irish <5 + <5 = 12-18; unknown (Heb ei gofnodi / Not recorded) 2 + 1 = 3.
""")


def k_float_counts_beside_percentages(out: Path) -> None:
    w = CaseWriter(out, "k_float_counts_beside_percentages")
    data = [
        ("2022/23", "Assault without Injury", 18), ("2022/23", "Assault with Injury", 6),
        ("2022/23", "Shoplifting", 15), ("2022/23", "Theft from the Person", 2),
        ("2022/23", "Possession of Cannabis", 9), ("2022/23", "Criminal Damage to a Vehicle", 4),
        ("2022/23", "Public Fear, Alarm or Distress", 3),
        ("2023/24", "Assault without Injury", 20), ("2023/24", "Assault with Injury", 5),
        ("2023/24", "Shoplifting", 17), ("2023/24", "Theft from the Person", 3),
        ("2023/24", "Possession of Cannabis", 7), ("2023/24", "Criminal Damage to a Vehicle", 5),
        ("2023/24", "Public Fear, Alarm or Distress", 2),
    ]
    grand = sum(n for *_, n in data)
    rows = [["Financial Year", "Offence", "Number of Community Resolutions", "% of total"]]
    rows += [[y, o, f"{n:.1f}", f"{100 * n / grand:.1f}"] for y, o, n in data]
    rows += [["Total", "", f"{grand:.1f}", "100.0"]]
    w.csv("cr_offences_with_share.csv", rows)
    obs = [Obs(y, n, offence=o) for y, o, n in data]
    figures = {
        "total": [116, 116],
        "by_period": {"2022/23": [57, 57], "2023/24": [59, 59]},
        "by_ho_offence_code": {"105A": [38, 38], "8N": [11, 11], "46": [32, 32], "39": [5, 5], "92E": [16, 16],
                               "58C": [9, 9], "9A": [5, 5]},
        "by_offence_group": {"Violence against the person": [49, 49], "Theft offences": [37, 37],
                             "Drug offences": [16, 16], "Criminal damage and arson": [9, 9],
                             "Public order offences": [5, 5]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Counts written as decimals ('18.0') with a '% of total' column beside them and a Total row. The "
        "percentages (15.5, 5.2, ...) must never be counted, nor the Total row.",
        "exact", figures, readme="""
Counts are in `Number of Community Resolutions` (`18.0` is 18); `% of total` is each count's share of the
Total row (116.0) and is not a count.

- 2022/23: 18 + 6 + 15 + 2 + 9 + 4 + 3 = **57**
- 2023/24: 20 + 5 + 17 + 3 + 7 + 5 + 2 = **59**
- total **116** (Total row 116.0; the percentages add up to about 100, not counted)

Offences: Assault without Injury (105A) 18 + 20 = 38; Assault with Injury (8N) 6 + 5 = 11; Shoplifting (46)
15 + 17 = 32; Theft from the Person (39) 2 + 3 = 5; Possession of Cannabis (92E) 9 + 7 = 16; Criminal Damage
to a Vehicle (58C) 4 + 5 = 9; Public Fear, Alarm or Distress (9A) 3 + 2 = 5.
Groups: violence 38 + 11 = 49; theft 32 + 5 = 37; drugs 16; criminal damage 9; public order 5.
""")


def l_utf16_unicode_text(out: Path) -> None:
    w = CaseWriter(out, "l_utf16_unicode_text")
    data = [
        ("2022/23", "Assault without Injury", "British", 12),
        ("2022/23", "Assault without Injury", "Polish", 3),
        ("2022/23", "Shoplifting", "British", 9),
        ("2022/23", "Shoplifting", "Lithuanian", 2),
        ("2022/23", "Possession of Cannabis", "British", 6),
        ("2022/23", "Public Fear, Alarm or Distress", "Not Recorded", 1),
        ("2022/23", "Criminal Damage to a Vehicle", "British", 4),
        ("2023/24", "Assault without Injury", "British", 14),
        ("2023/24", "Assault with Injury", "Irish", "1-4"),
        ("2023/24", "Shoplifting", "British", 10),
        ("2023/24", "Shoplifting", "Romanian", 4),
        ("2023/24", "Possession of Cannabis", "British", 5),
        ("2023/24", "Possession of Cannabis", "Not Recorded", 2),
        ("2023/24", "Public Fear, Alarm or Distress", "British", 3),
    ]
    # Excel "Unicode Text": UTF-16 LE with a BOM, tabs, CRLF, a field with a comma in quotes
    rows = [["Financial Year", "Offence", "Nationality", "Number of Community Resolutions"], *data]
    text = "".join("\t".join(f'"{c}"' if "," in str(c) else str(c) for c in row) + "\r\n" for row in rows)
    (w.files / "CR return.txt").write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, o, n, v in data]
    figures = {
        "total": [76, 79],
        "by_period": {"2022/23": [37, 37], "2023/24": [39, 42]},
        "by_ho_offence_code": {"105A": [29, 29], "8N": [1, 4], "46": [25, 25], "92E": [13, 13], "9A": [4, 4],
                               "58C": [4, 4]},
        "by_offence_group": {"Violence against the person": [30, 33], "Theft offences": [25, 25],
                             "Drug offences": [13, 13], "Public order offences": [4, 4],
                             "Criminal damage and arson": [4, 4]},
        "by_nationality_category": {"uk": [63, 63], "foreign": [10, 13], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Excel's 'Unicode Text' export: a .txt file in UTF-16 LE with a BOM, tab-separated, CRLF, one field "
        "quoted for its comma, '1-4' withheld. Read as UTF-8 it is NUL-riddled noise.",
        "exact", figures, readme="""
14 aggregate rows; `1-4` is 1-4.

- 2022/23: 12 + 3 + 9 + 2 + 6 + 1 + 4 = **37**
- 2023/24: 14 + 1-4 + 10 + 4 + 5 + 2 + 3 = 38 + 1-4 → **39-42**
- total **76-79**

Offences: Assault without Injury (105A) 12 + 3 + 14 = 29; Assault with Injury (8N) 1-4; Shoplifting (46)
9 + 2 + 10 + 4 = 25; Possession of Cannabis (92E) 6 + 5 + 2 = 13; Public Fear, Alarm or Distress (9A)
1 + 3 = 4; Criminal Damage to a Vehicle (58C) 4. Groups: violence 29 + 1-4 = 30-33; theft 25; drugs 13;
public order 4; criminal damage 4.

Nationality: uk 12 + 9 + 6 + 4 + 14 + 10 + 5 + 3 = 63; foreign Polish 3 + Lithuanian 2 + Irish 1-4 +
Romanian 4 = 10-13; unknown 1 + 2 = 3.
""")


def m_tsv_record_level(out: Path) -> None:
    w = CaseWriter(out, "m_tsv_record_level")
    records = [
        ("CR/23/00417", "2023/24", "46", "Shoplifting", CR, "British"),
        ("CR/23/00588", "2023/24", "105A", "Assault without Injury", CR, "Polish"),
        ("CR/23/00602", "2023/24", "92E", "Possession of Cannabis", CR, "British"),
        ("CR/23/00745", "2023/24", "46", "Shoplifting", "Charged/Summonsed", "British"),
        ("CR/23/00811", "2023/24", "58C", "Criminal Damage to a Vehicle", CR, "Not Recorded"),
        ("CR/23/00930", "2023/24", "8N", "Assault with Injury", CR, "British"),
        ("CR/23/01046", "2023/24", "46", "Shoplifting", CR, "Romanian"),
        ("CR/23/01172", "2023/24", "9A", "Public Fear, Alarm or Distress", CR, "British"),
        ("CR/24/00093", "2023/24", "105A", "Assault without Injury", "Caution - Adult", "British"),
        ("CR/24/00218", "2023/24", "92E", "Possession of Cannabis", CR, "Irish"),
        ("CR/24/00534", "2024/25", "46", "Shoplifting", CR, "British"),
        ("CR/24/00671", "2024/25", "105A", "Assault without Injury", CR, "British"),
        ("CR/24/00702", "2024/25", "92E", "Possession of Cannabis", "Cannabis Warning", "British"),
        ("CR/24/00859", "2024/25", "46", "Shoplifting", CR, "Polish"),
        ("CR/24/00964", "2024/25", "8L", "Harassment", CR, "British"),
        ("CR/24/01027", "2024/25", "58C", "Criminal Damage to a Vehicle", CR, "British"),
        ("CR/25/00041", "2024/25", "105A", "Assault without Injury", CR, "Not Recorded"),
        ("CR/25/00186", "2024/25", "46", "Shoplifting", CR, "British"),
        ("CR/25/00255", "2024/25", "8N", "Assault with Injury", "Charged/Summonsed", "Polish"),
        ("CR/25/00390", "2024/25", "92E", "Possession of Cannabis", CR, "Romanian"),
    ]
    header = ["Crime Number", "Financial Year", "HO Offence Code", "Offence", "Outcome", "Nationality"]
    w.csv("outcomes_2023_2025.tsv", [header, *records], delimiter="\t")
    obs = _obs_from_records(records, fy=1, offence=3, outcome=4, nationality=5)
    figures = {
        "total": [16, 16],
        "by_period": {"2023/24": [8, 8], "2024/25": [8, 8]},
        "by_ho_offence_code": {"46": [5, 5], "105A": [3, 3], "92E": [3, 3], "58C": [2, 2], "8N": [1, 1], "9A": [1, 1],
                               "8L": [1, 1]},
        "by_offence_group": {"Theft offences": [5, 5], "Violence against the person": [5, 5], "Drug offences": [3, 3],
                             "Criminal damage and arson": [2, 2], "Public order offences": [1, 1]},
        "by_nationality_category": {"uk": [9, 9], "foreign": [5, 5], "unknown": [2, 2]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Record-level .tsv (tab-separated, UTF-8), 20 outcomes of which 16 are community resolutions. A reader "
        "that only knows .csv/.xlsx refuses it; one that assumes commas sees one column.",
        "exact", figures, readme="""
Not community resolutions: CR/23/00745 and CR/25/00255 (Charged/Summonsed), CR/24/00093 (Caution - Adult),
CR/24/00702 (Cannabis Warning).

- 2023/24: 10 rows - 2 = **8** (00417, 00588, 00602, 00811, 00930, 01046, 01172, 00218)
- 2024/25: 10 rows - 2 = **8** (00534, 00671, 00859, 00964, 01027, 00041, 00186, 00390)
- total **16**

Offences: 46 five (00417, 01046, 00534, 00859, 00186); 105A three (00588, 00671, 00041); 92E three (00602,
00218, 00390); 58C two (00811, 01027); 8N 00930; 9A 01172; 8L 00964. Groups: theft 5, violence 3 + 1 + 1 =
5, drugs 3, criminal damage 2, public order 1.

Nationality: British 00417, 00602, 00930, 01172, 00534, 00671, 00964, 01027, 00186 = 9 (uk); Polish 00588,
00859, Romanian 01046, 00390, Irish 00218 = 5 (foreign); Not Recorded 00811, 00041 = 2 (unknown).
""")


def n_semicolon_windows_1252(out: Path) -> None:
    w = CaseWriter(out, "n_semicolon_windows_1252")
    data = [
        ("2022/23", "Shoplifting", "British", 17),
        ("2022/23", "Shoplifting", "Polish", 4),
        ("2022/23", "Assault without Injury", "British", 13),
        ("2022/23", "Assault without Injury", "Romanian", "<5"),
        ("2022/23", "Possession of Cannabis", "British", 8),
        ("2022/23", "Criminal Damage to a Vehicle", "Not Recorded", 2),
        ("2022/23", "Harassment", "British", 3),
        ("2023/24", "Shoplifting", "British", 19),
        ("2023/24", "Shoplifting", "Romanian", 5),
        ("2023/24", "Assault without Injury", "British", 15),
        ("2023/24", "Assault without Injury", "Irish", 2),
        ("2023/24", "Possession of Cannabis", "British", 6),
        ("2023/24", "Criminal Damage to a Dwelling", "British", 4),
        ("2023/24", "Harassment", "Not Recorded", 1),
    ]
    w.csv("FOI 2024-1187 response.csv",
          [["Financial Year", "Offence", "Nationality", "Number of community resolutions"], *data],
          delimiter=";", encoding="cp1252",
          preamble=["FOI 2024/1187 – Community resolutions by offence and nationality",
                    "Shoplifting includes low-value shoplifting (goods under £200)"],
          postamble=["<5 – fewer than five, withheld under s40(2)"])
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, o, n, v in data]
    figures = {
        "total": [100, 103],
        "by_period": {"2022/23": [48, 51], "2023/24": [52, 52]},
        "by_ho_offence_code": {"46": [45, 45], "105A": [31, 34], "92E": [14, 14], "58C": [2, 2], "8L": [4, 4],
                               "58A": [4, 4]},
        "by_offence_group": {"Theft offences": [45, 45], "Violence against the person": [35, 38],
                             "Drug offences": [14, 14], "Criminal damage and arson": [6, 6]},
        "by_nationality_category": {"uk": [85, 85], "foreign": [12, 15], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Semicolon-separated CSV in Windows-1252 with an en dash and '£' in the title lines and an en dash in the "
        "footnote, '<5' withheld. Read as UTF-8 the title bytes 0x96/0xA3 are invalid.",
        "exact", figures, readme="""
Two title lines (with `–` 0x96 and `£` 0xA3 in Windows-1252), the header, 14 rows, a footnote. `<5` is 1-4.

- 2022/23: 17 + 4 + 13 + <5 + 8 + 2 + 3 = 47 + 1-4 → **48-51**
- 2023/24: 19 + 5 + 15 + 2 + 6 + 4 + 1 = **52**
- total **100-103**

Offences: Shoplifting (46) 17 + 4 + 19 + 5 = 45; Assault without Injury (105A) 13 + <5 + 15 + 2 = 31-34;
Possession of Cannabis (92E) 8 + 6 = 14; Criminal Damage to a Vehicle (58C) 2; Harassment (8L) 3 + 1 = 4;
Criminal Damage to a Dwelling (58A) 4. Groups: theft 45; violence 31 + 4 = 35 to 38; drugs 14; criminal
damage 2 + 4 = 6.

Nationality: uk 17 + 13 + 8 + 3 + 19 + 15 + 6 + 4 = 85; foreign Polish 4 + Romanian <5 + Romanian 5 +
Irish 2 = 12-15; unknown 2 + 1 = 3.
""")


def o_legacy_xls(out: Path) -> None:
    import xlwt

    w = CaseWriter(out, "o_legacy_xls")
    data = [
        ("2022/23", "Assault without Injury", "British", 21),
        ("2022/23", "Assault without Injury", "Irish", 2),
        ("2022/23", "Shoplifting", "British", 16),
        ("2022/23", "Shoplifting", "Polish", 5),
        ("2022/23", "Possession of Cannabis", "British", 9),
        ("2022/23", "Theft from the Person", "Romanian", 3),
        ("2023/24", "Assault without Injury", "British", 19),
        ("2023/24", "Assault with Injury", "British", 7),
        ("2023/24", "Shoplifting", "British", 18),
        ("2023/24", "Shoplifting", "Not Recorded", 3),
        ("2023/24", "Possession of Cannabis", "Polish", 4),
        ("2023/24", "Criminal Damage to a Vehicle", "British", 6),
    ]
    book = xlwt.Workbook()
    sheet = book.add_sheet("Community Resolutions")
    sheet.write(0, 0, "Community resolutions by financial year, offence and nationality")
    for c, text in enumerate(["Financial Year", "Offence", "Nationality", "Count"]):
        sheet.write(2, c, text)
    for r, row in enumerate(data, start=3):
        for c, value in enumerate(row):
            sheet.write(r, c, value)  # counts as numbers
    book.save(str(w.files / "cr_return_2022_2024.xls"))
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, o, n, v in data]
    figures = {
        "total": [113, 113],
        "by_period": {"2022/23": [56, 56], "2023/24": [57, 57]},
        "by_ho_offence_code": {"105A": [42, 42], "8N": [7, 7], "46": [42, 42], "92E": [13, 13], "39": [3, 3],
                               "58C": [6, 6]},
        "by_offence_group": {"Violence against the person": [49, 49], "Theft offences": [45, 45],
                             "Drug offences": [13, 13], "Criminal damage and arson": [6, 6]},
        "by_nationality_category": {"uk": [96, 96], "foreign": [14, 14], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "Legacy Excel 97-2003 .xls (BIFF8, written with xlwt): title row, header on row 3, counts as numbers. "
        "A reader for .xlsx (zip) only cannot open it.",
        "exact", figures, readme="""
12 aggregate rows.

- 2022/23: 21 + 2 + 16 + 5 + 9 + 3 = **56**
- 2023/24: 19 + 7 + 18 + 3 + 4 + 6 = **57**
- total **113**

Offences: Assault without Injury (105A) 21 + 2 + 19 = 42; Assault with Injury (8N) 7; Shoplifting (46)
16 + 5 + 18 + 3 = 42; Possession of Cannabis (92E) 9 + 4 = 13; Theft from the Person (39) 3; Criminal Damage
to a Vehicle (58C) 6. Groups: violence 42 + 7 = 49; theft 42 + 3 = 45; drugs 13; criminal damage 6.

Nationality: uk 21 + 16 + 9 + 19 + 7 + 18 + 6 = 96; foreign Irish 2 + Polish 5 + Romanian 3 + Polish 4 = 14;
unknown 3.
""")


def p_ods(out: Path) -> None:
    import pandas as pd

    w = CaseWriter(out, "p_ods")
    data = [
        ("2022/23", "Shoplifting", 22), ("2022/23", "Assault without Injury", 17),
        ("2022/23", "Possession of Cannabis", 10), ("2022/23", "Criminal Damage to a Dwelling", 3),
        ("2023/24", "Shoplifting", 25), ("2023/24", "Assault without Injury", 19),
        ("2023/24", "Possession of Cannabis", 8), ("2023/24", "Criminal Damage to a Dwelling", "<5"),
        ("2024/25", "Shoplifting", 28), ("2024/25", "Assault without Injury", 21),
        ("2024/25", "Possession of Cannabis", 9), ("2024/25", "Criminal Damage to a Dwelling", 4),
        ("2024/25", "Harassment", 2),
    ]
    frame = pd.DataFrame(data, columns=["Financial Year", "Offence", "Number of Community Resolutions"])
    path = w.files / "community_resolutions.ods"
    frame.to_excel(path, engine="odf", sheet_name="CR 2022-2025", index=False)
    _fix_zip_times(path)
    obs = [Obs(y, v, offence=o) for y, o, v in data]
    figures = {
        "total": [169, 172],
        "by_period": {"2022/23": [52, 52], "2023/24": [53, 56], "2024/25": [64, 64]},
        "by_ho_offence_code": {"46": [75, 75], "105A": [57, 57], "92E": [27, 27], "58A": [8, 11], "8L": [2, 2]},
        "by_offence_group": {"Theft offences": [75, 75], "Violence against the person": [59, 59],
                             "Drug offences": [27, 27], "Criminal damage and arson": [8, 11]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "OpenDocument spreadsheet (.ods, LibreOffice), three financial years, '<5' withheld, no nationality. "
        "A reader for .xlsx/.csv only cannot open it.",
        "exact", figures, readme="""
13 aggregate rows; `<5` is 1-4. No nationality is given, so no nationality figure is asked for.

- 2022/23: 22 + 17 + 10 + 3 = **52**
- 2023/24: 25 + 19 + 8 + <5 = 52 + 1-4 → **53-56**
- 2024/25: 28 + 21 + 9 + 4 + 2 = **64**
- total **169-172**

Offences: Shoplifting (46) 22 + 25 + 28 = 75; Assault without Injury (105A) 17 + 19 + 21 = 57; Possession
of Cannabis (92E) 10 + 8 + 9 = 27; Criminal Damage to a Dwelling (58A) 3 + <5 + 4 = 8-11; Harassment (8L) 2.
Groups: theft 75; violence 57 + 2 = 59; drugs 27; criminal damage 8-11.
""")


def q_hospital_premises_all_crimes(out: Path) -> None:
    w = CaseWriter(out, "q_hospital_premises_all_crimes")
    data = [
        ("2022/23", "Assault without Injury", 143), ("2022/23", "Assault with Injury", 61),
        ("2022/23", "Theft from the Person", 12), ("2022/23", "Public Fear, Alarm or Distress", 40),
        ("2022/23", "Criminal Damage to a Vehicle", 9),
        ("2023/24", "Assault without Injury", 158), ("2023/24", "Assault with Injury", 66),
        ("2023/24", "Theft from the Person", 15), ("2023/24", "Public Fear, Alarm or Distress", 37),
        ("2023/24", "Criminal Damage to a Vehicle", 11),
    ]
    wb = Workbook()
    _sheet(wb, "Sheet1", [
        ["Crimes recorded on hospital premises"],
        [],
        ["Financial Year", "Offence", "Number of Offences"],
        *data,
    ], index=0)
    w.xlsx("FOI 3312 response.xlsx", wb)
    w.expected(
        "A table with no outcome column, titled 'Crimes recorded on hospital premises': all recorded crimes, not "
        "community resolutions (the force answered another request, or attached the wrong table). A reader "
        "that treats a table without an outcome column as community resolutions publishes 552 that are not.",
        "quarantined", reason_contains=["hospital premises"], readme="""
The title says what the counts are: crimes recorded on hospital premises, whatever their outcome. Nothing
in the file says any of them was a community resolution, so no figure can be published; the reason must
point at the title (`hospital premises`) so a person can see why.
""")


def q_two_unlabelled_number_columns(out: Path) -> None:
    w = CaseWriter(out, "q_two_unlabelled_number_columns")
    data = [
        ("2022/23", "Shoplifting", 64, 21), ("2022/23", "Assault without Injury", 88, 17),
        ("2022/23", "Possession of Cannabis", 35, 12), ("2022/23", "Criminal Damage to a Vehicle", 22, 5),
        ("2022/23", "Harassment", 40, 4),
        ("2023/24", "Shoplifting", 71, 24), ("2023/24", "Assault without Injury", 93, 19),
        ("2023/24", "Possession of Cannabis", 30, 10), ("2023/24", "Criminal Damage to a Vehicle", 25, 6),
        ("2023/24", "Harassment", 38, 3),
    ]
    w.csv("cr_figures.csv", [["Financial Year", "Offence", "Figure A", "Figure B"], *data])
    w.expected(
        "Aggregate with two numeric columns, 'Figure A' and 'Figure B', neither labelled as community "
        "resolutions (nor as years). Picking either one publishes a guess.",
        "quarantined", reason_contains=["Figure A", "Figure B"], readme="""
Either column could be the community resolutions (B is always smaller than A, so A might be all outcomes, or
arrests, or crimes). Nothing in the return says which: a person must ask the force or write a profile. The
reason must name both candidate columns.
""")


def q_count_column_of_percentages(out: Path) -> None:
    w = CaseWriter(out, "q_count_column_of_percentages")
    data = [
        ("2022/23", "Shoplifting", "31.6%"), ("2022/23", "Assault without Injury", "24.2%"),
        ("2022/23", "Possession of Cannabis", "18.9%"), ("2022/23", "Criminal Damage to a Vehicle", "14.7%"),
        ("2022/23", "Harassment", "10.6%"),
        ("2023/24", "Shoplifting", "33.0%"), ("2023/24", "Assault without Injury", "25.5%"),
        ("2023/24", "Possession of Cannabis", "16.0%"), ("2023/24", "Criminal Damage to a Vehicle", "13.8%"),
        ("2023/24", "Harassment", "11.7%"),
    ]
    w.csv("community resolutions share.csv",
          [["Financial Year", "Offence", "Number of Community Resolutions"], *data])
    w.expected(
        "A column headed 'Number of Community Resolutions' that holds percentages only ('31.6%'). There is no "
        "count in the return; reading 31.6 as 31 or 32, or publishing 0 with every cell set aside, is wrong.",
        "quarantined", reason_contains=["Number of Community Resolutions"], readme="""
Each year's cells add to 100% (31.6 + 24.2 + 18.9 + 14.7 + 10.6 = 100.0; 33.0 + 25.5 + 16.0 + 13.8 + 11.7 =
100.0): shares of an unknown total, so no count can be published. The reason must name the column.
""")


def q_grand_total_disagrees(out: Path) -> None:
    w = CaseWriter(out, "q_grand_total_disagrees")
    data = [
        ("2022/23", "Shoplifting", 21), ("2022/23", "Assault without Injury", 17),
        ("2022/23", "Possession of Cannabis", 9), ("2022/23", "Criminal Damage to a Vehicle", 6),
        ("2022/23", "Harassment", 4),
        ("2023/24", "Shoplifting", 24), ("2023/24", "Assault without Injury", 19),
        ("2023/24", "Possession of Cannabis", 11), ("2023/24", "Criminal Damage to a Vehicle", 5),
        ("2023/24", "Harassment", 4),
    ]
    assert sum(n for *_, n in data) == 120
    wb = Workbook()
    _sheet(wb, "CR", [
        ["Financial Year", "Offence", "Number of Community Resolutions"],
        *data,
        ["Grand Total", None, 150],
    ], index=0)
    w.xlsx("community resolutions 2022-2024.xlsx", wb)
    w.expected(
        "Rows add up to 120 but the return's Grand Total row says 150: rows are missing, or the total is wrong. "
        "Publishing 120 (or 150) hides the contradiction.",
        "quarantined", reason_contains=["120", "150"], readme="""
- rows: 2022/23 21 + 17 + 9 + 6 + 4 = 57; 2023/24 24 + 19 + 11 + 5 + 4 = 63; 57 + 63 = **120**
- Grand Total row: **150**

30 community resolutions are unaccounted for (or the total is a typo); only the force can say which. The
reason must give both numbers.
""")


def q_unknown_nationality_spelling_kept(out: Path) -> None:
    w = CaseWriter(out, "q_unknown_nationality_spelling_kept")
    nats = ["British", "Polish", "Romanian", "Portugese", "Not Recorded"]
    data = [
        ("2022/23", "Shoplifting", [14, 3, 2, 2, 1]),
        ("2022/23", "Assault without Injury", [11, 2, "-", 1, 2]),
        ("2022/23", "Possession of Cannabis", [6, "-", 1, "-", "-"]),
        ("2022/23", "Criminal Damage to a Vehicle", [4, 1, "-", "-", 1]),
        ("2022/23", "Public Fear, Alarm or Distress", [3, "-", "-", 1, "-"]),
        ("2023/24", "Shoplifting", [16, 2, 3, 1, 1]),
        ("2023/24", "Assault without Injury", [12, 1, 1, 2, "-"]),
        ("2023/24", "Possession of Cannabis", [5, 1, "-", "-", 1]),
        ("2023/24", "Criminal Damage to a Vehicle", [3, "-", 1, "-", "-"]),
        ("2023/24", "Public Fear, Alarm or Distress", [2, 1, "-", "-", "-"]),
    ]
    wb = Workbook()
    _sheet(wb, "By nationality", [
        ["Financial Year", "Offence", *nats],
        *[[y, o, *v] for y, o, v in data],
    ], index=0)
    w.xlsx("CR by nationality.xlsx", wb)
    obs = [Obs(y, v, offence=o) for y, o, vs in data for v in vs]
    figures = {"total": [108, 108], "by_period": {"2022/23": [55, 55], "2023/24": [53, 53]}}
    _check(w.name, figures, obs)
    w.expected(
        "Nationality cross-tab with a column headed 'Portugese' (a misspelling no lookup knows). The column "
        "must not be dropped: its 7 community resolutions stay in the total, as unmapped or unknown nationality.",
        "exact", figures, readme="""
Rows are offences, columns nationalities; `-` is 0. Only the total and periods are asked for: whether
'Portugese' is reported as unmapped or unknown (or, once the seed learns it, as Portugal) is not fixed here;
that it is counted is.

- 2022/23: Shoplifting 14 + 3 + 2 + 2 + 1 = 22; Assault without Injury 11 + 2 + 1 + 2 = 16; Possession of
  Cannabis 6 + 1 = 7; Criminal Damage to a Vehicle 4 + 1 + 1 = 6; Public Fear, Alarm or Distress 3 + 1 = 4
  → **55**
- 2023/24: 16 + 2 + 3 + 1 + 1 = 23; 12 + 1 + 1 + 2 = 16; 5 + 1 + 1 = 7; 3 + 1 = 4; 2 + 1 = 3 → **53**
- total **108**, of which the Portugese column 2 + 1 + 1 (2022/23) + 1 + 2 (2023/24) = 7; dropping it would
  publish 101.
""")


def r_same_file_twice(out: Path) -> None:
    w = CaseWriter(out, "r_same_file_twice")
    data = [
        ("2022/23", "Shoplifting", "British", 12), ("2022/23", "Shoplifting", "Polish", 2),
        ("2022/23", "Assault without Injury", "British", 9), ("2022/23", "Possession of Cannabis", "Not Recorded", 3),
        ("2022/23", "Criminal Damage to a Vehicle", "British", 4),
        ("2023/24", "Shoplifting", "British", 14), ("2023/24", "Assault without Injury", "British", 10),
        ("2023/24", "Assault without Injury", "Romanian", 2), ("2023/24", "Possession of Cannabis", "British", 5),
        ("2023/24", "Harassment", "Irish", 1),
    ]
    wb = Workbook()
    _sheet(wb, "Data", [["Financial Year", "Offence", "Nationality", "Number of Community Resolutions"], *data], index=0)
    w.xlsx("Community resolutions FOI 0456.xlsx", wb)
    shutil.copyfile(w.files / "Community resolutions FOI 0456.xlsx", w.files / "Community resolutions FOI 0456 (1).xlsx")
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, o, n, v in data]
    figures = {
        "total": [62, 62],
        "by_period": {"2022/23": [30, 30], "2023/24": [32, 32]},
        "by_ho_offence_code": {"46": [28, 28], "105A": [21, 21], "92E": [8, 8], "58C": [4, 4], "8L": [1, 1]},
        "by_nationality_category": {"uk": [54, 54], "foreign": [5, 5], "unknown": [3, 3]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "The same workbook dropped twice in one force folder under two names ('... 0456.xlsx' and "
        "'... 0456 (1).xlsx', identical bytes). Counting both doubles every figure (124).",
        "exact", figures, readme="""
Both files have the same sha256: one return, counted once.

- 2022/23: 12 + 2 + 9 + 3 + 4 = **30**
- 2023/24: 14 + 10 + 2 + 5 + 1 = **32**
- total **62**

Offences: Shoplifting (46) 12 + 2 + 14 = 28; Assault without Injury (105A) 9 + 10 + 2 = 21; Possession of
Cannabis (92E) 3 + 5 = 8; Criminal Damage to a Vehicle (58C) 4; Harassment (8L) 1.
Nationality: uk 12 + 9 + 4 + 14 + 10 + 5 = 54; foreign Polish 2 + Romanian 2 + Irish 1 = 5; unknown 3.
""")


def s_data_and_summary_disagree(out: Path) -> None:
    w = CaseWriter(out, "s_data_and_summary_disagree")
    offences = ["Shoplifting", "Assault without Injury", "Possession of Cannabis", "Criminal Damage to a Vehicle",
                "Harassment", "Assault with Injury", "Public Fear, Alarm or Distress"]
    nats = ["British", "British", "British", "Polish", "British", "Romanian", "Not Recorded", "British", "Irish"]
    records = []
    for i in range(464):  # 230 in 2022/23, 234 in 2023/24
        year = "2022/23" if i < 230 else "2023/24"
        records.append((f"{22 + (i >= 230)}/{10000 + 37 * i:06d}", year, offences[i % 7], CR, nats[i % 9]))
    wb = Workbook()
    _sheet(wb, "Summary", [
        ["Financial Year", "Community Resolutions"],
        ["2022/23", 230],
        ["2023/24", 240],
        ["Grand Total", 470],
    ], index=0)
    _sheet(wb, "Data", [["Occurrence Number", "Financial Year", "Offence", "Outcome", "Nationality"], *records])
    w.xlsx("CR data and summary.xlsx", wb)
    assert sum(r[1] == "2022/23" for r in records) == 230 and len(records) == 464
    w.expected(
        "A record-level Data sheet of 464 community resolutions and a Summary sheet of the same request that "
        "says 470 (2023/24: 234 records, summary 240). One of them is wrong; publishing either figure hides it.",
        "quarantined", reason_contains=["464", "470"], readme="""
- Data sheet: 464 rows, all `Community Resolution`: 230 in 2022/23, 234 in 2023/24
- Summary sheet: 2022/23 230, 2023/24 **240**, Grand Total **470**

2022/23 agrees; 2023/24 is 6 short in the data (or 6 over in the summary). Only the force can say which, so
nothing is published; the reason must give both totals, 464 and 470.
""")


def t_one_file_per_year(out: Path) -> None:
    w = CaseWriter(out, "t_one_file_per_year")
    years = {
        "2021/22": [("Shoplifting", "British", 21), ("Shoplifting", "Polish", "<5"), ("Assault without Injury", "British", 11),
                    ("Possession of Cannabis", "Not Recorded", 6)],
        "2022/23": [("Shoplifting", "British", 25), ("Assault without Injury", "British", 13),
                    ("Assault without Injury", "Romanian", 2), ("Possession of Cannabis", "British", 8)],
    }
    for year, data in years.items():
        w.csv(f"CR {year.replace('/', '-')}.csv", [["Offence", "Nationality", "Number of Community Resolutions"], *data])
    obs = [Obs(y, v, offence=o, nationality=NATIONALITY[n]) for y, data in years.items() for o, n, v in data]
    figures = {
        "total": [87, 90],
        "by_period": {"2021/22": [39, 42], "2022/23": [48, 48]},
        "by_ho_offence_code": {"46": [47, 50], "105A": [26, 26], "92E": [14, 14]},
        "by_nationality_category": {"uk": [78, 78], "foreign": [3, 6], "unknown": [6, 6]},
    }
    _check(w.name, figures, obs)
    w.expected(
        "One CSV per financial year ('CR 2021-22.csv', 'CR 2022-23.csv'), the year named only in the file name: "
        "no period column, no title. Without the file name the two files look like one population counted twice.",
        "exact", figures, readme="""
Each table names no period; its file name names one financial year, which every row takes.

- CR 2021-22.csv: 21 + <5 (1-4) + 11 + 6 = **39-42**
- CR 2022-23.csv: 25 + 13 + 2 + 8 = **48**
- total **87-90**

Offences: Shoplifting (46) 21 + (1-4) + 25 = 47-50; Assault without Injury (105A) 11 + 13 + 2 = 26; Possession
of Cannabis (92E) 6 + 8 = 14. Nationality: uk 21 + 11 + 25 + 13 + 8 = 78; foreign Polish (1-4) + Romanian 2 =
3-6; unknown 6.
""")


CASES = [
    a_record_level_row_numbers, b_stacked_marginal_tables, c_two_row_header_merged_groups,
    d_data_sheet_and_summary_dual_nationality, e_pivot_pasted_as_values, f_offences_across_years_down,
    g_months_across, h_dates_across, h_quarters_across, i_ons_groups_upper_case, j_bilingual_welsh_english,
    k_float_counts_beside_percentages, l_utf16_unicode_text, m_tsv_record_level, n_semicolon_windows_1252,
    o_legacy_xls, p_ods, q_hospital_premises_all_crimes, q_two_unlabelled_number_columns,
    q_count_column_of_percentages, q_grand_total_disagrees, q_unknown_nationality_spelling_kept,
    r_same_file_twice, s_data_and_summary_disagree, t_one_file_per_year,
]


def main(out: Path = OUT) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for make in CASES:
        make(out)
    print(f"{len(CASES)} cases in {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)
