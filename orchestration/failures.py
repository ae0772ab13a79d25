"""Which failures are worth a retry. Dagster's RetryPolicy retries any exception, so a dbt
test failure, a compile error or a failed expectation used to be run three more times
(minutes of backoff) before failing the same way. Only what can pass on a second try is
retried: a DuckDB file lock held by another process, an I/O error, a full disk. Anything
else is raised as `Failure(allow_retries=False)`, which Dagster fails at once."""

from __future__ import annotations

import contextlib
import errno
import re
from collections.abc import Iterator

import duckdb
from dagster import Failure

# DuckDB says "IO Error: Could not set lock on file ...: Conflicting lock is held in ..."
# when another process has the warehouse open; dbt repeats DuckDB's message.
TRANSIENT_TEXT = re.compile(
    r"Could not set lock on file|Conflicting lock is held|IO Error|No space left on device|Disk quota exceeded"
    r"|Resource temporarily unavailable",
    re.IGNORECASE,
)
TRANSIENT_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EAGAIN, errno.EBUSY}


def is_transient(error: BaseException | str) -> bool:
    """A lock, an I/O error or a full disk, in an exception (or its causes) or in a message."""
    if isinstance(error, str):
        return bool(TRANSIENT_TEXT.search(error))
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, duckdb.IOException):
            return True
        if isinstance(seen, OSError) and seen.errno in TRANSIENT_ERRNOS:
            return True
        if TRANSIENT_TEXT.search(str(seen)):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


@contextlib.contextmanager
def retry_only_if_transient(what: str) -> Iterator[None]:
    """Let a transient error through to the step's RetryPolicy; turn any other exception into
    a Failure that is not retried, naming `what` failed."""
    try:
        yield
    except Failure:
        raise  # already says whether it may be retried
    except Exception as exc:
        if is_transient(exc):
            raise
        raise Failure(description=f"{what} failed: {type(exc).__name__}: {exc}", allow_retries=False) from exc
