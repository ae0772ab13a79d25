"""Load acceptance cases through the real pipeline and say, per case, whether the published
marts hold exactly what the return says (`exact`), nothing (`quarantined`), or something
else (`wrong`). The case format is /work/notes/case_format.md:

    <cases_dir>/<case_name>/expected.yaml      outcome, figures [low, high], truth, reason_contains
    <cases_dir>/<case_name>/files/...          the files as the force sent them

Each case becomes one force folder of a landing directory (the figures do not depend on which
force); up to 40 cases share one pipeline run (tests/pipeline.py: `on_landing` + `run`).

Verdicts, per case:
  exact         expected exact; force status 'returned'; every listed figure equal
  narrowed      expected exact; force status 'returned'; every listed figure equal, or
                narrower than expected (published low..high inside the expected one) and
                holding the case's `truth` for that figure. The reader narrows withheld
                cells from the return's own exact totals, so a correct pipeline may publish
                less than the plain sum of cell bounds; a narrower range is only right if it
                still holds the true count, so without a `truth` for the figure it is wrong.
                Counts as read as expected.
  quarantined   force status 'quarantined', nothing published; when the case expects a
                quarantine, its reasons contain every `reason_contains` entry
  other_reason  expected quarantined, quarantined with nothing published, but the reasons lack
                a `reason_contains` entry (not wrong: nothing was published; not the expected
                reading either). The contract leaves this case open; it is kept apart so that
                neither `quarantined` nor `wrong` is overstated.
  wrong         a published figure differs from the expected one (other than a narrowing
                that holds the truth), or anything was published for a case expected to be
                quarantined
  failed        the run failed before the marts were built (or the case's force was not seen)

    python -m tests.acceptance.runner <cases_dir> [--keep DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import yaml

ROOT = Path(__file__).resolve().parents[2]
CASES_PER_RUN = 40
OUTCOMES = ("exact", "quarantined")
VERDICTS = ("exact", "narrowed", "quarantined", "other_reason", "wrong", "failed")
# expected.yaml figure -> (mart, column the figure groups by); `total` reads force_coverage
BREAKDOWNS = {
    "by_period": ("community_resolutions_by_offence", "period_label"),
    "by_nationality_category": ("community_resolutions_by_nationality", "nationality_category"),
    "by_offence_group": ("community_resolutions_by_offence", "offence_group"),
    "by_ho_offence_code": ("community_resolutions_by_offence", "ho_offence_code"),
}
MART_TABLES = ("force_coverage", "community_resolutions_by_offence", "community_resolutions_by_nationality")


class CaseError(ValueError):
    """An expected.yaml that does not follow the case format."""


@dataclass
class Case:
    name: str
    path: Path
    description: str
    outcome: str
    reason_contains: list[str] = field(default_factory=list)
    figures: dict = field(default_factory=dict)  # "total": (low, high); breakdown: {key: (low, high)}
    truth: dict = field(default_factory=dict)    # same keys, some or all: "total": n; breakdown: {key: n}

    @property
    def files(self) -> list[Path]:
        return sorted(p for p in (self.path / "files").iterdir() if p.is_file())


@dataclass
class Result:
    case: Case
    force_slug: str
    verdict: str
    status: str | None = None
    reasons: str = ""
    differences: list[str] = field(default_factory=list)  # "by_period 2022/23: expected 20-23, published 18"
    narrowed: list[str] = field(default_factory=list)     # "total: expected 20-23, published 21-22, truth 21"
    detail: str = ""

    @property
    def as_expected(self) -> bool:
        """Read as the case expects: its outcome, or a narrowing that holds the truth."""
        return self.verdict == self.case.outcome or (self.verdict == "narrowed" and self.case.outcome == "exact")

    def line(self) -> str:
        """One line for a person: verdict, case, and why when it is not the expected reading."""
        text = f"{self.verdict:<13}{self.case.name}"
        if not self.as_expected:
            text += f"  (expected {self.case.outcome}; force {self.force_slug}, status {self.status})"
        notes = list(self.differences) + [f"narrowed {n}" for n in self.narrowed]
        if self.detail:
            notes.append(self.detail)
        if self.reasons and self.verdict in ("quarantined", "other_reason"):
            notes.append(f"reasons: {self.reasons}")
        return text + "".join(f"\n    {n}" for n in notes)


# ---------------------------------------------------------------- reading cases

def _bounds(value, where: str) -> tuple[int, int]:
    if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            or not 0 <= value[0] <= value[1]):
        raise CaseError(f"{where}: expected [low, high], whole numbers with 0 <= low <= high, got {value!r}")
    return value[0], value[1]


def _truth(value, bounds: tuple[int, int], where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not bounds[0] <= value <= bounds[1]:
        raise CaseError(f"{where}: truth must be a whole number inside the expected {_fmt(bounds)}, got {value!r}")
    return value


def _load_truth(raw, figures: dict, where) -> dict:
    """`truth`: the true count behind some or all of the listed figures (same keys)."""
    if not isinstance(raw, dict):
        raise CaseError(f"{where}: truth must be a mapping like figures")
    truth = {}
    for key, value in raw.items():
        if key not in figures:
            raise CaseError(f"{where}: truth {key!r} is not a listed figure")
        if key == "total":
            truth[key] = _truth(value, figures[key], f"{where}: truth total")
            continue
        if not isinstance(value, dict) or not value:
            raise CaseError(f"{where}: truth {key!r} must be a non-empty mapping like its figure")
        unknown = {str(k) for k in value} - figures[key].keys()
        if unknown:
            raise CaseError(f"{where}: truth {key} {sorted(unknown)} not in its figure")
        truth[key] = {str(k): _truth(v, figures[key][str(k)], f"{where}: truth {key}.{k}") for k, v in value.items()}
    return truth


def load_case(path: Path) -> Case:
    where = path / "expected.yaml"
    try:
        spec = yaml.safe_load(where.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CaseError(f"{where}: {exc}") from exc
    if not isinstance(spec, dict):
        raise CaseError(f"{where}: expected a mapping")
    unknown = set(spec) - {"description", "outcome", "reason_contains", "figures", "truth"}
    if unknown:
        raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
    outcome = spec.get("outcome")
    if outcome not in OUTCOMES:
        raise CaseError(f"{where}: outcome must be one of {OUTCOMES}, got {outcome!r}")
    reasons = spec.get("reason_contains") or []
    if not isinstance(reasons, list) or not all(isinstance(r, str) and r for r in reasons):
        raise CaseError(f"{where}: reason_contains must be a list of non-empty strings")
    if reasons and outcome != "quarantined":
        raise CaseError(f"{where}: reason_contains is for quarantined cases only")
    figures = {}
    raw = spec.get("figures") or {}
    if outcome == "quarantined" and raw:
        raise CaseError(f"{where}: a quarantined case publishes no figures")
    if outcome == "exact" and not raw:
        raise CaseError(f"{where}: an exact case lists at least one figure")
    for key, value in raw.items():
        if key == "total":
            figures[key] = _bounds(value, f"{where}: total")
        elif key in BREAKDOWNS and isinstance(value, dict) and value:
            figures[key] = {str(k): _bounds(v, f"{where}: {key}.{k}") for k, v in value.items()}
        else:
            raise CaseError(f"{where}: unknown or empty figure {key!r} (known: total, {', '.join(BREAKDOWNS)})")
    truth = _load_truth(spec["truth"], figures, where) if spec.get("truth") is not None else {}
    if not (path / "files").is_dir() or not any(p.is_file() for p in (path / "files").iterdir()):
        raise CaseError(f"{path}: no files/ folder with the return's files")
    return Case(path.name, path, str(spec.get("description", "")), outcome, reasons, figures, truth)


def load_cases(cases_dir: Path) -> list[Case]:
    """Every <case>/expected.yaml under cases_dir, by name."""
    cases = [load_case(p.parent) for p in sorted(Path(cases_dir).glob("*/expected.yaml"))]
    if not cases:
        raise CaseError(f"{cases_dir}: no <case>/expected.yaml")
    return cases


def force_slugs() -> list[str]:
    """The forces a national request goes to (as int_forces): 43 territorial forces and BTP."""
    with (ROOT / "dbt_project" / "seeds" / "police_forces.csv").open(encoding="utf-8") as fh:
        return [r["police_uk_slug"] for r in csv.DictReader(fh) if r["ho_outcomes_force_name"] and r["police_uk_slug"]]


# ---------------------------------------------------------------- running

def run_cases(cases: list[Case], workdir: Path) -> list[Result]:
    """Run the cases through the pipeline, CASES_PER_RUN per run, each in a fresh data
    directory under workdir; results in the order of `cases`."""
    results = []
    for start in range(0, len(cases), CASES_PER_RUN):
        pack = cases[start:start + CASES_PER_RUN]
        results += _run_pack(pack, Path(workdir) / f"run{start // CASES_PER_RUN + 1}")
    return results


def _run_pack(cases: list[Case], base: Path) -> list[Result]:
    from tests import pipeline

    slugs = dict(zip((c.name for c in cases), force_slugs()))
    landing = base / "cases_landing"
    for case in cases:
        folder = landing / slugs[case.name]
        folder.mkdir(parents=True)
        for f in case.files:
            shutil.copy2(f, folder / f.name)
    with _without_env("CR_LANDING_DIR"), pipeline.on_landing(base, landing) as (_data, instance):
        try:
            result = pipeline.run(instance)
        except Exception as exc:  # the harness must report a crashed run, not die with it
            return [Result(c, slugs[c.name], "failed", detail=f"pipeline raised {exc.__class__.__name__}: {exc}") for c in cases]
        return _judge_run(cases, slugs, result)


def _step_failure(event) -> str:
    """'step: the root error', so a person sees why the run failed (a retried step's own
    error only says the retries ran out; dbt's says which model failed further down)."""
    error = getattr(event.event_specific_data, "error", None)
    while error is not None and error.cause is not None:
        error = error.cause
    lines = [ln.strip() for ln in (error.message if error else "").splitlines() if ln.strip()]
    detail = [ln for ln in lines[1:] if "Error" in ln][:2]
    return f"{event.step_key}: " + " | ".join(lines[:1] + detail)[:500] if lines else event.step_key


@contextlib.contextmanager
def _without_env(name: str):
    saved = os.environ.pop(name, None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ[name] = saved


def _judge_run(cases: list[Case], slugs: dict[str, str], result) -> list[Result]:
    from dagster import AssetKey

    from orchestration import paths

    built = {e.asset_key for e in result.get_asset_materialization_events()}
    missing = [t for t in MART_TABLES if AssetKey(["marts", t]) not in built]
    if missing:
        steps = "; ".join(_step_failure(e) for e in result.all_events if e.is_step_failure) or "none reported"
        why = f"run {result.run_id} did not build marts {', '.join(missing)} (failed steps: {steps})"
        return [Result(c, slugs[c.name], "failed", detail=why) for c in cases]
    # the published file when the checks let the publish step run, else the warehouse's marts
    published = AssetKey(["published", "marts"]) in built
    db = paths.published_db_path() if published else paths.warehouse_path()
    blocked = "" if published else "publish blocked: " + "; ".join(
        f"{e.check_name}: {e.description or ''}" for e in result.get_asset_check_evaluations() if not e.passed)
    with duckdb.connect(str(db), read_only=True) as con:
        results = [judge(case, slugs[case.name], con) for case in cases]
    if blocked:
        for r in results:
            r.detail = "; ".join(filter(None, [r.detail, "read from the warehouse (" + blocked[:300] + ")"]))
    return results


# ---------------------------------------------------------------- judging

def _fmt(bounds) -> str:
    low, high = bounds
    return f"{low}" if low == high else f"{low}-{high}"


@dataclass
class Difference:
    """A listed figure whose published bounds are not the expected ones."""
    figure: str                  # "total", "by_period 2022/23"
    expected: tuple[int, int]
    published: tuple[int, int]
    truth: int | None            # the case's true count for the figure, when it gives one

    @property
    def narrower(self) -> bool:
        return self.expected[0] <= self.published[0] and self.published[1] <= self.expected[1]

    @property
    def acceptable(self) -> bool:
        """A narrowing that still holds the case's true count."""
        return self.narrower and self.truth is not None and self.published[0] <= self.truth <= self.published[1]

    def text(self) -> str:
        text = f"{self.figure}: expected {_fmt(self.expected)}, published {_fmt(self.published)}"
        if self.acceptable:
            return text + f", truth {self.truth}"
        if self.narrower and self.truth is None:
            return text + " (narrower, and the case gives no truth to check it against)"
        if self.narrower:
            return text + f" (narrower, but the truth {self.truth} is outside it)"
        return text


def judge(case: Case, slug: str, con: duckdb.DuckDBPyConnection) -> Result:
    """The verdict for one case from the marts open on `con` (schema `marts`)."""
    row = con.execute("select force_name, status, coalesce(quarantine_reasons, ''), community_resolutions_low, "
                      "community_resolutions_high from marts.force_coverage where force_slug = ?", [slug]).fetchone()
    if row is None:
        return Result(case, slug, "failed", detail=f"force {slug} is not in force_coverage")
    force, status, reasons, low, high = row
    res = Result(case, slug, "failed", status=status, reasons=reasons)
    published_rows = sum(con.execute(f"select count(*) from marts.{t} where force_name = ?", [force]).fetchone()[0]
                         for t in MART_TABLES[1:])
    published = status == "returned" or published_rows > 0 or high > 0
    if not published:
        if status != "quarantined":
            res.detail = f"force status {status!r}: the pipeline did not see the case's files"
            return res
        lacking = [s for s in case.reason_contains if s.lower() not in reasons.lower()]
        if case.outcome == "quarantined" and lacking:
            res.verdict = "other_reason"
            res.detail = "reasons lack " + ", ".join(repr(s) for s in lacking)
        else:
            res.verdict = "quarantined"
        return res
    if case.outcome == "quarantined":
        res.verdict = "wrong"
        res.differences = [f"published for a return that must be quarantined: status {status}, "
                           f"total {_fmt((low, high))}, {published_rows} mart rows"]
        return res
    for diff in _differences(case, force, (low, high), con):
        (res.narrowed if diff.acceptable else res.differences).append(diff.text())
    if res.differences:
        res.verdict = "wrong"
    elif status != "returned":
        res.detail = f"figures {'equal or narrowed' if res.narrowed else 'equal'} but force status {status!r}"
    else:
        res.verdict = "narrowed" if res.narrowed else "exact"
    return res


def _differences(case: Case, force: str, total: tuple[int, int], con) -> list[Difference]:
    diffs = []
    for key, expected in case.figures.items():
        if key == "total":
            if tuple(total) != expected:
                diffs.append(Difference("total", expected, tuple(total), case.truth.get("total")))
            continue
        mart, column = BREAKDOWNS[key]
        got = {str(k): (lo, hi) for k, lo, hi in con.execute(
            f"select {column}, coalesce(sum(count_low), 0)::bigint, coalesce(sum(count_high), 0)::bigint "
            f"from marts.{mart} where force_name = ? group by 1", [force]).fetchall()}
        for label, bounds in expected.items():
            actual = got.get(label, (0, 0))  # nothing published for a listed key is a published 0
            if actual != bounds:
                diffs.append(Difference(f"{key} {label}", bounds, actual, case.truth.get(key, {}).get(label)))
    return diffs


# ---------------------------------------------------------------- command line

def ensure_dbt_manifest() -> None:
    """Dagster loads the dbt manifest at import; rebuild it if a model changed since (as
    tests/conftest.py does for pytest)."""
    project = ROOT / "dbt_project"
    manifest = project / "target" / "manifest.json"
    sources = [p for d in ("models", "macros", "seeds", "tests") for p in (project / d).rglob("*") if p.is_file()]
    if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
        subprocess.run([str(Path(sys.executable).parent / "dbt"), "parse", "--profiles-dir", ".", "--quiet"],
                       cwd=project, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run acceptance cases through the pipeline and judge the marts.")
    parser.add_argument("cases_dir", type=Path)
    parser.add_argument("--keep", type=Path, help="run in this folder and keep it (default: a temporary folder)")
    args = parser.parse_args(argv)
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep}: not empty; give a new folder")
    cases = load_cases(args.cases_dir)
    ensure_dbt_manifest()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="acceptance-"))
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        with contextlib.redirect_stdout(sys.stderr):  # dbt's progress lines; stdout keeps the verdicts
            results = run_cases(cases, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    for r in results:
        print(r.line())
    counts = {v: sum(r.verdict == v for r in results) for v in VERDICTS}
    print("\n" + "  ".join(f"{v} {n}" for v, n in counts.items() if n or v in ("exact", "wrong", "failed")))
    read = sum(r.as_expected for r in results)
    print(f"{read} of {len(results)} read as expected")
    return 1 if counts["wrong"] or counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
