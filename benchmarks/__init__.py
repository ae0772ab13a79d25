"""Performance benchmark of the pipeline: `python benchmarks/run.py` (see BENCHMARKS.md)."""
