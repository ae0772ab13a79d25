"""The generated corpora the generator's tests read, made once per session."""

from __future__ import annotations

import pytest

from synthetic_returns.generate import generate
from tests.generator.readback import read_landing


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed2025")
    return out, generate(2025, 1, out)


@pytest.fixture(scope="session")
def files(sample):
    return read_landing(sample[0] / "landing")


@pytest.fixture(scope="session")
def other_seed(tmp_path_factory):
    out = tmp_path_factory.mktemp("seed7")
    return out, generate(7, 1, out)
