"""The reading of a table (columns.py, reading.py, proof.py): every column's role from its
heading and its values, and the proof against the table's own totals. Each case is small
enough to check by hand; each has a near miss that must be refused, not guessed."""

from orchestration.ingest.readers import Sheet
from orchestration.ingest.reading import read_sheet


def one(rows, profile=None, name=""):
    (table,) = read_sheet(Sheet(name, rows), profile)
    return table


def test_row_numbers_are_not_counts():
    rows = [["No.", "Financial Year", "Crime Type", "Outcome Description"]]
    rows += [[str(i), "2023/24", "THEFT", "Type 8 - Community Resolution"] for i in range(1, 8)]
    t = one(rows)
    assert t.shape == "record" and "count" not in t.roles
    assert t.column_notes[1] == "row numbers (1, 2, ... 7): not counts"
    assert (t.data_low, t.data_high) == (7, 7) and not t.problems


def test_a_count_heading_over_percentages_is_refused():
    t = one([["Financial Year", "Offence", "Number of Community Resolutions"],
             ["2022/23", "Shoplifting", "31.6%"], ["2022/23", "Harassment", "68.4%"]])
    assert t.problems and "holds numbers but no column holds counts" in t.problems[0]


def test_counts_written_as_12_point_0_beside_a_share_column():
    t = one([["Offence", "Count", "% of total"], ["Shoplifting", "12.0", "60.0%"], ["Harassment", "8.0", "40.0%"],
             ["Total", "20.0", "100.0%"]])
    assert t.roles == {"offence_text": 1, "count": 2}
    assert t.column_notes[3] == "percentages or shares: not counts"
    assert t.verification == "reconciled" and (t.data_low, t.data_high) == (20, 20)


def test_decimals_under_a_count_heading_are_refused():
    t = one([["Offence", "Count"], ["Shoplifting", "12.5"], ["Harassment", "3"]])
    assert t.problems and "holds decimals such as '12.5'" in t.problems[0]


def test_two_count_columns_are_refused_naming_both():
    t = one([["Offence", "Count", "Number of offences"], ["Theft", "3", "4"], ["Harassment", "1", "2"]])
    assert t.problems == ["two candidate count columns, column B ('Count') and column C ('Number of offences'): "
                          "expected one (name it in a return profile: columns: {'<heading>': count})"]


def test_unknown_headings_across_are_refused_not_dropped():
    t = one([["Offence", "Nationality", "Figure A", "Figure B"], ["Theft", "British", "3", "4"],
             ["Harassment", "Polish", "1", "2"]])
    assert t.problems and "column C ('Figure A'), column D ('Figure B') hold counts" in t.problems[0]


def test_a_nationality_heading_the_seeds_do_not_know_stays_across():
    t = one([["Offence", "British", "Polish", "Portugese", "Total"],
             ["Theft", "10", "<5", "2", "15"], ["Harassment", "4", "", "1", "5"]])
    assert t.across_role == "nationality"
    assert t.across_values == ["British", "Polish", "Portugese"]
    assert t.total_cols == [5]
    # row 2: 10 + <5 + 2 = 15 pins the withheld cell to 3
    assert t.pinned == {(2, 3): (3, 3)} and (t.data_low, t.data_high) == (20, 20)
    assert t.verification == "reconciled"


def test_two_row_header_reads_the_groups_and_checks_the_row_total():
    t = one([["Nationality", "Offence group", "", "", "Total"],
             ["", "Violence against the person", "Theft offences", "Drug offences", ""],
             ["British", "38", "22", "<5", "63"],
             ["Polish", "<5", "6", "", "8"]])
    assert (t.header_row, t.header_rows) == (1, 2)
    assert t.roles == {"nationality": 1}
    assert t.across_role == "offence_text"
    assert t.across_values == ["Violence against the person", "Theft offences", "Drug offences"]
    assert t.total_cols == [5]
    assert t.pinned == {(3, 4): (3, 3), (4, 2): (2, 2)}  # 63 - 60 and 8 - 6
    assert (t.data_low, t.data_high) == (71, 71)


def test_a_row_total_that_disagrees_quarantines_with_both_numbers():
    t = one([["Offence", "2022/23", "2023/24", "Total"], ["Theft", "3", "4", "9"]])
    assert t.problems == ["row 2: the columns across sum to 7, the 'Total' column (D) says 9"]


def test_subtotal_and_grand_total_rows_reconcile_and_narrow_withheld_cells():
    t = one([["Financial Year", "Offence", "Count"],
             ["2022/23", "Theft", "120"], ["2022/23", "Assault", "<5"], ["2022/23", "Drugs", "*"],
             ["2022/23 Total", "", "124"],
             ["2023/24", "Theft", "130"], ["2023/24 Total", "", "130"],
             ["Grand Total", "", "254"]])
    assert t.verification == "reconciled"
    assert t.checks[:3] == ["row 5 '2022/23 Total' = all 3 data rows above it (124)",
                            "row 7 '2023/24 Total' = 1 data rows above it (130)",
                            "row 8 'Grand Total' = all 4 data rows above it (254)"]
    assert t.pinned == {(3, 3): (1, 3), (4, 3): (1, 3)}  # the two withheld cells add up to 4


def test_a_grand_total_that_disagrees_names_both_numbers():
    t = one([["Offence", "Count"], ["Theft", "100"], ["Assault", "20"], ["Grand Total", "150"]])
    assert t.problems == ["row 4 'Grand Total' says 150, the rows above it sum to 120"]


def test_stacked_breakdowns_are_views_that_must_agree():
    rows = [["Breakdown", "Category", "Calendar Year", "Number of community resolutions"],
            ["Offence group", "Violence against the person", "2023", "60"],
            ["Offence group", "Theft offences", "2023", "40"],
            ["Nationality", "British", "2023", "90"],
            ["Nationality", "Polish", "2023", "10"],
            ["Total", "All", "2023", "100"]]
    views = read_sheet(Sheet("", rows))
    assert [(v.label, v.counted, v.roles.get("offence_text"), v.roles.get("nationality")) for v in views] == [
        ("breakdown 'Offence group'", True, 2, None), ("breakdown 'Nationality'", True, None, 2),
        ("breakdown 'Total'", False, None, None)]
    assert all(not v.problems for v in views)
    rows[4][3] = "15"  # nationality now sums to 105 against 100
    views = read_sheet(Sheet("", rows))
    assert any("breakdown 'Nationality' sums to 105 in 2023" in p or "to 105 in 2023" in p for v in views for p in v.problems)


def test_a_pivot_under_its_filter_lines_with_group_rows():
    t = one([["Outcome", "Community Resolution", "", ""], ["", "", "", ""],
             ["Count of Crime Reference", "Column Labels", "", ""],
             ["Row Labels", "2022/23", "2023/24", "Grand Total"],
             ["Violence against the person", "30", "34", "64"],
             ["Assault with Injury", "12", "14", "26"], ["Assault without Injury", "18", "20", "38"],
             ["Theft offences", "26", "29", "55"],
             ["Shoplifting", "21", "25", "46"], ["Theft from the Person", "5", "4", "9"],
             ["Grand Total", "56", "63", "119"]], name="Sheet2")
    assert t.header_row == 4 and t.roles == {"offence_text": 1}
    assert t.group_rows == [5, 8]
    assert (t.data_low, t.data_high) == (119, 119) and t.verification == "reconciled"


def test_rows_that_only_happen_to_add_up_are_not_group_rows():
    # 5 = 2 + 3 and 4 = 1 + 3, but the Grand Total adds every row: no pivot here
    t = one([["Offence", "Count"], ["Theft", "5"], ["Assault", "2"], ["Drugs", "3"], ["Arson", "4"],
             ["Fraud", "1"], ["Robbery", "3"], ["Grand Total", "18"]])
    assert t.group_rows == [] and t.verification == "reconciled" and (t.data_low, t.data_high) == (18, 18)


def test_a_label_written_once_per_block_fills_down():
    t = one([["Offence", "Nationality", "2022/23", "2023/24"],
             ["Shoplifting", "British", "10", "12"], ["", "Polish", "3", "2"],
             ["Harassment", "British", "4", "5"], ["", "Irish", "1", "1"]])
    assert t.filled_cols == [1]


def test_a_title_about_all_crimes_is_not_community_resolutions():
    (t,) = read_sheet(Sheet("", [["Crimes recorded on hospital premises"], [], ["Offence", "Count"], ["Theft", "40"]]))
    assert t.problems and "says it counts 'Crimes recorded'" in t.problems[0]


def test_a_data_row_is_never_a_header():
    # 'Offence' and '2023' look like headings, but '123' under a heading is data
    (t,) = read_sheet(Sheet("", [["Breakdown", "Category", "Calendar Year", "Number of community resolutions"],
                                 ["Offence", "Theft", "2023", "123"], ["Offence", "Assault", "2023", "77"]]))
    assert t.header_row == 1 and t.data_high == 200


def test_bilingual_headings():
    t = one([["Blwyddyn Ariannol / Financial Year", "Trosedd / Offence", "Nifer / Number"],
             ["2022/23", "Ymosod heb anaf / Assault without injury", "14"]])
    assert t.roles == {"period": 1, "offence_text": 2, "count": 3}


def test_a_record_list_proven_by_its_stated_total():
    t = one([["Ref", "Offence", "Outcome"], ["A1", "Theft", "8"], ["A2", "Assault", "1"], ["Total records: 2"]])
    assert t.verification == "reconciled" and t.checks == ["row 4 'Total records: 2' = all 2 data rows above it (2)"]


def test_community_resolutions_beside_other_outcomes_across_is_an_outcome_not_the_count():
    t = one([["Offence", "Community Resolution", "Charged", "Cautioned", "Total"],
             ["Shoplifting", "10", "5", "3", "18"], ["Harassment", "4", "2", "1", "7"]])
    assert (t.across_role, t.across_values) == ("outcome", ["Community Resolution", "Charged", "Cautioned"])
    assert "count" not in t.roles and t.total_cols == [5] and t.subject == "outcome column"
    # alone, the same heading is the count column
    t = one([["Offence", "Community Resolutions"], ["Shoplifting", "10"]])
    assert t.roles == {"offence_text": 1, "count": 2}


def test_a_subtotal_of_the_rows_just_above_with_rows_after_it():
    rows = [["Nationality", "Count"], ["British", "80"], ["Polish", "6"], ["Romanian", "4"], ["EU total", "10"],
            ["Albanian", "2"], ["Not recorded", "8"], ["Total", "100"]]
    t = one(rows)
    assert not t.problems and t.verification == "reconciled" and (t.data_low, t.data_high) == (100, 100)
    assert t.checks[0] == "row 5 'EU total' = the 2 data rows just above it (10), a partial subtotal"
    # near misses: a partial subtotal that adds up to no run above it, and the same figure as
    # the last row (no rows after it: a grand total that disagrees, not a subtotal)
    assert one(rows[:4] + [["EU total", "11"]] + rows[5:]).problems == [
        "row 5 'EU total' says 11, the rows above it sum to 90"]
    assert one(rows[:4] + [["Total", "10"]]).problems == ["row 5 'Total' says 10, the rows above it sum to 90"]


def test_a_subtotal_column_of_the_columns_just_left_of_it():
    rows = [["Financial Year", "England", "Wales", "Scotland", "UK total", "Polish", "Other", "Grand Total"],
            ["2022/23", "50", "10", "5", "65", "7", "3", "75"], ["2023/24", "40", "8", "2", "50", "5", "5", "60"]]
    t = one(rows)
    assert not t.problems and (t.data_low, t.data_high) == (135, 135)
    assert "column E 'UK total' = columns B-D in 2 rows, a partial subtotal" in t.checks
    rows[2][4] = "49"  # one row where it adds up to nothing: refused
    assert one(rows).problems == [
        "row 2: the columns across sum to 75, the 'UK total' column (E) says 65 (and 1 more rows)"]
