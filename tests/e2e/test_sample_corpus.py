"""The whole pipeline on the generated national corpus: the shipped sample (seed 2025)
and a second seed generated here, so nothing is tuned to one sample. Every figure, every
force's nationality bounds, every force's status and every generated row are checked
against the generator's truth manifest."""

import json

import pytest

from orchestration import paths
from synthetic_returns.generate import generate
from tests import pipeline
from tests.conftest import ROOT


@pytest.fixture(scope="module", params=["shipped sample", "seed 7"])
def corpus(request, tmp_path_factory):
    base = tmp_path_factory.mktemp("corpus")
    corpus_dir = ROOT / "data" / "sample"
    if request.param == "seed 7":
        corpus_dir = base / "generated"
        generate(7, 1, corpus_dir)
    truth = json.loads((corpus_dir / "truth.json").read_text())
    with pipeline.on_landing(base, corpus_dir / "landing") as (_, instance):
        yield pipeline.run(instance), truth


def published(sql, params=None):
    return pipeline.query(sql, params, db=paths.published_db_path())


def test_run_passes_every_check(corpus):
    result, _ = corpus
    assert result.success
    assert all(e.passed for e in result.get_asset_check_evaluations())


def test_every_headline_figure_equals_the_manifest(corpus):
    _, truth = corpus
    got = {fid: [low, high] for fid, low, high in published("select figure_id, value_low, value_high from headline_figures")}
    expected = {fid: [f["low"], f["high"]] for fid, f in truth["figures"].items()}
    assert got == expected
    # the published story, which the generator is built to reproduce
    assert got["total"][0] > 412_000 and got["foreign_nationals"][0] >= 14_000
    assert got["sexual_offences"] == [2949, 2949] and got["rape"] == [2, 2]
    assert got["sexual_assault_girls_13_to_16"][0] == 134
    assert got["countries_drug_offences"] == [128, 128] and got["countries_violence"] == [99, 99]
    for fid, f in truth["figures"].items():
        if fid not in ("foreign_nationals", "uk_nationals", "nationality_not_recorded", "nationality_unmapped"):
            # nationality not recorded hides people, so only offence figures must bracket the truth
            assert f["low"] <= f["truth"] <= f["high"], fid


def test_nationality_mart_summed_per_force_equals_the_manifest(corpus):
    _, truth = corpus
    rows = published("select force_name, nationality_category, sum(count_low), sum(count_high) "
                     "from community_resolutions_by_nationality group by all")
    got: dict = {}
    for force, category, low, high in rows:
        got.setdefault(force, {})[category] = [low, high]
    expected = {force: {c: b for c, b in cats.items() if b != [0, 0] or c in got.get(force, {})}
                for force, cats in truth["nationality_by_force"].items()}
    assert got == expected


def test_force_coverage_shows_refusals_and_forces_without_nationality(corpus):
    _, truth = corpus
    got = {slug: (status, section, provided) for slug, status, section, provided in published(
        "select force_slug, status, foi_section, nationality_provided from force_coverage")}
    expected = {slug: (f["status"], f["foi_section"], f["nationality_provided"]) for slug, f in truth["forces"].items()}
    assert got == expected
    assert sum(1 for s in got.values() if s[0] == "refused") == 6
    assert sum(1 for s in got.values() if s[0] == "returned" and not s[2]) == 4


def test_durham_foreign_sexual_offenders(corpus):
    _, truth = corpus
    rows = published("select nationality_iso3, sum(count_low) from community_resolutions_by_nationality "
                     "where force_name = 'Durham' and offence_group = 'Sexual offences' "
                     "and nationality_category = 'foreign' group by 1 having sum(count_high) > 0")
    assert dict(rows) == truth["durham_foreign_sexual_offenders"] == {"IRN": 1, "PHL": 1}


def test_every_generated_row_is_loaded_filtered_or_quarantined(corpus):
    _, truth = corpus
    per_file = {}
    for source_file, disposition, reason, rows in published(
            "select source_file, disposition, reason, rows from row_accounting"):
        f = per_file.setdefault(source_file, {"rows": 0, "loaded": 0, "other_outcome": 0, "quarantined": 0})
        f["rows"] += rows
        f["loaded"] += rows if disposition == "loaded" else 0
        f["other_outcome"] += rows if reason.startswith("outcome ") else 0
        f["quarantined"] += rows if disposition == "quarantined" else 0
    expected = {path: {"rows": f["rows"], "loaded": f["rows_loaded"], "other_outcome": f["rows_other_outcome"],
                       "quarantined": 0} for path, f in truth["files"].items()}
    for force in truth["forces"].values():  # a refusal is a file with no rows
        for path in force["files"]:
            expected.setdefault(path, {"rows": 0, "loaded": 0, "other_outcome": 0, "quarantined": 0})
    assert per_file == expected
    assert sum(f["rows"] for f in per_file.values()) == sum(f["rows"] for f in truth["files"].values())
