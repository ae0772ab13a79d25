"""Raw ingestion is partitioned by force: one dynamic partition per folder under
data/landing/. A force is the unit a corrected return replaces and the unit analysts
think in; file names are free text (commas, brackets) that partition keys cannot hold,
and a force's few files are cheap to rescan since unchanged ones are skipped by sha256."""

from __future__ import annotations

from pathlib import Path

from dagster import DynamicPartitionsDefinition

force_partitions = DynamicPartitionsDefinition(name="force")

# Files dropped straight into data/landing/ (no force folder) still get a partition, so
# they are ingested and quarantined with a reason instead of being ignored.
ROOT_PARTITION = "_landing_root"


def partition_key(force_slug: str) -> str:
    return force_slug or ROOT_PARTITION


def force_slug(partition_key: str) -> str:
    return "" if partition_key == ROOT_PARTITION else partition_key


def landing_partition_keys(landing_dir: Path) -> list[str]:
    """Partition keys for what is in the landing folder now (folder names only: no hashing)."""
    if not landing_dir.exists():
        return []
    keys = set()
    for entry in landing_dir.iterdir():
        if entry.name.startswith(".") or entry.name.lower().startswith("readme"):
            continue
        keys.add(entry.name if entry.is_dir() and not entry.is_symlink() else ROOT_PARTITION)
    return sorted(keys)
