"""The truth manifest: each figure's true value and the bounds a correct pipeline computes
from the written files.

Views (per return, i.e. per file):
  offence view      the tables with an offence column (none if the return has none):
                    `total` and every offence-based figure
  nationality view  the tables with a nationality column; a return without any counts
                    all its rows as nationality 'unknown': `foreign_nationals`,
                    `uk_nationals`, `nationality_not_recorded`, `nationality_unmapped`,
                    `nationality_by_force`. A spelling that maps to nothing is
                    'unmapped': in the high bounds of foreign and UK nationals only.
  countries         only tables giving offence and nationality together
An accounting key is (has_offence, has_nationality, class or None (unmapped) or ""
(no offence column), (iso3, category) or None (no nationality column), victim-age
status of a 20A cell: in | maybe | out).
"""

from __future__ import annotations

from .plan import ForcePlan
from .population import Population
from .reference import Reference
from .narrow import narrow
from .writers import FileAccount, cell_ref

OFFENCE_FIGURES = {
    "total": lambda cls, k: True,
    "sexual_offences": lambda cls, k: k is not None and k.group == "Sexual offences",
    "sexual_offences_incl_86": lambda cls, k: k is not None and (k.group == "Sexual offences" or cls == "86"),
    "rape": lambda cls, k: k is not None and k.subgroup == "Rape",
    "indecent_images": lambda cls, k: cls == "86",
    "sexual_assault_girls_under_13": lambda cls, k: cls == "20B",
    "sexual_assault_boys_under_13": lambda cls, k: cls == "17B",
    "sexual_activity_children": lambda cls, k: cls in ("21", "22B"),
    "child_cruelty": lambda cls, k: cls == "11A",
    "kidnapping_abduction": lambda cls, k: cls in ("36", "13"),
}
NATIONALITY_FIGURES = {"foreign_nationals": "foreign", "uk_nationals": "uk", "nationality_not_recorded": "unknown",
                       "nationality_unmapped": "unmapped"}
# figures whose high bound also counts unmapped nationalities (any of them may be foreign or British)
UNMAPPED_IN_HIGH = ("foreign_nationals", "uk_nationals")
COUNTRY_FIGURES = {"countries_drug_offences": "Drug offences", "countries_violence": "Violence against the person"}


def _cells(acc: FileAccount, bounds: str):
    """(key, low, high) of the file's cells; withheld cells `unnarrowed` (1 to 4), `narrowed`
    by the totals, or at their `true` value."""
    for key, n in acc.exact.items():
        yield key, n, n
    if bounds == "unnarrowed":
        for key, (low, high) in acc.ranged.items():
            yield key, low, high
        return
    ranged: dict = {}
    before: dict = {}  # the same cells un-narrowed: what the rows written counted
    for x, (low, high) in acc.narrowed.items():
        c = acc.cells[x]
        if bounds == "true":
            low = high = c.value
        if c.key is not None:
            r, w = ranged.setdefault(c.key, [0, 0]), before.setdefault(c.key, [0, 0])
            r[0], r[1], w[0], w[1] = r[0] + low, r[1] + high, w[0] + c.low, w[1] + c.high
    assert before == {k: list(v) for k, v in acc.ranged.items()}, acc.path
    for key, (low, high) in ranged.items():
        yield key, low, high


def views(acc: FileAccount, bounds: str = "narrowed"):
    cells = list(_cells(acc, bounds))
    has_off = any(k[0] for k, _, _ in cells)
    has_nat = any(k[1] for k, _, _ in cells)
    off = [c for c in cells if c[0][0]] if has_off else []
    if has_nat:
        nat = [(k[3][1], low, high) for k, low, high in cells if k[1]]
    else:
        nat = [("unknown", low, high) for _k, low, high in cells]
    joint = [c for c in cells if c[0][0] and c[0][1]]
    return off, nat, joint


def truth(ref: Reference, plans: list[ForcePlan], pop: Population, scale: int) -> dict:
    """The population's own values (record-level forces' records count `scale` times)."""
    from collections import Counter

    by: Counter = Counter()  # (class, nationality, victim aged 13..16) -> records
    for p in plans:
        if p.status != "returned":
            continue
        mult = scale if p.shape == "record" else 1
        c = Counter((r[1], r[2], r[1] == "20A" and r[5] is not None and 13 <= r[5] <= 16) for r in pop.records[p.slug])
        for key, n in c.items():
            by[key] += n * mult
    t = {f: 0 for f in [*OFFENCE_FIGURES, *NATIONALITY_FIGURES, "sexual_assault_girls_13_to_16"]}
    countries = {f: set() for f in COUNTRY_FIGURES}
    for (cls, nat, girl), n in by.items():
        k = ref.classes[cls]
        for f, pred in OFFENCE_FIGURES.items():
            if pred(cls, k):
                t[f] += n
        if girl:
            t["sexual_assault_girls_13_to_16"] += n
        cat = "uk" if nat == "UK" else "unknown" if nat == "NR" else "foreign"
        t[{"foreign": "foreign_nationals", "uk": "uk_nationals", "unknown": "nationality_not_recorded"}[cat]] += n
        if cat == "foreign" and nat != "XXA":
            for f, group in COUNTRY_FIGURES.items():
                if k.group == group:
                    countries[f].add(nat)
    out = dict(t)
    out.update({f: len(s) for f, s in countries.items()})
    return out


def _bounds(ref: Reference, plans: list[ForcePlan], accounts: dict, bounds: str) -> dict:
    """Every figure's bounds from the files, withheld cells as _cells gives them."""
    figures = {f: [0, 0] for f in [*OFFENCE_FIGURES, *NATIONALITY_FIGURES, "sexual_assault_girls_13_to_16"]}
    country_low = {f: set() for f in COUNTRY_FIGURES}
    country_high = {f: set() for f in COUNTRY_FIGURES}
    groups: dict[str, list[int]] = {}
    by_force: dict[str, dict[str, list[int]]] = {}
    per_file: dict[str, list[int]] = {}
    for p in plans:
        if p.status != "returned":
            continue
        nat_force = by_force.setdefault(p.force.name, {"uk": [0, 0], "foreign": [0, 0], "unknown": [0, 0], "unmapped": [0, 0]})
        for acc in accounts[p.slug]:
            off, nat, joint = views(acc, bounds)
            cr = [0, 0]
            for key, low, high in off:
                cls = key[2]
                k = ref.classes.get(cls) if cls else None
                for f, pred in OFFENCE_FIGURES.items():
                    if pred(cls, k):
                        figures[f][0] += low
                        figures[f][1] += high
                if cls == "20A":
                    if key[4] == "in":
                        figures["sexual_assault_girls_13_to_16"][0] += low
                    if key[4] in ("in", "maybe"):
                        figures["sexual_assault_girls_13_to_16"][1] += high
                g = groups.setdefault(k.group if k else "Unmapped offence", [0, 0])
                g[0] += low
                g[1] += high
                cr[0] += low
                cr[1] += high
            for cat, low, high in nat:
                f = {"foreign": "foreign_nationals", "uk": "uk_nationals", "unknown": "nationality_not_recorded",
                     "unmapped": "nationality_unmapped"}[cat]
                figures[f][0] += low
                figures[f][1] += high
                if cat == "unmapped":
                    for wider in UNMAPPED_IN_HIGH:
                        figures[wider][1] += high
                nat_force[cat][0] += low
                nat_force[cat][1] += high
            for key, low, high in joint:
                k = ref.classes.get(key[2]) if key[2] else None
                iso3, cat = key[3]
                if k is None or cat != "foreign" or iso3 is None or iso3 == "XXA":
                    continue
                for f, group in COUNTRY_FIGURES.items():
                    if k.group == group:
                        if low > 0:
                            country_low[f].add(iso3)
                        if high > 0:
                            country_high[f].add(iso3)
            per_file[acc.path] = cr
    for f in COUNTRY_FIGURES:
        figures[f] = [len(country_low[f]), len(country_high[f])]
    return {"figures": figures, "groups": groups, "by_force": by_force, "files": per_file}


FIGURE_ORDER = ["total", "foreign_nationals", "uk_nationals", "nationality_not_recorded", "nationality_unmapped",
                "sexual_offences", "sexual_offences_incl_86", "rape", "indecent_images", "sexual_assault_girls_under_13",
                "sexual_assault_boys_under_13", "sexual_assault_girls_13_to_16", "sexual_activity_children",
                "child_cruelty", "kidnapping_abduction", *COUNTRY_FIGURES]


def build_manifest(ref: Reference, plans: list[ForcePlan], pop: Population, returns: dict, accounts: dict,
                   seed: int, scale: int) -> dict:
    """returns: slug -> ForceReturn; accounts: slug -> [FileAccount]."""
    for p in plans:
        for acc in accounts.get(p.slug, []):
            narrow(acc)
    wide = _bounds(ref, plans, accounts, "unnarrowed")
    b = _bounds(ref, plans, accounts, "narrowed")
    shown = _bounds(ref, plans, accounts, "true")["figures"]
    groups, by_force = b["groups"], b["by_force"]
    files: dict[str, dict] = {}
    for p in plans:
        for acc in accounts.get(p.slug, []):
            sheet_order = {name: i for i, name in enumerate(acc.sheets)}
            files[acc.path] = {
                "rows": acc.rows, "rows_loaded": acc.rows_loaded, "rows_other_outcome": acc.rows_other_outcome,
                "rows_totals": acc.rows_totals,
                "community_resolutions": b["files"][acc.path],
                "community_resolutions_unnarrowed": wide["files"][acc.path],
                "sheets": dict(sorted(acc.sheets.items())),
                "totals": sorted(acc.totals, key=lambda t: (sheet_order[t["sheet"]], t.get("row") or t["rows"][0][0], t["column"])),
                "withheld": acc.withheld,
                "withheld_bounds": {cell_ref(*x): list(bounds) for x, bounds in acc.narrowed.items()},
            }
    t = truth(ref, plans, pop, scale)
    out_figures = {}
    for f in FIGURE_ORDER:
        (low, high), (wide_low, wide_high) = b["figures"][f], wide["figures"][f]
        out_figures[f] = {"truth": t[f], "low": low, "high": high, "low_unnarrowed": wide_low, "high_unnarrowed": wide_high,
                          "withheld_at_truth": list(shown[f])}

    forces = {}
    for p in plans:
        ret = returns.get(p.slug)
        entry = {
            "force_name": p.force.name, "force_code": p.force.code or None, "status": p.status,
            "foi_section": p.refusal[0] if p.refusal else None,
            "nationality_provided": p.status == "returned" and p.provides_nationality,
            "period_type": p.period_type if p.status == "returned" else None,
            "files": [f"{p.slug}/{f.name}" for f in ret.files] if ret else [f"{p.slug}/refusal.yaml"],
        }
        if p.status == "returned":
            entry.update({
                "shape": p.shape, "description": ret.shape_text, "quirks": ret.quirks,
                "profiles": [f"{p.slug}/{f.name}.profile.yaml" for f in ret.files if f.profile],
                "community_resolutions_truth": len(pop.records[p.slug]) * (scale if p.shape == "record" else 1),
                "periods": ("calendar years 2022, 2023, 2024 (January 2022 to December 2024), although financial years were asked"
                            if p.shape == "calendar_year" else "financial years 2022/23, 2023/24, 2024/25"),
                "offence_labels": p.offence_style, "nationality_spelling": p.nationality_style,
                "zero_token": p.zero_token,
                "suppression_token": p.suppress_token if (p.suppress_offence_view or p.suppress_nationality) else None,
                "withheld_in": [v for v, on in (("offence tables", p.suppress_offence_view), ("nationality table", p.suppress_nationality)) if on],
            })
        else:
            entry["refusal_note"] = p.refusal[1]
        forces[p.slug] = entry

    durham = {}
    for r in pop.records["durham"]:
        if ref.classes[r[1]].group == "Sexual offences" and r[2] not in ("UK", "NR"):
            durham[r[2]] = durham.get(r[2], 0) + scale
    return {
        "seed": seed,
        "scale": scale,
        "synthetic": True,
        "figures": out_figures,
        "forces": forces,
        "nationality_by_force": dict(sorted(by_force.items())),
        "offence_groups": dict(sorted(groups.items())),
        "durham_foreign_sexual_offenders": dict(sorted(durham.items())),
        "files": dict(sorted(files.items())),
        "definitions": {
            "bounds": "A withheld cell (<5, *, [c], 1-4) counts 1 to 4, narrowed by the exact totals of its own table (narrowing); '-', '0' and blank count 0. low and high (every figure, nationality_by_force, offence_groups, files[...].community_resolutions) sum the narrowed bounds of the cells; figures' low_unnarrowed and high_unnarrowed count every withheld cell at 1 and 4.",
            "narrowing": "Each exact total of a table is a sum the cells it adds up must meet: a Total, Grand Total or subtotal row (totals kinds grand_total, subtotal, column_total: its cells), and every row of a row-total column whose total is written (not withheld): that row's cells across. For every withheld cell x of such a total T: low(x) = max(low(x), T - the other cells' highs), high(x) = min(high(x), T - the other cells' lows), repeated over every total of the file until nothing changes. A total stated in a sentence (stated) and totals of records or on a Summary sheet (records, summary) narrow nothing.",
            "offence_view": "total and offence figures: per return, only the tables with an offence column.",
            "nationality_view": "nationality figures: per return, only the tables with a nationality column; a return without one counts every row as unknown; an unmappable spelling is unmapped (nationality_unmapped), counted in the high bounds of foreign_nationals and uk_nationals, not in nationality_not_recorded.",
            "countries": "distinct foreign ISO 3166 alpha-3 (XKX counts; stateless XXA and foreign without a country do not) over tables giving offence and nationality together; low: a cell with lower bound > 0, high: upper bound > 0.",
            "sexual_assault_girls_13_to_16": "class 20A; low: victim age known and within 13..16 (exact age 13-16, band '13-15'); high: also victim age unknown or a band overlapping 13..16 ('16-17'), and every 20A count of a table without victim age.",
            "withheld_at_truth": "a figure's bounds with every withheld cell at its true value (files[...].withheld), other ambiguities (victim age unknown, a nationality that maps to nothing) left as they are: low <= withheld_at_truth[0] and withheld_at_truth[1] <= high for every figure, nationality figures too, as narrowing only drops values the totals rule out.",
            "truth": "the synthetic population's value; for nationality figures it includes offenders whose nationality the files do not show (not recorded, or not provided by the force), so it may lie above high.",
            "community_resolutions": "files[...].community_resolutions: the file's contribution to total (its offence view), narrowed; community_resolutions_unnarrowed: every withheld cell 1 to 4.",
            "rows": "every row of every sheet as a spreadsheet shows it (XLSX: row 1 to the last used row; CSV: every line).",
            "rows_loaded": "rows carrying community-resolution counts (a record-level export: its community-resolution records).",
            "rows_other_outcome": "record-level rows of another outcome type, to filter.",
            "rows_totals": "rows that restate counts of other rows and add nothing to them: Total, Grand Total and per-year subtotal rows, a 'Total records' line, a note stating a total, and every row of a Summary sheet (headings and blank rows included). Neither rows_loaded nor rows_other_outcome; what is left of rows is titles, headers, blank rows and notes.",
            "totals": "files[...].totals: every total the file states, as a spreadsheet numbers rows and columns (1-based; a CSV's sheet is ''). value is the true total, withheld cells counted at their true value. kind grand_total (a whole table), subtotal (a year of a table), column_total (one column of a cross-tab's Total row): the count cells of sums.rows (ranges [first, last]; the table's data rows, never its total rows) in sums.columns ([first, last]). kind stated: the same, the value written inside a sentence. kind row_totals: one entry for a cross-tab's Total column: on each of rows, the cell at column is the total of that row's cells in sums.columns; value is the column's sum. kind records: the number of record rows (every outcome) in counts.records ({sheet: [[first, last]]}). kind summary: a Summary sheet's cell: the number of those records whose outcome_column equals outcome and whose date_column falls in financial_year (null: any).",
            "withheld": "files[...].withheld: the true value of every cell written withheld (<5, *, [c], 1-4), by cell ('Sheet!C12'; a CSV's 'C12'). For checking totals and bounds only: no figure uses a true value. withheld_bounds: every withheld count cell of a data row (not a withheld row total) with its bounds narrowed by the totals ([1, 4] where no total narrows it).",
            "calendar_year": "a force answering by calendar year reports January 2022 to December 2024; its counts are in every figure as reported.",
        },
    }
