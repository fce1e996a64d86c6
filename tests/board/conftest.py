"""Board fixtures: people in each role, and a statement counter."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from tests.factories import make_admin, make_member
from tests.querycount import counting_statements


@pytest.fixture
def admin(app):
    return make_admin()


@pytest.fixture
def member(app):
    return make_member()


@pytest.fixture
def other(app):
    return make_member("other@example.org", "Olive Other")


@pytest.fixture
def count_statements(app) -> Callable[[], AbstractContextManager[list[str]]]:
    """``with count_statements() as seen:`` collects every SQL statement sent."""
    return counting_statements
