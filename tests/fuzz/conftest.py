"""Fuzz tests of the readers: no Dagster, no dbt, no warehouse; the CR_MAX_* read limits at
their defaults unless a test sets one."""

import pytest

from orchestration.ingest.limits import ENV_VARS
from tests.fuzz.gen import TRIED


@pytest.fixture(scope="session", autouse=True)
def dbt_manifest():
    """Overrides the suite-wide fixture: these tests never load the dbt manifest, so they
    neither need nor wait for `dbt parse`."""
    return None


@pytest.fixture(autouse=True)
def default_read_limits(monkeypatch):
    for var, _ in ENV_VARS.values():
        monkeypatch.delenv(var, raising=False)


def pytest_terminal_summary(terminalreporter):
    if TRIED:
        terminalreporter.section("generated inputs tried per property")
        for name, n in sorted(TRIED.items()):
            terminalreporter.write_line(f"{n:7,d}  {name}")
