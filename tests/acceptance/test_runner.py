"""The runner's verdicts, on marts written by hand into a DuckDB file (the pipeline itself is
run by test_shapes.py): a figure that differs is `wrong`, unless it is narrower than expected
and holds the case's truth (`narrowed`); a quarantine for the expected reason is
`quarantined`, anything published for a return that must be quarantined is `wrong`."""

import duckdb
import pytest

from tests.acceptance import runner


def make_case(tmp_path, name, expected_yaml):
    case = tmp_path / name
    (case / "files").mkdir(parents=True)
    (case / "files" / "return.csv").write_text("Offence,Count\nShoplifting,1\n")
    (case / "expected.yaml").write_text(expected_yaml)
    return runner.load_case(case)


EXACT = """
description: "test"
outcome: exact
figures:
  total: [20, 23]
  by_period: {"2022/23": [12, 15], "2023/24": [8, 8]}
  by_nationality_category: {uk: [18, 18], unknown: [3, 6]}
  by_offence_group: {"Theft offences": [20, 23]}
  by_ho_offence_code: {"46": [20, 23]}
"""
QUARANTINED = """
description: "test"
outcome: quarantined
reason_contains: ["120", "150"]
"""


@pytest.fixture
def marts(tmp_path):
    """Durham returned shoplifting: 2022/23 12 British + <5 not recorded (12-15), 2023/24 6
    British + 2 not recorded (8); Kent was quarantined; Dorset sent nothing."""
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"))
    con.execute("create schema marts")
    con.execute("create table marts.force_coverage (force_slug text, force_name text, status text, "
                "quarantine_reasons text, community_resolutions_low bigint, community_resolutions_high bigint)")
    con.execute("insert into marts.force_coverage values ('durham', 'Durham', 'returned', null, 20, 23), "
                "('kent', 'Kent', 'quarantined', 'kent/x.xlsx: Grand Total says 150, the rows sum to 120', 0, 0), "
                "('dorset', 'Dorset', 'no return', null, 0, 0)")
    con.execute("create table marts.community_resolutions_by_offence (force_name text, period_label text, "
                "offence_group text, ho_offence_code text, count_low bigint, count_high bigint)")
    con.execute("insert into marts.community_resolutions_by_offence values "
                "('Durham', '2022/23', 'Theft offences', '46', 12, 15), ('Durham', '2023/24', 'Theft offences', '46', 8, 8)")
    con.execute("create table marts.community_resolutions_by_nationality (force_name text, period_label text, "
                "nationality_category text, count_low bigint, count_high bigint)")
    con.execute("insert into marts.community_resolutions_by_nationality values "
                "('Durham', '2022/23', 'uk', 12, 12), ('Durham', '2022/23', 'unknown', 0, 0), "
                "('Durham', '2022/23', 'unknown', 1, 4), ('Durham', '2023/24', 'uk', 6, 6), ('Durham', '2023/24', 'unknown', 2, 2)")
    yield con
    con.close()


def test_every_listed_figure_equal_is_exact(tmp_path, marts):
    # uk 12 + 6 = 18; unknown 0 + (1-4) + 2 = 3-6 (a nil row adds nothing)
    result = runner.judge(make_case(tmp_path, "c", EXACT), "durham", marts)
    assert (result.verdict, result.differences) == ("exact", [])


def test_a_figure_that_differs_is_wrong_and_says_which(tmp_path, marts):
    case = make_case(tmp_path, "c", EXACT)
    case.figures["by_period"]["2024/25"] = (1, 1)  # listed but not published: a published 0
    case.figures["total"] = (20, 20)
    result = runner.judge(case, "durham", marts)
    assert result.verdict == "wrong"
    assert result.differences == ["total: expected 20, published 20-23",
                                  "by_period 2024/25: expected 1, published 0"]


# Durham's published figures (see marts) against wider expected ones, as a case expects the
# plain sum of cell bounds where the reader has narrowed a withheld cell from a total. The
# withheld 2022/23 'not recorded' cell was in truth 1: 2022/23 is 12 + 1 = 13, the total 21.
WIDER = """
description: "test"
outcome: exact
figures:
  total: [18, 25]
  by_period: {"2022/23": [12, 16], "2023/24": [8, 8]}
  by_nationality_category: {uk: [18, 18], unknown: [3, 6]}
truth:
  total: 21
  by_period: {"2022/23": 13}
"""


def test_a_narrower_figure_that_holds_the_truth_is_narrowed(tmp_path, marts):
    result = runner.judge(make_case(tmp_path, "c", WIDER), "durham", marts)
    assert (result.verdict, result.differences) == ("narrowed", [])
    assert result.narrowed == ["total: expected 18-25, published 20-23, truth 21",
                               "by_period 2022/23: expected 12-16, published 12-15, truth 13"]
    assert result.as_expected
    assert result.line().splitlines()[0] == "narrowed     c"  # read as expected: no '(expected exact ...)'


def test_a_narrower_figure_without_truth_is_wrong(tmp_path, marts):
    case = make_case(tmp_path, "c", WIDER)
    del case.truth["by_period"]
    result = runner.judge(case, "durham", marts)
    assert result.verdict == "wrong" and not result.as_expected
    assert result.differences == ["by_period 2022/23: expected 12-16, published 12-15 "
                                  "(narrower, and the case gives no truth to check it against)"]
    assert result.narrowed == ["total: expected 18-25, published 20-23, truth 21"]


def test_a_narrower_figure_that_misses_the_truth_is_wrong(tmp_path, marts):
    case = make_case(tmp_path, "c", WIDER)
    case.truth["total"] = 24  # inside the expected 18-25, outside the published 20-23
    result = runner.judge(case, "durham", marts)
    assert result.verdict == "wrong"
    assert result.differences == ["total: expected 18-25, published 20-23 (narrower, but the truth 24 is outside it)"]


def test_a_wider_or_shifted_figure_is_wrong_whatever_the_truth(tmp_path, marts):
    case = make_case(tmp_path, "c", WIDER)
    case.figures["total"] = (21, 22)  # published 20-23 is wider, and holds the truth 21
    case.figures["by_period"]["2022/23"] = (13, 16)  # published 12-15 sticks out below
    result = runner.judge(case, "durham", marts)
    assert result.verdict == "wrong"
    assert result.differences == ["total: expected 21-22, published 20-23",
                                  "by_period 2022/23: expected 13-16, published 12-15"]


def test_quarantine_for_the_expected_reason(tmp_path, marts):
    case = make_case(tmp_path, "q", QUARANTINED)
    assert runner.judge(case, "kent", marts).verdict == "quarantined"
    case.reason_contains = ["120", "151"]
    result = runner.judge(case, "kent", marts)
    assert (result.verdict, result.detail) == ("other_reason", "reasons lack '151'")


def test_anything_published_for_a_return_that_must_be_quarantined_is_wrong(tmp_path, marts):
    case = make_case(tmp_path, "q", QUARANTINED)
    result = runner.judge(case, "durham", marts)
    assert result.verdict == "wrong"
    assert result.differences[0].startswith("published for a return that must be quarantined: status returned, total 20-23")


def test_a_quarantine_where_exact_was_expected_is_a_miss_not_wrong(tmp_path, marts):
    case = make_case(tmp_path, "c", EXACT)
    assert runner.judge(case, "kent", marts).verdict == "quarantined"


def test_a_force_the_pipeline_did_not_see_is_failed(tmp_path, marts):
    case = make_case(tmp_path, "c", EXACT)
    assert runner.judge(case, "dorset", marts).verdict == "failed"


@pytest.mark.parametrize("text, message", [
    ("outcome: exact\nfigures: {total: [5, 4]}\n", "0 <= low <= high"),
    ("outcome: exact\nfigures: {total: [1.5, 2]}\n", "whole numbers"),
    ("outcome: exact\nfigures: {by_force: {a: [1, 1]}}\n", "unknown or empty figure"),
    ("outcome: exact\n", "at least one figure"),
    ("outcome: exact\nreason_contains: [x]\nfigures: {total: [1, 1]}\n", "quarantined cases only"),
    ("outcome: quarantined\nfigures: {total: [1, 1]}\n", "publishes no figures"),
    ("outcome: maybe\n", "outcome must be"),
    ("outcome: exact\nfigures: {total: [1, 3]}\ntruth: {total: 4}\n", "inside the expected 1-3"),
    ("outcome: exact\nfigures: {total: [1, 3]}\ntruth: {total: [2, 2]}\n", "whole number"),
    ("outcome: exact\nfigures: {total: [1, 3]}\ntruth: {by_period: {'2023': 2}}\n", "not a listed figure"),
    ("outcome: exact\nfigures: {by_period: {'2023': [1, 3]}}\ntruth: {by_period: {'2024': 2}}\n", "not in its figure"),
    ("outcome: exact\nfigures: {by_period: {'2023': [1, 3]}}\ntruth: {by_period: 2}\n", "non-empty mapping"),
    ("outcome: quarantined\ntruth: {total: 1}\n", "not a listed figure"),
])
def test_a_malformed_case_is_refused_with_the_reason(tmp_path, text, message):
    with pytest.raises(runner.CaseError, match=message):
        make_case(tmp_path, "bad", text)
