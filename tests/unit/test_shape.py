import pytest

from orchestration.ingest.readers import Sheet
from orchestration.ingest.reading import read_sheet as find_tables
from orchestration.ingest.shape import header_role, looks_like_period, classify_row, period_in_title


@pytest.mark.parametrize("header, role", [
    ("HO Offence Code", "offence_code"),
    ("Offence Description", "offence_text"),
    ("Crime Type", "offence_text"),
    ("Outcome", "outcome"),
    ("Outcome Date", "date"),
    ("Offender Nationality", "nationality"),
    ("Financial Year", "period"),
    ("Number of Community Resolutions", "count"),
    ("Total", "count"),
    ("Victim Age", "victim_age"),
    ("Offender Age", "age"),
    ("Crime Reference", "record_id"),
    ("Officer notes", None),
])
def test_header_roles(header, role):
    assert header_role(header) == role


@pytest.mark.parametrize("text, expected", [
    ("2022/23", True), ("2022/2023", True), ("FY22/23", True), ("2022-23", True), ("2023", True),
    ("1066", False), ("Theft", False), ("12", False),
])
def test_period_headers(text, expected):
    assert looks_like_period(text) is expected


def test_title_block_header_totals_and_notes():
    sheet = Sheet("CR", [
        ["Humberside Police", "", ""],
        ["Community resolutions issued in 2022/23", "", ""],
        ["", "", ""],
        ["Offence", "Nationality", "Count"],
        ["Theft", "British", "10"],
        ["Theft", "Polish", "<5"],
        ["Grand Total", "", "14"],
        ["", "", ""],
        ["* figures below 5 are withheld", "", ""],
    ])
    (table,) = find_tables(sheet)
    assert table.header_row == 4
    assert table.roles == {"offence_text": 1, "nationality": 2, "count": 3}
    assert table.shape == "aggregate"
    assert table.default_period == "2022/23"  # from the title block
    kinds = [classify_row(r, table) for r in sheet.rows[4:]]
    assert kinds == ["data", "data", "total", "blank", "note"]


def test_subtotal_rows_labelled_with_a_period_are_totals():
    sheet = Sheet("", [["Financial Year", "Offence", "Count"], ["2022/23", "Theft", "5"], ["2022/23 Total", "", "5"]])
    (table,) = find_tables(sheet)
    assert classify_row(sheet.rows[2], table) == "total"


def test_crosstab_with_years_across_ignores_the_row_total_column():
    sheet = Sheet("", [
        ["Offence", "2022/23", "2023/24", "2024/25", "Total"],
        ["Theft", "3", "4", "<5", "9"],
    ])
    (table,) = find_tables(sheet)
    assert table.shape == "crosstab"
    assert table.across_cols == [2, 3, 4]
    assert table.across_values == ["2022/23", "2023/24", "2024/25"]
    assert "count" not in table.roles


def test_record_level_footnote_split_by_csv_comma_is_a_note():
    header = ["Ref", "Code", "Offence", "Outcome", "Date", "Nationality", "Age"]
    sheet = Sheet("", [header, ["A1", "46", "Shoplifting", "8", "2023-01-01", "British", "30"],
                       ["Source: crime system", " extracted 12/05/2025.", "", "", "", "", ""]])
    (table,) = find_tables(sheet)
    assert table.shape == "record"
    assert [classify_row(r, table) for r in sheet.rows[1:]] == ["data", "note"]


def test_two_tables_on_one_sheet():
    sheet = Sheet("", [
        ["Offence", "Count"], ["Theft", "3"], [],
        ["Nationality", "Count"], ["British", "2"], ["Polish", "1"],
    ])
    tables = find_tables(sheet)
    assert [(t.header_row, t.last_row) for t in tables] == [(1, 3), (4, 6)]
    assert tables[1].roles == {"nationality": 1, "count": 2}


def test_no_header_in_a_letter():
    sheet = Sheet("", [["Dear requester,"], ["We do not hold this information."]])
    assert find_tables(sheet) == []


def test_period_in_title_needs_exactly_one_year():
    assert period_in_title("Community resolutions FY 2023/24") == "2023/24"
    assert period_in_title("2022/23 and 2023/24 compared") is None


def test_crosstab_with_nationalities_across():
    sheet = Sheet("", [
        ["Offence", "British", "Polish", "Not recorded", "Irish Republic (Eire)", "Total"],
        ["Shoplifting", "10", "<5", "3", "1", "15"],
    ])
    (table,) = find_tables(sheet)
    assert table.shape == "crosstab"
    assert table.across_role == "nationality"
    assert table.across_cols == [2, 3, 4, 5]
    assert table.across_values == ["British", "Polish", "Not recorded", "Irish Republic (Eire)"]
    assert table.roles == {"offence_text": 1}


def test_nationalities_down_years_across_is_a_period_crosstab():
    sheet = Sheet("", [["Nationality", "2022/23", "2023/24", "Total"], ["Romanian", "4", "5", "9"]])
    (table,) = find_tables(sheet)
    assert (table.across_role, table.across_cols, table.roles) == ("period", [2, 3], {"nationality": 1})


def test_a_sheet_named_like_a_financial_year_gives_the_period():
    sheet = Sheet("2023-24", [["Offence", "Nationality", "Count"], ["Theft", "British", "4"]])
    (table,) = find_tables(sheet)
    assert table.default_period == "2023-24"


def test_a_caption_straight_above_the_second_table_titles_it():
    sheet = Sheet("", [
        ["Offence", "2022/23", "2023/24"], ["Theft", "3", "4"], [],
        ["Table 2: by nationality"],
        ["Nationality", "2022/23", "2023/24"], ["British", "5", "2"],
    ])
    first, second = find_tables(sheet)
    assert (first.header_row, first.last_row) == (1, 3)
    assert (second.header_row, second.title) == (5, "Table 2: by nationality")


def test_crosstab_row_with_every_count_blank_is_nil_data_but_a_footnote_is_not():
    sheet = Sheet("", [
        ["Offence", "2022/23", "2023/24"],
        ["Theft", "3", "4"],
        ["Kidnapping", "", ""],
        [],
        ["Figures are provisional", "", ""],
    ])
    (table,) = find_tables(sheet)
    assert classify_row(sheet.rows[2], table) == "data"
    assert classify_row(sheet.rows[4], table, after_blank=True) == "note"


def test_a_header_further_down_than_the_search_window_is_not_found():
    from orchestration.ingest.shape import FIRST_HEADER_WITHIN

    filler = [["text"]] * FIRST_HEADER_WITHIN
    assert find_tables(Sheet("", filler + [["Offence", "Count"], ["Theft", "1"]])) == []
    assert len(find_tables(Sheet("", filler[:-1] + [["Offence", "Count"], ["Theft", "1"]]))) == 1
