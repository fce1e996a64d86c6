"""Builders for membership tests: residencies and graduates through the services."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.auth.models import User
from portal.extensions import db
from portal.membership import services
from portal.membership.models import AuditEntry, Residency
from tests.factories import PASSWORD, make_user

DAY = timedelta(days=1)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def add_residency(held_on: date, name: str = "Residency Lisbon") -> Residency:
    residency = services.add_residency(name, "Lisbon", held_on, actor=None)
    db.session.commit()
    return residency


def member(
    email: str = "grad@example.org",
    *,
    start: date,
    today: date | None = None,
    claimed: bool = True,
) -> User:
    """A graduate with a password (or not) and one term from ``start``."""
    user = make_user(email, "Grace Graduate", password=PASSWORD if claimed else None)
    services.grant_term(
        user, actor=None, start=start, today=today or start, notify=False
    )
    db.session.commit()
    return user


def member_with_end(email: str, end: date, **extra: object) -> User:
    """A member whose (first) term ends on ``end``."""
    start = date(end.year - 1, end.month, end.day) + DAY
    return member(email, start=start, **extra)  # type: ignore[arg-type]


def audit_count(action: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    return int(db.session.scalar(query) or 0)
