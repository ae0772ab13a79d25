"""Reading cards: one short Markdown page per return that a person can check in a minute.

A card says what the reader found and how it proved it, from the warehouse alone:
the file, force, sha256, status and verification; the quarantine reason in full; then per
table where it is (sheet, header rows), its shape and what it counts, the role given to
every column and why (raw.tables.column_notes), the header rows, the first data rows and
the total rows as they are in the file with their kind, the sum of its count cells, the
checks made against the return's own totals and, once dbt has run, which marts count it
or which table it checks, and every row's disposition.

Right after ingestion (before dbt) a card shows what the reader knows; the dbt part is
used only when intermediate.int_returns holds this very ingestion of the return (same
ingested_at), so a card never mixes a new reading with an old build.

A return profile line `approved: <sha256 of the file>` approves the reading of that file
version (the reader makes its unverified tables 'profile'): the card says 'approved by
profile', or, when the sha256 is another file's, that the approval does not hold for it.

Plain Python (no Dagster): the raw asset attaches cards to its materializations and
publish.py writes them beside the marts.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote

import duckdb

from .ingest.columns import column_letter
from .paths import DBT_PROJECT_DIR

# Size caps: a card stays readable (and small) whatever the return looks like.
MAX_TABLES = 12  # tables shown in full; the others get one line each
MAX_COLUMNS = 40  # lines of a table's column list
RUN_MIN = 4  # neighbouring columns decided alike shown as one line
GRID_COLUMNS = 12  # spreadsheet columns shown in the rows grid
DATA_ROWS = 5  # first data rows shown per table
TOTAL_ROWS = 10  # total rows shown per table
HEADER_ROWS = 3  # header rows shown per table
MAX_CHECKS = 20
CELL_CHARS = 40  # a cell of the rows grid
TEXT_CHARS = 240  # a heading, note, title or check
REASON_CHARS = 8000  # a quarantine reason is shown in full up to this
MAX_CARD_CHARS = 40_000  # past this, remaining tables get one line each
MAX_TABLE_LINES = 50  # one-line tables listed at most

NO_FORCE_FOLDER = "_landing_root"  # as partitions.ROOT_PARTITION (not imported: it brings Dagster in)

ROLE_COLUMNS = ["offence_code", "offence_text", "outcome", "nationality", "period", "date",
                "count", "age", "sex", "victim_age", "force", "record_id"]

SUBJECTS = {
    "outcome column": "every outcome in its outcome column (dbt keeps outcome 8, community resolutions)",
    "named": "community resolutions (its title or a count heading says so)",
    "implied": "community resolutions (implied: nothing in the table names what it counts)",
}

_SHA_PREFIX = re.compile(r"^[0-9a-f]{12,64}$")
_APPROVED_IN_TEXT = re.compile(r"""['"]approved['"]\s*:\s*['"]?([^'",}\s]*)""")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")


# --- small helpers -----------------------------------------------------------------------

def _md(text, limit: int = TEXT_CHARS) -> str:
    """Text from a return, safe inside a Markdown line or table cell: one line, cut to
    `limit` characters, Markdown punctuation escaped (a heading '<5' or 'A|B' stays text)."""
    s = " ".join(str(text if text is not None else "").split())
    if len(s) > limit:
        s = s[: limit - 1] + "…"
    return _MD_SPECIAL.sub(r"\\\1", s)


def _code(text) -> str:
    s = str(text).replace("`", "'")
    return f"`{s}`"


def _bounds(low, high) -> str:
    if low is None or high is None:
        return "not summed"
    return f"{low:,}" if low == high else f"{low:,}–{high:,}"


def _relations(con: duckdb.DuckDBPyConnection, schema: str) -> set[str]:
    """The tables and views of `schema` in the connection's database."""
    return {name for (name,) in con.execute(
        "select table_name from duckdb_tables() where database_name = current_database() and schema_name = $1 "
        "union all select view_name from duckdb_views() where database_name = current_database() and schema_name = $1",
        [schema]).fetchall()}


def _dicts(cur) -> list[dict]:
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row)) for row in cur.fetchall()]


def card_path(force_slug: str | None, source_file: str) -> PurePosixPath:
    """Where a return's card goes under data/published/cards/: <force-slug>/<file name>.md
    (files dropped straight into the landing folder under _landing_root/)."""
    parts = list(PurePosixPath(source_file).parts)
    if force_slug and parts and parts[0] == force_slug:
        parts = parts[1:]
    parts = parts or [source_file]
    name = parts[-1] + ".md"
    if len(name.encode()) > 255:  # a file system's limit: a name near it cannot take '.md'
        name = name.encode()[:180].decode(errors="ignore") + f"…{hashlib.sha256(name.encode()).hexdigest()[:12]}.md"
    return PurePosixPath(force_slug or NO_FORCE_FOLDER, *parts[:-1], name)


# --- approval ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Approval:
    state: str  # none | approved | other_file | unreadable
    value: str = ""  # the sha256 the profile names

    def line(self, sha256: str) -> str | None:
        if self.state == "approved":
            return (f"**Approved by profile**: the return profile's `approved:` line holds this file's sha256; "
                    "tables not reconciled with the return's own totals count as verification 'profile'.")
        if self.state == "other_file":
            return (f"**Not approved**: the return profile approves sha256 {_code(self.value[:64])}, but this file's "
                    f"sha256 is {_code(sha256)} (the file changed since its card was approved): check this card, "
                    "then put this sha256 in the profile's `approved:` line.")
        if self.state == "unreadable":
            return (f"**Not approved**: the return profile's `approved:` line is {_code(self.value[:80])}, "
                    "expected the file's sha256 (64 hex digits, or at least the first 12).")
        return None


def approval(profile_text: str | None, sha256: str) -> Approval:
    """What the return profile (as raw.returns.profile stores it: the parsed YAML mapping's
    repr) says about approving this file version."""
    if not profile_text:
        return Approval("none")
    value = None
    try:
        profile = ast.literal_eval(profile_text)
        if isinstance(profile, dict) and "approved" in profile:
            value = profile["approved"]
    except (ValueError, SyntaxError):  # a value literal_eval cannot read (a date): find the line itself
        m = _APPROVED_IN_TEXT.search(profile_text)
        value = m.group(1) if m else None
    if value is None:
        return Approval("none")
    text = str(value).strip().lower()
    if not _SHA_PREFIX.match(text):
        return Approval("unreadable", str(value))
    # the reader's rule (parse._approve): the sha256, or at least its first 12 digits
    return Approval("approved", text) if (sha256 or "").lower().startswith(text) else Approval("other_file", text)


# --- reading the warehouse ---------------------------------------------------------------

@dataclass
class _Sources:
    """Which dbt relations a card can use for this return (none before dbt has built it)."""
    final_return: dict | None
    roles: bool
    row_accounting: bool
    dispositions: bool


def _sources(con: duckdb.DuckDBPyConnection, ret: dict) -> _Sources:
    final = None
    built = _relations(con, "intermediate")
    if "int_returns" in built:
        rows = _dicts(con.execute(
            "select force_name, status, reason, ingested_at from intermediate.int_returns where return_id = ?",
            [ret["return_id"]]))
        # the build must be of this very ingestion: a re-parsed return keeps its return_id
        if rows and rows[0]["ingested_at"] == ret["ingested_at"]:
            final = rows[0]
    if final is None:
        built = set()
    return _Sources(
        final_return=final,
        roles="int_table_roles" in built,
        row_accounting="int_row_accounting" in built,
        dispositions="int_row_dispositions" in built,
    )


def _force_name(con: duckdb.DuckDBPyConnection, slug: str, src: _Sources) -> str:
    if src.final_return and src.final_return.get("force_name"):
        return src.final_return["force_name"]
    return _force_names().get(slug) or slug or "(no force folder)"


@cache
def _force_names() -> dict[str, str]:
    """police.uk slug -> force name, from the reviewed seed (dbt may not have loaded it yet)."""
    with (DBT_PROJECT_DIR / "seeds" / "police_forces.csv").open(encoding="utf-8", newline="") as fh:
        return {r["police_uk_slug"]: r["ho_outcomes_force_name"] for r in csv.DictReader(fh)}


def _table_verification(table: dict, role: dict | None) -> str:
    if role and role.get("verification"):
        return role["verification"]
    return table.get("verification") or "unverified"


def _summary(values: list[str]) -> str:
    if not values:
        return "—"
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    if len(counts) == 1:
        return values[0]
    return "mixed: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


# --- rendering ---------------------------------------------------------------------------

def render_card(con: duckdb.DuckDBPyConnection, return_id: str, dbt: bool = True) -> str:
    """The reading card of one return (any version in raw.returns), as Markdown. With
    dbt=False, the reader's view only (what the raw asset shows: dbt's tables may belong to
    an earlier state of the force)."""
    return _render(con, return_id, dbt)[0]


def _render(con: duckdb.DuckDBPyConnection, return_id: str, dbt: bool = True) -> tuple[str, dict]:
    """The card, and the facts its header line states (status, verification, approval)."""
    rets = _dicts(con.execute("select * from raw.returns where return_id = ?", [return_id]))
    if not rets:
        raise KeyError(f"no return {return_id!r} in raw.returns")
    ret = rets[0]
    src = _sources(con, ret) if dbt else _Sources(None, False, False, False)
    tables = _dicts(con.execute("select * from raw.tables where return_id = ? order by table_id", [return_id]))
    roles: dict[int, dict] = {}
    if src.roles:
        roles = {r["table_id"]: r for r in _dicts(con.execute(
            "select * from intermediate.int_table_roles where return_id = ?", [return_id]))}
    status = (src.final_return or {}).get("status") or ret["status"]
    reason = (src.final_return or {}).get("reason") if src.final_return else ret["reason"]
    verification = _summary([_table_verification(t, roles.get(t["table_id"])) for t in tables])
    facts_of_header = {"status": status, "verification": verification}
    appr = approval(ret.get("profile"), ret["sha256"])

    out: list[str] = [f"# {_md(ret['source_file'])}", ""]
    head = [f"**{_md(ret['file_name'])}**", f"force {_md(_force_name(con, ret['force_slug'], src))}",
            f"sha256 {_code(ret['sha256'][:12])}", f"status **{status}**", f"verification **{_md(verification)}**"]
    if appr.state == "approved":
        head.append("approved by profile")
    elif appr.state != "none":
        head.append("profile approval does not match this file")
    facts_of_header["approval"] = head[-1] if appr.state != "none" else ""
    out.append(" · ".join(head))
    out.append("")
    facts = [f"{ret['file_format'] or '?'}" + (f" ({ret['encoding']})" if ret.get("encoding") else ""),
             f"{ret['size_bytes'] or 0:,} bytes", f"{ret['rows_read'] or 0:,} rows read",
             f"{len(tables)} table{'s' if len(tables) != 1 else ''}",
             f"ingested {ret['ingested_at']:%Y-%m-%d %H:%M} UTC" if ret.get("ingested_at") else "",
             f"parser {ret['parser_version']}" if ret.get("parser_version") is not None else "",
             "current version" if ret.get("is_current") else "**superseded** by a later version of the file"]
    out.append(" · ".join(f for f in facts if f))
    out.append("")
    if status == "quarantined":
        out += [f"**Quarantined**: {_md(reason or '(no reason recorded)', REASON_CHARS)}", ""]
    elif status == "refused":
        out += [f"**Refused**: {_md(reason or '', REASON_CHARS)}", ""]
    line = appr.line(ret["sha256"])
    if line:
        out += [line, ""]
    if ret.get("warnings"):
        out += [f"**Warnings**: {_md(ret['warnings'], 2 * TEXT_CHARS)}", ""]
    if tables:
        out += _rows_line(con, return_id, src)
    if not src.final_return:
        out += ["*The reader's view: each row's disposition and the marts that count each table are added once dbt "
                "has run on this reading (the card in data/published/cards/).*", ""]

    shown = 0
    for t in tables:
        if shown >= MAX_TABLES or sum(len(s) + 1 for s in out) > MAX_CARD_CHARS:
            break
        out += _table_section(con, ret, t, roles.get(t["table_id"]), len(tables), src)
        shown += 1
    if shown < len(tables):
        out += [f"## {len(tables) - shown} more tables (one line each)", ""]
        for t in tables[shown:shown + MAX_TABLE_LINES]:
            out.append(f"- table {t['table_id'] + 1}: {_where(t)}, {t.get('shape')}, sums "
                       f"{_bounds(t.get('data_low'), t.get('data_high'))}, "
                       f"{_table_verification(t, roles.get(t['table_id']))}")
        if len(tables) - shown > MAX_TABLE_LINES:
            out.append(f"- … and {len(tables) - shown - MAX_TABLE_LINES} more tables")
        out.append("")
    return "\n".join(out).rstrip() + "\n", facts_of_header


def _rows_line(con, return_id: str, src: _Sources) -> list[str]:
    kinds = con.execute("select row_kind, count(*) from raw.rows where return_id = ? group by 1 order by 2 desc, 1",
                        [return_id]).fetchall()
    text = "**Rows** by kind: " + ", ".join(f"{n:,} {k}" for k, n in kinds)
    if src.dispositions:
        disp = dict(con.execute(
            "select disposition, sum(row_count)::bigint from intermediate.int_row_dispositions where return_id = ? "
            "group by 1", [return_id]).fetchall())
        text += "; after dbt: " + ", ".join(f"{disp.get(d, 0):,} {d}" for d in ("loaded", "filtered", "quarantined"))
    return [text, ""]


def _where(t: dict) -> str:
    first = t.get("header_row")
    n = t.get("header_rows") or 1
    sheet = f"sheet '{_md(t['sheet'])}', " if t.get("sheet") else ""
    if first is None:
        return sheet + "no header row"
    header = f"header row {first}" if n == 1 else f"header rows {first}–{first + n - 1}"
    return f"{sheet}{header}, rows {first + n}–{t.get('last_row')} below it"


def _column_decisions(t: dict) -> dict[int, str]:
    """Column (1-based) -> what was decided for it: the reader's note, else the role columns."""
    decided: dict[int, str] = {}
    for note in t.get("column_notes") or []:
        letters, _, what = note.partition(": ")
        col = 0
        for ch in letters:
            col = col * 26 + (ord(ch) - 64)
        if col > 0 and letters.isalpha() and letters.isupper():
            decided[col] = what
    if decided:
        return decided
    for role in ROLE_COLUMNS:  # a reading stored before column notes existed
        c = t.get(f"{role}_col")
        if c:
            decided.setdefault(c, role.replace("_", " "))
    for c in t.get("across_cols") or []:
        decided.setdefault(c, f"count across ({t.get('across_role') or '?'})")
    for c in t.get("total_cols") or []:
        decided.setdefault(c, "row total (checked, not counted)")
    for c in t.get("personal_data_cols") or []:
        decided.setdefault(c, "personal data: redacted")
    return decided


def _table_section(con, ret: dict, t: dict, role: dict | None, n_tables: int, src: _Sources) -> list[str]:
    tid = t["table_id"]
    name = f" · {_md(t['label'])}" if t.get("label") else ""
    out = [f"## Table {tid + 1} of {n_tables}{name}", ""]
    out.append(f"- **Where**: {_where(t)}")
    shape = t.get("shape") or "?"
    if t.get("across_values"):
        vals = t["across_values"]
        shape += (f", {_md(t.get('across_role') or '?')} across ({len(vals)}: "
                  f"{_md(', '.join(vals[:8]) + (', …' if len(vals) > 8 else ''))})")
    if t.get("across_values2"):
        vals2 = t["across_values2"]
        shape += f", and {_md(t.get('across_role2') or '?')} across ({len(vals2)})"
    out.append(f"- **Shape**: {shape}")
    subject = t.get("subject")
    out.append(f"- **Counts**: {SUBJECTS.get(subject, _md(subject or 'not recorded'))}")
    if t.get("title"):
        out.append(f"- **Title**: {_md(t['title'])}")
    if t.get("default_period"):
        out.append(f"- **Period named by the title, sheet or file name** (for rows without one): {_md(t['default_period'])}")
    what = "Records" if t.get("shape") == "record" else "Sum of its count cells"
    out.append(f"- **{what}** (every outcome): {_bounds(t.get('data_low'), t.get('data_high'))}")
    reader_v = t.get("verification") or "unverified"
    final_v = _table_verification(t, role)
    out.append(f"- **Verification**: {final_v}" + (f" (the reader: {reader_v})" if final_v != reader_v else ""))
    checks = t.get("checks") or []
    if checks:
        out.append(f"- **Checks** against the return's own totals ({len(checks)}):")
        out += [f"  - {_md(c)}" for c in checks[:MAX_CHECKS]]
        if len(checks) > MAX_CHECKS:
            out.append(f"  - … and {len(checks) - MAX_CHECKS} more")
    else:
        out.append("- **Checks**: none (no total in the return to check this table against)")
    if t.get("counted") is False:
        out.append("- **Role in the return**: a view that only checks another table of the return (not added)")
    out += _marts_lines(role, src)
    out.append("")
    out += _columns_table(t)
    out += _rows_grid(con, ret, t, src)
    return out


def _marts_lines(role: dict | None, src: _Sources) -> list[str]:
    if not src.roles:
        return []
    if role is None:
        return ["- **In the marts**: not in int_table_roles (no observation read from this table)"]
    counted = [m for m, flag in (("offence", role.get("counted_offence")), ("nationality", role.get("counted_nationality")))
               if flag]
    if counted:
        lines = [f"- **In the marts**: counted in the {' and '.join(counted)} marts"]
    else:
        lines = [f"- **In the marts**: not counted: {_md(role.get('set_aside_reason') or 'not in a counted view', 2 * TEXT_CHARS)}"]
    if counted and role.get("set_aside_reason"):
        lines.append(f"- **Set aside**: {_md(role['set_aside_reason'], 2 * TEXT_CHARS)}")
    if role.get("agrees_with"):
        lines.append(f"- **Agrees with**: {_md(role['agrees_with'], 2 * TEXT_CHARS)}")
    if role.get("conflict"):
        lines.append(f"- **Conflict**: {_md(role['conflict'], 2 * TEXT_CHARS)}")
    return lines


def _columns_table(t: dict) -> list[str]:
    """One line per column; a run of RUN_MIN or more neighbouring columns decided alike (the
    years or nationalities across a cross-tab) is one line naming its headings."""
    headers = t.get("headers") or []
    decided = _column_decisions(t)
    width = max([len(headers), *decided.keys()] or [0])
    if not width:
        return []
    heading = {c: headers[c - 1] if c <= len(headers) else "" for c in range(1, width + 1)}
    runs: list[list[int]] = []
    for c in range(1, width + 1):
        key = _decision_kind(decided.get(c, "not used"))
        if runs and _decision_kind(decided.get(runs[-1][-1], "not used")) == key:
            runs[-1].append(c)
        else:
            runs.append([c])
    lines = []
    for run in runs:
        if len(run) >= RUN_MIN:
            names = [heading[c] for c in run]
            shown = ", ".join(names[:6]) + (f", … {names[-1]}" if len(names) > 6 else "")
            lines.append(f"| {column_letter(run[0])}–{column_letter(run[-1])} | {_md(shown)} ({len(run)} columns) | "
                         f"{_md(_decision_kind(decided.get(run[0], 'not used')))} |")
        else:
            lines += [f"| {column_letter(c)} | {_md(heading[c], 60) or ' '} | {_md(decided.get(c, 'not used'))} |"
                      for c in run]
    if len(lines) > MAX_COLUMNS:
        lines = lines[:MAX_COLUMNS] + [f"| … | {len(lines) - MAX_COLUMNS} more lines not shown | |"]
    return ["| col | heading | role: what was decided and why |", "| --- | --- | --- |", *lines, ""]


def _decision_kind(note: str) -> str:
    """A column's decision without what is particular to it (its heading quoted, the
    reason in brackets): 'counts across: nationality' for every nationality across."""
    return re.sub(r"\s*('.*'|\([^)]*\))", "", note).strip(" :") or note


def _rows_grid(con, ret: dict, t: dict, src: _Sources) -> list[str]:
    """The header rows, the first data rows and the total rows, as they are in the file."""
    rid, tid = ret["return_id"], t["table_id"]
    picked = con.execute(
        f"""
        (select source_row, row_kind, cells from raw.rows where return_id = $1 and table_id = $2
           and row_kind = 'header' order by source_row limit {HEADER_ROWS})
        union all
        (select source_row, row_kind, cells from raw.rows where return_id = $1 and table_id = $2
           and row_kind = 'data' order by source_row limit {DATA_ROWS})
        union all
        (select source_row, row_kind, cells from raw.rows where return_id = $1 and table_id = $2
           and row_kind = 'total' order by source_row limit {TOTAL_ROWS})
        order by source_row
        """, [rid, tid]).fetchall()
    if not picked:
        return ["*No rows are recorded under this table.*", ""]
    n_total = con.execute("select count(*) from raw.rows where return_id = ? and table_id = ? and row_kind = 'total'",
                          [rid, tid]).fetchone()[0]
    dispositions: dict[int, tuple[str, str | None]] = {}
    data_rows = [r for r, kind, _ in picked if kind == "data"]
    if src.row_accounting and data_rows:
        # a range, not a list: DuckDB pushes it into the scan of the return's observations
        dispositions = {r: (d, why) for r, d, why in con.execute(
            "select source_row, disposition, reason from intermediate.int_row_accounting "
            "where return_id = ? and sheet = ? and source_row between ? and ?",
            [rid, t.get("sheet") or "", data_rows[0], data_rows[-1]]).fetchall()}
    width = max(len(cells or []) for _, _, cells in picked)
    cols = min(width, GRID_COLUMNS)
    what = f"the first {DATA_ROWS} data rows" + (f", the total rows" if n_total else "")
    out = [f"Header rows, {what}, as in the file"
           + (f" (columns A–{column_letter(cols)} of {column_letter(width)})" if width > cols else "") + ":", ""]
    disp_col = ["disposition"] if src.row_accounting else []
    out.append("| " + " | ".join(["row", "kind", *disp_col, *(column_letter(c) for c in range(1, cols + 1))]) + " |")
    out.append("|" + " --- |" * (2 + len(disp_col) + cols))
    for r, kind, cells in picked:
        cells = list(cells or []) + [""] * cols
        extra = []
        if src.row_accounting:
            # rows that are not data are never added (int_row_accounting: filtered, for their kind)
            d, why = dispositions.get(r, ("?", None)) if kind == "data" else ("filtered", None)
            extra = [_md(f"{d}: {why}" if why else d, 60)]
        out.append("| " + " | ".join([str(r), kind, *extra, *(_md(c, CELL_CHARS) or " " for c in cells[:cols])]) + " |")
    if n_total > TOTAL_ROWS:
        out.append("")
        out.append(f"… and {n_total - TOTAL_ROWS} more total rows.")
    return out + [""]


# --- all cards ---------------------------------------------------------------------------

def current_returns(con: duckdb.DuckDBPyConnection) -> list[dict]:
    if "returns" not in _relations(con, "raw"):
        return []
    return _dicts(con.execute(
        "select return_id, force_slug, source_file, file_name, sha256, status, reason from raw.returns "
        "where is_current order by force_slug, source_file"))


def write_cards(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    """Write every current return's card under out_dir (<force-slug>/<file name>.md) and
    an index README.md; returns the number of cards."""
    out_dir.mkdir(parents=True, exist_ok=True)
    index = ["# Reading cards", "",
             "One card per current return: the tables the reader found, the role of every column, the first "
             "rows with their disposition, the sums and the checks that verified them.", "",
             "| force | file | status | verification | card |", "| --- | --- | --- | --- | --- |"]
    returns = current_returns(con)
    for ret in returns:
        card, facts = _render(con, ret["return_id"])
        rel = card_path(ret["force_slug"], ret["source_file"])
        (out_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        (out_dir / rel).write_text(card, encoding="utf-8")
        verification = facts["verification"] + (f", {facts['approval']}" if facts["approval"] else "")
        index.append(f"| {_md(ret['force_slug'] or '(none)')} | {_md(ret['file_name'])} | {facts['status']} | "
                     f"{_md(verification)} | [card]({quote(rel.as_posix())}) |")
    if not returns:
        index.append("| | no returns ingested | | | |")
    (out_dir / "README.md").write_text("\n".join(index) + "\n", encoding="utf-8")
    return len(returns)

