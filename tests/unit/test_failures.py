"""Only what can pass on retry is retried (orchestration/failures.py): a DuckDB lock held by
another process, an I/O error, a full disk. Everything else fails at once."""

import errno
import subprocess
import sys

import duckdb
import pytest
from dagster import Failure

from orchestration.assets.dbt import _blocking_problems, _Build
from orchestration.failures import is_transient, retry_only_if_transient

HOLDER = "import duckdb, sys; con = duckdb.connect(sys.argv[1]); print('locked', flush=True); sys.stdin.read()"


def test_a_lock_held_by_another_process_is_transient(tmp_path):
    db = tmp_path / "w.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(duckdb.IOException) as caught:
            duckdb.connect(str(db), read_only=True)
    finally:
        holder.communicate("", timeout=30)
    assert "Could not set lock on file" in str(caught.value)
    assert is_transient(caught.value)
    with pytest.raises(duckdb.IOException):  # let through, for the step's RetryPolicy
        with retry_only_if_transient("reading"):
            raise caught.value


def test_a_full_disk_is_transient_a_missing_file_is_not():
    assert is_transient(OSError(errno.ENOSPC, "No space left on device"))
    assert not is_transient(FileNotFoundError(errno.ENOENT, "No such file or directory", "x.csv"))


def test_a_deterministic_error_fails_at_once():
    con = duckdb.connect()
    with pytest.raises(Failure) as caught:
        with retry_only_if_transient("the check"):
            con.execute("select * from no_such_table")
    assert caught.value.allow_retries is False
    assert caught.value.description.startswith("the check failed: CatalogException: Catalog Error: Table with name no_such_table")


MANIFEST = {"nodes": {
    "test.p.per_return": {"name": "per_return", "resource_type": "test", "config": {"meta": {"quarantine": "per_return"}}},
    "test.p.contract": {"name": "contract", "resource_type": "test", "config": {"meta": {}}},
    "model.p.m": {"name": "m", "resource_type": "model", "config": {}},
}, "child_map": {}}


def build(*results, error=None):
    return _Build(events={}, results=[{"unique_id": u, "status": s, "message": m} for u, s, m in results],
                  error=error, manifest=MANIFEST)


def test_a_failing_per_return_test_does_not_block_any_other_failure_does():
    assert _blocking_problems(build(("test.p.per_return", "fail", "Got 1 result"), ("model.p.m", "success", ""))) == []
    assert _blocking_problems(build(("test.p.per_return", "fail", "Got 1 result"), ("test.p.contract", "fail", "Got 2 results"))) == [
        "test.p.contract: fail: Got 2 results"]
    # an error in a per-return test (its SQL does not run) is not a failure of a return
    assert _blocking_problems(build(("test.p.per_return", "error", "Binder Error: no column x"))) == [
        "test.p.per_return: error: Binder Error: no column x"]


def test_a_dbt_lock_error_is_raised_for_a_retry():
    with pytest.raises(RuntimeError, match="transient"):
        _blocking_problems(build(("model.p.m", "error", 'IO Error: Could not set lock on file "w.duckdb"')))
    # dbt stopped before any node ran: its own error says why
    with pytest.raises(RuntimeError, match="transient"):
        _blocking_problems(build(error=Failure(description="IO Error: Could not set lock on file")))
    assert _blocking_problems(build(error=Failure(description="Compilation Error in model m"))) == [
        "Compilation Error in model m"]
