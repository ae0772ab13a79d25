"""Tables and row kinds of a big sheet (an Arrow table, see readers.Sheet.columns), worked
out by DuckDB so that millions of rows never become Python objects.

The result is exactly what parse.py's row-by-row path gives for the same sheet (a test
parses every fixture both ways and compares):

- Table detection only needs the first rows of a sheet and the rows that can start a table
  (after a blank row or a caption): DuckDB finds those, and shape.find_tables_in reads them.
- Row kinds: SQL picks out every row of a table that classify_row could call something
  other than data (blank, a label cell containing "total", a first cell that may start a
  note, or too few cells filled), which is a superset of the non-data rows; only those are
  fetched and classified by classify_row itself. Every other row of a table is data.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from .shape import FIRST_HEADER_WITHIN, MAX_HEADER_ROWS, Table, classify_row, find_tables_in, label_columns

REDACTED = "[redacted: personal data]"


@dataclass
class BulkRows:
    """A big sheet, classified: its columns, the kinds of the rows that are not plain data,
    and the span of each table. `select` turns them into raw.rows' source_row, table_id,
    row_kind and cells inside whichever DuckDB connection writes them, so the sheet is
    never copied into a second Arrow table."""

    sheet: str
    columns: pa.Table  # c1..cN, width, r (0-based row)
    kinds: pa.Table  # r, kind: headers and the rows classify_row called something else than data
    spans: pa.Table  # k (table id), first_r, last_r
    select_sql: str  # reads bulk_columns, bulk_kinds, bulk_spans
    has_text: bool  # any row with a cell filled (else every row is blank)

    def register(self, con: duckdb.DuckDBPyConnection) -> None:
        con.register("bulk_columns", self.columns)
        con.register("bulk_kinds", self.kinds)
        con.register("bulk_spans", self.spans)

    def unregister(self, con: duckdb.DuckDBPyConnection) -> None:
        for name in ("bulk_columns", "bulk_kinds", "bulk_spans"):
            con.unregister(name)

    def renumber(self, index: dict[int, int]) -> None:
        """Give the sheet's tables new ids (a list continued from another sheet takes its id)."""
        ids = [index.get(k, k) for k in self.spans.column("k").to_pylist()]
        self.spans = self.spans.set_column(0, "k", pa.array(ids, pa.int32()))

    def to_pydict(self) -> dict[str, list]:
        con = duckdb.connect()
        try:
            self.register(con)
            return con.sql(self.select_sql).to_arrow_table().to_pydict()
        finally:
            con.close()


# A superset of shape._TOTAL on an unstripped cell: 'total' anywhere; overall, sum and all
# as words (so 'Charged/Summonsed' in every row of an outcome column is not a candidate).
_MAYBE_TOTAL = r"(?i)(total|(^|[^a-z])(overall|sum)([^a-z]|$)|(^|[^a-z])all[^a-z])"


class BulkSheet:
    """One big sheet held by an in-memory DuckDB connection for the queries below."""

    def __init__(self, name: str, columns: pa.Table):
        self.name = name
        self.n_rows = columns.num_rows
        self.width = columns.num_columns - 1  # c1..cN and width
        self.cols = [f"c{i}" for i in range(1, self.width + 1)]
        self.con = duckdb.connect()
        self.con.execute("set enable_progress_bar = false")  # it would print to stdout
        self.columns = columns.append_column("r", pa.array(range(self.n_rows), pa.int32()))
        self.con.register("sheet_in", self.columns)
        # cells filled in the row: s.c1 ... so that the same text serves the final select
        self.filled = "(" + (" + ".join(f"(coalesce(s.{c}, '') <> '')::int" for c in self.cols) or "0") + ")"
        self.con.execute(f"create temp table facts as select s.r, {self.filled} as nb from sheet_in as s")

    def close(self) -> None:
        self.con.close()

    def rows_at(self, indices: list[int]) -> dict[int, list[str]]:
        """The given rows as lists of cell text, as the row-by-row path holds them."""
        if not indices:
            return {}
        taken = self.columns.take(pa.array(indices, pa.int32())).to_pydict()
        widths = taken["width"]
        cells = [taken[c] for c in self.cols]
        return {r: [(col[k] or "") for col in cells[:widths[k]]] for k, r in enumerate(indices)}

    def has_text(self) -> bool:
        return self.con.execute("select count(*) from facts where nb > 0").fetchall()[0][0] > 0

    def find_tables(self, forced_header_row: int | None) -> list[Table]:
        head = max(FIRST_HEADER_WITHIN, forced_header_row or 0)
        starts = [r for (r,) in self.con.execute("""
            select r from (select r, lag(nb) over (order by r) as nb1, lag(nb, 2) over (order by r) as nb2 from facts)
            where r >= ? and (nb1 = 0 or (r >= 2 and nb1 = 1 and nb2 = 0)) order by r""", [head]).fetchall()]
        # a header found at r is read with the rows around it (shape.header_stack)
        near = {j for r in starts for j in range(r - 2, r + MAX_HEADER_ROWS + 2) if 0 <= j < self.n_rows}
        wanted = sorted(set(range(min(head + MAX_HEADER_ROWS + 1, self.n_rows))) | near)
        rows = self.rows_at(wanted)
        can_start = set(starts)
        visit = [i for i in wanted if i < head or i in can_start]
        return find_tables_in(self.name, rows, self.n_rows, visit, forced_header_row)

    def window(self, start: int, stop: int) -> dict[int, list[str]]:
        """Rows start .. stop - 1 (0-based), as the row-by-row path holds them."""
        return self.rows_at(list(range(max(start, 0), min(stop, self.n_rows))))

    def all_rows(self) -> list[list[str]]:
        rows = self.rows_at(list(range(self.n_rows)))
        return [rows[r] for r in range(self.n_rows)]

    def kinds(self, table: Table) -> dict[int, str]:
        """The kind of every row of the table below its header that is not data (1-based
        rows), as reading.row_kinds gives them."""
        kinds: dict[int, str] = {}
        after_blank, previous = False, table.first_data_row - 2
        for r, cells in sorted(self.rows_at(self._maybe_not_data(table)).items()):
            if r > previous + 1:  # data rows in between
                after_blank = False
            kind = classify_row(cells, table, after_blank)
            after_blank = (after_blank or kind == "blank") and kind != "data"
            if kind != "data":
                kinds[r + 1] = kind
            previous = r
        return kinds

    def rows(self, tables: list[Table], first_index: int) -> BulkRows:
        """Row kinds and table ids (tables[k] is ParsedReturn.tables[first_index + k]),
        personal data redacted, cells cut to each row's own width."""
        kinds: list[tuple[int, str]] = []
        for table in tables:
            kinds.extend((table.header_row - 1 + k, "header") for k in range(table.header_rows))
            kinds.extend((r - 1, kind) for r, kind in table.kinds.items())
        kinds_table = pa.table({"r": pa.array([r for r, _ in kinds], pa.int32()),
                                "kind": pa.array([kind for _, kind in kinds], pa.string())})
        spans = pa.table({"k": pa.array([first_index + k for k in range(len(tables))], pa.int32()),
                          "first_r": pa.array([t.header_row - 1 for t in tables], pa.int32()),
                          "last_r": pa.array([t.last_row - 1 for t in tables], pa.int32()),
                          "data_r": pa.array([t.first_data_row - 1 for t in tables], pa.int32())})
        cells = ", ".join(self._cell(i, tables, first_index) for i in range(1, self.width + 1))
        select_sql = f"""
            select (s.r + 1)::integer as source_row, t.k as table_id,
                   case when t.k is null then case when {self.filled} > 0 then 'title' else 'blank' end
                        else coalesce(kd.kind, 'data') end as row_kind,
                   list_slice([{cells}]::varchar[], 1, s.width) as cells
            from bulk_columns as s
            left join bulk_spans as t on s.r between t.first_r and t.last_r
            left join bulk_kinds as kd on kd.r = s.r
            order by s.r"""
        return BulkRows(self.name, self.columns, kinds_table, spans, select_sql, self.has_text())

    def _cell(self, i: int, tables: list[Table], first_index: int) -> str:
        """Cell i of a row; a personal-data column of a table is redacted below its header."""
        plain = f"coalesce(s.c{i}, '')"
        redacting = [first_index + k for k, t in enumerate(tables) if i in t.personal_data_cols]
        if not redacting:
            return plain
        ids = ", ".join(map(str, redacting))
        return (f"case when t.k in ({ids}) and s.r >= t.data_r and {plain} <> '' "
                f"then '{REDACTED}' else {plain} end")

    def _maybe_not_data(self, table: Table) -> list[int]:
        """Rows of the table (below its header, 0-based) that classify_row could call
        something other than data; see the module docstring. The conditions mirror
        classify_row's."""
        label_cols = label_columns(table)
        total_cols = sorted(set(label_cols[:3] + [1]))
        total = " or ".join(f"regexp_matches(coalesce(c{i}, ''), '{_MAYBE_TOTAL}')" for i in total_cols if i <= self.width)
        # the header repeated: its first heading again in its column
        heading = next(((i, s[-1].strip()) for i, s in enumerate(table.header_stack, start=1) if s[-1].strip()), None)
        if heading and heading[0] <= self.width:
            repeat = f"coalesce(c{heading[0]}, '') = '{heading[1].replace(chr(39), chr(39) * 2)}'"
            total = f"{total} or {repeat}" if total else repeat
        first_filled = f"coalesce({', '.join(f'nullif(c{i}, {chr(39)}{chr(39)})' for i in range(1, self.width + 1))}, '')" \
            if self.width else "''"
        # _NOTE: notes?, source, a bullet "*", or a numbered "[1]" / "1." / "1)": RE2's (?i)
        # folds case as Python's re does (including the long s of "ſource")
        note = rf"regexp_matches({first_filled}, '(?i)^(note|source|\*|\[|.{{1,3}}[\].)])')"
        width = len(table.roles) + len(table.across_cols)
        few = f"(f.nb = 1 or f.nb <= {width // 3})" if width >= 2 else "false"
        return [r for (r,) in self.con.execute(f"""
            select s.r from sheet_in as s join facts as f using (r)
            where s.r between ? and ?
              and (f.nb = 0 or {total or 'false'} or {note} or {few})
            order by s.r""", [table.first_data_row - 1, table.last_row - 1]).fetchall()]
