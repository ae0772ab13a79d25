"""Community-resolutions warehouse: Dagster code location and ingestion."""
