"""Read generated returns back the way a spreadsheet shows them, independently of the
generator's own bookkeeping: CSV with the csv module, XLSX with python-calamine."""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook


@dataclass
class ReadFile:
    path: Path
    rel: str  # <slug>/<file>
    sheets: dict[str, list[list]]  # sheet name ("" for CSV) -> rows of cell values
    encoding: str | None = None
    delimiter: str | None = None

    def cells(self):
        for rows in self.sheets.values():
            for row in rows:
                yield from row

    @property
    def rows(self) -> int:
        return sum(len(r) for r in self.sheets.values())


def read_csv(path: Path) -> tuple[list[list[str]], str, str]:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        text, enc = data[3:].decode("utf-8"), "utf-8-sig"
    else:
        try:
            text, enc = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            text, enc = data.decode("cp1252"), "cp1252"
    try:
        delim = csv.Sniffer().sniff(text[:65536], delimiters=",;\t|").delimiter
    except csv.Error:
        delim = ","
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delim)), enc, delim


def read_xlsx(path: Path) -> dict[str, list[list]]:
    wb = CalamineWorkbook.from_path(str(path))
    return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}


def read_landing(landing: Path) -> dict[str, ReadFile]:
    out = {}
    for path in sorted(landing.rglob("*")):
        if not path.is_file() or path.name.endswith(".profile.yaml") or path.name == "refusal.yaml":
            continue
        rel = path.relative_to(landing).as_posix()
        if path.suffix == ".csv":
            rows, enc, delim = read_csv(path)
            out[rel] = ReadFile(path, rel, {"": rows}, enc, delim)
        else:
            out[rel] = ReadFile(path, rel, read_xlsx(path))
    return out


def tree_digest(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}
