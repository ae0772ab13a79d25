"""The project's reviewed seeds, read once, and a mirror of how the pipeline maps the
labels this generator writes.

The generator only writes offence and nationality labels that these seeds map (apart
from a few deliberately unmappable local labels), and it computes the manifest's bounds
by mapping every label it wrote with the same rules the pipeline documents in README.md
("How values are read"). The mirror lives here so the manifest never trusts the
generator's intent: a label that does not map the way it was meant to shows up in the
manifest the way a correct pipeline would see it.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from orchestration.ingest.text import lookup_key  # the pipeline's own folding: the keys must agree

SEEDS = Path(__file__).resolve().parents[1] / "dbt_project" / "seeds"



def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# "Sexual Offences Act 2003 s.3 - Sexual assault on a female" and "Sexual assault on a
# female (Sexual Offences Act 2003 s.3)": the pipeline also tries the description
# without the Act and section (macro strip_act_and_section).
_ACT_BEFORE = re.compile(r"^.*\bact\s+\d{4}\b[^-\u2013:]*[-\u2013:]\s*", re.IGNORECASE)
_ACT_AFTER = re.compile(r"\s*[(\[][^)\]]*\bact\s+\d{4}\b[^)\]]*[)\]]\s*$", re.IGNORECASE)


def strip_act_and_section(text: str) -> str:
    return _ACT_AFTER.sub("", _ACT_BEFORE.sub("", text, count=1), count=1)


_PREFIX_CODE = re.compile(r"^(\d{1,3}[A-Za-z]?|\d{1,3}[./]\d{1,2})(?:[\s:\-\u2013]+)")
_SPLIT = re.compile(r"\s*(?:/|,|;|&|\+|\band\b)\s*")


@dataclass(frozen=True)
class Force:
    code: str  # ONS PFA code, "" for BTP
    name: str  # Home Office outcomes spelling
    slug: str
    full_name: str


@dataclass(frozen=True)
class OffenceClass:
    code: str
    name: str
    group: str
    subgroup: str


class Reference:
    """Seeds and the label mirror. One instance per run (cheap: a few thousand rows)."""

    @cached_property
    def forces(self) -> list[Force]:
        return [
            Force(r["ons_pfa_code"], r["ho_outcomes_force_name"], r["police_uk_slug"], r["full_force_name"])
            for r in _rows("police_forces.csv")
            if r["ho_outcomes_force_name"]
        ]

    @cached_property
    def classes(self) -> dict[str, OffenceClass]:
        return {
            r["class_code"]: OffenceClass(r["class_code"], r["class_name"], r["offence_group"], r["offence_subgroup"])
            for r in _rows("offence_classes.csv")
        }

    @cached_property
    def code_aliases(self) -> dict[str, str]:
        return {r["code_text"]: r["class_code"] for r in _rows("offence_code_aliases.csv")}

    @cached_property
    def code_alias_rows(self) -> list[dict[str, str]]:
        return _rows("offence_code_aliases.csv")

    @cached_property
    def text_aliases(self) -> dict[str, str]:
        return {r["offence_key"]: r["class_code"] for r in _rows("offence_text_aliases.csv")}

    @cached_property
    def text_alias_rows(self) -> list[dict[str, str]]:
        return _rows("offence_text_aliases.csv")

    @cached_property
    def nationality_lookup(self) -> dict[str, tuple[str | None, str]]:
        """folded text -> (iso3 or None, category): reviewed aliases win over ISO names."""
        lookup: dict[str, tuple[str | None, str]] = {}
        for r in _rows("iso_countries.csv"):
            lookup[r["nationality_key"]] = (r["iso3"], "uk" if r["iso3"] == "GBR" else "foreign")
        for r in _rows("nationality_aliases.csv"):
            if r["nationality_key"]:
                lookup[r["nationality_key"]] = (r["iso3"] or None, r["category"])
        lookup[""] = (None, "unknown")
        return lookup

    @cached_property
    def nationality_alias_rows(self) -> list[dict[str, str]]:
        """The spellings forces' systems write; the Welsh-language labels of bilingual
        returns are left out, so that adding them to the seed leaves the corpus as it was."""
        return [r for r in _rows("nationality_aliases.csv") if not r["note"].startswith("Welsh-language label")]

    @cached_property
    def iso_rows(self) -> list[dict[str, str]]:
        return _rows("iso_countries.csv")

    @cached_property
    def country_names(self) -> dict[str, str]:
        names = {r["iso3"]: r["country_name"] for r in self.iso_rows if r["source"] == "name"}
        names.update({"XKX": "Kosovo", "XXA": "Stateless"})
        return names

    # --- the mirror of the pipeline's mapping rules ---------------------------------

    @staticmethod
    def _code_form(text: str) -> str:
        t = text.strip()
        if re.fullmatch(r"\d{5}", t) and 20000 <= int(t) <= 80000:
            import datetime as dt

            d = dt.date(1899, 12, 30) + dt.timedelta(days=int(t))
            return f"{d.day}/{d.month}"
        return t.upper()

    def offence_class(self, code_text: str | None, offence_text: str | None) -> str | None:
        """Home Office class a correct pipeline reads from a code cell and a text cell."""
        code_text = code_text or None
        offence_text = offence_text or None
        if code_text is not None:
            hit = self.code_aliases.get(self._code_form(code_text))
            if hit:
                return hit
        if offence_text is None:
            return None
        hit = self.code_aliases.get(self._code_form(offence_text))
        if hit:
            return hit
        m = _PREFIX_CODE.match(offence_text.strip())
        if m:
            hit = self.code_aliases.get(m.group(1).upper())
            if hit:
                return hit
        hit = self.text_aliases.get(lookup_key(offence_text))
        if hit:
            return hit
        return self.text_aliases.get(lookup_key(strip_act_and_section(offence_text)))

    def lookup_whole(self, text: str) -> tuple[str | None, str] | None:
        return self.nationality_lookup.get(lookup_key(text))

    def nationality(self, text: str) -> tuple[str | None, str]:
        """(iso3, category) a correct pipeline reads from a nationality cell (dbt
        int_nationality_map); a cell whose parts are all not-recorded values is
        (None, 'unknown'), one that matches nothing (None, 'unmapped')."""
        lookup = self.nationality_lookup
        whole = lookup.get(lookup_key(text))
        if whole is not None:
            return whole
        parts = []
        hits = [lookup.get(lookup_key(part)) for part in _SPLIT.split(text)]
        for pos, hit in enumerate(hits):
            if hit is not None and hit[1] != "unknown":
                parts.append((0 if hit[1] == "uk" else pos + 1, hit))
        if not parts:
            return (None, "unknown") if all(hit is not None for hit in hits) else (None, "unmapped")
        return min(parts, key=lambda p: p[0])[1]
