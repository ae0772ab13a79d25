"""parse_return over generated and damaged returns, dropped in a landing folder and
discovered as the pipeline does: it never raises, and every return is loaded with all its
rows accounted for, or quarantined with a reason that names the file."""

import tempfile
from pathlib import Path

from hypothesis import event, given
from hypothesis import strategies as st

from tests.fuzz.gen import (FORCES, TRIED, check_outcome, csv_tables, fuzz_settings, mutated_fixtures,
                            parse_in_landing, write_xlsx, xlsx_books)

FILE_NAMES = st.sampled_from(["FOI-2025-0412 community resolutions", "cr_2023", "Response (final) v2", "résumé"])


@fuzz_settings(300, deadline_s=3.0)
@given(st.one_of(csv_tables().map(lambda t: ("csv", t)), xlsx_books().map(lambda b: ("xlsx", b))),
       st.sampled_from(FORCES), FILE_NAMES)
def test_generated_returns_are_loaded_or_quarantined_with_a_reason(generated, force, stem):
    TRIED["generated returns (parse_return)"] += 1
    fmt, content = generated
    with tempfile.TemporaryDirectory() as d:
        if fmt == "csv":
            data = content.to_bytes()
        else:
            write_xlsx(content, Path(d) / "book.xlsx")
            data = (Path(d) / "book.xlsx").read_bytes()
        parsed = parse_in_landing(Path(d), force, f"{stem}.{fmt}", data)
    check_outcome(parsed)
    event(f"{fmt}: {parsed.status}")


@fuzz_settings(600, deadline_s=3.0)
@given(mutated_fixtures())
def test_damaged_sample_returns_are_loaded_or_quarantined_with_a_reason(mutation):
    TRIED["damaged sample returns (parse_return)"] += 1
    force, name, data, kind = mutation
    with tempfile.TemporaryDirectory() as d:
        parsed = parse_in_landing(Path(d), force, name, data)
    check_outcome(parsed)
    event(f"{kind.split(' (')[0]}: {parsed.status}")


@fuzz_settings(400, deadline_s=3.0)
@given(mutated_fixtures(["damaged xml inside a valid zip"]))
def test_workbooks_with_broken_xml_are_loaded_or_quarantined_with_a_reason(mutation):
    """The zip is sound, so the damage reaches calamine's XML parser (and any panic in it)."""
    TRIED["damaged xml in sample workbooks (parse_return)"] += 1
    force, name, data, kind = mutation
    with tempfile.TemporaryDirectory() as d:
        parsed = parse_in_landing(Path(d), force, name, data)
    check_outcome(parsed)
    event(f"{kind.split(' (')[1].split()[0]}: {parsed.status}")
