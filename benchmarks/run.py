"""Performance benchmark of the pipeline against a floor and an analyst's pandas script.

    .venv/bin/python benchmarks/run.py                      # 1x, 10x and 10M records, 3 runs each
    .venv/bin/python benchmarks/run.py --scales 1,10 --repeat 3
    .venv/bin/python benchmarks/run.py --quick              # shipped sample only, one run each (~2 min)

For every scale (1 = the shipped sample data/sample; N = `python -m synthetic_returns
--seed 2025 --scale N`, cached under benchmarks/cache/seed<seed>-scale<N>/ and reused) it
measures, as the median of --repeat runs, wall time and peak RSS of the whole process tree:

  floor        benchmarks/floor.py: DuckDB read_csv of every CSV into one table plus
               python-calamine's read of every XLSX sheet, nothing else
  baseline     benchmarks/pandas_baseline.py: the pandas script an analyst would write
  pipeline     `python -m orchestration.run`: full refresh, fresh data dir and Dagster
               home each run; and its stages (ingest, dbt, checks, publish) from the
               run's step events
  incremental  after the full refresh, one force's return changes (one count in an
               aggregate CSV; without --quick also one row appended to a record-level
               CSV) and benchmarks/run_force.py refreshes that force
  definitions  `python -c "import orchestration.definitions"` (median of 5)

Every measured process runs on a copy of the code taken at the start (the project may be
edited while a long run goes on; --in-place runs the working tree instead).

It prints one table (with the ratios pipeline/floor and baseline/pipeline and the targets
met / not met), writes it with the machine description to <out>/<date>-<scales>.md (an
earlier run of the same day becomes <date>-<scales>-<HHMM>.md) and, when --out is the
default, puts it in BENCHMARKS.md (latest table + one history line).
A measurement that runs over --timeout seconds or over --rss-limit-gb is killed (the
whole process tree) and reported as "timed out after N s" / "exceeded N GiB".
"""

from __future__ import annotations

import argparse
import datetime as dt
import fnmatch
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.proctree import GiB, MiB, Measured, run_measured  # noqa: E402
from benchmarks.stages import STAGES, latest_run_stages  # noqa: E402

BENCH = ROOT / "benchmarks"
CACHE = BENCH / "cache"
DEFAULT_OUT = BENCH / "results"
HISTORY_FILE = ROOT / "BENCHMARKS.md"
SAMPLE = ROOT / "data" / "sample"
PY = sys.executable
TEN_MILLION_SCALE = 278  # --scale 278 writes ~10.0M record-level rows
PACKAGES = ["dagster", "dagster-dbt", "dbt-core", "dbt-duckdb", "duckdb", "pandas", "pyarrow",
            "great-expectations", "python-calamine"]


def log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def loadavg() -> tuple[float, float, float]:
    return tuple(float(x) for x in Path("/proc/loadavg").read_text().split()[:3])  # type: ignore[return-value]


# ------------------------------------------------------------------------------ corpora


def corpus(seed: int, scale: int) -> Path:
    """The corpus directory (with landing/ and truth.json), generated once and cached."""
    if scale == 1 and seed == 2025:
        return SAMPLE  # the shipped sample is exactly this corpus
    target = CACHE / f"seed{seed}-scale{scale}"
    truth = target / "truth.json"
    if truth.exists():
        t = json.loads(truth.read_text())
        if t.get("seed") == seed and t.get("scale") == scale:
            return target
    from synthetic_returns.generate import generate

    tmp = CACHE / f".tmp-seed{seed}-scale{scale}-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.rmtree(target, ignore_errors=True)
    log(f"generating seed {seed} scale {scale} into {target} (cached for later runs)")
    started = time.monotonic()
    generate(seed, scale, tmp)
    tmp.rename(target)
    log(f"generated in {time.monotonic() - started:.0f} s")
    return target


def corpus_summary(path: Path) -> dict:
    truth = json.loads((path / "truth.json").read_text())
    files = truth["files"]
    record = [f for slug, f in truth["forces"].items() if f.get("shape") == "record" for f in f["files"]]
    landing = path / "landing"
    return {
        "files": len(files),
        "rows": sum(f["rows"] for f in files.values()),
        "record_rows": sum(files[f]["rows"] for f in record if f in files),
        "bytes": sum(p.stat().st_size for p in landing.rglob("*") if p.is_file()),
        "total": truth["figures"]["total"],
    }


def linked_copy(src: Path, dst: Path) -> None:
    """A copy of the landing folder made of hard links (instant, no space); a changed file
    is replaced, never written in place, so the cached corpus is never touched."""
    for path in sorted(src.rglob("*")):
        target = dst / path.relative_to(src)
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(path, target)
        except OSError:
            shutil.copy2(path, target)


def pick_changes(truth: dict) -> dict[str, str]:
    """Files to change for the incremental runs: an aggregate CSV and a record-level CSV."""
    picks = {}
    for slug, force in truth["forces"].items():
        csvs = [f for f in force.get("files", []) if f.lower().endswith(".csv")]
        if not csvs:
            continue
        if force.get("shape") == "long" and "aggregate" not in picks:
            picks["aggregate"] = csvs[0]
        if force.get("shape") == "record" and "record" not in picks:
            picks["record"] = csvs[0]
    return picks


def _replace(path: Path, write) -> None:
    tmp = path.with_name(path.name + ".bench-tmp")
    with tmp.open("wb") as out:
        write(out)
    os.replace(tmp, path)  # breaks the hard link: the cache keeps its bytes


def bump_one_count(path: Path) -> str:
    """Add 1 to the first whole-number count ending a data line of an aggregate CSV."""
    data = path.read_bytes()
    lines = data.splitlines(keepends=True)
    for i, line in enumerate(lines):
        m = re.match(rb"^(.*[,;\t|].*[,;\t|])(\d+)(\r?\n?)$", line)
        if m and b"total" not in line.lower():
            lines[i] = m[1] + str(int(m[2]) + 1).encode() + m[3]
            _replace(path, lambda out: out.write(b"".join(lines)))
            return f"line {i + 1}: count {int(m[2])} -> {int(m[2]) + 1}"
    raise ValueError(f"{path}: no count to change")


def append_one_record(path: Path) -> str:
    """Insert a copy of the last record line of a record-level CSV right after it (a
    footer below the table stays below). Streams: the file may be hundreds of MB."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - 65536))
        tail = fh.read()
    base = size - len(tail)
    lines = tail.splitlines(keepends=True)
    offset = len(tail)
    for line in reversed(lines):
        offset -= len(line)
        if line.count(b",") >= 5:
            record = line if line.endswith(b"\n") else line + b"\r\n"
            cut = base + offset + len(line)

            def write(out, record=record, cut=cut, line=line):
                with path.open("rb") as src:
                    remaining = cut
                    while remaining:
                        chunk = src.read(min(1 << 20, remaining))
                        out.write(chunk)
                        remaining -= len(chunk)
                    if not line.endswith(b"\n"):
                        out.write(b"\r\n")
                    out.write(record)
                    shutil.copyfileobj(src, out)

            _replace(path, write)
            return "one record appended"
    raise ValueError(f"{path}: no record line found in its last 64 KB")


# -------------------------------------------------------------------------- measurements


@dataclass
class Sample:
    """One run of one measurement."""
    status: str
    seconds: float | None
    rss: int | None
    load1: float  # 1-min load average when it started
    detail: str = ""
    extra: dict = field(default_factory=dict)
    load_max: float | None = None  # highest 1-min load average while it ran


@dataclass
class Row:
    samples: list[Sample] = field(default_factory=list)

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.status == "ok" and s.seconds is not None]

    def seconds(self) -> float | None:
        ok = self.ok
        return statistics.median(s.seconds for s in ok) if ok and len(ok) == len(self.samples) else None

    def rss(self) -> float | None:
        ok = [s for s in self.ok if s.rss is not None]
        return statistics.median(s.rss for s in ok) if ok and len(self.ok) == len(self.samples) else None

    def failure(self) -> str | None:
        bad = [s for s in self.samples if s.status != "ok"]
        return bad[0].detail or bad[0].status if bad else None


class Bench:
    def __init__(self, args):
        self.args = args
        self.timeout = args.timeout
        self.rss_limit = int(args.rss_limit_gb * GiB)
        self.results: dict[int, dict[str, Row]] = {}
        self.corpora: dict[int, dict] = {}
        self.totals: dict[int, dict] = {}
        self.changes: dict[int, dict[str, str]] = {}
        self.definitions = Row()
        self.work = CACHE / "work"
        self.code: Code | None = None

    def measure(self, cmd: list[str], env: dict | None = None) -> tuple[Measured, float]:
        load1 = loadavg()[0]
        m = run_measured(cmd, env={**os.environ, **(env or {})}, cwd=self.code.root, timeout_s=self.timeout,
                         rss_limit=self.rss_limit)
        if m.status == "failed":
            tail = " | ".join(m.stderr.strip().splitlines()[-3:])
            m.detail = f"failed ({m.detail}): {tail[-300:]}"
        return m, load1

    def row(self, scale: int, name: str) -> Row:
        return self.results.setdefault(scale, {}).setdefault(name, Row())

    def add(self, row: Row, m: Measured, sample: Sample) -> None:
        sample.load_max = m.load_max
        row.samples.append(sample)

    # ---------------------------------------------------------------- floor and baseline

    def floor(self, scale: int, landing: Path) -> None:
        m, load1 = self.measure([PY, str(BENCH / "floor.py"), str(landing)])
        extra = json.loads(m.stdout.strip().splitlines()[-1]) if m.ok else {}
        # the floor's time is its own work (after interpreter start and imports, ~0.3 s)
        self.add(self.row(scale, "floor"), m, Sample(
            m.status, extra.get("work_s"), m.peak_rss, load1, m.detail, {**extra, "process_s": m.wall_s}))
        log(f"  floor {extra.get('work_s', float('nan')):.2f} s, {m.peak_rss / MiB:.0f} MiB {m.detail}")

    def baseline(self, scale: int, landing: Path) -> None:
        m, load1 = self.measure([PY, str(BENCH / "pandas_baseline.py"), str(landing),
                                 "--seeds", str(self.code.root / "dbt_project" / "seeds")])
        extra = json.loads(m.stdout.strip().splitlines()[-1]) if m.ok else {}
        self.add(self.row(scale, "baseline"), m, Sample(m.status, m.wall_s if m.ok else None, m.peak_rss, load1, m.detail, extra))
        if extra:
            self.totals.setdefault(scale, {})["baseline"] = extra
        log(f"  baseline {m.wall_s:.2f} s, {m.peak_rss / MiB:.0f} MiB {m.detail}")

    # ---------------------------------------------------------------------- pipeline

    def fresh_workdir(self, scale: int, landing: Path, i: int) -> tuple[Path, dict]:
        work = self.work / f"{os.getpid()}-x{scale}-{i}"
        shutil.rmtree(work, ignore_errors=True)
        (work / "dagster_home").mkdir(parents=True)
        (work / "data").mkdir()
        shutil.copy(self.code.root / "dagster_home" / "dagster.yaml", work / "dagster_home" / "dagster.yaml")
        linked_copy(landing, work / "landing")
        env = {"CR_DATA_DIR": str(work / "data"), "CR_LANDING_DIR": str(work / "landing"),
               "DAGSTER_HOME": str(work / "dagster_home")}
        return work, env

    def record_stages(self, scale: int, prefix: str, m: Measured, load1: float, home: Path) -> None:
        """One sample per stage from the run's step events; a stage's peak RSS is the tree's
        peak while its steps ran. A killed run names the stage it was in."""
        stages = latest_run_stages(home)
        if stages is None:
            return
        running = {_stage(s) for s in stages.running}
        for stage in STAGES:
            windows = stages.windows[stage]
            peaks = [p for a, b in windows if (p := m.peak_between(a, b)) is not None]
            if stage in running and m.status != "ok":  # killed while this stage ran
                status, secs, detail = m.status, None, f"{m.detail} (during this stage)"
                peaks.append(m.peak_rss)
            elif windows:
                status, secs, detail = "ok", stages.seconds[stage], ""
            else:
                status, secs, detail = ("not run", None, "not reached" if m.status != "ok" else "not run")
            self.add(self.row(scale, f"{prefix}{stage}"), m,
                     Sample(status, secs, max(peaks) if peaks else None, load1, detail))
        if m.ok:  # interpreter start, imports, Dagster's run set-up and the gaps between steps
            self.add(self.row(scale, f"{prefix}other"), m,
                     Sample("ok", m.wall_s - sum(stages.seconds.values()), None, load1))
        last = self.row(scale, prefix.rstrip(": ") or "pipeline").samples[-1]
        if stages.running and m.status != "ok":
            last.detail += f" in stage {', '.join(sorted(s or '?' for s in running))}"
        last.extra["steps"] = stages.steps
        if (dbt := dbt_run_results(self.code.root, m.started_at)) is not None:
            last.extra["dbt"] = dbt

    def pipeline(self, scale: int, landing: Path, i: int, keep: bool) -> Path | None:
        work, env = self.fresh_workdir(scale, landing, i)
        m, load1 = self.measure([PY, "-m", "orchestration.run"], env)
        self.add(self.row(scale, "pipeline"), m, Sample(m.status, m.wall_s if m.ok else None, m.peak_rss, load1, m.detail))
        self.record_stages(scale, "", m, load1, work / "dagster_home")
        log(f"  pipeline {m.wall_s:.1f} s, {m.peak_rss / MiB:.0f} MiB {self.row(scale, 'pipeline').samples[-1].detail}")
        if m.ok:
            self.totals.setdefault(scale, {})["pipeline"] = published_total(work / "data")
        if keep and m.ok:
            return work
        shutil.rmtree(work, ignore_errors=True)
        return None

    def incremental(self, scale: int, work: Path, kind: str, relpath: str) -> None:
        env = {"CR_DATA_DIR": str(work / "data"), "CR_LANDING_DIR": str(work / "landing"),
               "DAGSTER_HOME": str(work / "dagster_home")}
        path = work / "landing" / relpath
        change = bump_one_count(path) if kind == "aggregate" else append_one_record(path)
        self.changes.setdefault(scale, {})[kind] = f"{relpath}: {change}"
        name = "incremental" if kind == "aggregate" else "incremental (record-level)"
        m, load1 = self.measure([PY, str(BENCH / "run_force.py"), relpath.split("/")[0]], env)
        self.add(self.row(scale, name), m, Sample(m.status, m.wall_s if m.ok else None, m.peak_rss, load1, m.detail))
        self.record_stages(scale, f"{name}: ", m, load1, work / "dagster_home")
        log(f"  {name} {m.wall_s:.1f} s, {m.peak_rss / MiB:.0f} MiB {m.detail}")

    def definitions_load(self, n: int) -> None:
        for _ in range(n):
            m, load1 = self.measure([PY, "-c", "import orchestration.definitions"])
            self.add(self.definitions, m, Sample(m.status, m.wall_s if m.ok else None, m.peak_rss, load1, m.detail))
            log(f"  definitions load {m.wall_s:.2f} s, {m.peak_rss / MiB:.0f} MiB {m.detail}")

    # --------------------------------------------------------------------------- run

    def run(self) -> None:
        args = self.args
        self.work.mkdir(parents=True, exist_ok=True)
        self.code = take_code(args.snapshot)
        log(f"code: commit {self.code.commit}{' + uncommitted changes' if self.code.dirty else ''} "
            f"(sources {self.code.digest}){', snapshot in ' + str(self.code.root) if self.code.snapshot else ''}")
        for scale in args.scales:
            path = corpus(args.seed, scale)
            landing = path / "landing"
            self.corpora[scale] = corpus_summary(path)
            truth = json.loads((path / "truth.json").read_text())
            picks = pick_changes(truth)
            if args.quick:
                picks.pop("record", None)
            log(f"scale {scale}: {self.corpora[scale]['rows']:,} rows ({self.corpora[scale]['record_rows']:,} record-level), "
                f"{self.corpora[scale]['bytes'] / MiB:.0f} MiB")
            kept = None
            for i in range(args.repeat):
                log(f" run {i + 1}/{args.repeat}")
                if self._go_on(scale, "floor"):
                    self.floor(scale, landing)
                if self._go_on(scale, "baseline"):
                    self.baseline(scale, landing)
                if self._go_on(scale, "pipeline"):
                    kept = self.pipeline(scale, landing, i, keep=i == args.repeat - 1)
            if kept is None:
                for kind in picks:
                    name = "incremental" if kind == "aggregate" else "incremental (record-level)"
                    self.row(scale, name).samples.append(Sample("not run", None, None, loadavg()[0], "not run: no successful full refresh"))
            else:
                for kind, relpath in picks.items():
                    for _ in range(args.repeat):
                        name = "incremental" if kind == "aggregate" else "incremental (record-level)"
                        if self._go_on(scale, name):
                            self.incremental(scale, kept, kind, relpath)
                shutil.rmtree(kept, ignore_errors=True)
        self.definitions_load(1 if args.quick else max(5, args.repeat))
        if self.code.snapshot:
            shutil.rmtree(self.code.root, ignore_errors=True)
        try:
            self.work.rmdir()
        except OSError:
            pass

    def _go_on(self, scale: int, name: str) -> bool:
        """A measurement that timed out or ran out of memory is not run again at that scale."""
        row = self.results.get(scale, {}).get(name)
        return not row or all(s.status in ("ok", "failed") for s in row.samples)


def dbt_run_results(code_root: Path, since: float) -> dict | None:
    """dbt's own account of the latest `dbt build` (dagster-dbt writes one target folder
    per invocation): its elapsed time and its slowest nodes."""
    found = [p for p in (code_root / "dbt_project" / "target").glob("*/run_results.json") if p.stat().st_mtime >= since]
    if not found:
        return None
    results = json.loads(max(found, key=lambda p: p.stat().st_mtime).read_text())
    nodes = sorted(((r["execution_time"], r["unique_id"].split(".", 2)[-1]) for r in results["results"]), reverse=True)
    return {"elapsed_s": results["elapsed_time"], "nodes": len(nodes), "nodes_s": sum(t for t, _ in nodes),
            "slowest": [(name, t) for t, name in nodes[:4]]}


def _stage(step_key: str) -> str | None:
    from benchmarks.stages import stage_of
    return stage_of(step_key)


def published_total(data: Path) -> dict:
    import duckdb

    db = data / "published" / "marts.duckdb"
    with duckdb.connect(str(db), read_only=True) as con:
        low, high = con.execute("select value_low, value_high from headline_figures where figure_id = 'total'").fetchone()
        nat = dict((fid, (lo, hi)) for fid, lo, hi in con.execute(
            "select figure_id, value_low, value_high from headline_figures "
            "where figure_id in ('foreign_nationals', 'uk_nationals', 'nationality_not_recorded')").fetchall())
    return {"total": (low, high), **nat}


CODE_DIRS = ["orchestration", "dbt_project", "expectations", "synthetic_returns"]
CODE_FILES = ["pyproject.toml", "workspace.yaml", "dagster_home/dagster.yaml"]
IGNORED = ("__pycache__", "*.pyc", "target", "logs", ".user.yml", "dbt_packages")  # generated, not source
SNAPSHOT_IGNORE = shutil.ignore_patterns(*IGNORED)


@dataclass
class Code:
    root: Path  # where the measured processes run (a snapshot, or the project itself)
    commit: str
    dirty: bool
    digest: str  # sha256 of the measured source files, to tell versions apart
    snapshot: bool


def code_digest(root: Path) -> str:
    import hashlib

    h = hashlib.sha256()
    for name in CODE_DIRS:
        for p in sorted((root / name).rglob("*")):
            rel = p.relative_to(root).as_posix()
            if p.is_file() and not any(fnmatch.fnmatch(part, pat) for part in p.relative_to(root).parts for pat in IGNORED):
                h.update(rel.encode() + b"\0" + p.read_bytes() + b"\0")
    for name in CODE_FILES:
        if (root / name).exists():
            h.update(name.encode() + b"\0" + (root / name).read_bytes())
    return h.hexdigest()[:12]


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def take_code(snapshot: bool) -> Code:
    """Others may edit and commit the project while the benchmark runs (it takes minutes
    to an hour): by default every measured process runs on a copy of the code taken at the
    start, so all figures of one run are of one version."""
    commit = git("rev-parse", "--short", "HEAD") or "?"
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", *CODE_DIRS, *CODE_FILES))
    if not snapshot:
        ensure_manifest(ROOT)
        return Code(ROOT, commit, dirty, code_digest(ROOT), False)
    root = CACHE / "work" / f"code-{os.getpid()}"
    shutil.rmtree(root, ignore_errors=True)
    for name in CODE_DIRS:
        shutil.copytree(ROOT / name, root / name, ignore=SNAPSHOT_IGNORE)
    for name in CODE_FILES:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    ensure_manifest(root)
    return Code(root, commit, dirty, code_digest(root), True)


def ensure_manifest(root: Path) -> None:
    """Dagster reads the dbt manifest when it loads the definitions (make setup builds it)."""
    dbt_dir = root / "dbt_project"
    manifest = dbt_dir / "target" / "manifest.json"
    sources = [p for d in ("models", "macros", "seeds", "tests") for p in (dbt_dir / d).rglob("*") if p.is_file()]
    if not manifest.exists() or max(p.stat().st_mtime for p in sources) > manifest.stat().st_mtime:
        log("dbt parse (the manifest is missing or older than the models)")
        subprocess.run([str(Path(PY).parent / "dbt"), "parse", "--profiles-dir", ".", "--quiet"], cwd=dbt_dir, check=True)


# ------------------------------------------------------------------------------ report

ROWS = ["floor", "baseline", "pipeline", "ingest", "dbt", "checks", "publish", "other",
        "incremental", "incremental: ingest", "incremental: dbt",
        "incremental (record-level)", "incremental (record-level): ingest", "incremental (record-level): dbt"]
LABELS = {
    "floor": "floor (DuckDB read_csv + calamine)",
    "baseline": "baseline (pandas script)",
    "pipeline": "pipeline (full refresh)",
    "ingest": "  ingest",
    "dbt": "  dbt",
    "checks": "  checks",
    "publish": "  publish",
    "other": "  other (start-up, imports, Dagster)",
    "incremental": "incremental (one aggregate CSV changed)",
    "incremental: ingest": "  incremental: ingest",
    "incremental: dbt": "  incremental: dbt",
    "incremental (record-level)": "incremental (record-level) (one row appended)",
    "incremental (record-level): ingest": "  incremental (record-level): ingest",
    "incremental (record-level): dbt": "  incremental (record-level): dbt",
    "definitions load": "definitions load",
}


def fmt_s(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:.2f} s" if x < 10 else f"{x:.1f} s" if x < 100 else f"{x:.0f} s"


def fmt_rss(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x / GiB:.2f} GiB" if x >= GiB else f"{x / MiB:.0f} MiB"


def fmt_ratio(a: float | None, b: float | None) -> str:
    if a is None or b is None or b == 0:
        return "–"
    r = a / b
    return f"{r:.1f}x" if r >= 1 else f"{r:.2f}x"


def scale_name(scale: int) -> str:
    return "10M" if scale == TEN_MILLION_SCALE else f"{scale}x"


class Report:
    def __init__(self, bench: Bench, started: dt.datetime, load_start, load_end):
        self.b = bench
        self.started = started
        self.load_start = load_start
        self.load_end = load_end
        self.scales = list(bench.results)

    def value(self, scale: int, name: str) -> tuple[float | None, float | None, str | None]:
        row = self.b.definitions if name == "definitions load" else self.b.results.get(scale, {}).get(name)
        if row is None or not row.samples:
            return None, None, None
        return row.seconds(), row.rss(), row.failure()

    def table(self) -> str:
        head = ["measurement"] + [f"{scale_name(s)} {what}" for s in self.scales for what in ("time", "peak RSS")]
        lines = ["| " + " | ".join(head) + " |", "|" + "|".join([" --- "] + [" ---: "] * (len(head) - 1)) + "|"]
        names = [n for n in ROWS if any(n in self.b.results.get(s, {}) for s in self.scales)] + ["definitions load"]
        for name in names:
            cells = [LABELS.get(name, name)]
            for i, scale in enumerate(self.scales):
                if name == "definitions load" and i > 0:
                    cells += ["(same)", "(same)"]
                    continue
                secs, rss, failure = self.value(scale, name)
                if secs is None and failure:
                    cells += [failure, fmt_rss(rss)]
                else:
                    cells += [fmt_s(secs), fmt_rss(rss)]
            lines.append("| " + " | ".join(cells) + " |")
        for label, num, den in [("pipeline / floor", "pipeline", "floor"), ("ingest / floor", "ingest", "floor"),
                                ("baseline / pipeline", "baseline", "pipeline"),
                                ("incremental / full refresh", "incremental", "pipeline"),
                                ("incremental (record-level) / full refresh", "incremental (record-level)", "pipeline")]:
            if not any(num in self.b.results.get(s, {}) for s in self.scales):
                continue
            cells = [f"**{label}**"]
            for scale in self.scales:
                ns, nr, _ = self.value(scale, num)
                ds, dr, _ = self.value(scale, den)
                cells += [fmt_ratio(ns, ds), fmt_ratio(nr, dr)]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)

    def targets(self) -> list[tuple[str, str, str]]:
        out = []
        ten_m, ten_x = TEN_MILLION_SCALE, 10

        def ratio(scale, a, b, which=0):
            va, vb = self.value(scale, a)[which], self.value(scale, b)[which]
            return None if va is None or vb is None or vb == 0 else va / vb

        def verdict(x, ok):
            return ("not measured", "–") if x is None else (x, "met" if ok(x) else "**not met**")

        def add(name, scale, x, ok, shown):
            if scale not in self.b.results:
                out.append((name, "not measured (scale not run)", "–"))
                return
            if x is None:
                failure = self.value(scale, "pipeline")[2] or self.value(scale, "ingest")[2]
                out.append((name, f"not measured ({failure})" if failure else "not measured", "**not met**" if failure else "–"))
                return
            out.append((name, shown(x), "met" if ok(x) else "**not met**"))

        add("10M: ingest within 2x of the floor", ten_m, ratio(ten_m, "ingest", "floor"), lambda r: r <= 2, lambda r: f"{r:.1f}x")
        add("10M: full refresh within 3x of the floor", ten_m, ratio(ten_m, "pipeline", "floor"), lambda r: r <= 3, lambda r: f"{r:.1f}x")
        add("10M: at least 5x faster than the pandas baseline", ten_m, ratio(ten_m, "baseline", "pipeline"), lambda r: r >= 5,
            lambda r: f"baseline / pipeline = {r:.2f}x")
        add("10M: at most 1/3 of the baseline's peak memory", ten_m, ratio(ten_m, "pipeline", "baseline", 1), lambda r: r <= 1 / 3,
            lambda r: f"pipeline / baseline = {r:.2f}x")
        for scale in self.scales:
            rss = self.value(scale, "pipeline")[1]
            failure = self.value(scale, "pipeline")[2]
            if rss is None and failure:
                out.append((f"{scale_name(scale)}: pipeline peak RSS under 2 GiB", failure, "**not met**"))
            else:
                add(f"{scale_name(scale)}: pipeline peak RSS under 2 GiB", scale, rss, lambda r: r < 2 * GiB, fmt_rss)
        add("10x: incremental refresh under 20% of the full refresh", ten_x, ratio(ten_x, "incremental", "pipeline"),
            lambda r: r < 0.2, lambda r: f"{r:.0%} (one aggregate CSV changed)")
        if "incremental (record-level)" in self.b.results.get(ten_x, {}):
            add("10x: incremental (record-level) under 20% of the full refresh", ten_x,
                ratio(ten_x, "incremental (record-level)", "pipeline"), lambda r: r < 0.2, lambda r: f"{r:.0%} (one row appended to a record-level CSV)")
        add("shipped sample: full refresh under 60 s", 1, self.value(1, "pipeline")[0], lambda s: s < 60, fmt_s)
        secs = self.b.definitions.seconds()
        out.append(("definitions load under 5 s", fmt_s(secs) if secs is not None else (self.b.definitions.failure() or "–"),
                    "–" if secs is None else "met" if secs < 5 else "**not met**"))
        return out

    def targets_table(self) -> str:
        lines = ["| target | measured | |", "| --- | --- | --- |"]
        lines += [f"| {a} | {b} | {c} |" for a, b, c in self.targets()]
        return "\n".join(lines)

    def corpora(self) -> str:
        lines = ["| scale | files | rows (all sheets) | record-level rows | size | total (manifest bounds) | pipeline total | baseline total | baseline vs pipeline low |",
                 "| --- | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: |"]
        for scale in self.scales:
            c = self.b.corpora[scale]
            t = self.b.totals.get(scale, {})
            pipe = t.get("pipeline", {}).get("total")
            base = t.get("baseline", {}).get("total")
            diff = f"{(base - pipe[0]) / pipe[0]:+.2%} ({base - pipe[0]:+,})" if pipe and base is not None else "–"
            lines.append(
                f"| {scale_name(scale)} (--scale {scale}) | {c['files']} | {c['rows']:,} | {c['record_rows']:,} | {c['bytes'] / MiB:.0f} MiB "
                f"| {c['total']['low']:,} to {c['total']['high']:,} | {f'{pipe[0]:,} to {pipe[1]:,}' if pipe else '–'} "
                f"| {f'{base:,}' if base is not None else '–'} | {diff} |")
        return "\n".join(lines)

    def nationality(self) -> str:
        lines = []
        for scale in self.scales:
            t = self.b.totals.get(scale, {})
            if "pipeline" not in t or "baseline" not in t:
                continue
            p, b = t["pipeline"], t["baseline"]["by_nationality"]
            parts = []
            for fid, cat in [("uk_nationals", "uk"), ("foreign_nationals", "foreign"), ("nationality_not_recorded", "unknown")]:
                lo, hi = p[fid]
                parts.append(f"{cat} {b.get(cat, 0):,} vs {lo:,}" + (f"–{hi:,}" if hi != lo else ""))
            lines.append(f"- {scale_name(scale)}: baseline vs pipeline by nationality: " + "; ".join(parts))
        return "\n".join(lines)

    def machine(self) -> str:
        cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                    if line.startswith("model name")), platform.processor() or "?")
        mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))) * 1024
        versions = []
        for p in PACKAGES:
            try:
                versions.append(f"{p} {metadata.version(p)}")
            except metadata.PackageNotFoundError:
                pass
        code = self.b.code
        now = code_digest(ROOT)
        changed = (f"; the project's code has changed since (sources now {now}, commit "
                   f"{git('rev-parse', '--short', 'HEAD')})" if now != code.digest else "")
        samples = [s for rows in self.b.results.values() for r in rows.values() for s in r.samples] + self.b.definitions.samples
        loads = [s.load1 for s in samples] + [s.load_max for s in samples if s.load_max is not None]
        return "\n".join([
            f"- machine: {os.cpu_count()} cores ({cpu}), {mem / GiB:.1f} GiB memory, {platform.system()} {platform.release()}",
            f"- Python {platform.python_version()}; {', '.join(versions)}",
            f"- code: commit {code.commit}{' with uncommitted changes' if code.dirty else ''}, sources {code.digest}"
            f"{' (every process ran on a copy taken at the start)' if code.snapshot else ' (run in place)'}{changed}",
            f"- load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in self.load_start)} at the start, "
            f"{' '.join(f'{x:.2f}' for x in self.load_end)} at the end; 1-min load during the measurements: "
            f"{min(loads):.2f} to {max(loads):.2f} (on {os.cpu_count()} cores, a load above ~1 means other work was "
            f"competing with the measured one; see every run below)" if loads else "",
            f"- started {self.started:%Y-%m-%d %H:%M} UTC, took {(dt.datetime.now(dt.timezone.utc) - self.started).total_seconds() / 60:.0f} min; "
            f"--repeat {self.b.args.repeat}{' --quick' if self.b.args.quick else ''}, timeout {self.b.timeout:.0f} s, "
            f"RSS limit {self.b.rss_limit / GiB:.1f} GiB",
        ])

    def details(self) -> str:
        lines = []
        for scale in self.scales:
            for name, row in self.b.results[scale].items():
                vals = ", ".join(
                    f"{fmt_s(s.seconds) if s.seconds is not None else s.status} / {fmt_rss(s.rss)} "
                    f"(load {s.load1:.1f}{f' to {s.load_max:.1f}' if s.load_max is not None and s.load_max > s.load1 + 0.05 else ''})"
                    for s in row.samples)
                lines.append(f"- {scale_name(scale)} {name}: {vals}")
            for kind, change in self.b.changes.get(scale, {}).items():
                lines.append(f"- {scale_name(scale)} change for the {kind} incremental run: {change}")
            floor = [s.extra for s in self.b.results[scale].get("floor", Row()).samples if s.extra]
            if floor:
                f = floor[-1]
                lines.append(f"- {scale_name(scale)} floor read {f['csv_rows']:,} CSV rows from {f['csv_files']} files "
                             f"({f['csv_bytes'] / MiB:.0f} MiB, {f['csv_s']:.2f} s incl. {f['csv_decode_s']:.2f} s checking / "
                             f"transcoding encodings) and {f['xlsx_rows']:,} XLSX rows from {f['xlsx_files']} files "
                             f"({f['xlsx_bytes'] / MiB:.0f} MiB, {f['xlsx_s']:.2f} s); process wall time {f['process_s']:.2f} s")
            for name in ("pipeline", "incremental", "incremental (record-level)"):
                dbt = [s.extra["dbt"] for s in self.b.results[scale].get(name, Row()).samples if s.extra.get("dbt")]
                if dbt:
                    d = dbt[-1]
                    lines.append(f"- {scale_name(scale)} {name}, last run: dbt's own elapsed time {d['elapsed_s']:.1f} s for "
                                 f"{d['nodes']} nodes (their execution times sum to {d['nodes_s']:.1f} s); slowest: "
                                 + ", ".join(f"{n} {t:.1f} s" for n, t in d["slowest"]))
            steps = [s.extra.get("steps") for s in self.b.results[scale].get("pipeline", Row()).samples if s.extra.get("steps")]
            if steps:
                top = sorted(steps[-1].items(), key=lambda kv: -kv[1])[:5]
                lines.append(f"- {scale_name(scale)} slowest steps of the last full refresh: "
                             + ", ".join(f"{k} {v:.1f} s" for k, v in top))
        defs = ", ".join(f"{fmt_s(s.seconds)}" for s in self.b.definitions.samples)
        lines.append(f"- definitions load runs: {defs}")
        return "\n".join(lines)

    def markdown(self, level: int = 2) -> str:
        scales = ", ".join(scale_name(s) for s in self.scales)
        return "\n\n".join([
            f"{'#' * level} {self.started:%Y-%m-%d} benchmark: {scales}",
            self.machine(),
            "Medians of the runs; time is wall time, peak RSS the largest sum of the resident memory of the "
            "process and all its descendants (dbt runs as a subprocess), sampled every 50 ms. The floor's time "
            "is its work after interpreter start; every other time is the whole process. Stage figures come from "
            "the run's step events; a stage's peak RSS is the tree's peak while that stage ran.",
            self.table(),
            "Targets (goals of the benchmark, not tests):",
            self.targets_table(),
            "Corpora and totals (community resolutions, headline figure `total`):",
            self.corpora(),
            self.nationality(),
            "Every run:",
            self.details(),
        ])

    def history_line(self) -> str:
        parts = []
        for scale in self.scales:
            s, r, failure = self.value(scale, "pipeline")
            ing = self.value(scale, "ingest")[0]
            base = self.value(scale, "baseline")[0]
            if s is None:
                parts.append(f"{scale_name(scale)}: full refresh {failure or '–'}")
            else:
                parts.append(f"{scale_name(scale)}: full refresh {fmt_s(s)} (ingest {fmt_s(ing)}), peak {fmt_rss(r)}, "
                             f"baseline {fmt_s(base)}")
        defs = self.b.definitions.seconds()
        load = f"{self.load_start[0]:.1f}–{self.load_end[0]:.1f}"
        code = f"{self.b.code.commit}{'+' if self.b.code.dirty else ''}"
        return (f"| {self.started:%Y-%m-%d} | {code} | {', '.join(scale_name(s) for s in self.scales)} | {self.b.args.repeat} "
                f"| {'; '.join(parts)}; definitions {fmt_s(defs)} | {load} |")


def keep_earlier(results_file: Path) -> None:
    """<date>-<scales>.md is the latest run; an earlier run of the same day and scales is
    kept as <date>-<scales>-<HHMM it started>.md."""
    if not results_file.exists():
        return
    m = re.search(r"started \d{4}-\d{2}-\d{2} (\d{2}):(\d{2})", results_file.read_text())
    stamp = f"{m[1]}{m[2]}" if m else time.strftime("%H%M", time.gmtime(results_file.stat().st_mtime))
    target = results_file.with_name(f"{results_file.stem}-{stamp}.md")
    n = 2
    while target.exists():
        target = results_file.with_name(f"{results_file.stem}-{stamp}-{n}.md")
        n += 1
    results_file.rename(target)


def update_history(report: Report, results_file: Path) -> None:
    text = HISTORY_FILE.read_text() if HISTORY_FILE.exists() else ""
    begin, end = "<!-- latest-results:begin -->", "<!-- latest-results:end -->"
    hend = "<!-- history:end -->"
    if begin not in text or hend not in text:
        log(f"{HISTORY_FILE.name} has no result markers: not updated")
        return
    rel = results_file.relative_to(ROOT) if results_file.is_relative_to(ROOT) else results_file
    latest = f"{begin}\n\nFrom [{rel}]({rel}):\n\n{report.markdown(level=3)}\n\n{end}"
    text = text[:text.index(begin)] + latest + text[text.index(end) + len(end):]
    text = text.replace(hend, report.history_line() + "\n" + hend)
    HISTORY_FILE.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks/run.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default=f"1,10,{TEN_MILLION_SCALE}",
                        help=f"comma-separated --scale values of the generator (1 = the shipped sample; {TEN_MILLION_SCALE} = ~10M record rows)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the median is reported")
    parser.add_argument("--quick", action="store_true", help="1x only, one run each, no 10M generation (~2 min)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="directory for <date>-<scales>.md")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--timeout", type=float, default=1800, help="seconds before a measurement is killed")
    parser.add_argument("--rss-limit-gb", type=float, default=8.0, help="GiB of process-tree RSS before a measurement is killed")
    parser.add_argument("--in-place", dest="snapshot", action="store_false",
                        help="run the project's code in place instead of a copy taken at the start")
    parser.add_argument("--no-history", action="store_true", help=f"do not update {HISTORY_FILE.name}")
    args = parser.parse_args(argv)
    args.scales = [1] if args.quick else [int(s) for s in args.scales.split(",") if s.strip()]
    if args.quick:
        args.repeat = 1
    started = dt.datetime.now(dt.timezone.utc)
    load_start = loadavg()
    bench = Bench(args)
    bench.run()
    report = Report(bench, started, load_start, loadavg())
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"{started:%Y-%m-%d}-{'-'.join(scale_name(s) for s in args.scales)}{'-quick' if args.quick else ''}.md"
    results_file = args.out / name
    keep_earlier(results_file)
    text = report.markdown()
    results_file.write_text(f"# Benchmark results\n\n{text}\n")
    print(report.table())
    print()
    print(report.targets_table())
    print()
    print(report.corpora())
    print(f"\nwritten to {results_file}")
    if not args.no_history and args.out.resolve() == DEFAULT_OUT.resolve():
        update_history(report, results_file)
        print(f"updated {HISTORY_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
