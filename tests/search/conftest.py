"""Search fixtures: members who ask and answer, on whichever database the run
uses (SQLite by default, PostgreSQL with PORTAL_TEST_DATABASE_URL)."""

from __future__ import annotations

import pytest

from tests.factories import make_admin, make_member


@pytest.fixture
def member(app):
    return make_member()


@pytest.fixture
def other(app):
    return make_member("other@example.org", "Olive Other")


@pytest.fixture
def admin(app):
    return make_admin()
