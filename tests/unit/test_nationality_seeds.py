"""Checks on the two nationality seeds (dbt_project/seeds/iso_countries.csv and
nationality_aliases.csv) that the dbt nationality mapping joins on lookup_key."""

import csv
from pathlib import Path

import pycountry
import pytest

from orchestration.ingest.text import lookup_key

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
ISO_PATH = SEEDS / "iso_countries.csv"
ALIASES_PATH = SEEDS / "nationality_aliases.csv"

CATEGORIES = {"uk", "foreign", "unknown"}
KINDS = {"demonym", "spelling", "uk", "unknown", "stateless", "foreign_unspecified"}
EXTRA_CODES = {"XKX": "Kosovo", "XXA": "Stateless"}  # user-assigned (Kosovo), ICAO 9303 (stateless)
PYCOUNTRY_ISO3 = {c.alpha_3 for c in pycountry.countries}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def iso_rows() -> list[dict[str, str]]:
    return _read(ISO_PATH)


@pytest.fixture(scope="module")
def alias_rows() -> list[dict[str, str]]:
    return _read(ALIASES_PATH)


@pytest.fixture(scope="module")
def resolve(iso_rows, alias_rows):
    """The rule the dbt model uses: aliases first, then iso_countries; else unmapped (None).
    Returns (iso3 or None, category)."""
    aliases = {r["nationality_key"]: r for r in alias_rows}
    iso = {r["nationality_key"]: r for r in iso_rows}

    def _resolve(text: str):
        key = lookup_key(text)
        if key in aliases:
            row = aliases[key]
            return (row["iso3"] or None, row["category"])
        if key in iso:
            iso3 = iso[key]["iso3"]
            return (iso3, "uk" if iso3 == "GBR" else "foreign")
        return None

    return _resolve


def test_files_have_expected_columns_and_lf_endings():
    assert b"\r" not in ISO_PATH.read_bytes()
    assert b"\r" not in ALIASES_PATH.read_bytes()
    assert _read(ISO_PATH) and list(_read(ISO_PATH)[0]) == ["nationality_key", "iso3", "country_name", "source"]
    assert list(_read(ALIASES_PATH)[0]) == [
        "nationality_text", "nationality_key", "iso3", "country_name", "category", "kind", "note"]


def test_iso_seed_is_up_to_date_with_its_builder(iso_rows):
    from scripts.build_iso_countries_seed import build_rows

    assert iso_rows == build_rows()


def test_iso_seed_rows(iso_rows):
    keys = [r["nationality_key"] for r in iso_rows]
    assert len(keys) == len(set(keys))
    assert keys == sorted(keys)
    assert all(keys)
    assert {r["source"] for r in iso_rows} <= {"name", "official_name", "common_name", "alpha_3"}
    assert {r["iso3"] for r in iso_rows} == PYCOUNTRY_ISO3
    assert not any(len(k) == 2 for k in keys), "alpha-2 codes must not be keys"
    for r in iso_rows:
        country = pycountry.countries.get(alpha_3=r["iso3"])
        assert r["country_name"] == (getattr(country, "common_name", None) or country.name)
        if r["source"] == "alpha_3":
            assert r["nationality_key"] == r["iso3"].lower()


def test_alias_keys_are_lookup_keys_and_unique(alias_rows):
    for r in alias_rows:
        assert r["nationality_key"] == lookup_key(r["nationality_text"]), r
    keys = [r["nationality_key"] for r in alias_rows]
    assert len(keys) == len(set(keys))
    assert [(r["category"], r["nationality_key"]) for r in alias_rows] == sorted(
        (r["category"], r["nationality_key"]) for r in alias_rows)


def test_alias_categories_kinds_and_codes(alias_rows):
    for r in alias_rows:
        assert r["category"] in CATEGORIES, r
        assert r["kind"] in KINDS, r
        if r["category"] == "uk":
            assert (r["iso3"], r["kind"]) == ("GBR", "uk"), r
        elif r["category"] == "unknown":
            assert (r["iso3"], r["country_name"], r["kind"]) == ("", "", "unknown"), r
        else:
            assert r["iso3"] != "GBR" and r["kind"] not in {"uk", "unknown"}, r
        if r["iso3"]:
            assert r["iso3"] in PYCOUNTRY_ISO3 | set(EXTRA_CODES), r
        if r["kind"] == "stateless":
            assert r["iso3"] == "XXA", r
        if r["kind"] == "foreign_unspecified":
            assert r["iso3"] == "" and r["note"], r
        if r["kind"] in {"demonym", "spelling"}:
            assert r["iso3"], r
    assert "" in {r["nationality_key"] for r in alias_rows if r["category"] == "unknown"}


def test_seeds_agree(iso_rows, alias_rows):
    iso_by_key = {r["nationality_key"]: r["iso3"] for r in iso_rows}
    names = {r["iso3"]: r["country_name"] for r in iso_rows} | EXTRA_CODES
    for r in alias_rows:
        if r["nationality_key"] in iso_by_key:
            assert r["iso3"] == iso_by_key[r["nationality_key"]], r
        if r["iso3"]:
            assert r["country_name"] == names[r["iso3"]], r


def test_demonym_coverage(alias_rows):
    demonym_iso3 = {r["iso3"] for r in alias_rows if r["kind"] == "demonym" and r["category"] == "foreign"}
    assert len(demonym_iso3) >= 180


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Romanian", ("ROU", "foreign")),
        ("Romania", ("ROU", "foreign")),
        ("ROU", ("ROU", "foreign")),
        ("  romanian  ", ("ROU", "foreign")),
        ("ROMANIAN", ("ROU", "foreign")),
        ("Irish Republic (Eire)", ("IRL", "foreign")),
        ("Irish", ("IRL", "foreign")),
        ("China (People's Rep. Of)", ("CHN", "foreign")),
        ("Congo (Democratic Republic)", ("COD", "foreign")),
        ("Congo (Brazzaville)", ("COG", "foreign")),
        ("British", ("GBR", "uk")),
        ("UK", ("GBR", "uk")),
        ("England", ("GBR", "uk")),
        ("Northern Irish", ("GBR", "uk")),
        ("United Kingdom of Great Britain and Northern Ireland", ("GBR", "uk")),
        ("Not Recorded", (None, "unknown")),
        ("Unknown", (None, "unknown")),
        ("Refused", (None, "unknown")),
        ("N/A", (None, "unknown")),
        ("-", (None, "unknown")),
        ("", (None, "unknown")),
        ("Stateless", ("XXA", "foreign")),
        ("Kurdish", (None, "foreign")),
        ("Yugoslavia", (None, "foreign")),
        ("Polish", ("POL", "foreign")),
        ("Filipino", ("PHL", "foreign")),
        ("Iranian", ("IRN", "foreign")),
        ("Iran (Islamic Republic of)", ("IRN", "foreign")),
        ("Kosovan", ("XKX", "foreign")),
        ("Côte d'Ivoire", ("CIV", "foreign")),
        ("Ivory Coast", ("CIV", "foreign")),
        ("Viet Nam", ("VNM", "foreign")),
        ("Vietnamese", ("VNM", "foreign")),
        ("Eritrean", ("ERI", "foreign")),
        ("Albanian", ("ALB", "foreign")),
        ("Turkey", ("TUR", "foreign")),
        ("Russia", ("RUS", "foreign")),
        ("Russian", ("RUS", "foreign")),
        ("Burma", ("MMR", "foreign")),
        ("Swaziland", ("SWZ", "foreign")),
        ("Czech Republic", ("CZE", "foreign")),
        ("Macedonia", ("MKD", "foreign")),
        ("Congolese", ("COD", "foreign")),
        ("Chinese", ("CHN", "foreign")),
        ("Hong Konger", ("HKG", "foreign")),
        ("Korea (South)", ("KOR", "foreign")),
        ("USA", ("USA", "foreign")),
        ("Holland", ("NLD", "foreign")),
        ("Atlantean", None),
    ],
)
def test_real_world_strings(resolve, text, expected):
    assert resolve(text) == expected
