"""Partition isolation and idempotency on the hand-made fixture returns (real Dagster,
dbt, GX and DuckDB runs)."""

import hashlib

import pytest
from openpyxl import load_workbook

from orchestration import paths
from tests import pipeline
from tests.conftest import FIXTURE_LANDING

MARTS = ["community_resolutions_by_offence", "community_resolutions_by_nationality", "force_coverage",
         "headline_figures", "unmapped_values", "row_accounting"]


def marts_digest() -> dict[str, str]:
    return {t: hashlib.sha256(repr(pipeline.query(f"select * from marts.{t} order by all")).encode()).hexdigest()
            for t in MARTS}


def run(instance, forces=None, reparse=False):
    from orchestration.run import run_pipeline

    result = run_pipeline(instance, forces=forces, reparse=reparse)
    assert result.success
    return result


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    with pipeline.on_landing(tmp_path_factory.mktemp("partitions"), FIXTURE_LANDING) as (data, instance):
        run(instance)
        yield instance, data


def test_rematerializing_a_partition_or_reparsing_everything_gives_identical_marts(loaded):
    instance, _ = loaded
    before = marts_digest()
    returns = pipeline.query("select return_id, ingested_at from raw.returns order by 1")
    run(instance, forces=["humberside"])
    assert marts_digest() == before
    assert pipeline.query("select return_id, ingested_at from raw.returns order by 1") == returns  # nothing re-read
    run(instance, reparse=True)
    assert marts_digest() == before


def test_a_corrected_return_changes_that_force_only_and_totals_move_by_the_difference(loaded):
    instance, data = loaded
    other_forces = "select * from marts.force_coverage where force_name <> 'Humberside' order by all"
    others_before = pipeline.query(other_forces)
    other_offences_before = pipeline.query(
        "select * from marts.community_resolutions_by_offence where force_name <> 'Humberside' order by all")
    other_returns_before = pipeline.query(
        "select return_id, ingested_at, is_current from raw.returns where force_slug <> 'humberside' order by 1")
    (total_before,) = pipeline.query("select value_low, value_high from marts.headline_figures where figure_id = 'total'")

    workbook_path = data / "landing" / "humberside" / "Humberside CR by offence and nationality.xlsx"
    wb = load_workbook(workbook_path)
    sheet = wb["Community Resolutions"]
    assert sheet["E7"].value == 120
    sheet["E7"] = 125  # the force corrects British shoplifting 2022/23 from 120 to 125,
    sheet["E12"] = sheet["E12"].value + 5  # and the 2022/23 subtotal and the Grand Total with it
    sheet["E19"] = sheet["E19"].value + 5  # (the reader checks them)
    wb.save(workbook_path)

    result = run(instance, forces=["humberside"])
    ingested = {e.asset_key.to_user_string() for e in result.get_asset_materialization_events()}
    assert "raw/returns" in ingested

    assert pipeline.query(other_forces) == others_before
    assert pipeline.query("select * from marts.community_resolutions_by_offence where force_name <> 'Humberside' "
                          "order by all") == other_offences_before
    assert pipeline.query("select return_id, ingested_at, is_current from raw.returns where force_slug <> 'humberside' "
                          "order by 1") == other_returns_before
    (total_after,) = pipeline.query("select value_low, value_high from marts.headline_figures where figure_id = 'total'")
    assert (total_after[0] - total_before[0], total_after[1] - total_before[1]) == (5, 5)
    # the superseded version stays in raw as history, no longer current
    versions = pipeline.query("select is_current from raw.returns where force_slug = 'humberside' order by ingested_at")
    assert versions == [(False,), (True,)]
    published = pipeline.query("select value_low from marts.headline_figures where figure_id = 'total'",
                               db=paths.published_db_path())
    assert published == [(total_after[0],)]
