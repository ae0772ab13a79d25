"""Generate a landing folder of synthetic returns and its truth manifest."""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

from . import catalogue as C
from .manifest import build_manifest
from .plan import make_plans
from .population import build
from .readme import readme_text
from .reference import Reference
from .returns import ForceWriter, build_aggregate, build_record, write_return

# Offence-view withheld cells may lower `total`'s lower bound by at most this much.
SUPPRESSION_BUDGET = 240
MIN_OFFENCE_VIEW_WITHHOLDERS = 3


def generate(seed: int, scale: int, out: Path) -> dict:
    if scale < 1:
        raise ValueError("scale must be a positive whole number")
    out = Path(out)
    landing = out / "landing"
    if landing.exists() and any(landing.iterdir()):
        if not (out / "truth.json").exists():  # never wipe a landing folder of real drops
            raise FileExistsError(f"{landing} holds files this generator did not write (no truth.json beside it)")
        shutil.rmtree(landing)
    landing.mkdir(parents=True)

    ref = Reference()
    rng = random.Random(seed)
    plans = make_plans(ref, rng)
    pop = build(ref, plans, rng)

    writers = {}
    for p in plans:
        if p.status != "returned":
            continue
        w = ForceWriter(ref, p, pop, seed, scale)
        (build_record if p.shape == "record" else build_aggregate)(w)
        writers[p.slug] = w
    _settle_tokens(plans, writers, rng)

    accounts = {}
    for p in plans:
        if p.status == "refused":
            folder = landing / p.slug
            folder.mkdir(parents=True, exist_ok=True)
            section, note = p.refusal
            note = note.format(n=C.FORCE_WEIGHT[p.slug] * 3)
            (folder / "refusal.yaml").write_text(
                f"section: {json.dumps(section)}\nnote: {json.dumps(note, ensure_ascii=False)}\n", encoding="utf-8")
            p.refusal = (section, note)
        else:
            accounts[p.slug] = write_return(writers[p.slug], landing)
    manifest = build_manifest(ref, plans, pop, {s: w.ret for s, w in writers.items()}, accounts, seed, scale)
    _check_story(manifest, scale)
    (out / "truth.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False, sort_keys=False) + "\n", encoding="utf-8")
    (out / "README.md").write_text(readme_text(manifest, {s: w.ret for s, w in writers.items()}), encoding="utf-8")
    return manifest


def _settle_tokens(plans, writers, rng: random.Random) -> None:
    """Which forces withhold small offence-view cells (within the budget), and make every
    suppression and zero token appear at least once."""
    aggregate = [p for p in plans if p.status == "returned" and p.shape != "record" and p.slug != "metropolitan"]
    rng.shuffle(aggregate)
    losses = {p.slug: writers[p.slug].potential_loss() for p in aggregate}
    # cheapest first (most are small forces), a few at random beyond that
    order = sorted(aggregate, key=lambda p: losses[p.slug])
    spent, chosen = 0, 0
    for p in order:
        loss = losses[p.slug]
        if loss == 0 or spent + loss > SUPPRESSION_BUDGET:
            continue
        if chosen < MIN_OFFENCE_VIEW_WITHHOLDERS or rng.random() < 0.4:
            p.suppress_offence_view = True
            spent += loss
            chosen += 1
    withholding = sorted((p for p in plans if p.suppress_offence_view or p.suppress_nationality), key=lambda p: p.slug)
    tokens = ["<5", "*", "[c]", "1-4"]
    rng.shuffle(tokens)
    for i, p in enumerate(withholding):
        p.suppress_token = tokens[i % len(tokens)]
    with_zeros = sorted((p for p in plans if p.status == "returned" and p.shape in ("crosstab", "split", "no_nationality")),
                        key=lambda p: p.slug)
    zeros = ["-", "0", ""]
    rng.shuffle(zeros)
    for i, p in enumerate(with_zeros):
        p.zero_token = zeros[i % len(zeros)]


def _check_story(m: dict, scale: int) -> None:
    """The published story holds at scale 1 for every seed."""
    if scale != 1:
        return
    f = m["figures"]
    exact = {"sexual_offences": 2949, "rape": 2, "sexual_assault_girls_under_13": 24, "sexual_assault_boys_under_13": 13,
             "indecent_images": 748, "sexual_activity_children": 164, "child_cruelty": 80, "kidnapping_abduction": 6}
    for fid, v in exact.items():
        assert f[fid]["truth"] == f[fid]["low"] == f[fid]["high"] == v, (fid, f[fid])
    for fid, v in (("countries_drug_offences", C.COUNTRIES_DRUG), ("countries_violence", C.COUNTRIES_VIOLENCE)):
        assert f[fid]["truth"] == f[fid]["low"] == f[fid]["high"] == v, (fid, f[fid])
    assert f["sexual_assault_girls_13_to_16"]["low"] == C.GIRLS_13_16_LOW, f["sexual_assault_girls_13_to_16"]
    assert f["total"]["low"] > 412_000, f["total"]
    assert f["foreign_nationals"]["low"] >= 14_000, f["foreign_nationals"]
    assert m["durham_foreign_sexual_offenders"] == {"IRN": 1, "PHL": 1}, m["durham_foreign_sexual_offenders"]
