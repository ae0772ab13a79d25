import csv

import duckdb

from orchestration.publish import publish_marts


def _warehouse(path):
    with duckdb.connect(str(path)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.unmapped_values as select * from (values "
                    "('=HYPERLINK(\"http://x\",\"click\")', 1), ('+44 7700 900000', 2), ('-1+2', 3), "
                    "('@SUM(A1)', 4), ('\tTab', 5), ('Shoplifting', -6)) t(raw_value, n)")


def test_csv_exports_neutralise_formulas_and_other_formats_keep_values(tmp_path):
    _warehouse(tmp_path / "wh.duckdb")
    counts = publish_marts(tmp_path / "wh.duckdb", tmp_path / "published")
    assert counts == {"unmapped_values": 6}
    with open(tmp_path / "published" / "csv" / "unmapped_values.csv", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows == [["raw_value", "n"], ["'=HYPERLINK(\"http://x\",\"click\")", "1"], ["'+44 7700 900000", "2"],
                    ["'-1+2", "3"], ["'@SUM(A1)", "4"], ["'\tTab", "5"], ["Shoplifting", "-6"]]
    with duckdb.connect(str(tmp_path / "published" / "marts.duckdb"), read_only=True) as con:
        assert con.execute("select raw_value from marts.unmapped_values where n = 1").fetchone() == (
            '=HYPERLINK("http://x","click")',)
        parquet = tmp_path / "published" / "parquet" / "unmapped_values.parquet"
        assert con.execute(f"select count(*) from read_parquet('{parquet}') where raw_value like '=%'").fetchone() == (1,)


def test_republishing_swaps_the_links_and_removes_old_exports(tmp_path):
    _warehouse(tmp_path / "wh.duckdb")
    publish_marts(tmp_path / "wh.duckdb", tmp_path / "published")
    publish_marts(tmp_path / "wh.duckdb", tmp_path / "published")
    assert len(list((tmp_path / "published").glob("exports-*"))) == 1
    assert (tmp_path / "published" / "csv").resolve().parent == (tmp_path / "published" / "parquet").resolve().parent


def test_reading_cards_are_published_in_the_same_swap_as_the_exports(tmp_path):
    from orchestration.ingest.load import ingest_landing
    from tests.conftest import FIXTURE_LANDING

    _warehouse(tmp_path / "wh.duckdb")
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        ingest_landing(con, FIXTURE_LANDING, {"humberside", "kent"})
    published = tmp_path / "published"
    publish_marts(tmp_path / "wh.duckdb", published)
    cards = sorted(p.relative_to(published / "cards").as_posix() for p in (published / "cards").rglob("*.md"))
    assert cards == ["README.md", "humberside/Humberside CR by offence and nationality.xlsx.md", "kent/kent_return.xlsx.md"]
    # one link, `current`, says which export folder parquet/, csv/ and cards/ are read from
    assert {(published / kind).resolve().parent for kind in ("parquet", "csv", "cards")} == {(published / "current").resolve()}


def test_a_folder_published_before_the_current_link_is_moved_to_it(tmp_path):
    import os

    _warehouse(tmp_path / "wh.duckdb")
    published = tmp_path / "published"
    (published / "exports-old" / "parquet").mkdir(parents=True)
    os.symlink("exports-old/parquet", published / "parquet")
    publish_marts(tmp_path / "wh.duckdb", published)
    assert os.readlink(published / "parquet") == "current/parquet"
    assert (published / "parquet" / "unmapped_values.parquet").exists()
    publish_marts(tmp_path / "wh.duckdb", published)
    assert [p.name for p in published.glob("exports-*")] == [os.readlink(published / "current")]
