"""A count cell's text as bounds [low, high], for the reader's own checks (is this column
counts? do the rows add up to the Total row?).

The rules are those of the dbt macro `count_rule` (dbt_project/macros/counts.sql), which
gives the published figures; tests/dbt/test_counts_agree.py holds the two to the same
answers on every kind of cell, so a reading proven here is the reading published.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Bounds(NamedTuple):
    low: int
    high: int

    def __add__(self, other: "Bounds") -> "Bounds":  # type: ignore[override]
        return Bounds(self.low + other.low, self.high + other.high)

    def holds(self, value: "Bounds") -> bool:
        """The two ranges share a value: a total and the sum it totals can be equal."""
        return value.low <= self.high and self.low <= value.high

    def text(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}-{self.high:,}"


ZERO = Bounds(0, 0)

_EXACT = re.compile(r"\d+(\.0+)?")
_NIL = re.compile(r"|-|–|—|nil")
_BELOW = re.compile(r"<\s*(\d+)")
_RANGE = re.compile(r"(\d+)\s*(?:-|–|to)\s*(\d+)")
_WITHHELD = re.compile(r"\*+|\[c\]|c|~|s\.?\s*40(\(2\))?|redacted|suppressed|withheld")


def _clean(text: str) -> str:
    return text.replace(",", "").replace("\xa0", "").strip().lower()


@lru_cache(maxsize=65536)
def count_rule(text: str | None) -> str:
    """exact | nil | below_threshold | range | withheld | unreadable (as the dbt macro)."""
    t = _clean(text or "")
    if _EXACT.fullmatch(t):
        return "exact"
    if _NIL.fullmatch(t):
        return "nil"
    if _BELOW.fullmatch(t):
        return "below_threshold"
    if _RANGE.fullmatch(t):
        return "range"
    if _WITHHELD.fullmatch(t):
        return "withheld"
    return "unreadable"


@lru_cache(maxsize=65536)
def count_bounds(text: str | None) -> Bounds | None:
    """Bounds of a count cell; None when it cannot be read as a count."""
    rule = count_rule(text)
    t = _clean(text or "")
    if rule == "exact":
        n = int(float(t))
        return Bounds(n, n)
    if rule == "nil":
        return ZERO
    if rule == "below_threshold":
        return Bounds(1, int(_BELOW.fullmatch(t).group(1)) - 1)
    if rule == "range":
        m = _RANGE.fullmatch(t)
        return Bounds(int(m.group(1)), int(m.group(2)))
    if rule == "withheld":
        return Bounds(1, 4)
    return None


def total_of(texts) -> Bounds | None:
    """Sum of the bounds of count cells; None if any cell is not a count."""
    total = ZERO
    for text in texts:
        b = count_bounds(text)
        if b is None:
            return None
        total = total + b
    return total
