"""The metamorphic harness: re-laid returns of a known truth must read to the same figures.

(a) Fast tests of the transforms themselves, without the pipeline: every written file is
    read back by a small oracle here that knows the layout it was written in (calamine
    for workbooks, the csv module for text) and maps labels with the reference seeds, so
    a transform that writes something other than the truth it claims is caught.
(b) The harness: every case through the real pipeline via tests/acceptance/runner.py;
    no case may be `wrong` or `failed` (a quarantine where `exact` was expected is a miss,
    not an error). Prints the table bases x transforms.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.metamorphic import relay
from tests.metamorphic.build import build_cases, case_name
from tests.metamorphic.truth import OUTCOME_TYPES, bases, records

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "dbt_project" / "seeds"


# --- the oracle's own reference lookups (straight from the seeds) ---------------------------

def fold(text: str) -> str:
    """The seeds' join key (README: accents off, lower case, '&' as 'and', other runs as one space)."""
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"[^a-z0-9]+", " ", text.lower().replace("&", " and ")).strip()


def _seed(name: str) -> list[dict]:
    with open(SEEDS / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


CLASS_GROUP = {r["class_code"]: r["offence_group"] for r in _seed("offence_classes.csv")}
ONS_GROUPS = set(CLASS_GROUP.values())
TEXT_CODE = {r["offence_key"]: r["class_code"] for r in _seed("offence_text_aliases.csv")}
NATIONALITY = {r["nationality_key"]: r["category"] for r in _seed("nationality_aliases.csv") if r["nationality_key"]}
for _r in _seed("iso_countries.csv"):
    NATIONALITY.setdefault(_r["nationality_key"], "uk" if _r["iso3"] == "GBR" else "foreign")
OUTCOME = {r["outcome_key"]: r["outcome_type"] for r in _seed("outcome_aliases.csv")}


class Obs(NamedTuple):
    period: str                 # '2022/23'
    code: str | None            # Home Office class
    nationality: str | None     # label as written
    outcome: str | None         # label as written; None: the table is of community resolutions
    text: str                   # the count cell as text


def offence_code(label: str) -> str:
    label = label.strip()
    m = re.match(r"^(\d{1,3}[A-Z]?) - (.+)$", label)  # '105A - Assault without Injury'
    if m:
        assert TEXT_CODE[fold(m.group(2))] == m.group(1), label
        return m.group(1)
    return TEXT_CODE[fold(label)]


def bounds(text: str) -> tuple[int, int]:
    text = text.strip()
    if text in ("", "-"):
        return 0, 0
    if text in ("<5", "*"):
        return 1, 4
    n = int(text.replace(",", ""))  # '1,204'
    return n, n


def oracle_figures(obs: list[Obs], offences: bool, nationalities: bool) -> dict:
    cr = [o for o in obs if o.outcome is None or OUTCOME[fold(o.outcome)] == "8"]
    acc: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for o in cr:
        lo, hi = bounds(o.text)
        keys = {"total": "total", "by_period": o.period}
        if nationalities:
            keys["by_nationality_category"] = NATIONALITY[fold(o.nationality)]
        if offences:
            keys["by_offence_group"] = CLASS_GROUP[o.code]
            keys["by_ho_offence_code"] = o.code
        for fig, key in keys.items():
            acc[fig][key][0] += lo
            acc[fig][key][1] += hi
    out = {fig: {k: v for k, v in sorted(d.items()) if v != [0, 0]} for fig, d in acc.items()}
    out["total"] = acc["total"]["total"]
    if not nationalities:
        out["by_nationality_category"] = {"unknown": list(out["total"])}
    return out


# --- reading the written files back ----------------------------------------------------------

def cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return v if isinstance(v, str) else str(v)


def read_sheets(paths: list[Path], fmt: relay.Format) -> list[tuple[str, list[list]]]:
    """(sheet name, rows of raw values) per sheet; a CSV's sheet name is its file's."""
    out = []
    for path in paths:
        if fmt.kind == "csv":
            with open(path, encoding=fmt.encoding, newline="") as f:
                out.append((path.stem, list(csv.reader(f, delimiter=fmt.delimiter))))
        else:
            wb = CalamineWorkbook.from_path(str(path))
            out += [(name, wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names]
    return out


def fy_of_date(d: dt.date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def period_of(header) -> str | None:
    """A column header naming a financial year, a month or a spelled-out year, as FY."""
    if isinstance(header, dt.date):
        return fy_of_date(header)
    h = cell_text(header).strip()
    if re.fullmatch(r"20\d\d/\d\d", h):
        return h
    if m := re.fullmatch(r"April (20\d\d) - March (20\d\d)", h):
        assert int(m.group(2)) == int(m.group(1)) + 1
        return f"{m.group(1)}/{m.group(2)[2:]}"
    if re.fullmatch(r"[A-Z][a-z]{2}-\d\d", h):
        return fy_of_date(dt.datetime.strptime(h, "%b-%y").date())
    return None


class Read(NamedTuple):
    obs: list[Obs]                      # the data cells
    totals: list[tuple[str, list[Obs]]]  # (a Total/subtotal cell's text, the data cells it adds up)
    nat_obs: list[Obs] | None = None    # a separate nationality view (stacked marginals)


def _roles(header: list) -> dict[str, int]:
    names = {"Financial Year": "period", relay.CODE_HEADER: "code", "Offence": "offence", "Nationality": "nationality",
             "Outcome": "outcome", "Offence Description": "offence", "Outcome Date": "date"}
    roles = {}
    for i, h in enumerate(header):
        h = cell_text(h)
        if h in names:
            roles[names[h]] = i
        elif h.startswith("Number of") or h == "Count":
            roles["count"] = i
    return roles


def _obs(row, roles, period=None, count_col=None) -> Obs:
    code = cell_text(row[roles["code"]]) if "code" in roles else (
        offence_code(cell_text(row[roles["offence"]])) if "offence" in roles else None)
    if "code" in roles and "offence" in roles:  # the label must name the same class as the code
        assert offence_code(cell_text(row[roles["offence"]])) == code, row
    return Obs(period or cell_text(row[roles["period"]]), code,
               cell_text(row[roles["nationality"]]) if "nationality" in roles else None,
               cell_text(row[roles["outcome"]]) if "outcome" in roles else None,
               cell_text(row[roles["count"] if count_col is None else count_col]))


def read_long(sheets) -> Read:
    """One header row, one count column, maybe a Grand Total row; a sheet named `2022-23`
    gives the year of a table without a year column."""
    obs, totals = [], []
    for name, rows in sheets:
        roles = _roles(rows[0])
        period = None if "period" in roles else period_of(name.replace("-", "/"))
        sheet_obs = []
        for row in rows[1:]:
            if cell_text(row[0]) == "Grand Total":
                totals.append((cell_text(row[roles["count"]]), list(sheet_obs)))
                continue
            sheet_obs.append(_obs(row, roles, period))
        obs += sheet_obs
    return Read(obs, totals)


def read_columns_reordered(sheets) -> Read:
    return read_long([(name, [list(reversed(r)) for r in rows]) for name, rows in sheets])


def read_crosstab(sheets, header_row=0, year_row=None, fill_down=False) -> Read:
    """Labels down, years across, optional Total column and Total row; with fill_down, a
    blank label (merged or left blank under the one above) is the label above."""
    (_, rows), = sheets
    year_row = header_row if year_row is None else year_row
    roles = _roles(rows[header_row])
    year_cols = {i: p for i, h in enumerate(rows[year_row]) if (p := period_of(h))}
    total_col = next((i for i, h in enumerate(rows[header_row]) if cell_text(h) == "Total"), None)
    label_cols = {i for role, i in roles.items() if role != "count"}
    obs, totals = [], []
    above = None
    for row in rows[max(header_row, year_row) + 1:]:
        if not any(cell_text(v) for v in row):
            break  # the notes below the table
        if fill_down and above is not None:
            row = [above[i] if i in label_cols and not cell_text(v) else v for i, v in enumerate(row)]
        above = row
        if cell_text(row[0]) == "Total":
            for i, p in year_cols.items():
                totals.append((cell_text(row[i]), [o for o in obs if o.period == p]))
            continue
        row_obs = [_obs(row, roles, period=p, count_col=i) for i, p in year_cols.items()]
        if total_col is not None:
            totals.append((cell_text(row[total_col]), row_obs))
        obs += row_obs
    if total_col is not None:
        totals.append((cell_text(rows[-1][total_col]), list(obs)))
    return Read(obs, totals)


def read_transposed(sheets, across="offence") -> Read:
    """Years (and other labels) down, one column per offence or nationality."""
    (_, rows), = sheets
    roles = _roles(rows[0])
    across_cols = {i: cell_text(h) for i, h in enumerate(rows[0]) if i > max(roles.values())}
    obs = []
    for row in rows[1:]:
        for i, label in across_cols.items():
            o = _obs(row, {**roles, "count": i})
            obs.append(o._replace(code=offence_code(label)) if across == "offence" else o._replace(nationality=label))
    return Read(obs, [])


def read_marginal_tables(sheets) -> Read:
    """An offence table and a nationality table (two sheets, or one sheet with a caption
    above each), years across."""
    if len(sheets) == 1:
        (name, rows), = sheets
        starts = [i for i, r in enumerate(rows) if cell_text(r[0] if r else "").startswith("Table ")]
        tables = [rows[a + 1:b] for a, b in zip(starts, starts[1:] + [len(rows)])]
    else:
        tables = [rows for _, rows in sheets]
    off, nat = (read_crosstab([("", [r for r in t if any(cell_text(v) for v in r)])]).obs for t in tables)
    assert all(o.code and o.nationality is None for o in off) and all(o.nationality and o.code is None for o in nat)
    return Read(off, [], nat)


def read_year_sections(sheets) -> Read:
    """A row holding only a year, then a header and rows, until a blank row."""
    (_, rows), = sheets
    obs, i = [], 0
    while i < len(rows):
        period = period_of(rows[i][0])
        assert period and not any(cell_text(v) for v in rows[i][1:]), rows[i]
        roles = _roles(rows[i + 1])
        i += 2
        while i < len(rows) and any(cell_text(v) for v in rows[i]):
            obs.append(_obs(rows[i], roles, period))
            i += 1
        i += 1
    return Read(obs, [])


def read_pivot_nested(sheets) -> Read:
    """'Row Labels': an offence row (its total), its nationalities under it; Grand Total
    column and row."""
    (_, rows), = sheets
    assert cell_text(rows[0][0]) == "Row Labels" and cell_text(rows[0][-1]) == "Grand Total"
    year_cols = {i: p for i, h in enumerate(rows[0]) if (p := period_of(h))}
    obs, totals, heads = [], [], []
    code = None
    for row in rows[1:]:
        label = cell_text(row[0])
        if label == "Grand Total" or fold(label) in TEXT_CODE:
            code = None if label == "Grand Total" else offence_code(label)
            heads.append((code, row))
            continue
        row_obs = [Obs(p, code, label, None, cell_text(row[i])) for i, p in year_cols.items()]
        totals.append((cell_text(row[-1]), row_obs))
        obs += row_obs
    for code, row in heads:
        mine = [o for o in obs if code in (None, o.code)]
        totals += [(cell_text(row[i]), [o for o in mine if o.period == p]) for i, p in year_cols.items()]
        totals.append((cell_text(row[-1]), mine))
    return Read(obs, totals)


def read_group_subtotals(sheets) -> Read:
    """Group rows (an ONS group's name) carry the sum of the offences under them; items
    are the other rows between a group row and the next; a Grand Total row ends it."""
    (_, rows), = sheets
    year_cols = {i: p for i, h in enumerate(rows[0]) if (p := period_of(h))}
    obs, totals, group_rows = [], [], []
    group = None
    for row in rows[1:]:
        label = cell_text(row[0]).strip()
        if label == "Grand Total" or label in ONS_GROUPS:
            group = label
            group_rows.append(row)
            continue
        assert group is not None, f"offence {label!r} before any group row"
        code = offence_code(label)
        assert CLASS_GROUP[code] == group, (label, group)
        obs += [Obs(p, code, None, None, cell_text(row[i])) for i, p in year_cols.items()]
    for row in group_rows:
        label = cell_text(row[0]).strip()
        for i, p in year_cols.items():
            parts = [o for o in obs if o.period == p and label in ("Grand Total", CLASS_GROUP[o.code])]
            totals.append((cell_text(row[i]), parts))
    return Read(obs, totals)


def read_stacked(sheets) -> Read:
    (_, rows), = sheets
    assert [cell_text(h) for h in rows[0]] == ["Breakdown", "Category", "Financial Year", "Count"]
    off, nat = [], []
    for b, cat, year, count in ([cell_text(v) for v in r] for r in rows[1:]):
        if b == "Offence":
            off.append(Obs(year, offence_code(cat), None, None, count))
        else:
            assert b == "Nationality"
            nat.append(Obs(year, None, cat, None, count))
    return Read(off, [], nat)


def read_months(sheets) -> Read:
    (_, rows), = sheets
    roles = _roles(rows[0])
    month_cols = {i: p for i, h in enumerate(rows[0]) if (p := period_of(h))}
    assert len(month_cols) % 12 == 0
    obs = [_obs(row, roles, period=p, count_col=i) for row in rows[1:] for i, p in month_cols.items()]
    return Read(obs, [])


def read_records(sheets) -> Read:
    name, rows = sheets[0]
    roles = _roles(rows[0])
    obs = []
    for row in rows[1:]:
        date = row[roles["date"]]
        date = date if isinstance(date, dt.date) else dt.datetime.strptime(date, "%d/%m/%Y").date()
        obs.append(_obs(row + ["1"], {**roles, "count": len(row)}, period=fy_of_date(date)))
    totals = []
    if len(sheets) > 1:  # the Summary: community resolutions by offence x year, Grand Total
        _, summary = sheets[1]
        header = next(i for i, r in enumerate(summary) if cell_text(r[0]) == "Offence")
        year_cols = {i: p for i, h in enumerate(summary[header]) if (p := period_of(h))}
        cr = [o for o in obs if OUTCOME[fold(o.outcome)] == "8"]
        for row in summary[header + 1:]:
            label = cell_text(row[0])
            code = None if label == "Grand Total" else offence_code(label)
            for i, p in year_cols.items():
                totals.append((cell_text(row[i]), [o for o in cr if o.period == p and code in (None, o.code)]))
            totals.append((cell_text(row[-1]), [o for o in cr if code in (None, o.code)]))
    return Read(obs, totals)


ORACLES = {
    "long_aggregate": read_long, "long_grand_total": read_long, "columns_reordered": read_columns_reordered,
    "long_csv_semicolon_cp1252": read_long, "long_csv_utf8_bom": read_long, "long_txt_tab_utf16": read_long,
    "long_ods": read_long, "long_xls": read_long, "offence_code_in_label": read_long,
    "split_years_into_sheets": read_long,
    "crosstab_years_across": read_crosstab, "crosstab_with_totals": read_crosstab,
    "crosstab_year_ranges": read_crosstab,
    "crosstab_two_row_header": lambda s: read_crosstab(s, header_row=0, year_row=1),
    "title_block_and_footnotes": lambda s: read_crosstab(s, header_row=3),
    "transpose_offences_across": read_transposed,
    "group_subtotals": read_group_subtotals, "group_subtotals_csv": read_group_subtotals,
    "stacked_marginals": read_stacked,
    "months_across_dates": read_months, "months_across_text": read_months,
    "record_level": read_records, "record_level_with_summary": read_records,
    "crosstab_merged_labels": lambda s: read_crosstab(s, fill_down=True),
    "crosstab_blank_repeats": lambda s: read_crosstab(s, fill_down=True),
    "nationalities_across": lambda s: read_transposed(s, across="nationality"),
    "percentage_column": read_long,
    "marginal_tables_two_sheets": read_marginal_tables, "marginal_tables_one_sheet": read_marginal_tables,
    "thousands_separators": read_crosstab, "year_sections": read_year_sections,
    "excel_pivot_nested": read_pivot_nested,
}
# Layouts that add cells up (over nationality, or offences into groups) and so may state a
# narrower figure than the base where a withheld cell was added in; nationality dropped too.
ADDS_UP = {"group_subtotals", "group_subtotals_csv", "stacked_marginals", "marginal_tables_two_sheets",
           "marginal_tables_one_sheet"}
DROPS_NATIONALITY = {"group_subtotals", "group_subtotals_csv"}

BASES = bases()
PAIRS = [(b, t) for b in BASES for t in relay.TRANSFORMS if t(b) is not None]


def test_every_transform_has_an_oracle_and_applies_somewhere():
    assert {t.__name__ for t in relay.TRANSFORMS} <= ORACLES.keys()
    applied = {t.__name__ for _, t in PAIRS}
    missing = {t.__name__ for t in relay.TRANSFORMS} - applied
    assert missing <= {"long_ods", "long_xls"} - ({"long_ods"} if relay.HAVE_ODS else set()) - (
        {"long_xls"} if relay.HAVE_XLS else set())


def test_truth_labels_are_the_seeds():
    """The hand-written codes, groups and categories are what the reference seeds say."""
    for base in BASES:
        for c in base.cells:
            if c.offence is not None:
                assert TEXT_CODE[fold(c.offence)] == c.ho_code, c
                assert CLASS_GROUP[c.ho_code] == c.ons_group, c
            if c.nationality is not None:
                assert NATIONALITY[fold(c.nationality)] == c.nationality_category, c
            assert OUTCOME[fold(c.outcome)] == str(OUTCOME_TYPES[c.outcome]), c
            assert bounds(c.count_text) == (c.low, c.high) and c.low <= c.actual <= c.high, c


def test_base_figures_by_hand():
    """Figures a person can check against truth.py's tables."""
    a, b, c, d = BASES
    # A: 2022/23 British 52+18+64+33+11 = 178, Polish 6+1..4+12+1..4+0 = 20..26,
    # Romanian 1..4+0+8+0+0 = 9..12, Not Recorded 9+1..4+5+7+1..4 = 23..29
    fa = a.figures()
    assert fa["by_period"]["2022/23"] == [178 + 20 + 9 + 23, 178 + 26 + 12 + 29]
    assert fa["by_ho_offence_code"]["58A"] == [11 + 14 + 9 + 1 + 1 + 1, 11 + 14 + 9 + 4 + 4 + 4]
    # B: community resolutions only: 2022/23 6+2+1+1 + 3+2 + 5+1+2 + 2 = 25; 2023/24 30
    assert b.figures()["by_period"] == {"2022/23": [25, 25], "2023/24": [30, 30]}
    assert len(records(b)) == 94
    # C: Shoplifting 140 + 162; no nationality: all unknown
    fc = c.figures()
    assert fc["by_ho_offence_code"]["46"] == [302, 302]
    assert fc["by_nationality_category"] == {"unknown": fc["total"]}
    # D: no offence figures; Côte d'Ivoire 1..4 + 0 + 1..4 is foreign
    fd = d.figures()
    assert "by_offence_group" not in fd and fd["total"][0] < fd["total"][1]
    # the truth behind A's 2022/23: British 178, Polish 6+1+12+2+0 = 21, Romanian 2+0+8+0+0 = 10,
    # Not Recorded 9+4+5+7+2 = 27 (the `actual` of each withheld cell); D's Côte d'Ivoire 1 + 0 + 2 = 3
    assert a.truth()["by_period"]["2022/23"] == 178 + 21 + 10 + 27
    assert d.truth()["by_nationality_category"]["foreign"] == (14 + 11 + 17) + (38 + 42 + 35) + (51 + 63 + 70) + (
        9 + 3 + 6) + (2 + 5 + 4) + (1 + 0 + 2) + (7 + 4 + 8)


@pytest.mark.parametrize("base,transform", PAIRS, ids=[case_name(b, t) for b, t in PAIRS])
def test_transform_reads_back_to_the_truth(base, transform, tmp_path):
    relaid = transform(base)
    paths = relay.write_return(relaid, tmp_path)
    read = ORACLES[transform.__name__](read_sheets(paths, relaid.fmt))
    nationalities = "nationality" in base.dims and transform.__name__ not in DROPS_NATIONALITY
    offences = "offence" in base.dims
    got = oracle_figures(read.obs, offences, nationalities and read.nat_obs is None)
    if read.nat_obs is not None:  # the nationality figures come from the nationality view
        got["by_nationality_category"] = oracle_figures(read.nat_obs, False, True)["by_nationality_category"]

    # what the file holds is what the case will claim
    assert got == relaid.figures

    # ... and it is the base truth: the same, or (adding up withheld cells) inside it
    truth = base.figures()
    for fig, value in relaid.figures.items():
        if fig == "by_nationality_category" and not nationalities:
            assert value == {"unknown": relaid.figures["total"]}
            continue
        if transform.__name__ in ADDS_UP and relay.has_withheld(base):
            items = {"total": value} if fig == "total" else value
            want = {"total": truth[fig]} if fig == "total" else truth[fig]
            assert items.keys() == want.keys(), fig
            for k, (lo, hi) in items.items():
                assert want[k][0] <= lo <= hi <= want[k][1], (fig, k)
        else:
            assert value == truth[fig], fig

    # the truth behind each figure: the same keys, inside its bounds, and the base's own truth
    # whatever the layout (re-laying adds the force's actual figures, never changes them)
    assert relaid.truth.keys() == relaid.figures.keys()
    base_truth = base.truth()
    for fig, value in relaid.figures.items():
        items = {"total": value} if fig == "total" else value
        true = {"total": relaid.truth[fig]} if fig == "total" else relaid.truth[fig]
        assert true.keys() == items.keys(), fig
        assert all(lo <= true[k] <= hi for k, (lo, hi) in items.items()), (fig, true, items)
        if fig == "by_nationality_category" and not nationalities:
            assert true == {"unknown": base_truth["total"]}
        else:
            assert relaid.truth[fig] == base_truth[fig], fig

    # every Total, Grand Total and subtotal the layout writes is consistent with its cells:
    # some figure fits both the total's bounds and the sum of the cells' bounds
    for text, parts in read.totals:
        lo, hi = bounds(text)
        assert max(lo, sum(bounds(o.text)[0] for o in parts)) <= min(hi, sum(bounds(o.text)[1] for o in parts)), text


def test_formats_are_what_they_say(tmp_path):
    d = BASES[3]
    (cp1252,) = relay.write_return(relay.long_csv_semicolon_cp1252(d), tmp_path / "a")
    assert "Côte d'Ivoire".encode("cp1252") in cp1252.read_bytes() and b";" in cp1252.read_bytes()
    (bom,) = relay.write_return(relay.long_csv_utf8_bom(d), tmp_path / "b")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    (utf16,) = relay.write_return(relay.long_txt_tab_utf16(d), tmp_path / "c")
    assert utf16.suffix == ".txt" and utf16.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    assert "\t".encode("utf-16-le") in utf16.read_bytes()


def test_workbook_formatting(tmp_path):
    """Numbers are numbers, merged header cells are merged, pivot items are indented by
    formatting alone (the text has no leading spaces), month headers are dates."""
    a, _, c, _ = BASES
    (path,) = relay.write_return(relay.crosstab_two_row_header(a), tmp_path / "merged")
    ws = openpyxl.load_workbook(path).active
    assert {str(r) for r in ws.merged_cells.ranges} == {"A1:A2", "B1:B2", "C1:C2", "D1:F1"}
    assert ws["D3"].value == 52 and ws["D1"].value == "Financial Year" and ws["F2"].value == "2024/25"

    (path,) = relay.write_return(relay.group_subtotals(a), tmp_path / "pivot")
    ws = openpyxl.load_workbook(path).active
    assert ws["A2"].value == "Violence against the person" and ws["A2"].alignment.indent == 0
    assert ws["A3"].value == "Assault without Injury" and ws["A3"].alignment.indent == 1
    # 2022/23: 105A 52+6+(2)+9 = 69, 8L 18+(1)+0+(4) = 23: the group carries 92
    assert ws["B3"].value == 69 and ws["B4"].value == 23 and ws["B2"].value == 92

    (path,) = relay.write_return(relay.months_across_dates(c), tmp_path / "months")
    ws = openpyxl.load_workbook(path).active
    assert ws["C1"].value == dt.datetime(2023, 4, 1) and ws["C1"].number_format == "mmm-yy"


# --- (b) the harness --------------------------------------------------------------------------

VERDICTS = ("exact", "narrowed", "quarantined", "other_reason", "wrong", "failed")


def verdict_table(verdicts: dict[str, str]) -> str:
    """Transforms down, bases across, the verdict per case; counts per base below."""
    keys = [b.key for b in BASES]
    lines = ["transform".ljust(28) + "".join(k.center(13) for k in keys)]
    for t in relay.TRANSFORMS:
        row = [verdicts.get(case_name(b, t), "") for b in BASES]
        if any(row):
            lines.append(t.__name__.ljust(28) + "".join(v.center(13) for v in row))
    for v in VERDICTS:
        per_base = [sum(verdicts.get(case_name(b, t)) == v for t in relay.TRANSFORMS) for b in BASES]
        lines.append(f"{v + ':':28}" + "".join(str(n).center(13) for n in per_base) + f"  (all {sum(per_base)})")
    return "\n".join(lines)


@pytest.mark.slow
def test_relaid_returns_read_the_same_or_are_quarantined(tmp_path):
    """Every case through the real pipeline (two runs of up to 40 cases, about 1.5 min)."""
    runner = pytest.importorskip("tests.acceptance.runner", reason="tests/acceptance/runner.py not there yet")
    cases = [runner.load_case(p) for p in build_cases(tmp_path / "cases")]
    results = runner.run_cases(cases, tmp_path / "run")
    verdicts = {r.case.name: r.verdict for r in results}
    assert set(verdicts) == {c.name for c in cases}
    table = verdict_table(verdicts)
    print("\n" + table)
    bad = [r for r in results if r.verdict in ("wrong", "failed")]
    assert not bad, "re-laid returns read to other figures:\n" + table + "\n" + "\n".join(
        f"{r.line()}\n    ({r.case.description})" for r in bad)
