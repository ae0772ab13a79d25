"""The true population: every community resolution of the 38 returning forces, one record
each, plus the other outcomes that record-level exports mix in.

A record is a tuple (date ordinal, class code, nationality, offender age, sex, victim age,
outcome sub-type). Nationality is an ISO 3166 alpha-3 code (XKX Kosovo, XXA stateless),
"UK", or "NR" (not recorded). Victim age is set for sexual offences only (None: not
recorded). An other-outcome record carries its outcome label in the sub-type slot.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from . import catalogue as C
from .plan import ForcePlan
from .reference import Reference

Record = tuple  # (ordinal, class, nationality, age, sex, victim_age, subtype)
RECORD_ROWS_MAX = 36_000


@dataclass
class Population:
    total: int
    records: dict[str, list[Record]] = field(default_factory=dict)  # slug -> CR records
    other: dict[str, list[Record]] = field(default_factory=dict)  # slug -> other outcomes
    drug_countries: list[str] = field(default_factory=list)
    violence_countries: list[str] = field(default_factory=list)


def record_key(r: Record) -> tuple:
    return (r[0], r[1], r[2], r[3], r[4], -1 if r[5] is None else r[5], r[6] or "")


def _split(total: int, weights: list[float]) -> list[int]:
    """Largest-remainder apportionment: integers proportional to weights, summing to total."""
    s = sum(weights)
    raw = [total * w / s for w in weights]
    out = [int(x) for x in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def _multinomial(rng: random.Random, n: int, weights: list[float]) -> list[int]:
    counts = [0] * len(weights)
    if n <= 0:
        return counts
    cum, acc = [], 0.0
    for w in weights:
        acc += w
        cum.append(acc)
    for i in rng.choices(range(len(weights)), cum_weights=cum, k=n):
        counts[i] += 1
    return counts


def build(ref: Reference, plans: list[ForcePlan], rng: random.Random) -> Population:
    returning = [p for p in plans if p.status == "returned"]
    total = 412_300 + rng.randrange(100)
    pop = Population(total)

    # force sizes and year splits
    weights = [C.FORCE_WEIGHT[p.slug] * rng.uniform(0.75, 1.25) for p in returning]
    for p, n in zip(returning, _split(total, weights)):
        p.size = n
        national = [C.NATIONAL_T8[label] for _, label in C.FINANCIAL_YEARS]
        shares = [v * rng.uniform(0.94, 1.06) for v in national]
        p.year_shares = [v / sum(shares) for v in shares]

    # classes: the published exact counts first, then everything else by weight
    fixed: dict[str, dict[str, int]] = {p.slug: {} for p in returning}
    sizes = [p.size for p in returning]
    for cls, k in sorted(C.FIXED_COUNTS.items()):
        if cls == "19C":
            for slug, c in C.RAPE_FORCES.items():
                fixed[slug][c] = fixed[slug].get(c, 0) + 1
            continue
        for p, n in zip(returning, _multinomial(rng, k, sizes)):
            if n:
                fixed[p.slug][cls] = n
    durham = fixed["durham"]
    if sum(n for c, n in durham.items() if ref.classes[c].group == "Sexual offences") < 2:
        durham["88E"] = durham.get("88E", 0) + 2  # (never needed at realistic sizes)

    classes = sorted(C.CLASS_WEIGHTS)
    # foreign share calibrated so that ~17,000 recorded foreign nationals are in returns
    # that give nationality
    raw_f = {p.slug: C.FOREIGN_BASE.get(p.slug, 1.0) * rng.uniform(0.8, 1.2) for p in returning}
    k = 17_000 / sum(p.size * (1 - p.not_recorded_share) * raw_f[p.slug] for p in returning if p.provides_nationality)
    for p in returning:
        p.foreign_share = min(0.6, raw_f[p.slug] * k)

    countries = sorted(ref.country_names)
    demonyms = {r["iso3"] for r in ref.nationality_alias_rows if r["kind"] == "demonym" and r["iso3"]}
    universe = sorted(c for c in countries if c in demonyms and c not in ("GBR", "XXA"))
    common = sorted(C.COMMON_COUNTRIES, key=lambda c: (-C.COMMON_COUNTRIES[c], c))
    tail = [c for c in universe if c not in C.COMMON_COUNTRIES]
    drug = common + sorted(rng.sample(tail, C.COUNTRIES_DRUG - len(common)))
    violence = common + sorted(rng.sample(tail, C.COUNTRIES_VIOLENCE - len(common)))
    pop.drug_countries, pop.violence_countries = drug, violence
    core = common[:25]

    def weights_of(cs: list[str]) -> list[float]:
        return [C.COMMON_COUNTRIES.get(c, C.TAIL_WEIGHT) for c in cs]

    pools = {
        "all": (universe, weights_of(universe)),
        "drug": (drug, weights_of(drug)),
        "violence": (violence, weights_of(violence)),
        "core": (core, weights_of(core)),
    }
    cum_pools = {}
    for name, (cs, ws) in pools.items():
        acc, cum = 0.0, []
        for w in ws:
            acc += w
            cum.append(acc)
        cum_pools[name] = (cs, cum)

    for p in returning:
        frs = rng  # one stream, in force order
        counts = dict(fixed[p.slug])
        rest = p.size - sum(counts.values())
        ws = [C.CLASS_WEIGHTS[c] * frs.uniform(0.75, 1.25) for c in classes]
        for c, n in zip(classes, _multinomial(frs, rest, ws)):
            if n:
                counts[c] = counts.get(c, 0) + n
        recs: list[Record] = []
        bounds = [_period_bounds(p, i) for i in range(3)]
        starts = [b[0].toordinal() for b in bounds]
        spans = [(b[1] - b[0]).days + 1 for b in bounds]
        cum_years = [sum(p.year_shares[: i + 1]) for i in range(3)]
        randrange = frs.randrange
        for cls in sorted(counts):
            group = ref.classes[cls].group
            for i in frs.choices((0, 1, 2), cum_weights=cum_years, k=counts[cls]):
                recs.append(_record(frs, p, cls, group, cum_pools, starts[i] + randrange(spans[i])))
        recs.sort(key=record_key)
        pop.records[p.slug] = recs

    _cover_countries(pop, plans, ref)
    _durham_sexual(pop, ref, rng)
    _victim_ages(pop, plans, ref, rng)
    # keep the record-level exports to at most RECORD_ROWS_MAX rows at scale 1
    record = [p for p in returning if p.shape == "record"]
    room = RECORD_ROWS_MAX - sum(p.size for p in record)
    wanted = sum(p.size * p.other_outcome_ratio for p in record)
    if wanted > room:
        for p in record:
            p.other_outcome_ratio *= room / wanted
    for p in record:
        pop.other[p.slug] = _other_outcomes(rng, p, ref, cum_pools)
    return pop


def _period_bounds(p: ForcePlan, i: int) -> tuple[dt.date, dt.date]:
    if p.shape == "calendar_year":
        return C.cy_bounds(C.CALENDAR_YEARS[i])
    return C.fy_bounds(C.FINANCIAL_YEARS[i][0])


def _date(rng: random.Random, p: ForcePlan) -> int:
    i = rng.choices(range(3), weights=p.year_shares)[0]
    start, end = _period_bounds(p, i)
    return start.toordinal() + rng.randrange((end - start).days + 1)


def _nationality(rng: random.Random, p: ForcePlan, group: str, cum_pools) -> str:
    u = rng.random()
    if u < p.not_recorded_share:
        return "NR"
    if rng.random() >= p.foreign_share:
        return "UK"
    if rng.random() < C.STATELESS_SHARE:
        return "XXA"
    if group in ("Drug offences", "Violence against the person"):
        pool = ("drug" if group == "Drug offences" else "violence") if p.joint else "core"
    else:
        pool = "all"
    cs, cum = cum_pools[pool]
    return rng.choices(cs, cum_weights=cum)[0]


def _age(rng: random.Random, cls: str) -> int:
    if rng.random() < C.YOUTH_SHARE.get(cls, 0.22):
        return rng.randint(10, 17)
    return min(85, 18 + int(rng.expovariate(1 / 13)))


def _record(rng: random.Random, p: ForcePlan, cls: str, group: str, cum_pools, ordinal: int | None = None) -> Record:
    age = _age(rng, cls)
    SEXUAL = group == "Sexual offences"
    female = rng.random() < (C.SEXUAL_FEMALE_SHARE if SEXUAL else C.FEMALE_SHARE.get(cls, 0.2))
    sex = "U" if rng.random() < 0.01 else ("F" if female else "M")
    subtype = None
    if age < 18 and rng.random() < 0.3:
        subtype = "Youth restorative disposal"
    vage = _victim_age(rng, cls) if SEXUAL else None
    return (_date(rng, p) if ordinal is None else ordinal, cls, _nationality(rng, p, group, cum_pools), age, sex, vage, subtype)


def _victim_age(rng: random.Random, cls: str) -> int | None:
    if rng.random() < 0.05:
        return None
    if cls in ("20B", "17B", "21", "19E", "19H"):
        return rng.randint(4, 12)
    if cls in ("22B", "88A", "19D", "19G"):
        return rng.randint(13, 15) if cls != "88A" else rng.randint(11, 15)
    if cls == "71":
        return rng.randint(13, 17)
    if cls in ("20A", "17A"):
        u = rng.random()
        if u < 0.32:
            return rng.randint(13, 16)
        if u < 0.38:
            return 17
        return min(85, 18 + int(rng.expovariate(1 / 14)))
    return min(85, 16 + int(rng.expovariate(1 / 15)))


def _cover_countries(pop: Population, plans: list[ForcePlan], ref: Reference) -> None:
    """Every country of the drug and violence lists held by at least one offender of that
    group in a return that gives offence and nationality together."""
    joint = [p.slug for p in plans if p.status == "returned" and p.joint]
    for group, wanted in (("Drug offences", pop.drug_countries), ("Violence against the person", pop.violence_countries)):
        seen: dict[str, list[tuple[str, int]]] = {}
        for slug in joint:
            for i, r in enumerate(pop.records[slug]):
                if ref.classes[r[1]].group == group and r[2] not in ("UK", "NR", "XXA"):
                    seen.setdefault(r[2], []).append((slug, i))
        donors = sorted(seen, key=lambda c: (-len(seen[c]), c))
        for country in wanted:
            if country in seen:
                continue
            donor = next(d for d in donors if len(seen[d]) > 40)
            slug, i = seen[donor].pop()
            r = pop.records[slug][i]
            pop.records[slug][i] = (r[0], r[1], country, *r[3:])
            seen[country] = [(slug, i)]


def _durham_sexual(pop: Population, ref: Reference, rng: random.Random) -> None:
    """Durham's sexual offenders: British or not recorded, except one national of the
    Philippines and one of Iran."""
    recs = pop.records["durham"]
    idx = [i for i, r in enumerate(recs) if ref.classes[r[1]].group == "Sexual offences"]
    for i in idx:
        r = recs[i]
        if r[2] not in ("UK", "NR"):
            recs[i] = (r[0], r[1], "UK", *r[3:])
    a, b = rng.sample(idx, 2)
    for i, nat in ((a, "PHL"), (b, "IRN")):
        r = recs[i]
        recs[i] = (r[0], r[1], nat, *r[3:])


def _victim_ages(pop: Population, plans: list[ForcePlan], ref: Reference, rng: random.Random) -> None:
    """Exactly GIRLS_13_16_LOW sexual assaults on a female aged 13+ (20A) whose victim is
    known to be 13 to 16 in the returns that give victim age: exact ages in record-level
    exports (13..16), bands elsewhere ('13-15' lies within; '16-17' only overlaps)."""
    visible: list[tuple[str, int, str]] = []
    for p in plans:
        if p.status != "returned" or not (p.shape == "record" or p.banded_victim_age):
            continue
        kind = "exact" if p.shape == "record" else "band"
        for i, r in enumerate(pop.records[p.slug]):
            if r[1] == "20A":
                visible.append((p.slug, i, kind))
    assert len(visible) >= C.GIRLS_13_16_LOW + 30, f"only {len(visible)} 20A records with a victim age"
    rng.shuffle(visible)
    for n, (slug, i, kind) in enumerate(visible):
        r = pop.records[slug][i]
        if n < C.GIRLS_13_16_LOW:
            age = rng.randint(13, 16 if kind == "exact" else 15)
        else:
            u = rng.random()
            if u < 0.07:
                age = None
            elif kind == "band" and u < 0.2:
                age = 16
            elif u < 0.3:
                age = 17
            else:
                age = min(85, 18 + int(rng.expovariate(1 / 14)))
        pop.records[slug][i] = (*r[:5], age, r[6])


def _other_outcomes(rng: random.Random, p: ForcePlan, ref: Reference, cum_pools) -> list[Record]:
    n = int(p.size * p.other_outcome_ratio)
    classes = sorted(C.CLASS_WEIGHTS) + ["20A", "86", "88E", "19C", "8N"]
    ws = [C.CLASS_WEIGHTS.get(c, 1.5) for c in classes]
    labels = [lab for lab, _ in C.OTHER_OUTCOMES]
    lws = [w for _, w in C.OTHER_OUTCOMES]
    out = []
    for cls, lab in zip(rng.choices(classes, weights=ws, k=n), rng.choices(labels, weights=lws, k=n)):
        r = _record(rng, p, cls, ref.classes[cls].group, cum_pools)
        out.append((*r[:6], lab))
    out.sort(key=record_key)
    return out
