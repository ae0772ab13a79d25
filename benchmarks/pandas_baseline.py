"""What an analyst would write instead of the pipeline: one pandas script over the landing
folder, with the same reference tables (dbt_project/seeds/*.csv), producing community
resolutions by force, ONS offence group and nationality category (uk / foreign / unknown).

It is written the way a competent analyst would write it in an afternoon: read each
return, find the header row by keyword, cut the table at the first blank row, drop
total rows, keep outcome 8 where there is an outcome column, melt year columns of a
cross-tab, map offences and nationalities with dictionaries on a folded key, concatenate
and group. It does not handle what the pipeline exists for: withheld cells (`<5`, `*`,
`[c]`) count 0, a multi-nationality cell ("British, Polish") is unknown, a second table
below the first (West Midlands) is ignored, a sheet without an offence column counts for
nationality only, an Excel date made of an offence code ('4/6' -> 43986) is not mapped,
there is no provenance, no row accounting and no checks.

    python benchmarks/pandas_baseline.py LANDING_DIR [--seeds DIR] [--csv OUT.csv]

Prints one JSON line: rows read, community resolutions in total (offence view), by
nationality category, and seconds.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]

# header keywords: a header row is the row among the first 30 with the most cells like these
HEADER_WORDS = re.compile(
    r"offen[cs]e|crime|nationality|country|outcome|disposal|year|period|^fy|count|number|total|qty|code", re.I)
YEAR_COLUMN = re.compile(r"^(fy\s*)?(\d{4}|\d{2,4}\s*[-/]\s*\d{2,4})$", re.I)
ACT_PREFIX = r"(?i)^.*\bact\s+\d{4}\b[^-–:]*[-–:]\s*"  # 'Theft Act 1968 s.1 - Theft' -> 'Theft'
OUTCOME_8 = r"^\s*(?:type\s*)?8\b|community resolution"


def fold(s: pd.Series) -> pd.Series:
    """The seeds' key: no accents, lower case, '&' as 'and', other runs of characters as one space."""
    return (s.fillna("").astype(str).str.normalize("NFKD").str.encode("ascii", "ignore").str.decode("ascii")
            .str.lower().str.replace("&", " and ", regex=False)
            .str.replace(r"[^a-z0-9]+", " ", regex=True).str.strip())


def load_seeds(seeds: Path) -> dict:
    read = lambda name: pd.read_csv(seeds / name, dtype=str, keep_default_na=False)  # noqa: E731
    classes = read("offence_classes.csv")
    codes = read("offence_code_aliases.csv")
    texts = read("offence_text_aliases.csv")
    aliases = read("nationality_aliases.csv")
    iso = read("iso_countries.csv")
    nationality = {k: ("uk" if c == "GBR" else "foreign") for k, c in zip(iso.nationality_key, iso.iso3)}
    nationality.update(dict(zip(aliases.nationality_key, aliases.category)))
    nationality[""] = "unknown"
    return {
        "group": dict(zip(classes.class_code, classes.offence_group)),
        "code": dict(zip(codes.code_text.str.upper(), codes.class_code)),
        "text": dict(zip(texts.offence_key, texts.class_code)),
        "nationality": nationality,
    }


# ------------------------------------------------------------------------------ reading


def read_csv_sheets(path: Path) -> dict[str, pd.DataFrame]:
    """The header is found on the first 30 lines; pandas' C reader reads from there."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with path.open(encoding=encoding, newline="") as fh:
                head = [fh.readline() for _ in range(30)]
            sep = max(",;\t|", key=lambda d: max(line.count(d) for line in head))
            rows = list(csv.reader(io.StringIO("".join(head)), delimiter=sep))
            h = header_index(rows)
            if h is None:
                return {}
            # the header line, counted in physical lines (a quoted field may hold a newline)
            skip = _line_of(head, sep, h)
            df = pd.read_csv(path, sep=sep, skiprows=skip, header=0, dtype=str, encoding=encoding,
                             skip_blank_lines=False, on_bad_lines="skip", keep_default_na=False)
            return {"": df}
        except UnicodeDecodeError:
            continue
    return {}


def _line_of(head: list[str], sep: str, row_index: int) -> int:
    reader = csv.reader(io.StringIO("".join(head)), delimiter=sep)
    start = 0
    for i, _ in enumerate(reader):
        if i == row_index:
            return start
        start = reader.line_num
    return start


def read_xlsx_sheets(path: Path) -> dict[str, pd.DataFrame]:
    sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine", dtype=str)
    out = {}
    for name, raw in sheets.items():
        raw = raw.fillna("")
        h = header_index(raw.head(30).values.tolist())
        if h is None:
            continue  # a Notes sheet
        df = raw.iloc[h + 1:].reset_index(drop=True)
        df.columns = [str(c).strip() for c in raw.iloc[h]]
        out[name] = df
    return out


def header_index(rows: list[list]) -> int | None:
    hits = [sum(bool(HEADER_WORDS.search(str(c).strip()) or YEAR_COLUMN.match(str(c).strip())) for c in row) for row in rows]
    best = max(hits, default=0)
    return hits.index(best) if best >= 2 else None


# ------------------------------------------------------------------------------ shaping


def column(df: pd.DataFrame, words: str, avoid: str = "^$") -> str | None:
    """The first column whose header matches `words` and not `avoid` (regexes, any case)."""
    for c in df.columns:
        if re.search(words, str(c), re.I) and not re.search(avoid, str(c), re.I):
            return c
    return None


def tidy(df: pd.DataFrame, force: str, ref: dict) -> pd.DataFrame | None:
    df = df.loc[:, [str(c).strip() != "" and not str(c).startswith("Unnamed") for c in df.columns]]
    df = df.fillna("").astype(str)
    blank = (df.apply(lambda col: col.str.strip()) == "").all(axis=1)
    if blank.any():
        df = df.loc[: blank.idxmax() - 1] if blank.idxmax() > 0 else df.iloc[0:0]  # table ends at a blank row
    code_col = column(df, r"\bcode\b", avoid=r"date")
    text_col = column(df, r"offen[cs]e\b|crime", avoid=r"code|date|age|ref|number")
    outcome_col = column(df, r"outcome|disposal", avoid=r"date")
    nat_col = column(df, r"nationality|country")
    years = [c for c in df.columns if YEAR_COLUMN.match(str(c).strip())]
    count_col = None if years else column(df, r"\b(count|number|no\.?|total|qty|crs?)\b", avoid=r"crime|occurrence|ref|urn")
    if not (code_col or text_col or nat_col):
        return None
    first = df.columns[0]
    df = df[~df[first].str.contains(r"\btotal\b", case=False, regex=True)]
    if outcome_col:
        df = df[df[outcome_col].str.contains(OUTCOME_8, case=False, regex=True)]
    if years:
        df = df.melt(id_vars=[c for c in df.columns if c not in years], value_vars=years, value_name="_count")
        counts = df["_count"]
    elif count_col:
        counts = df[count_col]
    else:
        counts = pd.Series(1, index=df.index)  # one row per outcome
    counts = pd.to_numeric(counts.astype(str).str.replace(",", "", regex=False), errors="coerce").fillna(0)

    class_code = pd.Series(pd.NA, index=df.index, dtype=object)
    if code_col:
        class_code = df[code_col].str.strip().str.upper().map(ref["code"])
    if text_col:
        text = df[text_col]
        prefix = text.str.extract(r"^\s*(\d{1,3}[A-Za-z]?|\d{1,3}[./]\d{1,2})\b", expand=False).str.upper()
        class_code = (class_code.fillna(text.str.strip().str.upper().map(ref["code"]))
                      .fillna(prefix.map(ref["code"])).fillna(fold(text).map(ref["text"]))
                      .fillna(fold(text.str.replace(ACT_PREFIX, "", regex=True)).map(ref["text"])))
    group = class_code.map(ref["group"]).fillna("unmapped") if (code_col or text_col) else "(no offence column)"
    nationality = fold(df[nat_col]).map(ref["nationality"]).fillna("unknown") if nat_col else "unknown"
    return pd.DataFrame({"force": force, "offence_group": group, "nationality_category": nationality,
                         "count": counts.astype("int64")})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("landing", type=Path)
    parser.add_argument("--seeds", type=Path, default=ROOT / "dbt_project" / "seeds")
    parser.add_argument("--csv", type=Path, help="write the grouped table here")
    args = parser.parse_args()
    started = time.perf_counter()
    ref = load_seeds(args.seeds)
    parts, rows_read = [], 0
    for path in sorted(args.landing.rglob("*")):
        suffix = path.suffix.lower()
        if not path.is_file() or suffix not in (".csv", ".xlsx"):
            continue  # refusal.yaml, profiles, READMEs
        sheets = read_csv_sheets(path) if suffix == ".csv" else read_xlsx_sheets(path)
        for df in sheets.values():
            rows_read += len(df)
            part = tidy(df, path.relative_to(args.landing).parts[0], ref)
            if part is not None:
                parts.append(part)
    data = pd.concat(parts, ignore_index=True)
    result = data.groupby(["force", "offence_group", "nationality_category"], as_index=False)["count"].sum()
    if args.csv:
        result.to_csv(args.csv, index=False)
    offence_view = result[result.offence_group != "(no offence column)"]
    print(json.dumps({
        "rows_read": rows_read,
        "total": int(offence_view["count"].sum()),
        "by_nationality": {k: int(v) for k, v in offence_view.groupby("nationality_category")["count"].sum().items()},
        "forces": int(result.force.nunique()),
        "seconds": time.perf_counter() - started,
    }))


if __name__ == "__main__":
    main()
