"""Shared fixtures: the publisher files (skipped with a reason when absent) and a fake publisher server; the
Hypothesis profiles.

Hypothesis profiles (tests/support/examples.py scales each test's stated count by the profile):

- ``ci``: every test's full example count; loaded when ``CI=true`` (.ci/run sets it) or ``HYPOTHESIS_PROFILE=ci``;
- ``dev``: a tenth of each count, the default for ``make test`` and ``make test-fast`` on a workstation.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from tests.support.examples import FULL
from tests.support.fake_publisher import FakePublisher

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW_DIR = Path(os.environ.get("RAW", PROJECT_DIR.parent / "shared" / "data" / "raw")).resolve()

# No deadline: under pytest-xdist on a loaded machine a single example's time says nothing about the code.
settings.register_profile(
    "ci", max_examples=FULL, deadline=None, print_blob=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("dev", max_examples=FULL // 10, deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("HYPOTHESIS_PROFILE") or (
    "ci" if os.environ.get("CI", "").lower() in ("true", "1") else "dev"
)
settings.load_profile(HYPOTHESIS_PROFILE)


def pytest_report_header(config) -> str:
    return f"hypothesis profile: {HYPOTHESIS_PROFILE} (CI=true or HYPOTHESIS_PROFILE=ci for the full counts)"


@pytest.fixture(scope="session")
def raw_dir() -> Path:
    """The real publisher files; tests that need them skip with a clear reason when they are absent."""
    if not RAW_DIR.is_dir():
        pytest.skip(f"publisher files not found at {RAW_DIR} (set RAW=path to run the raw-data tests)")
    return RAW_DIR


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def publisher():
    """A scripted HTTP server on 127.0.0.1 (see tests/support/fake_publisher.py)."""
    with FakePublisher() as srv:
        yield srv


@pytest.fixture(scope="session")
def committed_snapshot():
    """The committed data/ snapshot, read once per session (once per xdist worker) for the whole-data tests.
    Shared: a test must not modify it."""
    from indicators.snapshot import read_snapshot

    return read_snapshot()
