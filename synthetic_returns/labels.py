"""How one force writes offences, nationalities, periods and victim ages.

Every label is checked against the mirror of the pipeline's mapping (reference.py) when
it is chosen, so a force only writes labels that map to what it means, apart from the
deliberate local offence labels and lossy nationality spellings.
"""

from __future__ import annotations

import datetime as dt
import random

from . import catalogue as C
from .plan import ForcePlan
from .reference import Reference


class OffenceLabels:
    """One label per class for a force (record-level exports also get a code column)."""

    def __init__(self, ref: Reference, plan: ForcePlan, rng: random.Random):
        self.ref, self.plan, self.rng = ref, plan, rng
        self.unpadded = rng.random() < 0.4
        self.upper = plan.offence_style == "police" and rng.random() < 0.5
        self._cache: dict[str, str] = {}
        by_kind: dict[tuple[str, str], list[str]] = {}
        for r in ref.text_alias_rows:
            by_kind.setdefault((r["kind"], r["class_code"]), []).append(r["offence_text"])
        self.by_kind = by_kind
        subcodes: dict[tuple[str, str], list[str]] = {}
        for r in ref.code_alias_rows:
            if r["kind"] in ("subcode", "subcode_unpadded") and not r["note"]:
                subcodes.setdefault((r["kind"], r["class_code"]), []).append(r["code_text"])
        self.subcodes = subcodes

    def _maps(self, label: str | None, cls: str) -> bool:
        return bool(label) and self.ref.offence_class(None, label) == cls

    def _candidates(self, style: str, cls: str) -> list[str]:
        ref = self.ref
        if style == "code":
            return [cls]
        if style == "subcode":
            kind = "subcode_unpadded" if self.unpadded else "subcode"
            return sorted(self.subcodes.get((kind, cls), []) or self.subcodes.get(("subcode", cls), []))
        if style == "category":
            return [f"{cls} {ref.classes[cls].name}"]
        if style == "ons":
            return self.by_kind.get(("ons_description", cls), []) or self.by_kind.get(("class_name", cls), [])
        if style == "class_name":
            return self.by_kind.get(("class_name", cls), []) or [ref.classes[cls].name]
        if style == "counting":
            return [C.COUNTING_TEXT[cls]] if cls in C.COUNTING_TEXT else []
        if style == "act":
            return [C.ACT_LABELS[cls]] if cls in C.ACT_LABELS else []
        if style == "police":
            texts = sorted(self.by_kind.get(("police_label", cls), []))
            return [t.upper() for t in texts] if self.upper else texts
        raise ValueError(style)

    @property
    def in_code_column(self) -> bool:
        """Code styles are written in a column headed as a code ('HO Offence Code')."""
        return self.plan.offence_style in ("code", "subcode")

    def label(self, cls: str) -> str:
        if cls not in self._cache:
            chain = ((self.plan.offence_style, "code") if self.in_code_column
                     else (self.plan.offence_style, "ons", "class_name", "police", "code"))
            for style in chain:
                options = [t for t in self._candidates(style, cls)
                           if (self.ref.offence_class(t, None) == cls if self.in_code_column else self._maps(t, cls))]
                if options:
                    self._cache[cls] = self.rng.choice(options)
                    break
            else:
                raise AssertionError(f"no mappable label for class {cls}")
        return self._cache[cls]

    def code(self, cls: str) -> str:
        """For a code column in a record-level export."""
        key = "code:" + cls
        if key not in self._cache:
            options = self._candidates("subcode", cls) if self.plan.variant % 2 else [cls]
            options = [o for o in options if self.ref.offence_class(o, None) == cls] or [cls]
            self._cache[key] = self.rng.choice(options)
        return self._cache[key]

    def description(self, cls: str) -> str:
        """A free-text description next to a code (a record-level export's second column)."""
        key = "desc:" + cls
        if key not in self._cache:
            first = self.plan.offence_style if self.plan.offence_style in ("counting", "ons", "police", "act") else "counting"
            for style in (first, "counting", "ons", "police", "class_name", "code"):
                options = [t for t in self._candidates(style, cls) if self._maps(t, cls)]
                if options:
                    self._cache[key] = options[0]
                    break
        return self._cache[key]


class NationalityLabels:
    """The strings a force's systems hold for one nationality."""

    def __init__(self, ref: Reference, plan: ForcePlan, rng: random.Random):
        self.ref, self.plan, self.rng = ref, plan, rng
        self.demonyms: dict[str, list[str]] = {}
        self.spellings: dict[str, list[str]] = {}
        for r in ref.nationality_alias_rows:
            if r["iso3"] and r["kind"] == "demonym":
                self.demonyms.setdefault(r["iso3"], []).append(r["nationality_text"])
            if r["iso3"] and r["kind"] in ("spelling", "stateless"):
                self.spellings.setdefault(r["iso3"], []).append(r["nationality_text"])
        self.names = {r["iso3"]: r["country_name"] for r in ref.iso_rows if r["source"] == "name"}
        self._cache: dict[str, str] = {}
        if plan.windows_1252:  # names as typed on a Windows PC: accents kept
            self._cache.update({"CIV": "C\u00f4te d'Ivoire", "TUR": "T\u00fcrkiye", "CUW": "Cura\u00e7ao"})
        self.uk_texts = C.UK_TEXTS[plan.nationality_style]
        if plan.slug in ("north-wales", "south-wales", "gwent", "dyfed-powys") and plan.nationality_style == "police":
            self.uk_texts = ["British", "Welsh", "Welsh", "English"]

    def _maps(self, text: str, iso3: str) -> bool:
        return self.ref.nationality(text) == (iso3, "foreign")

    def canonical(self, iso3: str) -> str:
        if iso3 not in self._cache:
            style = self.plan.nationality_style
            demonym = self.demonyms.get(iso3, [])
            order = {
                "demonym": [demonym[:1]],
                "upper": [[d.upper() for d in demonym[:1]]],
                "country": [[self.names.get(iso3, "")]],
                "iso3": [[iso3]],
                "police": [sorted(self.spellings.get(iso3, []))[:2], demonym[:1]],
            }[style] + [demonym[:1], [self.names.get(iso3, "")], self.spellings.get(iso3, [])]
            for options in order:
                options = [o for o in options if o and self._maps(o, iso3)]
                if options:
                    self._cache[iso3] = self.rng.choice(options)
                    break
            else:
                raise AssertionError(f"no mappable spelling for {iso3}")
        return self._cache[iso3]

    def text(self, nat: str, rng: random.Random) -> str:
        """The string written for one offender (record) of nationality `nat`."""
        p = self.plan
        if nat == "NR":
            u = rng.random()
            if u < 0.03:
                return "Refused"
            if u < 0.05 and p.not_recorded_text != "Unknown":
                return "Unknown"
            return p.not_recorded_text
        if nat == "UK":
            if p.multi_nationality and rng.random() < 0.004:
                return rng.choice(["British/Irish", "Irish/British", "British, Polish", "British / Pakistani"])
            return self.uk_texts[0] if len(self.uk_texts) == 1 else rng.choice(self.uk_texts)
        if nat == "XXA":
            return "Stateless"
        if p.lossy_nationality and nat in C.LOSSY_OK:
            u = rng.random()
            if u < 0.02:
                return rng.choice(["Foreign National", "EU National", "Other European"])
            if u < 0.03 and nat in C.TYPOS:
                return C.TYPOS[nat]
        if p.multi_nationality and rng.random() < 0.02:
            other = rng.choice(["ITA", "DEU", "FRA", "ESP", "PRT", "NLD"])
            if other != nat:
                text = f"{self.canonical_demonym(nat)}{rng.choice([', ', '/'])}{self.canonical_demonym(other)}"
                if self.ref.nationality(text) == (nat, "foreign") and self.ref.lookup_whole(text) is None:
                    return text
        return self.canonical(nat)

    def canonical_demonym(self, iso3: str) -> str:
        demonym = self.demonyms.get(iso3)
        return demonym[0] if demonym else self.canonical(iso3)


def period_label(plan: ForcePlan, ordinal: int) -> str:
    d = dt.date.fromordinal(ordinal)
    if plan.shape == "calendar_year":
        return str(d.year)
    start = d.year if d.month >= 4 else d.year - 1
    return fy_text(plan.fy_style, start)


def fy_text(style: str, start: int) -> str:
    end = start + 1
    return {
        "2022/23": f"{start}/{end % 100:02d}",
        "2022-23": f"{start}-{end % 100:02d}",
        "FY22/23": f"FY{start % 100:02d}/{end % 100:02d}",
        "2022/2023": f"{start}/{end}",
    }[style]


def victim_band(age: int | None) -> str:
    if age is None:
        return "Not recorded"
    if age < 13:
        return "Under 13"
    if age <= 15:
        return "13-15"
    if age <= 17:
        return "16-17"
    return "18 and over"


def va_status_exact(age: int | None) -> str:
    if age is None:
        return "maybe"
    return "in" if 13 <= age <= 16 else "out"


def va_status_band(band: str) -> str:
    """Whether a victim age band is within 13..16 ('in'), overlaps it or is unknown
    ('maybe'), or lies outside it ('out')."""
    return {"13-15": "in", "16-17": "maybe", "Not recorded": "maybe", "": "maybe"}.get(band, "out")
