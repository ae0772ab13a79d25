"""The dbt normalisation models on one hand-made return, each row chosen to exercise one
spelling or rule; expected values worked out by hand from the seeds and DESIGN.md."""

import pytest

from tests import pipeline

ROWS = [
    # Financial Year, Offence, Outcome, Nationality, Count
    ("2022/23", "19E", "Community Resolution", "Romanian", "5"),
    ("2022/2023", "019/16", "8: Community resolution", "Romania", "<5"),
    ("FY22/23", "19/16", "Type 8 - Community Resolution", "ROU", "*"),
    ("2022-23", "37/2", "8: Youth restorative disposal", "Irish Republic (Eire)", "1-4"),
    ("2023", "4/6", "Community Resolution", "China (People's Rep. Of)", "[c]"),
    ("2023", "Rape of a female child under 13", "Community Resolution", "British", "-"),
    ("2023", "COMMON ASSAULT", "Community Resolution", "Not Recorded", '"1,234"'),
    ("2023", "105A", "Community Resolution", "British/Irish", ""),
    ("2023", "105A", "Community Resolution", '"Romanian, Italian"', "#N/A"),
    ("2023", "105A", "Charged", "British", "7"),
    ("2023", "105A", "Community Resolution", "Atlantean", "2"),
    ("2023", "Made up offence", "Community Resolution", "Stateless", "3"),
    ("2023", "105A", "Banana", "British", "2"),
    ("2023", "86", "Community Resolution", "C\u00f4te d'Ivoire", "12.0"),
    ("2021/23", "46", "Community Resolution", "Polish", "1"),
]

# A record-level return with victim ages, for the 'girls aged 13 to 16' figure.
AGE_ROWS = [
    ("20A", "14", "Community Resolution"),
    ("20A", "13-15", "Community Resolution"),
    ("Sexual Offences Act 2003 s.3 - Sexual assault on a female", "15", "Community Resolution"),
    ("20A", "", "Community Resolution"),
    ("20A", "16+", "Community Resolution"),
    ("20A", "Under 13", "Community Resolution"),
    ("20A", "17", "Community Resolution"),
]

COLUMNS = ("financial_year, period_type, period_label, ho_offence_code, offence_group, outcome_type, "
           "outcome_subtype, nationality_iso3, nationality_category, nationality_rule, count_low, count_high, "
           "count_rule, disposition")

EXPECTED = {
    2: ("2022/23", "financial_year", "2022/23", "19E", "Sexual offences", "8", None, "ROU", "foreign", "single", 5, 5, "exact", "loaded"),
    3: ("2022/23", "financial_year", "2022/23", "19E", "Sexual offences", "8", None, "ROU", "foreign", "single", 1, 4, "below_threshold", "loaded"),
    4: ("2022/23", "financial_year", "2022/23", "19E", "Sexual offences", "8", None, "ROU", "foreign", "single", 1, 4, "withheld", "loaded"),
    5: ("2022/23", "financial_year", "2022/23", "37.2", "Theft offences", "8", "Youth restorative disposal", "IRL", "foreign", "single", 1, 4, "range", "loaded"),
    # a bare year is a calendar year: financial_year stays empty, never relabelled
    6: (None, "calendar_year", "2023", "4.6", "Violence against the person", "8", None, "CHN", "foreign", "single", 1, 4, "withheld", "loaded"),
    7: (None, "calendar_year", "2023", "19E", "Sexual offences", "8", None, "GBR", "uk", "single", 0, 0, "nil", "loaded"),
    8: (None, "calendar_year", "2023", "105A", "Violence against the person", "8", None, None, "unknown", "single", 1234, 1234, "exact", "loaded"),
    9: (None, "calendar_year", "2023", "105A", "Violence against the person", "8", None, "GBR", "uk", "multiple: British wins", 0, 0, "nil", "loaded"),
    10: (None, "calendar_year", "2023", "105A", "Violence against the person", "8", None, "ROU", "foreign", "multiple: first listed", None, None, "unreadable", "quarantined"),
    11: (None, "calendar_year", "2023", "105A", "Violence against the person", "1", None, "GBR", "uk", "single", 7, 7, "exact", "filtered"),
    # written but matching nothing: unmapped, not "not recorded"
    12: (None, "calendar_year", "2023", "105A", "Violence against the person", "8", None, None, "unmapped", "unmapped", 2, 2, "exact", "loaded"),
    13: (None, "calendar_year", "2023", None, None, "8", None, "XXA", "foreign", "single", 3, 3, "exact", "loaded"),
    14: (None, "calendar_year", "2023", "105A", "Violence against the person", None, None, "GBR", "uk", "single", 2, 2, "exact", "quarantined"),
    15: (None, "calendar_year", "2023", "86", "Miscellaneous crimes against society", "8", None, "CIV", "foreign", "single", 12, 12, "exact", "loaded"),
    # '2021/23' is not a financial year: kept, counted as an unrecognised period
    16: (None, "unrecognised", None, "46", "Theft offences", "8", None, "POL", "foreign", "single", 1, 1, "exact", "loaded"),
}


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    data = tmp_path_factory.mktemp("norm") / "data"
    (data / "landing" / "kent").mkdir(parents=True)
    lines = ["Financial Year,Offence,Outcome,Nationality,Count"] + [",".join(r) for r in ROWS]
    (data / "landing" / "kent" / "normalisation.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ages = ["Offence,Victim Age,Outcome"] + [",".join(r) for r in AGE_ROWS]
    # another force: two answers of one force must count one population (int_table_roles)
    (data / "landing" / "surrey").mkdir(parents=True)
    (data / "landing" / "surrey" / "victim_ages.csv").write_text("\n".join(ages) + "\n", encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("CR_DATA_DIR", str(data))
    result = pipeline.run()
    yield result
    mp.undo()


@pytest.mark.parametrize("source_row", sorted(EXPECTED))
def test_row_is_normalised_as_worked_out_by_hand(warehouse, source_row):
    (row,) = pipeline.query(f"select {COLUMNS} from intermediate.int_observations "
                            "where source_file = 'kent/normalisation.csv' and source_row = ?", [source_row])
    assert row == EXPECTED[source_row]


def test_quarantine_and_filter_reasons_say_what_was_expected(warehouse):
    reasons = dict(pipeline.query(
        "select source_row, disposition_reason from intermediate.int_observations "
        "where source_file = 'kent/normalisation.csv' and disposition <> 'loaded'"))
    assert reasons[10] == ("unreadable count '#N/A' in column E: expected a whole number, a dash, "
                           "or a suppression mark such as <5 or *")
    assert reasons[11] == "outcome 1 is not a community resolution"
    assert reasons[14].startswith("unrecognised outcome 'Banana'")


def test_unmapped_values_are_counted_not_dropped(warehouse):
    rows = pipeline.query("select field, raw_value, count_low, count_high from marts.unmapped_values order by 1, 2")
    assert rows == [
        ("nationality", "Atlantean", 2, 2),
        ("offence", "Made up offence", 3, 3),
        ("outcome", "Banana", 2, 2),
        ("period", "(none)", 7, 7),  # the victim-age return names no period at all
        ("period", "2021/23", 1, 1),
    ]


def test_withheld_counts_widen_the_total_and_are_never_zero(warehouse):
    # loaded exact cells: 5 + 0 + 1234 + 0 + 2 + 3 + 12 + 1 = 1257; four withheld cells add 4..16;
    # the victim-age return adds 7 records
    ((low, high),) = pipeline.query("select value_low, value_high from marts.headline_figures where figure_id = 'total'")
    assert (low, high) == (1268, 1280)


def test_act_and_section_around_a_description_are_ignored(warehouse):
    assert pipeline.query(
        "select ho_offence_code, offence_rule from intermediate.int_offence_map where offence_text_raw like 'Sexual Offences Act%'"
    ) == [("20A", "description without Act and section")]


def test_girls_13_to_16_low_counts_known_ages_inside_high_adds_unknown_and_overlapping(warehouse):
    # low: 14, 13-15, 15 (the Act-prefixed row) = 3; high adds the blank age and 16+ = 5;
    # 'Under 13' and 17 are outside 13..16
    assert pipeline.query(
        "select value_low, value_high from marts.headline_figures where figure_id = 'sexual_assault_girls_13_to_16'"
    ) == [(3, 5)]
