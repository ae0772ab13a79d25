"""Resource limits for reading a return, so that one hostile or broken file is quarantined
with a reason instead of exhausting the memory, disk or time of the whole run.

Each limit has a default and an environment variable that overrides it (read when a file
is read, so a changed variable applies to the next run without a code change):

======================  ==============================  ==========================================
limit                   environment variable            default
======================  ==============================  ==========================================
max_file_bytes          CR_MAX_FILE_MB                  512 MB: any return, before it is opened
max_uncompressed_bytes  CR_MAX_XLSX_UNCOMPRESSED_MB     2048 MB: total declared (and actually
                                                        inflated) size of the members of an
                                                        .xlsx zip
max_zip_ratio           CR_MAX_ZIP_RATIO                200 (:1): uncompressed / compressed size,
                                                        of the whole .xlsx and of any member
                                                        larger than 1 MB (zip bombs)
max_zip_members         CR_MAX_ZIP_MEMBERS              10000 members in an .xlsx zip
max_rows_per_sheet      CR_MAX_ROWS_PER_SHEET           12000000 rows in one sheet (or one CSV)
max_cells_per_file      CR_MAX_CELLS_PER_FILE           150000000 cells in all sheets of a file;
                                                        for an .xlsx, the rectangle from A1 to
                                                        the last cell holding a value, per sheet
max_csv_field_chars     CR_MAX_CSV_FIELD_CHARS          131072 characters in one CSV field: the
                                                        csv module's default, four times the
                                                        most an Excel cell holds (32767), so a
                                                        longer field is nearly always a quote
                                                        that is never closed
======================  ==============================  ==========================================

Sizes in MB are mebibytes (1 MB = 1,048,576 bytes) and may be fractional
(`CR_MAX_FILE_MB=0.5`). Counts are whole numbers; `_` separators are accepted
(`CR_MAX_ROWS_PER_SHEET=2_000_000`). A value that is not a positive number is a
configuration error (`LimitsConfigError`), raised rather than quarantining every return.

The readers take `limits=ReadLimits(...)` too (tests, one-off reads); without it they call
`ReadLimits.from_env()` for every file.

A violation is a `ReadError` whose message names the limit, the value observed and the
variable to raise it, e.g. "file is 612.4 MB, over the 512 MB limit on file size (raise
CR_MAX_FILE_MB to read it)".
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1 << 20


class LimitsConfigError(RuntimeError):
    """An environment variable meant to set a read limit holds something that is not a
    positive number."""


@dataclass(frozen=True)
class ReadLimits:
    max_file_bytes: int = 512 * MB
    max_uncompressed_bytes: int = 2048 * MB
    max_zip_ratio: float = 200.0
    max_zip_members: int = 10_000
    max_rows_per_sheet: int = 12_000_000
    max_cells_per_file: int = 150_000_000
    max_csv_field_chars: int = 131_072

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> ReadLimits:
        """The defaults, overridden by whichever of the CR_MAX_* variables are set."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            var, unit = ENV_VARS[f.name]
            raw = environ.get(var)
            if raw is None or not raw.strip():
                continue
            try:
                number = float(raw.strip().replace("_", ""))
            except ValueError:
                number = float("nan")
            if not number > 0 or number == float("inf"):
                raise LimitsConfigError(f"{var}={raw!r}: expected a positive number ({_UNIT_WORDS[unit]})")
            if unit == "MB":
                values[f.name] = max(1, int(number * MB))
            elif unit == "ratio":
                values[f.name] = number
            else:
                values[f.name] = max(1, int(number))
        return cls(**values)


# limit -> (environment variable, unit of the variable)
ENV_VARS: dict[str, tuple[str, str]] = {
    "max_file_bytes": ("CR_MAX_FILE_MB", "MB"),
    "max_uncompressed_bytes": ("CR_MAX_XLSX_UNCOMPRESSED_MB", "MB"),
    "max_zip_ratio": ("CR_MAX_ZIP_RATIO", "ratio"),
    "max_zip_members": ("CR_MAX_ZIP_MEMBERS", "count"),
    "max_rows_per_sheet": ("CR_MAX_ROWS_PER_SHEET", "count"),
    "max_cells_per_file": ("CR_MAX_CELLS_PER_FILE", "count"),
    "max_csv_field_chars": ("CR_MAX_CSV_FIELD_CHARS", "count"),
}

_UNIT_WORDS = {"MB": "megabytes", "ratio": "uncompressed:compressed", "count": "a count"}


def format_mb(n_bytes: float) -> str:
    """612.4 MB, 512 MB, 0.5 MB: as a person would write the size."""
    mb = n_bytes / MB
    if mb == int(mb):
        return f"{mb:,.0f} MB"
    return f"{mb:,.1f} MB" if mb >= 1 else f"{mb:.3g} MB"


def env_var(limit: str) -> str:
    return ENV_VARS[limit][0]


class ReadError(Exception):
    """A return that cannot be read at all. The message names the file and what was expected."""


def over_limit(what: str, observed: str, limit_text: str, limit: str) -> ReadError:
    """The error for a limit exceeded: what was found, the limit, and the variable to raise it."""
    return ReadError(f"{what} {observed}, over the {limit_text} limit on {LIMIT_NAMES[limit]} "
                     f"(raise {env_var(limit)} to read it)")


LIMIT_NAMES = {
    "max_file_bytes": "file size",
    "max_uncompressed_bytes": "the uncompressed size of an .xlsx",
    "max_zip_ratio": "the compression ratio of an .xlsx",
    "max_zip_members": "the number of parts in an .xlsx",
    "max_rows_per_sheet": "rows per sheet",
    "max_cells_per_file": "cells per file",
    "max_csv_field_chars": "the length of a CSV field",
}
