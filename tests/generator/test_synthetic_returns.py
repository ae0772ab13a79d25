"""The synthetic-returns generator: deterministic, tells the published story, and writes
every promised shape (checked by reading the files back, not from its bookkeeping)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import yaml

from synthetic_returns.generate import generate
from synthetic_returns.reference import Reference
from tests.generator.readback import read_landing, tree_digest

STORY = {
    "sexual_offences": 2949, "rape": 2, "sexual_assault_girls_under_13": 24, "sexual_assault_boys_under_13": 13,
    "indecent_images": 748, "sexual_activity_children": 164, "child_cruelty": 80, "kidnapping_abduction": 6,
    "countries_drug_offences": 128, "countries_violence": 99,
}
ROOT = Path(__file__).resolve().parents[2]
FY = re.compile(r"^(FY)?\d{2,4}[/-]\d{2,4}$")


def assert_story(m: dict) -> None:
    f = m["figures"]
    for fid, value in STORY.items():
        assert (f[fid]["truth"], f[fid]["low"], f[fid]["high"]) == (value, value, value), fid
    assert f["sexual_assault_girls_13_to_16"]["low"] == 134
    assert f["sexual_assault_girls_13_to_16"]["high"] >= f["sexual_assault_girls_13_to_16"]["truth"] >= 134
    assert f["foreign_nationals"]["low"] >= 14_000
    assert f["total"]["low"] > 412_000
    assert f["total"]["low"] <= f["total"]["truth"] <= f["total"]["high"]
    assert m["durham_foreign_sexual_offenders"] == {"IRN": 1, "PHL": 1}
    statuses = Counter(x["status"] for x in m["forces"].values())
    assert statuses == {"returned": 38, "refused": 6}
    sections = Counter(x["foi_section"] for x in m["forces"].values() if x["status"] == "refused")
    assert sections == {"s12": 3, "s21": 1, "s40(2)": 2}
    returned = [x for x in m["forces"].values() if x["status"] == "returned"]
    assert sum(not x["nationality_provided"] for x in returned) == 4
    assert sum(x["period_type"] == "calendar_year" for x in returned) >= 1


def test_same_seed_same_bytes(sample, tmp_path):
    """Byte-identical from another process with another hash seed (set order, dict order,
    time stamps all fixed)."""
    out, _ = sample
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run([sys.executable, "-m", "synthetic_returns", "--seed", "2025", "--scale", "1", "--out", str(tmp_path)],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    assert tree_digest(tmp_path) == tree_digest(out)


def test_shipped_sample_is_what_the_generator_writes(sample):
    """data/sample is regenerated whenever the generator changes (README's command)."""
    assert tree_digest(ROOT / "data" / "sample") == tree_digest(sample[0])


def test_seed_2025_tells_the_story(sample):
    assert_story(sample[1])


def test_another_seed_other_files_same_story(sample, other_seed):
    assert_story(other_seed[1])
    a, b = tree_digest(sample[0] / "landing"), tree_digest(other_seed[0] / "landing")
    assert a != b
    assert len(set(a.values()) & set(b.values())) < len(a) // 2


def test_rows_are_what_a_spreadsheet_shows(sample, files):
    m = sample[1]
    assert set(files) == set(m["files"])
    for rel, f in files.items():
        assert f.rows == m["files"][rel]["rows"], rel
        assert {k: len(v) for k, v in f.sheets.items()} == m["files"][rel]["sheets"], rel


def test_record_level_rows_and_outcomes(sample, files):
    """Record-level exports: a CR row per community resolution, other outcomes mixed in,
    every outcome label variant present."""
    m = sample[1]
    cr_labels = {"Community Resolution", "8: Community resolution", "Type 8 - Community Resolution", "8: Youth restorative disposal"}
    other_labels = {"1: Charged/Summonsed", "Penalty Notice for Disorder", "3: Caution - adults"}
    seen = Counter()
    record_files = [rel for rel, f in m["files"].items() if f["rows_other_outcome"]]
    assert 5 <= len({r.split("/")[0] for r in record_files}) <= 7
    assert any(r.startswith("durham/") for r in record_files)
    total_record_rows = 0
    for rel in record_files:
        # a Summary sheet restates the records (its rows are rows_totals, checked in test_totals)
        summary = {t["sheet"] for t in m["files"][rel]["totals"] if t["kind"] == "summary"}
        cells = Counter(c for name, rows in files[rel].sheets.items() if name not in summary
                        for row in rows for c in row if isinstance(c, str))
        cr = sum(n for label, n in cells.items() if label in cr_labels)
        other = sum(n for label, n in cells.items() if re.match(r"^(\d+: |Penalty|Adult Caution|Conditional)", label) and label not in cr_labels)
        assert cr == m["files"][rel]["rows_loaded"], rel
        assert other == m["files"][rel]["rows_other_outcome"], rel
        total_record_rows += cr + other
        seen.update(label for label in cells if label in cr_labels | other_labels)
    assert set(seen) == cr_labels | other_labels
    assert total_record_rows <= 40_000
    # Excel dates in XLSX exports
    assert any(isinstance(c, dt.date) for rel in record_files if rel.endswith(".xlsx") for c in files[rel].cells())
    assert {r.rsplit(".", 1)[1] for r in record_files} == {"csv", "xlsx"}


def test_encodings_and_delimiters(files):
    csvs = [f for f in files.values() if f.path.suffix == ".csv"]
    encodings = Counter(f.encoding for f in csvs)
    assert encodings["utf-8-sig"] >= 1 and encodings["utf-8"] >= 1 and 1 <= encodings["cp1252"] <= 2
    for f in csvs:
        if f.encoding == "cp1252":
            assert re.search(r"[\u2013\u00e9\u00f4\u00fc]", f.path.read_bytes().decode("cp1252"))
    assert Counter(f.delimiter for f in csvs)[";"] == 1


def test_aggregate_layouts(files, sample):
    m = sample[1]
    all_cells = Counter(c for f in files.values() for c in f.cells() if isinstance(c, str))
    assert all_cells["Grand Total"] >= 1
    assert any(re.fullmatch(r"(FY)?\d{2,4}[/-]\d{2,4} Total", c) for c in all_cells)
    assert any(c.startswith("Source:") for c in all_cells)
    assert any(c.startswith("* denotes 1 to 4") for c in all_cells) or any("withheld" in c for c in all_cells)
    for token in ("<5", "*", "[c]", "1-4", "-"):
        assert all_cells[token] >= 1, token
    # zero written as 0 and left blank somewhere
    assert any(m["forces"][s]["zero_token"] == "" for s in m["forces"] if m["forces"][s]["status"] == "returned")
    headers = []
    for f in files.values():
        for name, rows in f.sheets.items():
            for i, row in enumerate(rows):
                text = [str(c).strip() for c in row]
                if sum(bool(FY.match(c)) for c in text) >= 3:
                    headers.append((f.rel, name, text))
    offence_x = [h for h in headers if re.search(r"offen|crime|code", h[2][0], re.I)]
    nationality_x = [h for h in headers if re.search(r"nationality", h[2][0], re.I)]
    assert offence_x and nationality_x
    # offence and nationality as separate tables of one return (two sheets or one sheet)
    assert {h[0] for h in offence_x} & {h[0] for h in nationality_x}
    # one sheet per financial year
    assert any({"2022-23", "2023-24", "2024-25"} <= set(f.sheets) for f in files.values())
    # a Notes sheet first
    assert any(next(iter(f.sheets)) == "Notes" and len(f.sheets) > 1 for f in files.values())
    # calendar years: a Year column holding 2022..2024
    cal = [s for s, x in m["forces"].items() if x.get("period_type") == "calendar_year"]
    cal_cells = {str(c) for rel in m["forces"][cal[0]]["files"] for c in files[rel].cells()}
    assert {"2022", "2023", "2024"} <= cal_cells and not any(FY.match(c) for c in cal_cells)


def test_return_profile(sample, files):
    profiles = list((sample[0] / "landing").rglob("*.profile.yaml"))
    assert profiles
    for path in profiles:
        prof = yaml.safe_load(path.read_text())
        f = files[path.relative_to(sample[0] / "landing").as_posix()[: -len(".profile.yaml")]]
        header = [str(c) for c in f.sheets[prof.get("sheet", "")][prof["header_row"] - 1]]
        assert set(prof["columns"]) <= set(header)
        assert set(prof["columns"].values()) <= {"offence_text", "offence_code", "nationality", "count", "period"}


def test_refusals(sample):
    landing = sample[0] / "landing"
    refusals = sorted(landing.glob("*/refusal.yaml"))
    assert len(refusals) == 6
    for path in refusals:
        info = yaml.safe_load(path.read_text())
        assert info["section"] in ("s12", "s21", "s40(2)") and len(info["note"]) > 20
        assert [p.name for p in path.parent.iterdir()] == ["refusal.yaml"]
    s21 = [yaml.safe_load(p.read_text()) for p in refusals if yaml.safe_load(p.read_text())["section"] == "s21"]
    assert "published" in s21[0]["note"]


def test_offence_and_nationality_labels(sample, files):
    ref = Reference()
    cells = {c for f in files.values() for c in f.cells() if isinstance(c, str)}
    assert {"105A"} & cells or any(re.fullmatch(r"\d{1,3}[A-Z]", c) for c in cells)
    assert any(re.fullmatch(r"\d{2,3}/\d{1,2}", c) for c in cells)  # HOCR sub-codes
    assert any(re.match(r"^[A-Z][A-Za-z ]+ Act \d{4} s\.\d+[A-Z]* - ", c) for c in cells)
    police_upper = {r["offence_text"].upper() for r in ref.text_alias_rows if r["kind"] == "police_label"}
    assert cells & police_upper - {t for t in police_upper if t.isdigit()}
    kinds = {r["offence_text"]: r["kind"] for r in ref.text_alias_rows}
    assert {kinds[c] for c in cells if c in kinds} >= {"offence", "ons_description", "class_name"}
    assert {"Local offence - see notes", "Other"} <= cells
    assert sample[1]["offence_groups"]["Unmapped offence"][0] > 0
    # nationalities: several in a cell, refused and unknown values, Kosovo
    multi = [c for c in cells if re.search(r"\S(/| / |, )\S", c) and ref.lookup_whole(c) is None
             and ref.nationality(c)[1] in ("uk", "foreign")]
    assert any("British" in c for c in multi) and any("British" not in c for c in multi)
    assert "Refused" in cells and ({"Unknown", "Not Known"} & cells)
    assert any(ref.nationality(c)[0] == "XKX" for c in cells)
    # not recorded for over half of one force's community resolutions
    shares = [v["unknown"][0] / max(1, sum(x[0] for x in v.values()))
              for name, v in sample[1]["nationality_by_force"].items()
              if any(x["force_name"] == name and x["nationality_provided"] for x in sample[1]["forces"].values())]
    assert 1 <= sum(s > 0.5 for s in shares) <= 2


def test_scale_two_doubles_record_rows(other_seed, tmp_path):
    out1, m1 = other_seed
    m2 = generate(7, 2, tmp_path)
    record = [rel for rel, f in m1["files"].items() if f["rows_other_outcome"]]
    assert record
    for rel, f in m1["files"].items():
        g = m2["files"][rel]
        if rel in record:
            assert g["rows_loaded"] == 2 * f["rows_loaded"] and g["rows_other_outcome"] == 2 * f["rows_other_outcome"]
            assert g["community_resolutions"] == [2 * x for x in f["community_resolutions"]]
        else:
            assert (tmp_path / "landing" / rel).read_bytes() == (out1 / "landing" / rel).read_bytes()
    read2 = read_landing(tmp_path / "landing")
    for rel in record:
        assert read2[rel].rows == m2["files"][rel]["rows"]
    refs = [r[0] for rel in record for rows in read2[rel].sheets.values() for r in rows if r and re.fullmatch(r"[A-Z]{2,3}/\d{2}/\d{7}", str(r[0]))]
    assert len(refs) == len(set(refs)) == sum(m2["files"][rel]["rows_loaded"] + m2["files"][rel]["rows_other_outcome"] for rel in record)
    f1, f2 = m1["figures"], m2["figures"]
    assert f2["total"]["truth"] - f1["total"]["truth"] == sum(m1["files"][rel]["rows_loaded"] for rel in record)


def test_manifest_is_json_with_files_for_every_force(sample):
    out, m = sample
    on_disk = json.loads((out / "truth.json").read_text())
    assert on_disk["figures"] == m["figures"]
    listed = {p for x in m["forces"].values() for p in x["files"]}
    written = {p.relative_to(out / "landing").as_posix() for p in (out / "landing").rglob("*")
               if p.is_file() and not p.name.endswith(".profile.yaml")}
    assert listed == written
    assert "synthetic" in (out / "README.md").read_text().lower()
