"""The per-return incremental models (stg_raw__observations, int_observation_groups,
int_row_groups) and the grouped tables the marts read give exactly what the per-cell
models and a full rebuild give: after a changed count, a retired file, a return re-parsed
under the same return_id, a file put back to its earlier version, and a seed edit."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration import paths
from orchestration.ingest.load import ingest_landing

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample" / "landing"
DBT = Path(sys.executable).parent / "dbt"

# what the marts and the checks read, and the per-row detail behind them
TABLES = [
    "marts.community_resolutions_by_offence", "marts.community_resolutions_by_nationality",
    "marts.force_coverage", "marts.headline_figures", "marts.row_accounting", "marts.unmapped_values",
    "intermediate.int_observations", "intermediate.int_row_accounting",
]


def dbt_build(db: Path, tmp: Path, *args: str, project: Path | None = None) -> None:
    env = {**os.environ, "CR_WAREHOUSE_PATH": str(db)}
    result = subprocess.run(
        [str(DBT), "build", "--profiles-dir", ".", "--target-path", str(tmp / "target"),
         "--log-path", str(tmp / "logs"), *args],
        cwd=project or paths.DBT_PROJECT_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-4000:]


def total(db: Path, figure_id: str = "total") -> int:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("select value_low from marts.headline_figures where figure_id = ?", [figure_id]).fetchone()[0]


def ingest(db: Path, landing: Path, **kwargs) -> None:
    with duckdb.connect(str(db)) as con:
        ingest_landing(con, landing, **kwargs)


def differences(db_a: Path, db_b: Path) -> dict[str, tuple[int, int]]:
    """Per table: rows only in a, rows only in b (multisets)."""
    out = {}
    with duckdb.connect() as con:
        con.execute(f"attach '{db_a}' as a (read_only); attach '{db_b}' as b (read_only)")
        for t in TABLES:
            only_a = con.execute(f"select count(*) from (select * from a.{t} except all select * from b.{t})").fetchone()[0]
            only_b = con.execute(f"select count(*) from (select * from b.{t} except all select * from a.{t})").fetchone()[0]
            if only_a or only_b:
                out[t] = (only_a, only_b)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("incremental")
    landing = tmp / "landing"
    shutil.copytree(SAMPLE, landing)
    db = tmp / "warehouse.duckdb"
    ingest(db, landing)
    dbt_build(db, tmp)
    return tmp, landing, db


def test_grouped_tables_equal_the_per_cell_models(built):
    _, _, db = built
    with duckdb.connect(str(db), read_only=True) as con:
        keys = ("return_id, disposition, in_offence_view, in_nationality_view, period_type, period_label, "
                "ho_offence_code, offence_group, outcome_type, nationality_iso3, nationality_category, nationality_rule, "
                "victim_age_low, victim_age_high")
        cells = f"select {keys}, count(*) as n, sum(count_low) as low, sum(count_high) as high from intermediate.int_observations group by all"
        groups = (f"select {keys}, sum(observations) as n, sum(total_low) as low, sum(total_high) as high "
                  "from intermediate.int_observation_summary group by all")
        assert con.execute(f"select count(*) from ({cells} except all {groups})").fetchone()[0] == 0
        assert con.execute(f"select count(*) from ({groups} except all {cells})").fetchone()[0] == 0
        rows = ("select return_id, row_kind, disposition, reason, sum(row_count)::bigint from intermediate.int_row_accounting "
                "group by all")
        summed = ("select return_id, row_kind, disposition, reason, sum(row_count)::bigint from intermediate.int_row_dispositions "
                  "group by all")
        assert con.execute(f"select count(*) from ({rows} except all {summed})").fetchone()[0] == 0
        assert con.execute(f"select count(*) from ({summed} except all {rows})").fetchone()[0] == 0


def test_incremental_build_equals_a_full_refresh_after_returns_and_seeds_change(built):
    tmp, landing, db = built
    total_before = total(db)

    # a count corrected in one return (a new return version: the cell and its Grand Total,
    # which the reader checks), a return withdrawn
    csv = landing / "cambridgeshire" / "CR_by_offence_nationality.csv"
    original = csv.read_bytes()

    def plus_1000(line: bytes) -> bytes:
        cells = line.rstrip(b"\r").split(b",")
        cells[-1] = str(int(cells[-1]) + 1000).encode()
        return b",".join(cells) + (b"\r" if line.endswith(b"\r") else b"")

    lines = original.split(b"\n")
    grand = next(i for i, line in enumerate(lines) if line.startswith(b"Grand Total"))
    lines[1], lines[grand] = plus_1000(lines[1]), plus_1000(lines[grand])
    csv.write_bytes(b"\n".join(lines))
    for f in (landing / "merseyside").iterdir():
        f.unlink()
    ingest(db, landing)
    ingest(db, landing, forces={"durham"}, reparse=True)  # same return_id, rows written again
    dbt_build(db, tmp)
    total_after = total(db)
    assert total_after != total_before

    full = tmp / "full.duckdb"
    shutil.copy(db, full)
    dbt_build(full, tmp, "--full-refresh")
    assert differences(db, full) == {}

    # the earlier version of the file put back: its return_id is current again
    csv.write_bytes(original)
    ingest(db, landing)
    dbt_build(db, tmp)
    assert total(db) == total_after - 1000
    shutil.copy(db, full)
    dbt_build(full, tmp, "--full-refresh")
    assert differences(db, full) == {}


def test_a_seed_edit_reaches_the_marts_without_a_full_refresh(built, tmp_path):
    tmp, _, db = built
    project = tmp_path / "dbt_project"  # a copy: the shipped seed is never touched
    shutil.copytree(paths.DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"))
    seed = project / "seeds" / "nationality_aliases.csv"
    original = seed.read_text(encoding="utf-8")
    assert "\nRomanian,romanian,ROU,Romania,foreign," in original
    before = total(db, "uk_nationals")
    seed.write_text(original.replace("\nRomanian,romanian,ROU,Romania,foreign,", "\nRomanian,romanian,ROU,Romania,uk,"),
                    encoding="utf-8")
    dbt_build(db, tmp, project=project)
    assert total(db, "uk_nationals") > before
    full = tmp_path / "full.duckdb"
    shutil.copy(db, full)
    dbt_build(full, tmp, "--full-refresh", project=project)
    assert differences(db, full) == {}
