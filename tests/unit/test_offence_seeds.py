"""Checks on the offence seeds (dbt_project/seeds/offence_classes.csv,
offence_code_aliases.csv, offence_text_aliases.csv) built by scripts/build_offence_seeds.py."""

import csv
from pathlib import Path

import pytest

from orchestration.ingest.text import lookup_key

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
CLASSES_PATH = SEEDS / "offence_classes.csv"
CODES_PATH = SEEDS / "offence_code_aliases.csv"
TEXTS_PATH = SEEDS / "offence_text_aliases.csv"

HOMICIDE = "1-4.1-4.10-4.2"
# The reference file says "137 codes" but holds 137 lines: a header and 136 codes.
ONS_CODE_COUNT = 136
CODE_KINDS = {"class", "class_slash", "subcode", "subcode_unpadded"}
TEXT_KINDS = {"police_label", "ons_description", "class_name", "offence"}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def classes() -> dict[str, dict[str, str]]:
    return {row["class_code"]: row for row in _read(CLASSES_PATH)}


@pytest.fixture(scope="module")
def code_rows() -> list[dict[str, str]]:
    return _read(CODES_PATH)


@pytest.fixture(scope="module")
def text_rows() -> list[dict[str, str]]:
    return _read(TEXTS_PATH)


@pytest.fixture(scope="module")
def resolve(code_rows, text_rows):
    """The rule the dbt model uses: upper/trim the text and look it up in the code aliases;
    else lookup_key(text) in the text aliases; else unmapped (None)."""
    codes = {row["code_text"]: row["class_code"] for row in code_rows}
    texts = {row["offence_key"]: row["class_code"] for row in text_rows}

    def _resolve(text: str) -> str | None:
        code = text.strip().upper()
        if code in codes:
            return codes[code]
        return texts.get(lookup_key(text))

    return _resolve


# ---- shape and integrity


def test_files_are_lf_and_sorted(code_rows, text_rows):
    for path in (CLASSES_PATH, CODES_PATH, TEXTS_PATH):
        assert b"\r" not in path.read_bytes(), path.name
    assert [r["code_text"] for r in code_rows] == sorted(r["code_text"] for r in code_rows)
    assert [r["offence_key"] for r in text_rows] == sorted(r["offence_key"] for r in text_rows)


def test_keys_are_unique(code_rows, text_rows):
    for rows, key in ((_read(CLASSES_PATH), "class_code"), (code_rows, "code_text"), (text_rows, "offence_key")):
        values = [row[key] for row in rows]
        assert len(values) == len(set(values)), key


def test_code_text_is_upper_and_trimmed(code_rows):
    assert all(row["code_text"] == row["code_text"].strip().upper() != "" for row in code_rows)
    assert {row["kind"] for row in code_rows} <= CODE_KINDS


def test_offence_key_is_lookup_key_of_text(text_rows):
    assert all(row["offence_key"] == lookup_key(row["offence_text"]) != "" for row in text_rows)
    assert {row["kind"] for row in text_rows} == TEXT_KINDS


def test_every_alias_class_exists(classes, code_rows, text_rows):
    missing = {row["class_code"] for row in code_rows + text_rows} - set(classes)
    assert not missing


def test_every_class_has_its_own_code_alias(classes, code_rows):
    own = {row["code_text"]: row["class_code"] for row in code_rows if row["kind"] == "class"}
    assert own == {code.upper(): code for code in classes}


def test_dot_codes_have_slash_forms(classes, code_rows):
    slash = {row["code_text"]: row["class_code"] for row in code_rows if row["kind"] == "class_slash"}
    for code in ("37.1", "37.2", "4.1", "4.2", "4.6", "4.10"):
        assert slash[code.replace(".", "/")] == code


def test_at_least_40_police_labels(text_rows):
    assert sum(row["kind"] == "police_label" for row in text_rows) >= 40


# ---- classes and ONS groups


def test_ons_codes_present(classes):
    ons = {code for code, row in classes.items() if row["in_ons_hierarchy"] == "true"}
    assert len(ons) == ONS_CODE_COUNT
    assert HOMICIDE in ons
    assert {row["in_ons_hierarchy"] for row in classes.values()} == {"true", "false"}


def test_homicide_parts_share_the_combined_group(classes):
    for code in ("1", "4.1", "4.2", "4.10"):
        assert classes[code]["offence_group"] == "Violence against the person"
        assert classes[code]["offence_subgroup"] == classes[HOMICIDE]["offence_subgroup"]
    assert classes["4.1"]["class_name"] == "Manslaughter"


def test_86_is_a_crime_against_society_not_a_sexual_offence(classes):
    assert classes["86"]["offence_group"] == "Miscellaneous crimes against society"
    assert classes["86"]["offence_group"] != "Sexual offences"


@pytest.mark.parametrize("code", ["19E", "20B", "17B", "22A", "88E", "19J"])
def test_sexual_offence_groups(classes, code):
    assert classes[code]["offence_group"] == "Sexual offences"


def test_counting_rules_only_classes(classes):
    assert classes["19J"]["in_ons_hierarchy"] == "false"
    assert classes["19J"]["offence_subgroup"] == "Rape"
    assert classes["28I"]["offence_group"] == "Theft offences"
    assert classes["8U"]["offence_group"] == "Violence against the person"
    groups = {row["offence_group"] for row in classes.values()}
    assert groups == {
        "Criminal damage and arson", "Drug offences", "Fraud offences", "Miscellaneous crimes against society",
        "Possession of weapons offences", "Public order offences", "Robbery", "Sexual offences",
        "Theft offences", "Violence against the person",
    }


def test_ambiguous_subcode_prefers_ons_class(code_rows):
    row = next(r for r in code_rows if r["code_text"] == "019/16")
    assert row["class_code"] == "19E" and "19J" in row["note"]


# ---- resolution, hand-checked

CASES = [
    # codes
    ("19E", "19E"),
    (" 19e ", "19E"),
    ("019/16", "19E"),
    ("19/16", "19E"),
    ("37.2", "37.2"),
    ("37/2", "37.2"),
    ("037/02", "37.2"),
    ("4/6", "4.6"),
    ("4.10", "4.10"),
    ("8N", "8N"),
    ("008/01", "8N"),
    ("105A", "105A"),
    ("19J", "19J"),
    (HOMICIDE, HOMICIDE),
    # ONS descriptions, counting-rules names and offences
    ("Rape of a female child under 13", "19E"),
    ("Rape of a female child under 13 by a male", "19E"),
    ("Obscene publications etc", "86"),
    ("Homicide", HOMICIDE),
    ("Murder", "1"),
    ("Possession of controlled drugs (excl. Cannabis)", "92D"),
    ("Having possession of a controlled drug - cannabis", "92E"),
    # police labels
    ("COMMON ASSAULT", "105A"),
    ("Assault without injury", "105A"),
    ("ABH", "8N"),
    ("S47 ABH", "8N"),
    ("Assault occasioning actual bodily harm", "8N"),
    ("Wounding with intent to do grievous bodily harm", "5D"),
    ("Shoplifting", "46"),
    ("THEFT FROM SHOP", "46"),
    ("Theft of pedal cycle", "44"),
    ("Making off without payment", "49A"),
    ("Possession of cannabis", "92E"),
    ("POSS CANNABIS", "92E"),
    ("Possession of controlled drugs (Cannabis)", "92E"),
    ("Public Order S4A", "9A"),
    ("S5 Public Order", "9A"),
    ("Harassment, alarm or distress", "9A"),
    ("Racially aggravated public order", "9B"),
    ("Malicious Communications", "8R"),
    ("Harassment", "8L"),
    ("Stalking", "8Q"),
    ("Exposure", "88E"),
    ("Voyeurism", "88E"),
    ("Sexual assault on a female aged 13 and over", "20A"),
    ("Sexual assault on a female child under 13", "20B"),
    ("Sexual assault on a male child under 13", "17B"),
    ("Sexual activity involving a child under 13", "21"),
    ("Sexual activity involving a child under 16", "22B"),
    ("Possess indecent photograph of a child", "86"),
    ("IIOC", "86"),
    ("Child cruelty", "11A"),
    ("Cruelty to children/young persons", "11A"),
    ("Kidnapping", "36"),
    ("Child abduction", "13"),
    ("Burglary dwelling", "28I"),
    ("Possession of offensive weapon", "10C"),
    ("Possession of article with blade or point", "10D"),
    ("Fraud by false representation", "53D"),
    # deliberately unmapped: not notifiable, or naming several classes
    ("Drunk and disorderly", None),
    ("Burglary", None),
    ("Criminal damage", None),
    ("Aggravated burglary", None),
    ("Possession of controlled drugs", None),
    ("", None),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_resolution(resolve, text, expected):
    assert resolve(text) == expected
