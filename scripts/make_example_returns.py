"""Write the small hand-made returns shipped in data/landing/.

They are synthetic, modelled on the shapes real FOI returns take, and small enough that
every figure the end-to-end test asserts can be checked by hand (see
tests/fixtures/landing/README.md for the worked totals). Rerunning writes identical content.

    python -m scripts.make_example_returns [landing_dir]
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from openpyxl import Workbook

ROOT = Path(__file__).resolve().parents[1]


def _save_xlsx(wb: Workbook, path: Path) -> None:
    # fixed document times so the bytes (and so the sha256) are stable
    wb.properties.created = wb.properties.modified = dt.datetime(2025, 6, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def durham(landing: Path) -> None:
    """Record-level CSV, UTF-8 with BOM, title block, other outcomes mixed in, a footnote."""
    lines = [
        "Durham Constabulary - FOI 2025/0412",
        "Community resolutions and other outcomes, 1 April 2022 to 31 March 2025",
        "",
        "Crime Reference,HO Offence Code,Offence Description,Outcome,Outcome Date,Offender Nationality,Offender Age",
        "DU/22/0001,105A,Assault without injury,8: Community resolution,2022-05-03,British,34",
        "DU/22/0002,46,Shoplifting,8: Community resolution,2022-07-19,Romanian,29",
        "DU/22/0003,46,Shoplifting,1: Charged/Summonsed,2022-08-01,British,41",
        "DU/23/0004,58A,Criminal damage to a dwelling,8: Youth restorative disposal,2023-01-10,Not Recorded,15",
        "DU/23/0005,20A,Sexual assault on a female aged 13 and over,8: Community resolution,2023-02-14,Philippines,52",
        "DU/23/0006,88E,Exposure and voyeurism,8: Community resolution,2023-06-30,Iranian,38",
        "DU/23/0007,105A,Assault without injury,3: Caution - adults,2023-07-01,Polish,22",
        "DU/23/0008,92E,Possession of cannabis,8: Community resolution,2023-09-09,Polish,19",
        "DU/24/0009,8L,Harassment,8: Community resolution,2024-03-31,British,45",
        "DU/24/0010,8L,Harassment,8: Community resolution,2024-04-01,british,45",
        "DU/24/0011,86,Obscene publications etc,8: Community resolution,2024-11-11,England,61",
        "DU/25/0012,105A,Assault without injury,8: Community resolution,2025-01-20,Irish Republic (Eire),27",
        "DU/25/0013,999Z,Unlisted local offence,8: Community resolution,2025-02-02,Atlantean,30",
        "",
        "Source: Durham Constabulary crime recording system, extracted 12/05/2025.",
    ]
    path = landing / "durham" / "FOI-2025-0412 community resolutions.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8"))


def humberside(landing: Path) -> None:
    """Aggregate XLSX: title block, suppressed cells, a dash for zero, subtotal and grand total rows, notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Community Resolutions"
    rows = [
        ["Humberside Police"],
        ["Freedom of Information request 2025-118: community resolutions by offence and nationality"],
        [],
        [],
        ["Financial Year", "Offence Group", "HO Class", "Nationality", "Number of Community Resolutions"],
        ["2022/23", "Sexual offences", "19C", "British", "<5"],
        ["2022/23", "Theft offences", "46", "British", 120],
        ["2022/23", "Theft offences", "46", "Lithuanian", 7],
        ["2022/23", "Theft offences", "46", "Not recorded", 15],
        ["2022/23", "Violence against the person", "105A", "British", 80],
        ["2022/23", "Violence against the person", "105A", "Polish", "*"],
        ["2022/23 Total", None, None, None, 226],
        ["2023/24", "Theft offences", "46", "British", 130],
        ["2023/24", "Theft offences", "46", "Romania", 9],
        ["2023/24", "Drug offences", "92D", "Albanian", 5],
        ["2023/24", "Drug offences", "92D", "British", 40],
        ["2023/24", "Public order offences", "9A", "British", "-"],
        ["2023/24 Total", None, None, None, 184],
        ["Grand Total", None, None, None, 410],
        [],
        ["* and <5: figures between 1 and 4 are withheld under section 40(2) of the FOI Act."],
        ["- denotes nil."],
    ]
    for row in rows:
        ws.append(row)
    _save_xlsx(wb, landing / "humberside" / "Humberside CR by offence and nationality.xlsx")


def west_mercia(landing: Path) -> None:
    """Aggregate CSV in Windows-1252, semicolon-delimited, by calendar year, a 1-4 band."""
    lines = [
        "Year;Offence;Nationality;Total",
        "2023;Shoplifting;British;55",
        "2023;Criminal damage \u2013 dwelling;British;12",
        "2023;Criminal damage \u2013 dwelling;C\u00f4te d'Ivoire;1-4",
        "2023;Harassment;Romanian;3",
        "2023;Harassment;Unknown;2",
    ]
    path = landing / "west-mercia" / "cr_2023.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def derbyshire(landing: Path) -> None:
    """Record-level XLSX: a notes sheet first, sub-codes and free text for offences, real
    Excel dates, a code mangled into a date serial, multi-nationality cells."""
    wb = Workbook()
    notes = wb.active
    notes.title = "Notes"
    notes.append(["Derbyshire Constabulary"])
    notes.append(["Please see the data sheet. Outcome types follow the Home Office counting rules."])
    data = wb.create_sheet("Data")
    data.append(["Occurrence Number", "Offence", "Outcome Type", "Outcome Date", "Nationality"])
    records = [
        ["DY-001", "019/16", "Community Resolution", dt.datetime(2022, 6, 1), "British"],
        ["DY-002", "Rape of a female aged 16 and over", "Type 8 - Community Resolution", dt.datetime(2023, 3, 15), "British/Irish"],
        ["DY-003", "46", "Community Resolution", dt.datetime(2023, 4, 2), "ROU"],
        ["DY-004", "46", "Penalty Notice for Disorder", dt.datetime(2023, 5, 5), "British"],
        ["DY-005", "105A", "Community Resolution", dt.datetime(2024, 1, 9), "China (People's Rep. Of)"],
        ["DY-006", "105A", "Community Resolution", dt.datetime(2024, 2, 29), "Romanian, Italian"],
        ["DY-007", 43986, "Community Resolution", dt.datetime(2024, 6, 18), "Refused"],
        ["DY-008", "COMMON ASSAULT", "Community Resolution", dt.datetime(2025, 3, 31), "Polish"],
    ]
    for record in records:
        data.append(record)
    for row in data.iter_rows(min_row=2, min_col=4, max_col=4):
        row[0].number_format = "dd/mm/yyyy"
    _save_xlsx(wb, landing / "derbyshire" / "derbyshire_cr.xlsx")


def broken_returns(landing: Path) -> None:
    """Returns that must be quarantined with a reason, and a refusal."""
    kent = landing / "kent" / "kent_return.xlsx"
    kent.parent.mkdir(parents=True, exist_ok=True)
    kent.write_bytes(b"PK\x03\x04" + bytes(range(256)) * 4)  # a zip header and then garbage
    essex = landing / "essex" / "essex response.csv"
    essex.parent.mkdir(parents=True, exist_ok=True)
    essex.write_text(
        "Dear requester,\nWe hold the information but it is attached as a PDF.\nRegards\nEssex Police FOI team\n",
        encoding="utf-8",
    )
    refusal = landing / "lancashire" / "refusal.yaml"
    refusal.parent.mkdir(parents=True, exist_ok=True)
    refusal.write_text('section: "s12"\nnote: "Cost of compliance exceeds the appropriate limit"\n', encoding="utf-8")


def main(landing: Path) -> None:
    for write in (durham, humberside, west_mercia, derbyshire, broken_returns):
        write(landing)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "tests" / "fixtures" / "landing")
