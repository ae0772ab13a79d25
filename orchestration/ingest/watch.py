"""What changed in the landing folder since the last look, for the landing sensor.

State per file: size and mtime last seen, and the sha256 last reported. A file whose size
or mtime moved since the previous look is still being written (or was just dropped): it
is reported only once it has stayed the same for one whole interval. A settled file is
reported when its sha256 differs from the one last reported (new or corrected), so a
touched but identical file triggers nothing. A removed file that had been reported is
reported too, so its force's partition retires it. A return profile (`<file>.profile.yaml`)
is watched like a return: editing it (an approval, a column role) re-reads its force.
"""

from __future__ import annotations

from pathlib import Path

from .landing import PROFILE_SUFFIX, is_return_file, sha256_of


def scan(landing_dir: Path, previous: dict[str, dict]) -> tuple[set[str], dict[str, dict]]:
    """Return (force slugs to ingest, new state). Slug '' means the landing folder root."""
    changed: set[str] = set()
    state: dict[str, dict] = {}
    paths = sorted(p for p in landing_dir.rglob("*") if is_return_file(p) or p.name.endswith(PROFILE_SUFFIX)) \
        if landing_dir.exists() else []
    for path in paths:
        rel = path.relative_to(landing_dir)
        key = rel.as_posix()
        slug = rel.parts[0] if len(rel.parts) > 1 else ""
        stat = path.lstat()  # a symbolic link is never followed
        prev = previous.get(key)
        entry = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns,
                 "sha256": prev["sha256"] if prev else None, "settled": False}
        if prev is not None and (prev["size"], prev["mtime_ns"]) == (stat.st_size, stat.st_mtime_ns):
            entry["settled"] = True
            if not prev["settled"]:  # it just settled: has the content changed?
                sha = sha256_of(path)
                if sha != prev["sha256"]:
                    changed.add(slug)
                entry["sha256"] = sha
        state[key] = entry
    for key, prev in previous.items():
        if key not in state and prev.get("sha256"):
            parts = key.split("/")
            changed.add(parts[0] if len(parts) > 1 else "")
    return changed, state
