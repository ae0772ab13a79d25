"""Regenerate dbt_project/seeds/iso_countries.csv from pycountry.

One row per distinct lookup key among each country's name, official_name,
common_name and alpha_3 code.  Alpha-2 codes are deliberately left out: as
keys they collide with ordinary words ("in", "no", "is").  A key produced by
two different countries is dropped from both, with a warning.

Run from the repo root (as a module, so `orchestration` is importable):
    .venv/bin/python -m scripts.build_iso_countries_seed
"""

import csv
import sys
from pathlib import Path

import pycountry

from orchestration.ingest.text import lookup_key

OUT = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds" / "iso_countries.csv"
SOURCES = ("name", "official_name", "common_name", "alpha_3")


def build_rows() -> list[dict[str, str]]:
    rows: dict[str, dict[str, str]] = {}
    collisions: set[str] = set()
    for country in pycountry.countries:
        country_name = getattr(country, "common_name", None) or country.name
        for source in SOURCES:
            text = getattr(country, source, None)
            key = lookup_key(text)
            if not key:
                continue
            if key in rows and rows[key]["iso3"] != country.alpha_3:
                collisions.add(key)
                continue
            rows.setdefault(
                key,
                {"nationality_key": key, "iso3": country.alpha_3,
                 "country_name": country_name, "source": source},
            )
    for key in sorted(collisions):
        print(f"warning: key {key!r} is shared by several countries; dropped", file=sys.stderr)
        del rows[key]
    return [rows[key] for key in sorted(rows)]


def main() -> None:
    rows = build_rows()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=["nationality_key", "iso3", "country_name", "source"],
                                lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
