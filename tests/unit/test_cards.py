"""Reading cards (orchestration/cards.py) rendered from a warehouse made by ingesting the
hand-made returns in tests/fixtures/landing (their figures are worked out in its README),
before dbt has run: what the reader found, read back as a person would check it."""

import csv
import hashlib
import re
import shutil

import duckdb
import pytest

from orchestration.cards import MAX_CARD_CHARS, approval, card_path, render_card, write_cards
from orchestration.ingest.load import ingest_landing
from tests.conftest import FIXTURE_LANDING, ROOT

HUMBERSIDE = "humberside/Humberside CR by offence and nationality.xlsx"


def sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plain(text):
    """A card's text without its Markdown escapes ('kent\\_return' -> 'kent_return')."""
    return re.sub(r"\\(.)", r"\1", text)


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    landing = tmp_path_factory.mktemp("cards") / "landing"
    shutil.copytree(FIXTURE_LANDING, landing)
    # Derbyshire's profile approves its file; West Mercia's names another file's sha256
    derbyshire = landing / "derbyshire" / "derbyshire_cr.xlsx"
    (landing / "derbyshire" / "derbyshire_cr.xlsx.profile.yaml").write_text(f"approved: {sha(derbyshire)}\n")
    (landing / "west-mercia" / "cr_2023.csv.profile.yaml").write_text(f'approved: "{sha(landing / HUMBERSIDE)}"\n')
    return landing


@pytest.fixture(scope="module")
def con(landing):
    with duckdb.connect() as con:
        ingest_landing(con, landing)
        yield con


def card_of(con, source_file):
    (rid,) = con.execute("select return_id from raw.returns where source_file = ?", [source_file]).fetchone()
    return render_card(con, rid)


def grid(card):
    """The rows grid of a one-table card: {row: (kind, cells)}, cells unescaped."""
    lines = card[card.index("| row | kind |"):].splitlines()[2:]
    out = {}
    for line in lines:
        if not line.startswith("| "):
            break
        cells = [plain(c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        out[int(cells[0])] = (cells[1], cells[2:])
    return out


def test_humberside_card_shows_the_reading_and_its_three_total_checks(con, landing):
    card = card_of(con, HUMBERSIDE)
    header = card.splitlines()[2]
    assert header == (f"**Humberside CR by offence and nationality.xlsx** · force Humberside · "
                      f"sha256 `{sha(landing / HUMBERSIDE)[:12]}` · status **loaded** · verification **reconciled**")
    assert "- **Where**: sheet 'Community Resolutions', header row 5, rows 6–22 below it" in card
    assert "- **Shape**: aggregate" in card
    assert "- **Counts**: community resolutions (its title or a count heading says so)" in card
    # 222 exact + two withheld cells (each at least 1) + 184 = 408 at least (fixtures README)
    low, high = con.execute("select data_low, data_high from raw.tables where return_id like 'humberside/%'").fetchone()
    assert low == 408 and f"- **Sum of its count cells** (every outcome): {low:,}–{high:,}" in card
    checks = [plain(line[4:]) for line in card.splitlines() if line.startswith("  - ")]
    stored = con.execute("select checks from raw.tables where return_id like 'humberside/%'").fetchone()[0]
    assert checks == stored
    totals = [c for c in checks if re.match(r"row \d+ '.*Total'", c)]
    assert [(c.split()[1], c.rsplit("(", 1)[1]) for c in totals] == [("12", "226)"), ("18", "184)"), ("19", "410)")]
    # every column with its heading and the role given to it
    for letter, heading, role in [("A", "Financial Year", "period"), ("B", "Offence Group", "offence"),
                                  ("C", "HO Class", "offence code"), ("D", "Nationality", "nationality"),
                                  ("E", "Number of Community Resolutions", "count")]:
        assert f"| {letter} | {heading} | {role} (heading) |" in card
    # the header, the first five data rows and the three total rows, as in the file
    rows = grid(card)
    assert list(rows) == [5, 6, 7, 8, 9, 10, 12, 18, 19]
    assert rows[5] == ("header", ["Financial Year", "Offence Group", "HO Class", "Nationality",
                                  "Number of Community Resolutions"])
    assert rows[6] == ("data", ["2022/23", "Sexual offences", "19C", "British", "<5"])
    assert rows[19] == ("total", ["Grand Total", "", "", "", "410"])
    assert "*The reader's view:" in card and "| disposition |" not in card


def test_record_level_card_shows_the_first_five_records(con):
    card = card_of(con, "durham/FOI-2025-0412 community resolutions.csv")
    assert "status **loaded** · verification **unverified**" in card
    assert "- **Where**: header row 4, rows 5–19 below it" in card
    assert "- **Records** (every outcome): 13" in card  # 13 records, 2 of them other outcomes
    assert "- **Checks**: none" in card
    rows = grid(card)
    assert list(rows) == [4, 5, 6, 7, 8, 9]
    assert rows[7][1][:4] == ["DU/22/0003", "46", "Shoplifting", "1: Charged/Summonsed"]
    assert "**Rows** by kind: 13 data, 2 blank, 2 title, 1 header, 1 note" in card  # 19 rows read


def test_quarantined_and_refused_cards_give_the_reason_in_full(con):
    kent = card_of(con, "kent/kent_return.xlsx")
    (reason,) = con.execute("select reason from raw.returns where source_file = 'kent/kent_return.xlsx'").fetchone()
    assert "status **quarantined** · verification **—**" in kent
    assert f"**Quarantined**: {reason}" in plain(kent)
    assert "## Table" not in kent
    lancashire = card_of(con, "lancashire/refusal.yaml")
    assert "**Refused**: s12: Cost of compliance exceeds the appropriate limit" in lancashire


def test_a_profile_approves_only_the_file_whose_sha256_it_holds(con, landing):
    derbyshire = card_of(con, "derbyshire/derbyshire_cr.xlsx")
    assert derbyshire.splitlines()[2] == (
        f"**derbyshire\\_cr.xlsx** · force Derbyshire · sha256 `{sha(landing / 'derbyshire' / 'derbyshire_cr.xlsx')[:12]}` "
        "· status **loaded** · verification **profile** · approved by profile")
    assert "**Approved by profile**" in derbyshire
    west_mercia = card_of(con, "west-mercia/cr_2023.csv")
    assert west_mercia.splitlines()[2].endswith("· verification **unverified** · profile approval does not match this file")
    assert (f"**Not approved**: the return profile approves sha256 `{sha(landing / HUMBERSIDE)}`, but this file's "
            f"sha256 is `{sha(landing / 'west-mercia' / 'cr_2023.csv')}`") in west_mercia
    assert "approved" not in card_of(con, HUMBERSIDE).lower()


def test_approval_reads_the_stored_profile():
    digest = "ab" * 32
    assert approval(None, digest).state == "none"
    assert approval(str({"sheet": "Data"}), digest).state == "none"
    assert approval(str({"approved": digest.upper()}), digest).state == "approved"
    assert approval(str({"approved": digest[:12]}), digest).state == "approved"  # as the reader: 12 digits suffice
    assert approval(str({"approved": digest[:11]}), digest).state == "unreadable"
    assert approval(str({"approved": "cd" * 32}), digest).state == "other_file"
    assert approval(str({"approved": "yes"}), digest).state == "unreadable"
    # a profile holding a date is not a Python literal: the approved line is found all the same
    assert approval(f"{{'received': datetime.date(2025, 5, 1), 'approved': '{digest}'}}", digest).state == "approved"


def test_card_paths():
    assert str(card_path("durham", "durham/FOI 1.csv")) == "durham/FOI 1.csv.md"
    assert str(card_path("durham", "durham/2024/a.csv")) == "durham/2024/a.csv.md"
    assert str(card_path("", "loose.csv")) == "_landing_root/loose.csv.md"
    long = card_path("kent", "kent/" + "é" * 126 + ".csv")  # 256 bytes: no room for '.md'
    assert len(long.name.encode()) <= 255 and long.name.startswith("é" * 90) and long.suffix == ".md"


def test_write_cards_writes_one_card_per_current_return_and_an_index(con, tmp_path):
    n = write_cards(con, tmp_path / "cards")
    assert n == 7
    files = sorted(p.relative_to(tmp_path / "cards").as_posix() for p in (tmp_path / "cards").rglob("*.md"))
    assert files == ["README.md", "derbyshire/derbyshire_cr.xlsx.md", "durham/FOI-2025-0412 community resolutions.csv.md",
                     "essex/essex response.csv.md", f"{HUMBERSIDE}.md", "kent/kent_return.xlsx.md",
                     "lancashire/refusal.yaml.md", "west-mercia/cr_2023.csv.md"]
    index = (tmp_path / "cards" / "README.md").read_text()
    assert ("| humberside | Humberside CR by offence and nationality.xlsx | loaded | reconciled | "
            "[card](humberside/Humberside%20CR%20by%20offence%20and%20nationality.xlsx.md) |") in index
    assert "| derbyshire | derbyshire\\_cr.xlsx | loaded | profile, approved by profile |" in index
    assert "| kent | kent\\_return.xlsx | quarantined | — |" in index


def test_a_sixty_column_sheet_makes_a_small_card_that_text_cannot_break(tmp_path):
    """58 nationalities across, and an offence label holding '|', '<b>' and a line break:
    the columns across are one line of the column list, the grid shows columns A-L, and
    every grid line keeps its cells."""
    names = [r["country_name"] for r in csv.DictReader((ROOT / "dbt_project/seeds/iso_countries.csv").open())
             if r["source"] == "alpha_3"][:58]
    (tmp_path / "kent").mkdir()
    with (tmp_path / "kent" / "wide.csv").open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Financial Year", "Offence"] + names)
        for i, offence in enumerate(["Shoplifting", "Theft | from <b>shop</b>\nlifting", "Criminal damage"]):
            w.writerow(["2023/24", offence] + [str((i + j) % 3) for j in range(58)])
    with duckdb.connect() as con:
        ingest_landing(con, tmp_path)
        assert con.execute("select status from raw.returns").fetchone() == ("loaded",)
        card = card_of(con, "kent/wide.csv")
    assert len(card) < 8000 < MAX_CARD_CHARS
    assert "crosstab, nationality across (58:" in card
    assert re.search(r"^\| C–BH \| Aruba, .* \(58 columns\) \| counts across: nationality \|$", card, re.M)
    rows = grid(card)
    assert all(len(cells) == 12 for _, cells in rows.values())  # columns A-L of BH
    assert rows[3] == ("data", ["2023/24", "Theft | from <b>shop</b> lifting", "1", "2", "0", "1", "2", "0", "1", "2",
                                "0", "1"])
    assert not re.search(r"(?<!\\)<", card)  # every '<' escaped: '\<b>' shows as text, never as HTML


def test_past_twelve_tables_a_card_lists_the_rest_one_line_each(tmp_path):
    """15 tables split by blank rows (2010/11 to 2024/25, counts i + 1 and 2): twelve in
    full, three in one line each, with their sums."""
    lines = []
    for i in range(15):
        year = f"{2010 + i}/{(11 + i) % 100:02d}"
        lines += ["Financial Year,Offence,Number of community resolutions",
                  f"{year},Shoplifting,{i + 1}", f"{year},Criminal damage,2", ""]
    (tmp_path / "kent").mkdir()
    (tmp_path / "kent" / "many.csv").write_text("\n".join(lines))
    with duckdb.connect() as con:
        ingest_landing(con, tmp_path)
        card = card_of(con, "kent/many.csv")
    assert card.count("\n## Table ") == 12
    assert card.endswith("## 3 more tables (one line each)\n\n"
                         "- table 13: header row 49, rows 50–52 below it, aggregate, sums 15, unverified\n"
                         "- table 14: header row 53, rows 54–56 below it, aggregate, sums 16, unverified\n"
                         "- table 15: header row 57, rows 58–59 below it, aggregate, sums 17, unverified\n")
