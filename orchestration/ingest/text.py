"""Text helpers shared by ingestion and by the seed builders.

`lookup_key` must stay identical to the dbt macro `lookup_key` (macros/lookup_key.sql):
seeds are keyed on it in Python and joined on it in SQL.
"""

import re
import unicodedata

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def lookup_key(text: str | None) -> str:
    """Fold a free-text label to a join key: no accents, lower case, '&' as 'and',
    every run of other characters as one space.  "Côte d'Ivoire" -> "cote d ivoire"."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    folded = folded.lower().replace("&", " and ")
    return _NON_ALNUM.sub(" ", folded).strip()
