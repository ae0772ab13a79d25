"""Which force refuses, and what each returning force's answer looks like, drawn with the
seed. The counts of each shape are fixed; which force gets which shape is not."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .catalogue import ALWAYS_RETURNING, FORCE_WEIGHT
from .reference import Force, Reference

REFUSALS = [
    ("s12", "Cost of compliance exceeds the appropriate limit: nationality is held in free-text custody records and each of the {n:,} outcome records would have to be read by hand."),
    ("s12", "Section 12(1): locating and extracting offender nationality for every community resolution would exceed the 18-hour appropriate limit."),
    ("s12", "The cost of determining whether we hold the information, retrieving and extracting it exceeds the appropriate limit (s12 FOIA)."),
    ("s21", "Information reasonably accessible by other means: community resolution numbers by offence are published in the Home Office 'Crime outcomes in England and Wales' open data tables and in the force's disclosure log (FOI 2024/1187, published on the force website)."),
    ("s40(2)", "Personal data: offence combined with nationality at force level would identify individuals in small groups; disclosure would breach the data protection principles."),
    ("s40(2)", "Exempt under section 40(2): figures by nationality and offence relate to identifiable people (third-party personal data)."),
]

# How many returning forces get each shape (38 in all).
SHAPE_COUNTS = {
    "record": 6,          # one row per outcome, several outcome types
    "no_nationality": 4,  # offence tables only
    "split": 2,           # an offence table and a nationality table of the same population
    "per_year_sheets": 1,
    "calendar_year": 1,
    "profile": 1,
    "per_year_files": 1,
    "crosstab": 3,        # offence and nationality down, years across
    "long": 19,           # financial year, offence, nationality, count
}


@dataclass
class ForcePlan:
    force: Force
    status: str  # returned | refused
    refusal: tuple[str, str] | None = None
    shape: str = ""
    variant: int = 0  # which of the shape's layouts
    size: int = 0  # community resolutions (truth), set by the population
    year_shares: list[float] = field(default_factory=list)
    foreign_share: float = 0.0
    not_recorded_share: float = 0.0
    banded_victim_age: bool = False
    suppress_offence_view: bool = False  # withheld small cells in tables with an offence column
    suppress_nationality: bool = False  # withheld small cells in a nationality-only table
    suppress_token: str = "<5"
    zero_token: str = "-"
    offence_style: str = "ons"
    nationality_style: str = "demonym"
    not_recorded_text: str = "Not Recorded"
    fy_style: str = "2022/23"
    multi_nationality: bool = False
    lossy_nationality: bool = False
    local_label: str | None = None
    other_outcome_ratio: float = 0.0

    @property
    def windows_1252(self) -> bool:
        return (self.shape == "record" and self.variant == 2) or self.shape == "calendar_year"

    @property
    def slug(self) -> str:
        return self.force.slug

    @property
    def joint(self) -> bool:
        """Gives offence and nationality together in one table."""
        return self.status == "returned" and self.shape not in ("split", "no_nationality")

    @property
    def provides_nationality(self) -> bool:
        return self.shape != "no_nationality"

    @property
    def period_type(self) -> str:
        return "calendar_year" if self.shape == "calendar_year" else "financial_year"


def make_plans(ref: Reference, rng: random.Random) -> list[ForcePlan]:
    forces = sorted(ref.forces, key=lambda f: f.slug)
    candidates = [f for f in forces if f.slug not in ALWAYS_RETURNING]
    refusing = sorted(rng.sample(candidates, len(REFUSALS)), key=lambda f: f.slug)
    refusals = list(REFUSALS)
    rng.shuffle(refusals)
    plans = {f.slug: ForcePlan(f, "returned") for f in forces}
    for f, refusal in zip(refusing, refusals):
        plans[f.slug].status = "refused"
        plans[f.slug].refusal = refusal
    returning = [plans[f.slug] for f in forces if plans[f.slug].status == "returned"]
    assert len(returning) == 38

    # record-level: Durham and five other small or medium forces
    small = [p for p in returning if FORCE_WEIGHT[p.slug] <= 1600 and p.slug != "durham"]
    record = [plans["durham"]] + sorted(rng.sample(small, SHAPE_COUNTS["record"] - 1), key=lambda p: p.slug)
    for i, p in enumerate(record):
        p.shape, p.variant = "record", i
    plans["metropolitan"].shape = "long"
    rest = [p for p in returning if not p.shape]
    rng.shuffle(rest)
    shapes = [s for s, n in SHAPE_COUNTS.items() if s != "record" for _ in range(n)]
    shapes.remove("long")  # the Met's
    for p, s in zip(rest, shapes):
        p.shape = s
    by_shape: dict[str, list[ForcePlan]] = {}
    for p in sorted(returning, key=lambda p: p.slug):
        by_shape.setdefault(p.shape, []).append(p)
    for s, ps in by_shape.items():
        if s != "record":
            for i, p in enumerate(ps):
                p.variant = i
    _styles(returning, by_shape, rng)
    return [plans[f.slug] for f in forces]


def _styles(returning: list[ForcePlan], by_shape: dict[str, list[ForcePlan]], rng: random.Random) -> None:
    offence_styles = ["code", "subcode", "category", "ons", "counting", "act", "police", "class_name"]
    nationality_styles = ["demonym", "country", "iso3", "police", "upper"]
    fy_styles = ["2022/23", "2022-23", "FY22/23", "2022/2023"]
    for p in sorted(returning, key=lambda p: p.slug):
        p.offence_style = rng.choice(offence_styles)
        p.nationality_style = rng.choice(nationality_styles)
        p.not_recorded_text = rng.choice(["Not Recorded", "Unknown", "Not Known", "Not Stated", "Not recorded"])
        p.fy_style = rng.choice(fy_styles)
        p.zero_token = rng.choice(["-", "0", ""])
        p.suppress_token = rng.choice(["<5", "*", "[c]", "1-4"])
        p.not_recorded_share = rng.uniform(0.03, 0.22)
        p.other_outcome_ratio = rng.uniform(0.3, 0.55)
    # every offence style at least once among the aggregate forces
    aggregate = [p for p in sorted(returning, key=lambda p: p.slug) if p.shape != "record"]
    for p, style in zip(rng.sample(aggregate, len(offence_styles)), offence_styles):
        p.offence_style = style
    for p, style in zip(rng.sample(aggregate, len(nationality_styles)), nationality_styles):
        p.nationality_style = style
    # the Met and one other large long-format force give the victim's age band
    p_met = next(p for p in returning if p.slug == "metropolitan")
    p_met.banded_victim_age = True
    big_long = sorted((p for p in by_shape["long"] if p.slug != "metropolitan"), key=lambda p: -FORCE_WEIGHT[p.slug])[:6]
    rng.choice(big_long).banded_victim_age = True
    # not recorded for over half of all rows at one force (sometimes two)
    joint = [p for p in sorted(returning, key=lambda p: p.slug)
             if p.joint and p.slug not in ("metropolitan", "durham") and p.shape != "record"]
    for p in rng.sample(joint, rng.choice([1, 2])):
        p.not_recorded_share = rng.uniform(0.52, 0.64)
        p.not_recorded_text = "Not Recorded"
    # spellings: several nationalities in one cell; lossy spellings at one force
    for p in rng.sample([p for p in returning if p.provides_nationality], 6):
        p.multi_nationality = True
    for p in by_shape["record"]:
        p.multi_nationality = True
    rng.choice([p for p in by_shape["record"] if p.slug != "durham"]).lossy_nationality = True
    rng.choice(by_shape["long"]).lossy_nationality = True
    # unmappable local labels at two aggregate forces
    local = rng.sample([p for p in aggregate if p.shape in ("long", "crosstab", "no_nationality")], 2)
    for p, label in zip(local, ["Local offence - see notes", "Other"]):
        p.local_label = label
