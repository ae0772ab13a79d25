"""The whole pipeline on the hand-made returns in tests/fixtures/landing, in-process: Dagster, dbt, Great
Expectations, DuckDB. Every expected number is worked out by hand in tests/fixtures/landing/README.md."""

import hashlib
import re

import pytest

from orchestration import paths
from tests import pipeline
from tests.conftest import FIXTURE_LANDING


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def first_run(tmp_path_factory):
    with pipeline.on_landing(tmp_path_factory.mktemp("e2e"), FIXTURE_LANDING) as (data, instance):
        yield pipeline.run(instance), instance, data


def published(sql, params=None):
    return pipeline.query(sql, params, db=paths.published_db_path())


def test_run_succeeds_and_every_check_passes(first_run):
    result, _, _ = first_run
    assert result.success
    evaluations = result.get_asset_check_evaluations()
    assert {e.check_name for e in evaluations} >= {
        "gx_raw_returns", "gx_raw_tables", "gx_marts_headline_figures", "gx_marts_force_coverage",
        "gx_marts_community_resolutions_by_offence", "gx_marts_community_resolutions_by_nationality", "rows_conserved"}
    assert all(e.passed for e in evaluations)


def test_headline_figures(first_run):
    rows = {r[0]: r[1:] for r in published(
        "select figure_id, value_low, value_high, forces_contributing from marts.headline_figures")}
    # Humberside's 2022/23 subtotal (226 = 222 + '<5' + '*') narrows each withheld cell to
    # 1..3 (fixtures README): 408-412 there, 499-506 in all
    assert rows["total"] == (499, 506, 4)
    # Durham's 'Atlantean' is unmapped, not 'not recorded': it may be foreign or British, so
    # it widens the high bounds of both (README: worked totals)
    assert rows["foreign_nationals"] == (35, 41, 4)
    assert rows["uk_nationals"] == (444, 447, 4)
    assert rows["nationality_not_recorded"] == (19, 19, 4)
    assert rows["nationality_unmapped"] == (1, 1, 1)
    assert rows["sexual_offences"] == (5, 7, 3)
    assert rows["sexual_offences_incl_86"] == (6, 8, 3)
    assert rows["rape"] == (3, 5, 2)
    assert rows["indecent_images"] == (1, 1, 1)
    assert rows["countries_drug_offences"] == (2, 2, 2)
    assert rows["countries_violence"] == (4, 4, 4)


def test_force_coverage(first_run):
    rows = {r[0]: r[1:] for r in published(
        "select force_name, status, foi_section, nationality_provided, community_resolutions_low, "
        "community_resolutions_high, rows_loaded, rows_filtered, rows_quarantined from marts.force_coverage")}
    assert len(rows) == 44
    assert rows["Durham"] == ("returned", None, True, 11, 11, 11, 8, 0)
    assert rows["Derbyshire"] == ("returned", None, True, 7, 7, 7, 4, 0)
    assert rows["Humberside"] == ("returned", None, True, 408, 412, 11, 11, 0)
    assert rows["West Mercia"] == ("returned", None, True, 73, 76, 5, 1, 0)
    assert rows["Lancashire"] == ("refused", "s12", False, 0, 0, 0, 0, 0)
    assert rows["Essex"][:1] == ("quarantined",) and rows["Essex"][-1] == 4
    assert rows["Kent"][:1] == ("quarantined",)
    assert sum(1 for r in rows.values() if r[0] == "no return") == 37


def test_quarantined_returns_say_which_file_and_what_was_expected(first_run):
    reasons = dict(published("select force_name, quarantine_reasons from marts.force_coverage where status = 'quarantined'"))
    assert reasons["Kent"].startswith("kent/kent_return.xlsx: could not be read as an XLSX workbook")
    assert reasons["Kent"].endswith("expected a valid .xlsx file")
    assert reasons["Essex"].startswith("essex/essex response.csv: no header row with an offence, nationality or outcome column")


def test_offence_mart_cells(first_run):
    def cell(force, period, code):
        return published(
            "select count_low, count_high from marts.community_resolutions_by_offence "
            "where force_name = ? and period_label = ? and ho_offence_code is not distinct from ?", [force, period, code])

    assert cell("Humberside", "2022/23", "46") == [(142, 142)]   # 120 + 7 + 15
    assert cell("Humberside", "2022/23", "105A") == [(81, 83)]   # 80 + '*', narrowed to 1..3 by the subtotal
    assert cell("Humberside", "2023/24", "9A") == [(0, 0)]       # '-' is nil, kept as a zero cell
    assert cell("West Mercia", "2023", None) == [(13, 16)]       # unmapped 'Criminal damage – dwelling': 12 + '1-4'
    assert cell("Derbyshire", "2024/25", "4.6") == [(1, 1)]      # 43986: code 4/6 that Excel made a date
    # West Mercia answered by calendar year: no financial year is invented
    assert published("select distinct financial_year, period_type from marts.community_resolutions_by_offence "
                     "where force_name = 'West Mercia'") == [(None, "calendar_year")]


def test_nationality_mart_sums_per_force(first_run):
    rows = published(
        "select force_name, nationality_category, sum(count_low), sum(count_high) "
        "from marts.community_resolutions_by_nationality group by all order by 1, 2")
    assert rows == [
        ("Derbyshire", "foreign", 4, 4), ("Derbyshire", "uk", 2, 2), ("Derbyshire", "unknown", 1, 1),
        ("Durham", "foreign", 5, 5), ("Durham", "uk", 4, 4), ("Durham", "unknown", 1, 1), ("Durham", "unmapped", 1, 1),
        ("Humberside", "foreign", 22, 24), ("Humberside", "uk", 371, 373), ("Humberside", "unknown", 15, 15),
        ("West Mercia", "foreign", 4, 7), ("West Mercia", "uk", 67, 67), ("West Mercia", "unknown", 2, 2),
    ]


def test_every_row_is_accounted_for(first_run):
    per_file = dict(published("select source_file, sum(rows) from marts.row_accounting group by 1"))
    assert per_file == {
        "derbyshire/derbyshire_cr.xlsx": 11,
        "durham/FOI-2025-0412 community resolutions.csv": 19,
        "essex/essex response.csv": 4,
        "humberside/Humberside CR by offence and nationality.xlsx": 22,
        "kent/kent_return.xlsx": 0,
        "lancashire/refusal.yaml": 0,
        "west-mercia/cr_2023.csv": 6,
    }
    reasons = dict(published("select reason, sum(rows) from marts.row_accounting "
                             "where source_file like 'humberside%' group by 1"))
    assert reasons["totals row (not added: it would double count)"] == 3
    assert reasons["community resolution data"] == 11


def test_provenance_reaches_the_cell(first_run):
    rows = pipeline.query(
        "select source_file, sheet, source_row, source_column, count_raw from intermediate.int_community_resolutions "
        "where nationality_raw = 'Polish' and force_name = 'Humberside'")
    assert rows == [("humberside/Humberside CR by offence and nationality.xlsx", "Community Resolutions", 11, "E", "*")]


def test_published_parquet_matches_the_duckdb_file(first_run):
    parquet = paths.published_dir() / "parquet" / "headline_figures.parquet"
    assert published(f"select count(*) from read_parquet('{parquet}')") == published("select count(*) from marts.headline_figures")


def test_reading_cards_are_published_for_every_current_return(first_run):
    """One card per current return beside the marts; Humberside's lists its three total
    checks (226, 184 and 410: fixtures README) and its verification, with each row's
    disposition once dbt has run; the same card is on the raw/returns materialization."""
    from orchestration.cards import card_path

    result, _, _ = first_run
    cards = paths.published_dir() / "cards"
    expected = {card_path(slug, f).as_posix() for slug, f in pipeline.query(
        "select force_slug, source_file from raw.returns where is_current")}
    assert len(expected) == 7
    assert {p.relative_to(cards).as_posix() for p in cards.rglob("*.md")} == expected | {"README.md"}
    card = (cards / "humberside" / "Humberside CR by offence and nationality.xlsx.md").read_text()
    assert "· status **loaded** · verification **reconciled**" in card.splitlines()[2]
    assert [line.rsplit("(", 1)[1] for line in card.splitlines() if re.match(r"  - row \d+ '.*Total' = ", line)] == [
        "226)", "184)", "410)"]
    assert "- **In the marts**: counted in the offence and nationality marts" in card
    assert "| 6 | data | loaded | 2022/23 | Sexual offences | 19C | British | \\<5 |" in card
    assert "| 19 | total | filtered | Grand Total |" in card
    durham = (cards / "durham" / "FOI-2025-0412 community resolutions.csv.md").read_text()
    assert "| 7 | data | filtered: outcome 1 is not a community resolution | DU/22/0003 |" in durham
    assert "| humberside | Humberside CR by offence and nationality.xlsx | loaded | reconciled |" in (cards / "README.md").read_text()
    materializations = [e.event_specific_data.materialization for e in result.get_asset_materialization_events()]
    ui = {m.partition: m.metadata for m in materializations if m.asset_key.to_user_string() == "raw/returns"}
    shown = ui["humberside"]["card: humberside/Humberside CR by offence and nationality.xlsx"].value
    assert shown.startswith("# humberside/Humberside CR by offence and nationality.xlsx") and "= all 11 data rows" in shown


def test_second_run_with_identical_files_changes_nothing(first_run):
    result, instance, _ = first_run
    before = published("select * from marts.community_resolutions_by_nationality order by all")
    returns_before = pipeline.query("select return_id, ingested_at from raw.returns order by 1")
    again = pipeline.run(instance)
    assert again.success
    assert pipeline.query("select return_id, ingested_at from raw.returns order by 1") == returns_before
    assert published("select * from marts.community_resolutions_by_nationality order by all") == before


def test_failed_quality_check_blocks_publishing(first_run):
    """A check that is not per-return (here the raw tables suite: a table ends at or below its
    header row) blocks everything: the run fails at once, without a retry, the failure names
    the expectation, column and row count, and the published file is byte-for-byte the last
    good one. (A return failing a per-return check is quarantined alone and the others are
    published: tests/e2e/test_per_return_checks.py.)"""
    import duckdb

    _, instance, _ = first_run
    before = sha(paths.published_db_path())
    where = "return_id like 'durham/%' and table_id = 0"
    with duckdb.connect(str(paths.warehouse_path())) as con:
        (last_row,) = con.execute(f"select last_row from raw.tables where {where}").fetchone()
        con.execute(f"update raw.tables set last_row = 0 where {where}")
    try:
        result = pipeline.run(instance)
        assert not result.success
        assert [e.step_key for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"] == []
        failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
        assert set(failed) == {"gx_raw_tables"}
        (failure,) = failed["gx_raw_tables"].metadata["failures"].value
        assert (failure["expectation"], failure["column"], failure["unexpected_rows"]) == (
            "expect_column_pair_values_a_to_be_greater_than_b", "last_row", 1)
        assert sha(paths.published_db_path()) == before
        built = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
        assert "published/marts" not in built
    finally:
        with duckdb.connect(str(paths.warehouse_path())) as con:
            con.execute(f"update raw.tables set last_row = ? where {where}", [last_row])


def test_a_lost_row_fails_the_conservation_check_and_blocks_publishing(first_run):
    """Rows in = loaded + filtered + quarantined is checked by the pipeline itself: drop one
    stored row (as a buggy reader would) and the run must fail before publishing."""
    import duckdb

    from orchestration.run import run_pipeline

    _, instance, _ = first_run
    before = sha(paths.published_db_path())
    with duckdb.connect(str(paths.warehouse_path())) as con:
        con.execute("delete from raw.rows where return_id like 'humberside/%' and source_row = 8")
    result = run_pipeline(instance)
    failed = {e.check_name: e for e in result.get_asset_check_evaluations() if not e.passed}
    assert set(failed) == {"rows_conserved"}
    assert failed["rows_conserved"].description.startswith(
        "humberside/Humberside CR by offence and nationality.xlsx#")
    # the accounting was built when the return was parsed; the stored rows are counted now
    assert failed["rows_conserved"].description.endswith(": read 22, stored 21, accounted 22")
    assert sha(paths.published_db_path()) == before
    assert run_pipeline(instance, reparse=True).success  # re-reading the landing file restores it
