"""Deterministic synthetic FOI returns about community resolutions, with a truth manifest.

    python -m synthetic_returns --seed 2025 --scale 1 --out data/sample
"""
