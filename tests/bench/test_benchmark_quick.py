"""The benchmark harness works end to end: `benchmarks/run.py --quick` (shipped sample,
one run of each measurement) exits 0, prints the table with every row measured, and
writes its results file. The figures themselves are not asserted: they depend on the
machine and its load."""

import re
import subprocess
import sys

import pytest

from tests.conftest import ROOT

ROWS = ["floor", "baseline", "pipeline", "ingest", "dbt", "checks", "publish", "incremental", "definitions load"]
NUMBER = re.compile(r"^(\d+(?:\.\d+)?) (s|MiB|GiB)$")


@pytest.mark.slow
def test_quick_benchmark_prints_every_row_and_writes_results(tmp_path):
    out = tmp_path / "results"
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick", "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]

    table: dict[str, list[str]] = {}
    for line in proc.stdout.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 3:
            label = re.sub(r"^(floor|baseline|pipeline|incremental)\b.*", r"\1", cells[0])
            table.setdefault(label, cells[1:])
    for row in ROWS:
        assert row in table, f"no row {row!r} in:\n{proc.stdout}"
        time_cell, rss_cell = table[row]
        for cell in (time_cell, rss_cell):
            m = NUMBER.match(cell)
            assert m and float(m[1]) > 0, f"{row}: {cell!r} is not a positive figure"

    written = list(out.glob("*.md"))
    assert len(written) == 1
    text = written[0].read_text()
    assert "| target |" in text and "cores" in text and "load average" in text
