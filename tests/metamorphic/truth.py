"""A small population of community resolutions whose truth is known, as four base returns.

Written by hand here, not taken from synthetic_returns/, so that the generator's and the
reader's shared habits do not decide what the truth is. Offence labels, Home Office codes
and ONS groups are the reference seeds' (dbt_project/seeds/offence_classes.csv and
offence_text_aliases.csv); nationality labels are in nationality_aliases.csv or
iso_countries.csv. tests/metamorphic/test_relay.py checks both against the seeds.

A base return is a list of cells, one per count the force reports:

    (financial year, offence label, HO code, ONS group, nationality label,
     nationality category, outcome, count text, low, high, actual)

`actual` is the force's own figure behind the count text: for an exact cell it is the
count; for a withheld cell (`<5`, `*`) it is one value inside [low, high]. A re-laying
that must add cells up (a Total row, a subtotal, a table summed over nationality) uses
it, the way a force adds up its own records before suppressing small figures again. The
expected figures are always sums of the bounds of the cells a return shows, never of
`actual`; each case also gives the sum of `actual` behind every figure as its `truth`
(case_format.md), so a reader that narrows withheld cells from the return's exact totals
can be told right (the narrower range holds the truth) from wrong.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import NamedTuple

CR = "Community Resolution"
# Outcome labels used below and their Home Office outcome type (outcome_aliases.csv).
OUTCOME_TYPES = {CR: 8, "Charged": 1, "Adult Caution": 3, "Penalty Notice for Disorder": 6}

FY3 = ("2022/23", "2023/24", "2024/25")
FY2_EARLY = ("2022/23", "2023/24")
FY2_LATE = ("2023/24", "2024/25")

# Withheld markers and what they bound: '<5' and '*' are 1..4, '-' is nought.
MARKER_BOUNDS = {"<5": (1, 4), "*": (1, 4), "-": (0, 0)}


class Cell(NamedTuple):
    year: str                        # financial year, '2022/23'
    offence: str | None              # offence label as the force writes it
    ho_code: str | None              # Home Office class code ('105A')
    ons_group: str | None            # ONS offence group of that class
    nationality: str | None          # nationality label as the force writes it
    nationality_category: str | None  # uk / foreign / unknown
    outcome: str                     # outcome label as the force writes it
    count_text: str                  # '52', '<5', '*', '-'
    low: int
    high: int
    actual: int                      # the force's own figure behind count_text (see module doc)

    @property
    def is_cr(self) -> bool:
        return OUTCOME_TYPES[self.outcome] == 8


@dataclass(frozen=True)
class Base:
    key: str                 # 'A', used in case names
    name: str                # 'offence_nationality_year'
    title: str               # one line for the case description
    cells: tuple[Cell, ...]
    dims: tuple[str, ...]    # what the return breaks counts down by besides the year, in its column order
    record_level: bool = False   # the force holds one row per outcome (cells are counts of records)
    suppression: str | None = None  # marker the force puts on a sum of 1..4 when it adds cells up

    @property
    def years(self) -> tuple[str, ...]:
        return tuple(sorted({c.year for c in self.cells}))

    def figures(self) -> dict:
        return expected_figures(self.cells, offences="offence" in self.dims, nationalities="nationality" in self.dims)

    def truth(self) -> dict:
        """The true count behind each of figures() (the sums of `actual`)."""
        return figures_and_truth(self.cells, offences="offence" in self.dims,
                                 nationalities="nationality" in self.dims)[1]


def count_cell(text_or_value) -> tuple[str, int, int, int]:
    """(count text, low, high, actual) from an entry of the tables below: an int is an exact
    count, '-' is nought, ('<5', 3) is a withheld cell whose actual figure is 3."""
    if isinstance(text_or_value, int):
        return str(text_or_value), text_or_value, text_or_value, text_or_value
    if text_or_value == "-":
        return "-", 0, 0, 0
    text, actual = text_or_value
    low, high = MARKER_BOUNDS[text]
    assert low <= actual <= high, (text, actual)
    return text, low, high, actual


def render_sum(actual: int, suppression: str | None) -> tuple[str, int, int, int]:
    """A figure the force computed by adding up cells, suppressed as it suppresses its cells."""
    if suppression and 1 <= actual <= 4:
        return suppression, *MARKER_BOUNDS[suppression], actual
    return str(actual), actual, actual, actual


def expected_figures(cells, *, offences: bool, nationalities: bool) -> dict:
    """What a correct pipeline publishes for a return showing exactly these cells
    (case_format.md): community resolutions only, each figure [low, high] = sums of bounds.
    A return without nationality counts as `unknown` (README: 'A force with no
    nationality at all counts as unknown'); one without offences supports no offence figure.
    Figures that are [0, 0] are left out except the total."""
    return figures_and_truth(cells, offences=offences, nationalities=nationalities)[0]


def figures_and_truth(cells, *, offences: bool, nationalities: bool) -> tuple[dict, dict]:
    """expected_figures, and beside it the case's `truth`: the same keys, each the sum of
    the cells' `actual` (the true count inside that figure's [low, high])."""
    cr = [c for c in cells if c.is_cr]

    def by(key) -> tuple[dict, dict]:
        acc: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
        for c in cr:
            for i, n in enumerate((c.low, c.high, c.actual)):
                acc[key(c)][i] += n
        kept = {k: v for k, v in sorted(acc.items()) if v[:2] != [0, 0]}
        return {k: v[:2] for k, v in kept.items()}, {k: v[2] for k, v in kept.items()}

    total = [sum(c.low for c in cr), sum(c.high for c in cr)]
    true_total = sum(c.actual for c in cr)
    figures, truth = {"total": total}, {"total": true_total}
    figures["by_period"], truth["by_period"] = by(lambda c: c.year)
    if nationalities:
        figures["by_nationality_category"], truth["by_nationality_category"] = by(lambda c: c.nationality_category)
    else:
        figures["by_nationality_category"] = {"unknown": list(total)}
        truth["by_nationality_category"] = {"unknown": true_total}
    if offences:
        figures["by_offence_group"], truth["by_offence_group"] = by(lambda c: c.ons_group)
        figures["by_ho_offence_code"], truth["by_ho_offence_code"] = by(lambda c: c.ho_code)
    return figures, truth


# --- the offences and nationalities used -------------------------------------------------

VAP = "Violence against the person"
THEFT = "Theft offences"
DRUGS = "Drug offences"
DAMAGE = "Criminal damage and arson"
ORDER = "Public order offences"

NATIONALITY_CATEGORY = {
    "British": "uk", "Polish": "foreign", "Romanian": "foreign", "Irish": "foreign",
    "Lithuanian": "foreign", "Albanian": "foreign", "Eritrean": "foreign",
    "Côte d'Ivoire": "foreign", "Brazilian": "foreign",
    "Not Recorded": "unknown", "Not Known": "unknown",
}


# --- A: aggregate, offence x nationality x financial year, withheld cells -----------------

A_TABLE = {
    # (code, label, ONS group): {nationality: (2022/23, 2023/24, 2024/25)}
    ("105A", "Assault without Injury", VAP): {
        "British": (52, 47, 58), "Polish": (6, ("<5", 3), 5),
        "Romanian": (("<5", 2), "-", ("*", 4)), "Not Recorded": (9, 11, 7)},
    ("8L", "Harassment", VAP): {
        "British": (18, 21, 15), "Polish": (("<5", 1), "-", ("<5", 2)),
        "Romanian": ("-", "-", ("*", 1)), "Not Recorded": (("<5", 4), 6, ("<5", 3))},
    ("46", "Shoplifting", THEFT): {
        "British": (64, 71, 80), "Polish": (12, 9, 14),
        "Romanian": (8, ("<5", 3), 10), "Not Recorded": (5, ("<5", 2), 6)},
    ("92E", "Possession of Cannabis", DRUGS): {
        "British": (33, 29, 36), "Polish": (("<5", 2), 5, ("*", 3)),
        "Romanian": ("-", ("<5", 1), "-"), "Not Recorded": (7, ("<5", 4), 5)},
    ("58A", "Criminal Damage to a Dwelling", DAMAGE): {
        "British": (11, 14, 9), "Polish": ("-", ("<5", 1), "-"),
        "Romanian": ("-", "-", "-"), "Not Recorded": (("<5", 2), "-", ("<5", 1))},
}

# --- B: record-level, mixed outcomes ------------------------------------------------------

B_TABLE = {
    # (code, label, ONS group): {(nationality, outcome): (records 2022/23, records 2023/24)}
    ("46", "Shoplifting", THEFT): {
        ("British", CR): (6, 8), ("British", "Charged"): (4, 6), ("British", "Adult Caution"): (2, 0),
        ("Lithuanian", CR): (2, 3), ("Lithuanian", "Charged"): (3, 0), ("Lithuanian", "Adult Caution"): (0, 1),
        ("Albanian", CR): (1, 0), ("Albanian", "Charged"): (0, 2),
        ("Not Known", CR): (1, 2), ("Not Known", "Penalty Notice for Disorder"): (1, 0)},
    ("8N", "Assault with Injury", VAP): {
        ("British", CR): (3, 4), ("British", "Charged"): (5, 3), ("British", "Adult Caution"): (1, 0),
        ("Albanian", "Charged"): (1, 0), ("Lithuanian", CR): (0, 1),
        ("Not Known", CR): (2, 1), ("Not Known", "Adult Caution"): (0, 1)},
    ("92E", "Possession of Cannabis", DRUGS): {
        ("British", CR): (5, 4), ("British", "Penalty Notice for Disorder"): (3, 2),
        ("Lithuanian", CR): (1, 0), ("Albanian", CR): (2, 3), ("Albanian", "Charged"): (1, 0),
        ("Not Known", CR): (0, 1)},
    ("49A", "Making off without payment", THEFT): {
        ("British", CR): (2, 3), ("British", "Charged"): (1, 0),
        ("Lithuanian", "Charged"): (0, 1), ("Not Known", "Adult Caution"): (1, 0)},
}

# --- C: offence x financial year, no nationality, every count exact ------------------------

C_TABLE = {
    # (code, label, ONS group): (2023/24, 2024/25)
    ("8N", "Assault with Injury", VAP): (23, 31),
    ("105A", "Common Assault", VAP): (88, 95),
    ("8Q", "Stalking", VAP): (3, "-"),
    ("44", "Theft of pedal cycle", THEFT): (7, 12),
    ("49A", "Making off without payment", THEFT): (15, 19),
    ("46", "Shoplifting", THEFT): (140, 162),
    ("92D", "Possession of controlled drugs (excl. Cannabis)", DRUGS): (21, 17),
    ("9A", "Public Fear, Alarm or Distress", ORDER): (36, 41),
    ("56B", "Arson not endangering life", DAMAGE): (2, 4),
}

# --- D: nationality x financial year, no offences -----------------------------------------

D_TABLE = {
    "British": (1204, 1311, 1287),
    "Irish": (14, 11, 17),
    "Polish": (38, 42, 35),
    "Romanian": (51, 63, 70),
    "Lithuanian": (9, ("<5", 3), 6),
    "Eritrean": (("<5", 2), 5, ("<5", 4)),
    "Côte d'Ivoire": (("<5", 1), "-", ("<5", 2)),
    "Brazilian": (7, ("<5", 4), 8),
    "Not Recorded": (96, 88, 102),
}


def _cell(year, offence, nationality, outcome, entry) -> Cell:
    code, label, group = offence or (None, None, None)
    category = NATIONALITY_CATEGORY[nationality] if nationality is not None else None
    return Cell(year, label, code, group, nationality, category, outcome, *count_cell(entry))


def base_a() -> Base:
    cells = tuple(_cell(year, off, nat, CR, entry)
                  for off, by_nat in A_TABLE.items() for nat, entries in by_nat.items()
                  for year, entry in zip(FY3, entries))
    return Base("A", "offence_nationality_year",
                "aggregate community resolutions by offence, nationality and financial year, "
                "with cells withheld as <5 and * and noughts as -",
                cells, ("offence", "nationality"), suppression="<5")


def base_b() -> Base:
    cells = tuple(_cell(year, off, nat, outcome, n)
                  for off, by_key in B_TABLE.items() for (nat, outcome), counts in by_key.items()
                  for year, n in zip(FY2_EARLY, counts) if n)
    return Base("B", "records_mixed_outcomes",
                "record-level outcomes (community resolutions, charges, cautions, PNDs) with offence and nationality",
                cells, ("offence", "nationality", "outcome"), record_level=True)


def base_c() -> Base:
    cells = tuple(_cell(year, off, None, CR, entry)
                  for off, entries in C_TABLE.items() for year, entry in zip(FY2_LATE, entries))
    return Base("C", "offence_year",
                "aggregate community resolutions by offence and financial year, no nationality, every count exact",
                cells, ("offence",))


def base_d() -> Base:
    cells = tuple(_cell(year, None, nat, CR, entry)
                  for nat, entries in D_TABLE.items() for year, entry in zip(FY3, entries))
    return Base("D", "nationality_year",
                "aggregate community resolutions by nationality and financial year, no offences, some <5",
                cells, ("nationality",), suppression="<5")


def bases() -> list[Base]:
    return [base_a(), base_b(), base_c(), base_d()]


# --- record-level rows of a base whose cells count records ----------------------------------

class Record(NamedTuple):
    reference: str
    outcome_date: dt.date
    cell: Cell


def fy_start(year: str) -> dt.date:
    return dt.date(int(year[:4]), 4, 1)


def records(base: Base) -> list[Record]:
    """One row per outcome, dated deterministically inside its financial year."""
    assert base.record_level
    out = []
    k = 0
    for cell in base.cells:
        for _ in range(cell.actual):
            k += 1
            date = fy_start(cell.year) + dt.timedelta(days=(k * 47 + 11) % 365)
            out.append(Record(f"{40 + k % 7}/{10000 + k * 13}/{date:%y}", date, cell))
    return sorted(out, key=lambda r: (r.outcome_date, r.reference))
