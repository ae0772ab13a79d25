"""README.md for a generated sample, written from its manifest."""

from __future__ import annotations


def readme_text(m: dict, returns: dict) -> str:
    return "(placeholder)\n"
