"""Fixtures for membership tests."""

from __future__ import annotations

from datetime import date

import pytest

from portal.core import time


@pytest.fixture
def today(app) -> date:
    """The real date in the portal's zone (for tests that go through requests)."""
    return time.today()
