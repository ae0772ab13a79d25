"""What is in the landing folder: one return per file under data/landing/<force-slug>/.

A file whose name ends in `.profile.yaml` is a return profile for the file it names
(`returns.xlsx.profile.yaml`), not a return. Files starting with `.` or `~$` (editor
lock files) and README files are ignored.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

PROFILE_SUFFIX = ".profile.yaml"


@dataclass(frozen=True)
class LandingFile:
    force_slug: str
    path: Path
    source_file: str  # path relative to the landing folder, '/'-separated
    sha256: str
    size_bytes: int

    @property
    def return_id(self) -> str:
        """Stable for identical content: re-dropping the same file changes nothing."""
        return f"{self.source_file}#{self.sha256[:12]}"

    @property
    def profile_path(self) -> Path:
        return self.path.with_name(self.path.name + PROFILE_SUFFIX)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_return_file(path: Path) -> bool:
    """A regular file, or a symbolic link (to be quarantined, never followed)."""
    name = path.name
    return (
        (path.is_symlink() or path.is_file())
        and not name.startswith((".", "~$"))
        and not name.endswith(PROFILE_SUFFIX)
        and name.lower() not in {"readme.md", "readme.txt"}
    )


def discover(landing_dir: Path, forces: Collection[str] | None = None) -> list[LandingFile]:
    """Every return in the landing folder (or in the folders of `forces`), in a stable
    order. Files directly in the landing folder (no force folder) have force_slug '' so
    they can be quarantined with a reason rather than ignored."""
    found = []
    if not landing_dir.exists():
        return found
    for path in sorted(landing_dir.rglob("*")):
        if not is_return_file(path):
            continue
        rel = path.relative_to(landing_dir)
        slug = rel.parts[0] if len(rel.parts) > 1 else ""
        if forces is not None and slug not in forces:
            continue
        if path.is_symlink():  # identified by where it points; its target is never read
            digest = hashlib.sha256(f"symlink:{os.readlink(path)}".encode()).hexdigest()
            found.append(LandingFile(slug, path, rel.as_posix(), digest, 0))
            continue
        found.append(LandingFile(slug, path, rel.as_posix(), sha256_of(path), path.stat().st_size))
    return found
