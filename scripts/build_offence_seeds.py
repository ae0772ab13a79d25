"""Regenerate the three offence seeds in dbt_project/seeds/ from the reference tables.

Inputs (read here only, never at run time): the ONS offence hierarchy 2017/18 and the
Home Office Counting Rules notifiable offence list (April 2026), both OGL v3.0.

* offence_classes.csv       one row per canonical class code (ONS spelling: `37.2`, `19E`).
                            The 136 ONS codes, the four parts of the combined homicide
                            code (1, 4.1, 4.2, 4.10) and every counting-rules class that
                            ONS does not list (19J, 28I, 8U, NFIB9, ...), whose group and
                            sub-group come from the counting rules via GROUPS / SUBGROUPS.
* offence_code_aliases.csv  written forms of codes: the class code (`class`), its slash
                            form (`37/2`, `class_slash`), HOCR sub-codes (`019/16`,
                            `subcode`) and their unpadded form (`19/16`, `subcode_unpadded`).
                            A sub-code listed under several classes goes to an ONS class
                            first, then the lowest code; the others are named in `note`.
                            On a clash of spellings the earlier kind wins (class forms
                            beat sub-code forms: `37/2` is class 37.2, not sub-code 037/02).
                            Zero-padded class forms (`019E`) are not added: not seen in use.
* offence_text_aliases.csv  lookup_key(label) -> class.  Kinds, first listed wins a key:
                            police_label (hand-reviewed, below), ons_description,
                            class_name (counting-rules category without its code),
                            offence (counting-rules offence description).  Within an
                            automatic kind a key naming several classes is kept only if
                            exactly one of them is backed by ONS; otherwise it is dropped.

Run from the repo root:
    .venv/bin/python -m scripts.build_offence_seeds [REFERENCE_DIR]
"""

import csv
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # so `python scripts/build_offence_seeds.py` also works

from orchestration.ingest.text import lookup_key  # noqa: E402

SEEDS = ROOT / "dbt_project" / "seeds"
DEFAULT_REFERENCE = ROOT / ".." / "shared" / "reference"
ONS_FILE = "ons_offence_hierarchy_2017_18.csv"
HOCR_FILE = "home_office_notifiable_offences_apr2026.csv"

HOMICIDE = "1-4.1-4.10-4.2"
HOMICIDE_PARTS = ("1", "4.1", "4.2", "4.10")

# Counting-rules `Class` (lower case, trimmed) -> ONS offence group.
GROUPS = {
    "arson and criminal damage": "Criminal damage and arson",
    "burglary": "Theft offences",
    "drug offences": "Drug offences",
    "miscellaneous crimes against society": "Miscellaneous crimes against society",
    "nfib fraud": "Fraud offences",
    "possession of weapons": "Possession of weapons offences",
    "public order offences": "Public order offences",
    "robbery": "Robbery",
    "sexual offences": "Sexual offences",
    "theft": "Theft offences",
    "vehicle offences": "Theft offences",
    "violence against the person": "Violence against the person",
}
# Counting-rules `Sub class` (lower case, trimmed) -> ONS 2017/18 sub-group, for the
# classes ONS does not list.  Residential burglary (home or unconnected building) was
# "Domestic burglary" in 2017/18; stalking and harassment was "Harassment".
SUBGROUPS = {
    "": "",
    "rape": "Rape",
    "residential burglary of a home": "Domestic burglary",
    "residential burglary of unconnected building": "Domestic burglary",
    "stalking and harassment": "Harassment",
    "violence with injury": "Violence with injury",
}

# Labels forces use in record-level exports and summaries, with the class judged right.
POLICE_LABELS = [
    # violence against the person
    ("Common assault", "105A"),
    ("Common assault and battery", "105A"),
    ("ASSAULT WITHOUT INJURY", "105A"),
    ("Assault by beating", "105A"),
    ("Battery", "105A"),
    ("Racially aggravated common assault", "105B"),
    ("ABH", "8N"),
    ("Actual bodily harm", "8N"),
    ("Assault occasioning actual bodily harm", "8N"),
    ("ASSAULT WITH INJURY", "8N"),
    ("S47 ABH", "8N"),
    ("Section 47 assault", "8N"),
    ("S20 GBH", "8N"),  # s20 wounding / inflicting GBH without intent is 8N
    ("Malicious wounding", "8N"),
    ("Non-fatal strangulation", "8N"),
    ("Non-fatal strangulation and suffocation", "8N"),
    ("S18 GBH", "5D"),
    ("GBH with intent", "5D"),
    # s18 texts the counting rules also list under 8S / 8T (victim a constable / emergency
    # worker); without that context they are 5D, not the ONS-preferred 8S
    ("Wounding with intent to do grievous bodily harm", "5D"),
    ("Wounding with intent to resist/prevent arrest", "5D"),
    ("Cause GBH with intent to resist/prevent arrest", "5D"),
    ("Harassment", "8L"),
    ("Harassment without violence", "8L"),
    ("Breach of restraining order", "8L"),
    ("Racially aggravated harassment", "8M"),
    ("Malicious communications", "8R"),
    ("Stalking", "8Q"),
    ("Controlling or coercive behaviour", "8U"),
    ("Coercive control", "8U"),
    ("Child cruelty", "11A"),
    ("Cruelty to children/young persons", "11A"),
    ("Child neglect", "11A"),
    ("Kidnapping", "36"),
    ("False imprisonment", "36"),
    ("Child abduction", "13"),
    # sexual offences, and indecent images (86 is a crime against society in ONS)
    ("Exposure", "88E"),
    ("Indecent exposure", "88E"),
    ("Voyeurism", "88E"),
    ("Upskirting", "88E"),
    ("Cyber flashing", "88E"),
    ("Sexual assault on a female aged 13 and over", "20A"),
    ("Sexual assault on a female child under 13", "20B"),
    ("Sexual assault on a male aged 13 and over", "17A"),
    ("Sexual assault on a male child under 13", "17B"),
    ("Sexual activity involving a child under 13", "21"),
    ("Sexual activity involving a child under 16", "22B"),
    ("Sexual communication with a child", "88A"),
    ("Sharing intimate images without consent", "88C"),
    ("Possess indecent photograph of a child", "86"),
    ("Possession of indecent photographs of children", "86"),
    ("Making indecent images of children", "86"),
    ("Indecent images of children", "86"),
    ("IIOC", "86"),
    # theft and burglary (burglary labels use the current, post-2022 residential codes)
    ("Shoplifting", "46"),
    ("THEFT FROM SHOP", "46"),
    ("Theft - shoplifting", "46"),
    ("Theft of pedal cycle", "44"),
    ("Theft of bicycle", "44"),
    ("Bicycle theft", "44"),
    ("Making off without payment", "49A"),
    ("Bilking", "49A"),
    ("Theft from motor vehicle", "45"),
    ("Theft of motor vehicle", "48"),
    ("TWOC", "48"),
    ("Taking a motor vehicle without consent", "48"),
    ("Vehicle interference", "126"),
    ("Theft by employee", "41"),
    ("Theft - other", "49"),
    ("Burglary dwelling", "28I"),
    ("Attempted burglary dwelling", "28J"),
    ("Burglary other than dwelling", "30C"),
    ("Burglary non dwelling", "30C"),
    # criminal damage
    ("Criminal damage to dwelling", "58A"),
    ("Criminal damage to building other than dwelling", "58B"),
    ("Criminal damage to motor vehicle", "58C"),
    ("Criminal damage - other", "58D"),
    ("Racially aggravated criminal damage", "58J"),
    # public order (s4, s4A and s5 Public Order Act 1986 are all class 9A)
    ("Public Order S4", "9A"),
    ("Public Order S4A", "9A"),
    ("S5 Public Order", "9A"),
    ("Section 5 Public Order Act", "9A"),
    ("Harassment alarm or distress", "9A"),
    ("Intentional harassment alarm or distress", "9A"),
    ("Threatening behaviour", "9A"),
    ("Racially aggravated public order", "9B"),
    ("Affray", "66"),
    # drugs
    ("Possession of cannabis", "92E"),
    ("POSS CANNABIS", "92E"),
    ("Possession of controlled drugs (Cannabis)", "92E"),
    ("Possession of Class A drugs", "92D"),
    ("Possession of cocaine", "92D"),
    ("Possession of nitrous oxide", "92D"),
    ("Possession with intent to supply", "92A"),
    ("PWITS", "92A"),
    ("Cultivation of cannabis", "92A"),
    # weapons
    ("Possession of offensive weapon", "10C"),
    ("Possession of an offensive weapon in a public place", "10C"),
    ("Possession of article with blade or point", "10D"),
    ("Possession of bladed article", "10D"),
    ("Possession of a knife in a public place", "10D"),
    # fraud and other crimes against society
    ("Fraud by false representation", "53D"),  # ONS's catch-all false-representation code
    ("Going equipped", "33"),
    ("Possession of false identity documents", "61A"),
]
# Bare labels that name a family, not a class: never mapped from the automatic kinds.
# ("aggravated burglary" is 29B, 29C or 31A: the ONS preference would wrongly pick 31A.)
UNMAPPED = {"aggravated burglary", "arson", "assault", "burglary", "criminal damage", "fraud", "robbery", "theft"}

KIND_ORDER = ("police_label", "ons_description", "class_name", "offence")
CATEGORY = re.compile(r"^(NFIB)?\s*(\d+(?:/\d+)?[A-Z]?)\s+(.+)$", re.IGNORECASE)


def clean(text: str) -> str:
    return " ".join(text.split())


def code_order(code: str) -> tuple:
    """Natural order: 4.2 < 4.10 < 8N < 19E < 105A."""
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t) for t in re.findall(r"\d+|\D+", code))


def parse_category(category: str) -> tuple[str, str] | None:
    """'37/2 Aggravated Vehicle Taking ' -> ('37.2', 'Aggravated Vehicle Taking');
    'NFIB 90 Other Fraud ...' -> ('NFIB90', 'Other Fraud ...'); unclassed rows -> None."""
    m = CATEGORY.match(clean(category))
    if not m:
        return None
    return (m.group(1) or "").upper() + m.group(2).replace("/", ".").upper(), m.group(3)


def most_common(values) -> str:
    counts = Counter(values)
    return min(counts, key=lambda v: (-counts[v], v))


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))


def build(reference: Path):
    ons = read_csv(reference / ONS_FILE)
    hocr = [row | {"class": parse_category(row["Offence category"])} for row in read_csv(reference / HOCR_FILE)]
    unclassed = [row for row in hocr if row["class"] is None]
    hocr = [row | {"class": row["class"][0], "class_name": row["class"][1]} for row in hocr if row["class"]]

    # --- classes
    names = defaultdict(list)
    for row in hocr:
        names[row["class"]].append(row["class_name"])
    classes = {r["code"]: {"class_code": r["code"], "class_name": r["description"], "offence_group": r["offence_group"],
                           "offence_subgroup": r["offence_subgroup"], "in_ons_hierarchy": "true"} for r in ons}
    for code in HOMICIDE_PARTS:
        classes[code] = classes[HOMICIDE] | {"class_code": code, "class_name": most_common(names[code]),
                                             "in_ons_hierarchy": "false"}
    for code in sorted(set(names) - set(classes), key=code_order):
        rows = [row for row in hocr if row["class"] == code]
        groups = {(GROUPS[clean(r["Class"]).lower()], SUBGROUPS[clean(r["Sub class"]).lower()]) for r in rows}
        if len(groups) != 1:
            raise ValueError(f"class {code} maps to several ONS groups: {groups}")
        (group, subgroup), = groups
        classes[code] = {"class_code": code, "class_name": most_common(names[code]), "offence_group": group,
                         "offence_subgroup": subgroup, "in_ons_hierarchy": "false"}
    ons_backed = {r["code"] for r in ons} | set(HOMICIDE_PARTS)

    def pick(candidates: set[str]) -> str | None:
        """One class, or the only ONS-backed one among several; else None."""
        if len(candidates) == 1:
            return next(iter(candidates))
        in_ons = candidates & ons_backed
        return next(iter(in_ons)) if len(in_ons) == 1 else None

    # --- code aliases
    code_rows: dict[str, dict[str, str]] = {}

    def add_code(text: str, class_code: str, kind: str, note: str = "", source: str = "") -> None:
        if text in code_rows:
            kept = code_rows[text]
            clash = f"also {kind} of {source} -> {class_code}; {kept['kind']} form kept"
            kept["note"] = "; ".join(filter(None, [kept["note"], clash]))
        else:
            code_rows[text] = {"code_text": text, "class_code": class_code, "kind": kind, "note": note}

    for code in sorted(classes, key=code_order):
        add_code(code.upper(), code, "class")
    for code in sorted(classes, key=code_order):
        if re.fullmatch(r"\d+\.\d+", code):
            add_code(code.replace(".", "/"), code, "class_slash")
    subcodes = defaultdict(set)
    for row in hocr:
        subcodes[clean(row["Home Office code"]).upper()].add(row["class"])
    chosen, notes = {}, {}
    for sub, candidates in sorted(subcodes.items()):
        chosen[sub] = min(candidates, key=lambda c: (c not in ons_backed, code_order(c)))
        others = sorted(candidates - {chosen[sub]}, key=code_order)
        notes[sub] = f"also listed under {', '.join(others)}" if others else ""
        add_code(sub, chosen[sub], "subcode", notes[sub])
    for sub in sorted(subcodes):
        unpadded = "/".join(str(int(part)) for part in sub.split("/"))
        if unpadded != sub:
            add_code(unpadded, chosen[sub], "subcode_unpadded", notes[sub], source=sub)

    # --- text aliases
    sources = {
        "police_label": [(label, code) for label, code in POLICE_LABELS],
        "ons_description": [(r["description"], r["code"]) for r in ons],
        "class_name": [(row["class_name"], row["class"]) for row in hocr],
        "offence": [(row["Offence"], row["class"]) for row in hocr],
    }
    text_rows: dict[str, dict[str, str]] = {}
    dropped, shadowed = defaultdict(list), defaultdict(list)
    for kind in KIND_ORDER:
        by_key = defaultdict(lambda: (set(), set()))
        for text, code in sources[kind]:
            key = lookup_key(text)
            if key:
                by_key[key][0].add(clean(text))
                by_key[key][1].add(code)
        for key in sorted(by_key):
            texts, candidates = by_key[key]
            if kind == "police_label":
                if len(candidates) > 1 or len(texts) > 1:
                    raise ValueError(f"police label key {key!r} listed twice")
                class_code = next(iter(candidates))
            else:
                class_code = None if key in UNMAPPED else pick(candidates)
            if class_code is None:
                dropped[kind].append(f"{key} -> {', '.join(sorted(candidates, key=code_order))}")
                continue
            if key in text_rows:
                if text_rows[key]["class_code"] != class_code:
                    shadowed[kind].append(f"{key} -> {class_code} (kept {text_rows[key]['kind']} "
                                          f"-> {text_rows[key]['class_code']})")
                continue
            text_rows[key] = {"offence_key": key, "offence_text": min(texts), "class_code": class_code, "kind": kind}

    for rows in (code_rows.values(), text_rows.values()):
        missing = {r["class_code"] for r in rows} - set(classes)
        if missing:
            raise ValueError(f"class codes not in offence_classes: {sorted(missing)}")
    report = {"unclassed HOCR rows": [f"{r['Home Office code']} {clean(r['Offence'])}" for r in unclassed]}
    report |= {f"dropped {kind} keys (several classes)": v for kind, v in dropped.items()}
    report |= {f"{kind} keys shadowed by an earlier kind with another class": v for kind, v in shadowed.items()}
    return (
        [classes[c] for c in sorted(classes, key=code_order)],
        [code_rows[t] for t in sorted(code_rows)],
        [text_rows[k] for k in sorted(text_rows)],
        report,
    )


def write(name: str, rows: list[dict[str, str]]) -> None:
    path = SEEDS / name
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {path.relative_to(ROOT)}")


def main() -> None:
    reference = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_REFERENCE
    classes, code_aliases, text_aliases, report = build(reference)
    SEEDS.mkdir(parents=True, exist_ok=True)
    write("offence_classes.csv", classes)
    write("offence_code_aliases.csv", code_aliases)
    write("offence_text_aliases.csv", text_aliases)
    for title, items in report.items():
        print(f"{title}: {len(items)}", file=sys.stderr)
        for item in items:
            print(f"  {item}", file=sys.stderr)


if __name__ == "__main__":
    main()
