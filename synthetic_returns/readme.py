"""README.md for a generated sample, written from its manifest (so it always matches)."""

from __future__ import annotations

FIGURE_LABELS = {
    "total": "Community resolutions",
    "foreign_nationals": "to foreign nationals",
    "uk_nationals": "to UK nationals",
    "nationality_not_recorded": "nationality not recorded / not provided",
    "nationality_unmapped": "nationality written but not mapped (in the high bounds above)",
    "sexual_offences": "sexual offences (ONS group, excl. code 86)",
    "sexual_offences_incl_86": "sexual offences incl. code 86",
    "rape": "rape (ONS sub-group)",
    "indecent_images": "indecent images of children (86)",
    "sexual_assault_girls_under_13": "sexual assault on a girl under 13 (20B)",
    "sexual_assault_boys_under_13": "sexual assault on a boy under 13 (17B)",
    "sexual_assault_girls_13_to_16": "sexual assault on a girl aged 13-16 (20A, victim age)",
    "sexual_activity_children": "sexual activity with children (21, 22B)",
    "child_cruelty": "child cruelty (11A)",
    "kidnapping_abduction": "kidnapping and child abduction (36, 13)",
    "countries_drug_offences": "countries of nationality, drug offences",
    "countries_violence": "countries of nationality, violence against the person",
}


def _fmt(low: int, high: int) -> str:
    return f"{low:,}" if low == high else f"{low:,} to {high:,}"


def readme_text(m: dict, returns: dict) -> str:
    seed, scale = m["seed"], m["scale"]
    files = m["files"]
    lines = [
        "# Sample returns (synthetic)",
        "",
        "**Everything in this folder is synthetic.** No police force sent these files. They are",
        "modelled on the shapes real FOI returns about community resolutions take (record-level",
        "exports, aggregate tables with title blocks and `Grand Total` rows, cross-tabs, one sheet",
        "per year, calendar years instead of financial years, withheld small counts, hand-typed",
        "nationalities, refusals), and every figure in them is **illustrative**: it tells a",
        "consistent story for testing the pipeline, not the real number of community resolutions.",
        "",
        "Generated with",
        "",
        "```sh",
        f"python -m synthetic_returns --seed {seed} --scale {scale} --out data/sample",
        "```",
        "",
        "The same seed and scale always write byte-identical files. `--scale N` multiplies the",
        "record-level rows (new references, dates jittered within their financial year); the",
        "aggregate tables stay as they are.",
        "",
        "- `landing/<force-slug>/...`: the returns, one folder per force (police.uk slug), as they",
        "  would be dropped into `data/landing/`.",
        "- `truth.json`: the manifest. For every headline figure the synthetic population's true",
        "  value (`truth`) and the bounds a correct pipeline must compute from these files",
        "  (`low`, `high`: withheld cells narrowed by their tables' totals; `low_unnarrowed`,",
        "  `high_unnarrowed`: every withheld cell 1 to 4); per force its status, FOI section, shape",
        "  and files; per file the rows a spreadsheet shows, the rows carrying community-resolution",
        "  counts, the other-outcome rows to filter, the rows that restate totals (`rows_totals`),",
        "  every total the file states (`totals`), the true value of every withheld cell",
        "  (`withheld`) and its narrowed bounds (`withheld_bounds`).",
        "  `definitions` in the manifest says how each bound and field is computed.",
        "",
        "To load the sample: copy `landing/*` into `data/landing/` and run `make run`, or point",
        "`CR_DATA_DIR` at a scratch folder that holds a copy of `landing/`.",
        "",
        "## The story the sample tells",
        "",
        "| figure | bounds from the files | withheld cells at 1 to 4 | truth |",
        "| --- | ---: | ---: | ---: |",
    ]
    for fid, f in m["figures"].items():
        lines.append(f"| `{fid}`: {FIGURE_LABELS.get(fid, fid)} | {_fmt(f['low'], f['high'])} "
                     f"| {_fmt(f['low_unnarrowed'], f['high_unnarrowed'])} | {f['truth']:,} |")
    d = m["durham_foreign_sexual_offenders"]
    withheld = sum(len(p["withheld_bounds"]) for p in files.values())
    narrowed = sum(1 for p in files.values() for b in p["withheld_bounds"].values() if b != [1, 4])
    pinned = sum(1 for p in files.values() for b in p["withheld_bounds"].values() if b[0] == b[1])
    lines += [
        "",
        "A withheld cell (`<5`, `*`, `[c]`, `1-4`) is 1 to 4, but a table's own exact totals narrow",
        "it: a `Total` row, a `Grand Total` or subtotal row, and a row's `Total` column are each a",
        "sum its cells must meet, so a withheld cell lies between the total minus the other cells'",
        "highs and the total minus their lows, applied over every total of the table until nothing",
        "changes. The bounds from the files are these narrowed bounds; the column beside them",
        "counts every withheld cell 1 to 4. Totals stated in a sentence, on a Summary sheet or in",
        f"another table narrow nothing. Of the {withheld:,} withheld count cells, {narrowed:,} are narrowed",
        f"by their tables' totals, {pinned:,} of them to one value.",
        "",
        "Durham's record-level export holds exactly two foreign sexual offenders: "
        + ", ".join(f"{k} ({v})" for k, v in d.items()) + ".",
        "Truth can lie above `high` for nationality figures: forces that do not record or do",
        "not provide nationality hide foreign nationals the population has.",
        "",
        "## The returns",
        "",
        "| force | shape | format | quirks |",
        "| --- | --- | --- | --- |",
    ]
    for slug, f in m["forces"].items():
        if f["status"] != "returned":
            continue
        exts = sorted({p.rsplit(".", 1)[-1].upper() for p in f["files"]})
        enc = []
        for p in f["files"]:
            q = f.get("quirks", [])
            if p.endswith(".csv"):
                enc.append("Windows-1252" if "Windows-1252" in q else "UTF-8 BOM" if "UTF-8 with BOM" in q else "UTF-8")
        fmt = " + ".join(exts) + (f" ({', '.join(sorted(set(enc)))})" if enc else "")
        if len(f["files"]) > 1:
            fmt = f"{len(f['files'])} × {fmt}"
        quirks = list(dict.fromkeys(f.get("quirks", [])))
        quirks.append(f"offences as {f['offence_labels']}")
        if f["nationality_provided"]:
            quirks.append(f"nationalities as {f['nationality_spelling']}")
        if f.get("suppression_token"):
            quirks.append(f"`{f['suppression_token']}` withheld in {', '.join(f['withheld_in'])}")
        zero = f.get("zero_token")
        quirks.append("zero as " + ("blank" if zero == "" else f"`{zero}`"))
        rows = sum(files[p]["rows"] for p in f["files"])
        lines.append(f"| {f['force_name']} (`{slug}`) | {f['description']} | {fmt}, {rows:,} rows | {'; '.join(quirks)} |")
    returned = [f for f in m["forces"].values() if f["status"] == "returned"]
    with_totals = [f for f in returned if any(files[p]["totals"] for p in f["files"])]
    without = [f["force_name"] for f in returned if not any(files[p]["totals"] for p in f["files"])]
    kinds = {}
    for p in files.values():
        for t in p["totals"]:
            kinds[t["kind"]] = kinds.get(t["kind"], 0) + 1
    lines += [
        "",
        "## Totals",
        "",
        f"{len(with_totals)} of the {len(returned)} returns state totals of their own, as real returns do, so a",
        "reader can prove what it read: `Grand Total` and `Total` rows, per-year subtotal rows",
        "(`2022/23 Total`), a `Total` row and a `Total` column in every cross-tab (each table of",
        "a two-table return has its own), a total stated in a sentence below a table, and in",
        "record-level exports a `Summary` sheet counting the same records by outcome and",
        "financial year (one pasted from an Excel pivot, blank for none), a `Total records: N`",
        "line, or a `Grand Total` row with the record count in the last column. A total is the",
        "true total of what it totals, withheld cells (`<5`, `*`, `[c]`, `1-4`) counted at their",
        "true value, as forces publish them.",
        "",
        "Returns without any total: " + ", ".join(without) + ".",
        "",
        "`truth.json` lists every total per file (`files[...].totals`: kind, sheet, row, column,",
        "value, and the cells or records it totals): "
        + ", ".join(f"{n:,} {k}" for k, n in sorted(kinds.items())) + ".",
        "A row-total column is one entry (`row_totals`) for all its rows.",
        "",
        "Offence label styles: `code` HO class (`105A`, `37.2`); `subcode` HOCR sub-code (`019/16` or",
        "`19/16`); `category` code and class name (`46 Shoplifting`); `ons` ONS/Home Office",
        "description; `counting` the Counting Rules offence text; `act` the description after its",
        "Act and section (`Sexual Offences Act 2003 s.3 - Sexual assault on a female`); `police` a",
        "police label (some forces in capitals, `POSS CANNABIS`); `class_name` the class name.",
        "Where a style has no label for a class the force falls back to a description or the code.",
        "",
        "## Refusals",
        "",
        "A force that refused writes only `refusal.yaml` in its folder, with the FOI Act section and",
        "the force's note, and contributes nothing to any figure:",
        "",
        "| force | section | note |",
        "| --- | --- | --- |",
    ]
    for slug, f in m["forces"].items():
        if f["status"] == "refused":
            lines.append(f"| {f['force_name']} (`{slug}/refusal.yaml`) | {f['foi_section']} | {f['refusal_note']} |")
    lines.append("")
    return "\n".join(lines)
