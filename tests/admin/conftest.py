"""Fixtures for the admin screens: a signed-in admin and a residency."""

from __future__ import annotations

from datetime import date

import pytest

from portal.core import time
from tests.factories import add_residency, days, make_admin, sign_in


@pytest.fixture
def today(app) -> date:
    return time.today()


@pytest.fixture
def admin(app):
    return make_admin()


@pytest.fixture
def admin_client(client, admin):
    return sign_in(client, admin)


@pytest.fixture
def residency(app, today):
    return add_residency(today - days(10), "Residency Porto")
