"""Shared fixtures: the publisher files (skipped with a reason when absent) and a fake publisher server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.support.fake_publisher import FakePublisher

PROJECT_DIR = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
RAW_DIR = Path(os.environ.get("RAW", PROJECT_DIR.parent / "shared" / "data" / "raw")).resolve()


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
