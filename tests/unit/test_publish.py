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
