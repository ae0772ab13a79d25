"""Run a command and measure it: wall time and the peak resident memory of its whole
process tree (the command and every descendant, e.g. the dbt subprocess the pipeline
starts), sampled from /proc every ~50 ms. A per-measurement timeout and an RSS watchdog
kill the tree and report "timed out" / "exceeded" instead of hanging or swapping.

Linux only (reads /proc). No dependencies beyond the standard library.

RSS is the sum of VmRSS over the processes alive at a sample, so pages shared between
processes (libraries, copy-on-write) are counted once per process: an upper bound of
the tree's real footprint, and what `ps` or a container limit would show.
"""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
GiB = 1 << 30
MiB = 1 << 20


@dataclass
class Measured:
    status: str  # ok | failed | timeout | exceeded
    wall_s: float
    peak_rss: int  # bytes, max over samples of the tree's summed RSS
    returncode: int | None
    stdout: str
    stderr: str
    started_at: float  # epoch seconds (time.time()) when the command was started
    samples: list[tuple[float, int]] = field(default_factory=list)  # (epoch seconds, tree RSS bytes)
    detail: str = ""  # what happened when status is not ok
    load_max: float = 0.0  # highest 1-min load average seen while it ran (other work competing)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def peak_between(self, start: float, end: float) -> int | None:
        """Peak tree RSS among the samples taken between two epoch times (a stage)."""
        inside = [rss for t, rss in self.samples if start <= t <= end]
        return max(inside) if inside else None


def _children_map() -> dict[int, list[int]]:
    """ppid -> pids, from /proc/<pid>/stat (this kernel has no /proc/<pid>/task/*/children)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: split after its last ')'
        fields = stat[stat.rfind(b")") + 2:].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    return children


def tree_pids(root: int) -> list[int]:
    children = _children_map()
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, ()))
    return pids


def rss_of(pid: int) -> int:
    """Resident set size in bytes (0 when the process is gone or a zombie)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as fh:
            return int(fh.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(root: int) -> tuple[int, list[int]]:
    pids = tree_pids(root)
    return sum(rss_of(p) for p in pids), pids


def _kill_tree(proc: subprocess.Popen, pids: list[int]) -> None:
    """SIGKILL the command's session (it was started in its own) and every descendant
    found at the last sample, in case one left the session."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in [*tree_pids(proc.pid), *pids]:
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_measured(
    cmd: list[str],
    *,
    env: dict[str, str] | None = None,
    cwd: str | Path | None = None,
    timeout_s: float | None = None,
    rss_limit: int | None = None,
    interval_s: float = 0.05,
) -> Measured:
    """Run `cmd` to completion (or until the timeout / RSS limit), sampling its tree's RSS."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started_at = time.time()
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out, stderr=err, start_new_session=True)
        samples: list[tuple[float, int]] = []
        peak = 0
        status, detail = "ok", ""
        pids: list[int] = [proc.pid]
        load_max = _load1()
        next_load = time.perf_counter() + 1
        while True:
            rss, pids = tree_rss(proc.pid)
            now = time.time()
            samples.append((now, rss))
            peak = max(peak, rss)
            elapsed = time.perf_counter() - t0
            if time.perf_counter() >= next_load:
                load_max, next_load = max(load_max, _load1()), time.perf_counter() + 1
            if proc.poll() is not None:
                break
            if rss_limit is not None and rss > rss_limit:
                status = "exceeded"
                detail = f"exceeded {rss_limit / GiB:.1f} GiB RSS after {elapsed:.0f} s"
                _kill_tree(proc, pids)
                break
            if timeout_s is not None and elapsed > timeout_s:
                status = "timeout"
                detail = f"timed out after {timeout_s:.0f} s"
                _kill_tree(proc, pids)
                break
            time.sleep(interval_s)
        proc.wait()
        wall = time.perf_counter() - t0
        # a daemon grandchild left behind by a killed run would skew the next measurement
        if status != "ok":
            _kill_tree(proc, pids)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if status == "ok" and proc.returncode != 0:
        status, detail = "failed", f"exit code {proc.returncode}"
    return Measured(status, wall, peak, proc.returncode, stdout, stderr, started_at, samples, detail,
                    max(load_max, _load1()))


def _load1() -> float:
    with open("/proc/loadavg") as fh:
        return float(fh.read().split()[0])
