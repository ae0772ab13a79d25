"""Value normalisation for the forms real forces send: offences given only as ONS groups
(or the Home Office's upper-case class names), bilingual Welsh / English labels, months
and quarters rolled up to financial years, and nationalities that could not be mapped.
Three hand-made returns, one dbt run on DuckDB; every expected value is worked out by
hand from the seeds (offence_classes, offence_text_aliases, offence_group_aliases,
nationality_aliases) and the rules in the models' headers."""

import csv
import io

import pytest

from tests import pipeline

# Dyfed-Powys: offences by label, one community resolution each, 2022/23, no nationality.
# label -> (ho_offence_code, offence_group, offence_subgroup, offence_rule)
GROUP = "ONS group only"
BILINGUAL = " (one part of a bilingual label)"
OFFENCES = {
    # Home Office counting-rules class names, upper case
    "VIOLENCE AGAINST THE PERSON": (None, "Violence against the person", None, GROUP),
    "PUBLIC ORDER OFFENCES": (None, "Public order offences", None, GROUP),
    "DRUG OFFENCES": (None, "Drug offences", None, GROUP),
    "THEFT": (None, "Theft offences", None, GROUP),
    "ARSON AND CRIMINAL DAMAGE": (None, "Criminal damage and arson", None, GROUP),
    "POSSESSION OF WEAPONS": (None, "Possession of weapons offences", None, GROUP),
    "MISC CRIMES AGAINST SOCIETY": (None, "Miscellaneous crimes against society", None, GROUP),
    "BURGLARY": (None, "Theft offences", None, GROUP),
    "VEHICLE OFFENCES": (None, "Theft offences", None, GROUP),
    # ONS group names
    "Violence against the person": (None, "Violence against the person", None, GROUP),
    "Sexual offences": (None, "Sexual offences", None, GROUP),
    "Possession of weapons offences": (None, "Possession of weapons offences", None, GROUP),
    "Theft offences": (None, "Theft offences", None, GROUP),
    "Criminal damage and arson": (None, "Criminal damage and arson", None, GROUP),
    "Miscellaneous crimes against society": (None, "Miscellaneous crimes against society", None, GROUP),
    "Robbery": (None, "Robbery", None, GROUP),
    # ONS sub-groups keep the sub-group too
    "Violence with injury": (None, "Violence against the person", "Violence with injury", GROUP),
    "Violence without injury": (None, "Violence against the person", "Violence without injury", GROUP),
    "Stalking and harassment": (None, "Violence against the person", "Harassment", GROUP),
    "Rape": (None, "Sexual offences", "Rape", GROUP),
    # a class's own name is read as the class, which carries the same group
    "Shoplifting": ("46", "Theft offences", None, "description"),
    "Harassment": ("8L", "Violence against the person", "Harassment", "description"),
    # bilingual: the part that maps wins ('Assault without injury' is 105A today)
    "Ymosod heb anaf / Assault without injury": ("105A", "Violence against the person", "Violence without injury",
                                                 "description" + BILINGUAL),
    "Lladrad o siop / Shoplifting": ("46", "Theft offences", None, "description" + BILINGUAL),
    "Troseddau trefn gyhoeddus | Public order offences": (None, "Public order offences", None, GROUP + BILINGUAL),
    # two parts mapping to different things, or none mapping: unmapped
    "Robbery / Shoplifting": (None, None, None, None),
    "Trosedd anhysbys / Unknown offence": (None, None, None, None),
}
UNMAPPED_OFFENCES = ["Robbery / Shoplifting", "Trosedd anhysbys / Unknown offence"]

# North Wales: periods as written, offence Shoplifting, a count each (1..15 shuffled: a column
# counting 1, 2, 3 down would read as row numbers).
# (period, count, (period_type, period_start, period_end, financial_year, period_label))
PERIODS = [
    ("Apr-22", 3, ("month", "2022-04-01", "2022-04-30", "2022/23", "2022/23")),
    ("April 2022", 8, ("month", "2022-04-01", "2022-04-30", "2022/23", "2022/23")),
    ("Apr 2022", 2, ("month", "2022-04-01", "2022-04-30", "2022/23", "2022/23")),
    ("2022-04", 11, ("month", "2022-04-01", "2022-04-30", "2022/23", "2022/23")),
    ("Mar-23", 5, ("month", "2023-03-01", "2023-03-31", "2022/23", "2022/23")),
    # a date is a day, in its financial year
    ("2022-04-01", 7, ("day", "2022-04-01", "2022-04-01", "2022/23", "2022/23")),
    # a quarter of a calendar year: Q1 2023 is January to March 2023, in 2022/23
    ("2023 Q1", 4, ("quarter", "2023-01-01", "2023-03-31", "2022/23", "2022/23")),
    ("Q1 2023", 13, ("quarter", "2023-01-01", "2023-03-31", "2022/23", "2022/23")),
    ("2023-Q4", 6, ("quarter", "2023-10-01", "2023-12-31", "2023/24", "2023/24")),
    # a quarter of a financial year: Q1 2022/23 is April to June 2022
    ("2022/23 Q1", 9, ("quarter", "2022-04-01", "2022-06-30", "2022/23", "2022/23")),
    ("Q1 2022/23", 12, ("quarter", "2022-04-01", "2022-06-30", "2022/23", "2022/23")),
    ("Q4 2022/23", 1, ("quarter", "2023-01-01", "2023-03-31", "2022/23", "2022/23")),
    # no year, or a year that could be either: not guessed
    ("Q1", 14, ("unrecognised", None, None, None, None)),
    ("22-Apr", 10, ("unrecognised", None, None, None, None)),
    ("FY23", 15, ("unrecognised", None, None, None, None)),
    # a whole year spelled out as a span; a span of part of a year is never stretched to a year
    ("April 2022 - March 2023", 16, ("financial_year", "2022-04-01", "2023-03-31", "2022/23", "2022/23")),
    ("1 April 2023 to 31 March 2024", 17, ("financial_year", "2023-04-01", "2024-03-31", "2023/24", "2023/24")),
    ("01/04/2022 - 31/03/2023", 18, ("financial_year", "2022-04-01", "2023-03-31", "2022/23", "2022/23")),
    ("January 2023 - December 2023", 19, ("calendar_year", "2023-01-01", "2023-12-31", None, "2023")),
    ("April 2022 - September 2022", 20, ("unrecognised", None, None, None, None)),
]

# Cumbria: nationalities, 2022/23, no offence column. (nationality, count) -> (iso3, category, rule)
NATIONALITIES = [
    (("British", "10"), ("GBR", "uk", "single")),
    (("Polish", "4"), ("POL", "foreign", "single")),
    (("Atlantean", "2"), (None, "unmapped", "unmapped")),
    (("Not recorded", "3"), (None, "unknown", "single")),
    (("Not known / Refused", "1"), (None, "unknown", "multiple: not recorded")),
    (("Atlantean / Not known", "5"), (None, "unmapped", "unmapped")),
    (("Narnian", "<5"), (None, "unmapped", "unmapped")),
]


def csv_text(header, rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    return out.getvalue()


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    landing = tmp_path_factory.mktemp("forms") / "data" / "landing"
    files = {
        "dyfed-powys/offences.csv": csv_text(["Financial Year", "Offence", "Count"],
                                             [["2022/23", label, "1"] for label in OFFENCES]),
        "north-wales/periods.csv": csv_text(["Period", "Offence", "Count"],
                                            [[p, "Shoplifting", str(n)] for p, n, _ in PERIODS]),
        "cumbria/nationality.csv": csv_text(["Financial Year", "Nationality", "Count"],
                                            [["2022/23", *row] for row, _ in NATIONALITIES]),
        # Gwent: months across, only the first quarter of 2022/23 (a partial year)
        "gwent/months_across.csv": csv_text(["Offence", "Apr-22", "May-22", "Jun-22"],
                                            [["Shoplifting", "3", "4", "5"], ["Assault without injury", "1", "-", "2"]]),
        # Gwent: dates as column headings (what Excel makes of a heading typed 'Apr-23')
        "gwent/dates_across.csv": csv_text(["Offence", "2023-04-01", "2023-05-01"], [["Shoplifting", "6", "7"]]),
    }
    for name, text in files.items():
        (landing / name).parent.mkdir(parents=True, exist_ok=True)
        (landing / name).write_text(text, encoding="utf-8")
    mp = pytest.MonkeyPatch()
    mp.setenv("CR_DATA_DIR", str(landing.parent))
    result = pipeline.run()
    yield result
    mp.undo()


def observations(source_file, columns):
    return pipeline.query(f"select {columns} from intermediate.int_observations where source_file = ? "
                          "order by source_row, source_column",
                          [source_file])


def test_run_passes_every_check(warehouse):
    assert warehouse.success
    assert all(e.passed for e in warehouse.get_asset_check_evaluations())


def test_offence_groups_bilingual_labels_and_classes(warehouse):
    rows = observations("dyfed-powys/offences.csv",
                        "offence_text_raw, ho_offence_code, offence_group, offence_subgroup, offence_rule")
    assert {r[0]: r[1:] for r in rows} == OFFENCES


def test_group_only_labels_are_not_listed_as_unmapped(warehouse):
    assert pipeline.query("select raw_value, count_low from marts.unmapped_values where field = 'offence' order by 1") == [
        (label, 1) for label in sorted(UNMAPPED_OFFENCES)]


def test_offence_mart_keeps_groups_without_a_class(warehouse):
    rows = pipeline.query(
        "select offence_group, offence_subgroup, count_low from marts.community_resolutions_by_offence "
        "where force_name = 'Dyfed-Powys' and ho_offence_code is null order by 1, 2 nulls first")
    # one row per group (and sub-group), summing the labels above that name it
    assert rows == [
        ("Criminal damage and arson", None, 2),            # ARSON AND CRIMINAL DAMAGE, Criminal damage and arson
        ("Drug offences", None, 1),
        ("Miscellaneous crimes against society", None, 2),  # MISC CRIMES AGAINST SOCIETY, its ONS name
        ("Possession of weapons offences", None, 2),
        ("Public order offences", None, 2),                 # PUBLIC ORDER OFFENCES and the bilingual label
        ("Robbery", None, 1),
        ("Sexual offences", None, 1),
        ("Sexual offences", "Rape", 1),
        ("Theft offences", None, 4),                        # THEFT, BURGLARY, VEHICLE OFFENCES, Theft offences
        ("Unmapped offence", None, 2),
        ("Violence against the person", None, 2),
        ("Violence against the person", "Harassment", 1),   # Stalking and harassment
        ("Violence against the person", "Violence with injury", 1),
        ("Violence against the person", "Violence without injury", 1),
    ]
    # 'Sexual offences' and 'Rape' count towards the sexual-offences and rape figures
    figures = dict(pipeline.query("select figure_id, value_low from marts.headline_figures "
                                  "where figure_id in ('sexual_offences', 'rape')"))
    assert figures == {"sexual_offences": 2, "rape": 1}


def test_months_and_quarters_fall_in_their_financial_year(warehouse):
    rows = observations("north-wales/periods.csv",
                        "period_raw, period_type, strftime(period_start, '%Y-%m-%d'), strftime(period_end, '%Y-%m-%d'), "
                        "financial_year, period_label")
    assert [(r[0], r[1:]) for r in rows] == [(p, expected) for p, _, expected in PERIODS]


def test_months_and_quarters_roll_up_in_the_marts(warehouse):
    # counts in PERIODS: months 3+8+2+11+5, the day 7, quarters in 2022/23 4+13+9+12+1,
    # in 2023/24 6; spans: financial 2022/23 16+18, 2023/24 17, calendar 2023 19;
    # unrecognised 14+10+15+20.
    # Only April and March 2022/23 were given as months: the mart cannot tell.
    rows = pipeline.query(
        "select period_type, period_label, count_low from marts.community_resolutions_by_offence "
        "where force_name = 'North Wales' order by 1, 2")
    assert rows == [("calendar_year", "2023", 19), ("day", "2022/23", 7), ("financial_year", "2022/23", 34),
                    ("financial_year", "2023/24", 17), ("month", "2022/23", 29), ("quarter", "2022/23", 39),
                    ("quarter", "2023/24", 6), ("unrecognised", None, 59)]
    assert pipeline.query("select raw_value, count_low from marts.unmapped_values where field = 'period' order by 1") == [
        ("22-Apr", 10), ("April 2022 - September 2022", 20), ("FY23", 15), ("Q1", 14)]


def test_months_across_roll_up_into_a_partial_financial_year(warehouse):
    rows = observations("gwent/months_across.csv", "period_raw, period_source, period_type, financial_year")
    assert sorted(set(rows)) == [("Apr-22", "column header", "month", "2022/23"),
                                 ("Jun-22", "column header", "month", "2022/23"),
                                 ("May-22", "column header", "month", "2022/23")]
    # Shoplifting 3 + 4 + 5, Assault without injury 1 + 0 + 2: three months, shown as 2022/23
    assert pipeline.query(
        "select period_type, period_label, ho_offence_code, count_low from marts.community_resolutions_by_offence "
        "where force_name = 'Gwent' order by 1, 2, 3") == [
        ("day", "2023/24", "46", 13), ("month", "2022/23", "105A", 3), ("month", "2022/23", "46", 12)]


def test_dates_across_fall_in_their_financial_year(warehouse):
    # int_period_map reads a text alone, and '2023-04-01' in a date column is a day: as a
    # heading it is a day too (the join on period_raw cannot tell), in the right year
    rows = observations("gwent/dates_across.csv", "period_raw, period_source, period_type, financial_year, period_label")
    assert rows == [("2023-04-01", "column header", "day", "2023/24", "2023/24"),
                    ("2023-05-01", "column header", "day", "2023/24", "2023/24")]


def test_unmapped_nationality_is_its_own_category(warehouse):
    rows = observations("cumbria/nationality.csv", "nationality_iso3, nationality_category, nationality_rule")
    assert rows == [expected for _, expected in NATIONALITIES]
    assert pipeline.query("select raw_value, count_low, count_high from marts.unmapped_values "
                          "where field = 'nationality' order by 1") == [
        ("Atlantean", 2, 2), ("Atlantean / Not known", 5, 5), ("Narnian", 1, 4)]


def test_nationality_figures_count_unmapped_in_the_high_bounds_only(warehouse):
    figures = {r[0]: r[1:] for r in pipeline.query(
        "select figure_id, value_low, value_high, forces_contributing from marts.headline_figures")}
    # Cumbria: unmapped Atlantean 2 + 'Atlantean / Not known' 5 + Narnian <5 (1..4) = 8..11
    assert figures["nationality_unmapped"] == (8, 11, 1)
    # Polish 4; high adds the unmapped 11
    assert figures["foreign_nationals"] == (4, 15, 1)
    # British 10; high adds the unmapped 11 (an unmapped spelling could be British)
    assert figures["uk_nationals"] == (10, 21, 1)
    # Not recorded 3 + 'Not known / Refused' 1, plus the forces that gave no nationality:
    # Dyfed-Powys 27 rows of 1, North Wales 1+...+20 = 210, Gwent 3+4+5+1+0+2 + 6+7 = 28
    assert len(OFFENCES) == 27
    assert figures["nationality_not_recorded"] == (4 + 27 + 210 + 28, 4 + 27 + 210 + 28, 4)
    # the total adds up the four categories' low bounds
    assert figures["total"][0] == 8 + 4 + 10 + 269
    (share,) = pipeline.query("select share_nationality_not_recorded from marts.headline_figures where figure_id = 'total'")[0]
    assert share == round(269 / 291, 4)
