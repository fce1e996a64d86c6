"""Membership status: the one rule, written once in Python and once in SQL.

Status is never stored for access: it is derived from a membership's dates and
flags on the day asked about (``today`` in the portal's time zone). The first
rule that matches wins: revoked, suspended, upcoming, current, grace, expired.
``derive_status`` is the Python rule and ``status_clause`` its SQL twin;
``tests/membership/test_status.py`` proves they agree on every day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from flask import current_app
from sqlalchemy import ColumnElement, and_, case, or_

from portal.auth.models import ADMIN, MODERATOR, User
from portal.membership.models import Membership
from portal.membership.terms import FIRST_REMINDER_DAYS

EXPIRING_DAYS = 30


class Status(StrEnum):
    """Where a member stands today; the order is the precedence in derive_status."""

    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UPCOMING = "upcoming"
    CURRENT = "current"
    GRACE = "grace"
    EXPIRED = "expired"


STATUSES = tuple(status.value for status in Status)


@dataclass(frozen=True)
class StatusInfo:
    """A status plus what the pages show next to it."""

    status: Status
    expiring: bool = False
    # Only meaningful for a current term; None everywhere else.
    days_left: int | None = None


class Dated(Protocol):
    """What a status is derived from: a membership row or a cached snapshot."""

    @property
    def starts_on(self) -> date | None: ...
    @property
    def ends_on(self) -> date | None: ...
    @property
    def is_revoked(self) -> bool: ...
    @property
    def suspended_until(self) -> date | None: ...


def grace_days() -> int:
    """Read-only days after a membership ends (``MEMBERSHIP_GRACE_DAYS``)."""
    return int(current_app.config["MEMBERSHIP_GRACE_DAYS"])


def derive_status(
    *,
    start: date | None,
    end: date | None,
    today: date,
    revoked: bool = False,
    suspended_until: date | None = None,
    grace_days: int = 30,
    expiring_days: int = EXPIRING_DAYS,
) -> StatusInfo:
    """Status from dates and flags; the first rule that matches wins.

    `start` and `end` bound the member's term (or run of contiguous terms); both
    None means the member never had one.
    """
    if revoked:
        return StatusInfo(Status.REVOKED)
    if suspended_until is not None and suspended_until >= today:
        return StatusInfo(Status.SUSPENDED)
    if start is None or end is None:
        return StatusInfo(Status.EXPIRED)
    if start > today:
        return StatusInfo(Status.UPCOMING)
    if today <= end:
        days_left = (end - today).days
        return StatusInfo(
            Status.CURRENT, expiring=days_left <= expiring_days, days_left=days_left
        )
    if today <= end + timedelta(days=grace_days):
        return StatusInfo(Status.GRACE)
    return StatusInfo(Status.EXPIRED)


def status_on(dated: Dated, today: date, grace: int | None = None) -> StatusInfo:
    """``derive_status`` for a membership (or snapshot) with the configured grace."""
    return derive_status(
        start=dated.starts_on,
        end=dated.ends_on,
        today=today,
        revoked=dated.is_revoked,
        suspended_until=dated.suspended_until,
        grace_days=grace_days() if grace is None else grace,
    )


def may_read(status: Status) -> bool:
    """Grace keeps reading open so a late renewal loses nothing."""
    return status in (Status.CURRENT, Status.GRACE)


def may_post(status: Status) -> bool:
    """Only a current member asks, answers or votes."""
    return status is Status.CURRENT


def may_request_renewal(info: StatusInfo) -> bool:
    """Grace, expired, or current within the reminders' window: the members
    whose reminders ask them to renew. Revoked and suspended members cannot."""
    if info.status is Status.CURRENT:
        return info.days_left is not None and info.days_left <= FIRST_REMINDER_DAYS
    return info.status in (Status.GRACE, Status.EXPIRED)


def status_clause(
    status: Status | str, today: date, grace: int | None = None
) -> ColumnElement[bool]:
    """SQL true for memberships with ``status`` on ``today`` (derive_status order)."""
    status, grace = Status(status), grace_days() if grace is None else grace
    not_revoked = Membership.revoked_at.is_(None)
    if status is Status.REVOKED:
        return Membership.revoked_at.is_not(None)
    if status is Status.SUSPENDED:
        return and_(not_revoked, Membership.suspended_until >= today)
    active = and_(
        not_revoked,
        or_(Membership.suspended_until.is_(None), Membership.suspended_until < today),
    )
    grace_start = today - timedelta(days=grace)
    by_dates = {
        Status.UPCOMING: Membership.starts_on > today,
        Status.CURRENT: and_(
            Membership.starts_on <= today, Membership.ends_on >= today
        ),
        Status.GRACE: and_(
            Membership.ends_on < today, Membership.ends_on >= grace_start
        ),
        Status.EXPIRED: Membership.ends_on < grace_start,
    }
    return and_(active, by_dates[status])


def status_expression(today: date, grace: int | None = None) -> ColumnElement[str]:
    """The status as an SQL CASE, for grouping and change detection."""
    grace = grace_days() if grace is None else grace
    return case(
        *((status_clause(s, today, grace), s.value) for s in Status),
        else_=Status.EXPIRED.value,
    )


def expiring_clause(today: date, within_days: int) -> ColumnElement[bool]:
    """Current members whose run ends within ``within_days`` days (inclusive)."""
    return and_(
        status_clause(Status.CURRENT, today),
        Membership.ends_on <= today + timedelta(days=within_days),
    )


def may_post_clause(today: date) -> ColumnElement[bool]:
    """SQL twin of ``access.can_post_board``: admins and moderators, or a
    current membership.

    Needs ``membership`` outer-joined to ``user_account``.
    """
    return or_(User.role.in_((ADMIN, MODERATOR)), status_clause(Status.CURRENT, today))


def may_read_clause(today: date) -> ColumnElement[bool]:
    """SQL twin of ``may_read`` for accounts (``membership`` outer-joined)."""
    return or_(may_post_clause(today), status_clause(Status.GRACE, today))
