from pathlib import Path

from orchestration.ingest.landing import discover
from orchestration.ingest.parse import parse_return


def _one(landing: Path):
    (lf,) = discover(landing)
    return parse_return(lf)


def test_empty_file_is_quarantined(tmp_path):
    (tmp_path / "kent").mkdir()
    (tmp_path / "kent" / "empty.csv").write_bytes(b"")
    parsed = _one(tmp_path)
    assert parsed.status == "quarantined"
    assert parsed.reason == "kent/empty.csv: empty file (0 bytes): expected a return (delimited text or a workbook)"
    assert parsed.rows == []


def test_file_outside_a_force_folder_is_quarantined(tmp_path):
    (tmp_path / "loose.csv").write_text("Offence,Count\nTheft,1\n")
    parsed = _one(tmp_path)
    assert parsed.status == "quarantined"
    assert "not in a force folder: expected data/landing/<force-slug>/loose.csv" in parsed.reason


def test_no_recognisable_header_names_file_and_expectation(tmp_path):
    (tmp_path / "essex").mkdir()
    (tmp_path / "essex" / "letter.csv").write_text("Dear requester\nPlease find attached\n")
    parsed = _one(tmp_path)
    assert parsed.status == "quarantined"
    assert parsed.reason.startswith("essex/letter.csv: no header row with an offence, nationality or outcome column")
    assert "'Offence', 'Nationality'" in parsed.reason
    assert parsed.rows_read == 2 and parsed.rows == [] and parsed.tables == []


def test_refusal_file_records_the_section(tmp_path):
    (tmp_path / "lancashire").mkdir()
    (tmp_path / "lancashire" / "refusal.yaml").write_text('section: "s12"\nnote: "Cost limit"\n')
    parsed = _one(tmp_path)
    assert (parsed.status, parsed.reason) == ("refused", "s12: Cost limit")


def test_profile_sets_header_row_roles_and_period(tmp_path):
    d = tmp_path / "dorset"
    d.mkdir()
    (d / "odd.csv").write_text("Qty,Crime Kind\n\nxx,yy\n4,Theft\n")
    (d / "odd.csv.profile.yaml").write_text(
        "header_row: 3\ncolumns: {xx: count, yy: offence_text}\nperiod: '2023/24'\n")
    parsed = _one(tmp_path)
    assert parsed.status == "loaded"
    (table,) = parsed.tables
    assert table.header_row == 3
    assert table.roles == {"count": 1, "offence_text": 2}
    assert table.default_period == "2023/24"
    assert [r.row_kind for r in parsed.rows] == ["title", "blank", "header", "data"]


def test_every_row_of_a_loaded_return_is_kept_with_its_kind(tmp_path):
    d = tmp_path / "durham"
    d.mkdir()
    (d / "r.csv").write_text("Title line\n\nOffence,Nationality,Count\nTheft,British,3\nTotal,,3\n")
    parsed = _one(tmp_path)
    assert [(r.source_row, r.row_kind) for r in parsed.rows] == [
        (1, "title"), (2, "blank"), (3, "header"), (4, "data"), (5, "total")]
    assert parsed.rows[3].cells == ["Theft", "British", "3"]


def test_personal_data_columns_are_redacted_with_a_warning(tmp_path):
    d = tmp_path / "kent"
    d.mkdir()
    (d / "export.csv").write_text(
        "Offender Name,Date of Birth,Offence,Outcome,Nationality,Officer Notes\n"
        "John Smith,1990-01-01,Shoplifting,Community Resolution,British,Lives at 1 High St\n")
    parsed = _one(tmp_path)
    assert parsed.status == "loaded"
    (table,) = parsed.tables
    assert table.personal_data_cols == [1, 2, 6]
    assert "date" not in table.roles  # a date of birth is not the outcome date
    data = parsed.rows[1]
    assert data.cells == ["[redacted: personal data]", "[redacted: personal data]", "Shoplifting",
                          "Community Resolution", "British", "[redacted: personal data]"]
    assert parsed.warnings == [
        "kent/export.csv: columns 'Offender Name', 'Date of Birth', 'Officer Notes' look like personal data; "
        "their cells were redacted and are never published"]


def test_symbolic_links_are_quarantined_and_never_followed(tmp_path):
    landing, outside = tmp_path / "landing", tmp_path / "outside"
    (landing / "kent").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.csv").write_text("Offence,Count\nTheft,9\n")
    (landing / "kent" / "link.csv").symlink_to(outside / "secret.csv")
    (landing / "elsewhere").symlink_to(outside, target_is_directory=True)
    found = {lf.source_file: parse_return(lf) for lf in discover(landing)}
    assert set(found) == {"elsewhere", "kent/link.csv"}  # nothing inside the linked folder
    for source_file, parsed in found.items():
        assert parsed.status == "quarantined" and parsed.rows == []
        assert parsed.reason.startswith(f"{source_file}: a symbolic link (to {outside}")
        assert "links are not followed" in parsed.reason


def test_partition_keys_never_reach_outside_the_landing_folder(tmp_path):
    """A force (partition key) comes from the UI or the sensor; it only filters discovery,
    it is never joined onto a path."""
    import duckdb

    from orchestration.ingest.load import ingest_landing

    landing, outside = tmp_path / "landing", tmp_path / "outside"
    (landing / "kent").mkdir(parents=True)
    outside.mkdir()
    (outside / "secret.csv").write_text("Offence,Count\nTheft,9\n")
    (landing / "kent" / "r.csv").write_text("Offence,Count\nTheft,1\n")
    with duckdb.connect(str(tmp_path / "wh.duckdb")) as con:
        for forces in ({"../outside"}, {str(outside)}, {".."}, {"kent/../../outside"}):
            summary = ingest_landing(con, landing, forces)
            assert summary.ingested == [] and summary.unchanged == []
        assert con.execute("select count(*) from raw.returns").fetchone() == (0,)
        assert ingest_landing(con, landing, {"kent"}).ingested == ["kent/r.csv#" + discover(landing)[0].sha256[:12]]


def test_an_approval_added_later_reads_the_file_again(tmp_path):
    """A person checks the reading card, then approves it in the profile: the stored return
    must be read again for the approval to count; an approval of other content approves
    nothing and says so."""
    import duckdb

    from orchestration.ingest.landing import sha256_of
    from orchestration.ingest.load import ingest_landing

    d = tmp_path / "landing" / "durham"
    d.mkdir(parents=True)
    (d / "cr.csv").write_text("Offence,Count\nShoplifting,3\nHarassment,1\n")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    ingest_landing(con, tmp_path / "landing")
    verification = "select verification from raw.tables join raw.returns using (return_id) where is_current"
    assert con.execute(verification).fetchall() == [("unverified",)]
    (d / "cr.csv.profile.yaml").write_text("approved: '0123456789abcdef'\n")
    summary = ingest_landing(con, tmp_path / "landing")
    assert len(summary.ingested) == 1 and con.execute(verification).fetchall() == [("unverified",)]
    assert "the approval is for other content" in summary.warnings[0]
    (d / "cr.csv.profile.yaml").write_text(f"approved: {sha256_of(d / 'cr.csv')}\n")
    ingest_landing(con, tmp_path / "landing")
    assert con.execute(verification).fetchall() == [("profile",)]
    assert ingest_landing(con, tmp_path / "landing").unchanged  # nothing changed since: not read again
    (d / "cr.csv.profile.yaml").write_text("approved: 0000000000000000\n")  # YAML reads a number: refused
    assert "'approved' is 0: expected the file's sha256" in ingest_landing(con, tmp_path / "landing").quarantined.popitem()[1]


def test_a_list_continued_on_the_next_sheet_is_one_table(tmp_path):
    """Excel holds about a million rows a sheet: a longer export goes on in 'Data (2)' under
    the same header. One list, so one table (never two of one population for dbt to compare)."""
    from openpyxl import Workbook

    d = tmp_path / "kent"
    d.mkdir()
    wb = Workbook()
    first = wb.active
    first.title = "Data"
    header = ["Crime Ref", "Offence", "Outcome"]
    first.append(header)
    for i in range(3):
        first.append([f"K{i}", "Shoplifting", "Community Resolution"])
    second = wb.create_sheet("Data (2)")
    second.append(header)
    for i in range(2):
        second.append([f"L{i}", "Harassment", "Charged"])
    wb.save(d / "export.xlsx")
    parsed = _one(tmp_path)
    assert parsed.status == "loaded"
    (table,) = parsed.tables
    assert (table.sheet, table.data_low, table.data_high) == ("Data", 5, 5)
    assert {(r.sheet, r.row_kind) for r in parsed.rows if r.table_index == 0} == {
        ("Data", "header"), ("Data", "data"), ("Data (2)", "header"), ("Data (2)", "data")}


def test_a_table_naming_no_period_takes_the_one_year_its_file_name_names(tmp_path):
    def period(name: str, text: str):
        folder = tmp_path / name.replace(" ", "_").replace(".", "_")
        (folder / "kent").mkdir(parents=True)
        (folder / "kent" / name).write_text(text)
        (table,) = _one(folder).tables
        return table.default_period

    body = "Offence,Number of community resolutions\nShoplifting,12\nHarassment,3\n"
    assert period("CR 2021-22.csv", body) == "2021-22"
    # near misses: two years named, a reference that is not a year, a title that names
    # another year, a period column: the file name is not used
    assert period("CR 2021-22 and 2022-23.csv", body) is None
    assert period("FOI 2025-0412.csv", body) is None
    assert period("CR 2021-22 b.csv", "Community resolutions issued in 2023/24\n\n" + body) == "2023/24"
    assert period("CR 2021-22 c.csv", "Financial Year,Offence,Count\n2022/23,Shoplifting,12\n") is None
