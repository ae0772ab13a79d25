"""Plain-Python ingestion: readers, shape detection, provenance. No Dagster imports."""
