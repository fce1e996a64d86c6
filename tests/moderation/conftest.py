"""Moderation fixtures: members, a moderator without a membership, an admin."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest

from tests.factories import make_admin, make_member, make_moderator
from tests.querycount import counting_statements


@pytest.fixture
def member(app):
    return make_member()


@pytest.fixture
def other(app):
    return make_member("other@example.org", "Olive Other")


@pytest.fixture
def moderator(app):
    return make_moderator()


@pytest.fixture
def admin(app):
    return make_admin()


@pytest.fixture
def count_statements() -> Callable[[], AbstractContextManager[list[str]]]:
    return counting_statements
