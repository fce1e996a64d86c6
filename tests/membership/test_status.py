"""The status rule (pure: no app or database); its SQL twin is checked against it
in ``test_queries.test_status_filters_in_sql_agree_with_the_rules_on_every_day``."""

from datetime import date, timedelta
from typing import Any

import pytest

from portal.membership.status import (
    Status,
    StatusInfo,
    derive_status,
    may_post,
    may_read,
)
from portal.membership.terms import term_end

DAY = timedelta(days=1)
TODAY = date(2026, 6, 15)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def status_on(
    today: date, start: date | None = date(2026, 1, 1), **flags: Any
) -> StatusInfo:
    """Status of a member holding one term from `start` (None: never a member)."""
    end = None if start is None else term_end(start)
    return derive_status(start=start, end=end, today=today, **flags)


def test_revoked_beats_every_other_status() -> None:
    info = status_on(TODAY, revoked=True, suspended_until=TODAY + DAY)
    assert info == StatusInfo(Status.REVOKED, expiring=False, days_left=None)
    assert status_on(TODAY, start=None, revoked=True).status is Status.REVOKED


def test_suspension_beats_upcoming_and_current() -> None:
    upcoming = TODAY + days(10)
    assert status_on(TODAY, upcoming, suspended_until=TODAY).status is Status.SUSPENDED
    assert status_on(TODAY, suspended_until=TODAY).status is Status.SUSPENDED
    never_member = status_on(TODAY, start=None, suspended_until=TODAY)
    assert never_member.status is Status.SUSPENDED


def test_suspension_ends_the_day_after_suspended_until() -> None:
    assert status_on(TODAY, suspended_until=TODAY - DAY).status is Status.CURRENT


def test_term_starting_tomorrow_is_upcoming_and_today_is_current() -> None:
    assert status_on(TODAY, start=TODAY + DAY).status is Status.UPCOMING
    assert status_on(TODAY, start=TODAY).status is Status.CURRENT


def test_current_status_counts_days_left() -> None:
    start = date(2026, 1, 1)
    assert status_on(term_end(start), start).days_left == 0
    assert status_on(start, start).days_left == 364


def test_expiring_flag_is_set_at_30_days_left_and_not_at_31() -> None:
    end = term_end(date(2026, 1, 1))
    at_30 = status_on(end - days(30))
    at_31 = status_on(end - days(31))
    assert at_30 == StatusInfo(Status.CURRENT, expiring=True, days_left=30)
    assert at_31 == StatusInfo(Status.CURRENT, expiring=False, days_left=31)


def test_expiring_threshold_is_configurable() -> None:
    end = term_end(date(2026, 1, 1))
    assert status_on(end - days(10), expiring_days=10).expiring
    assert not status_on(end - days(11), expiring_days=10).expiring


def test_grace_follows_the_end_and_expired_follows_grace() -> None:
    end = term_end(date(2026, 1, 1))
    assert status_on(end + DAY) == StatusInfo(Status.GRACE, False, None)
    assert status_on(end + days(30)).status is Status.GRACE
    assert status_on(end + days(31)) == StatusInfo(Status.EXPIRED, False, None)


def test_grace_length_is_configurable() -> None:
    end = term_end(date(2026, 1, 1))
    assert status_on(end + days(7), grace_days=7).status is Status.GRACE
    assert status_on(end + days(8), grace_days=7).status is Status.EXPIRED
    assert status_on(end + DAY, grace_days=0).status is Status.EXPIRED


def test_member_without_any_term_is_expired() -> None:
    assert status_on(TODAY, start=None) == StatusInfo(Status.EXPIRED, False, None)


@pytest.mark.parametrize("status", list(Status))
def test_only_current_and_grace_members_read_and_only_current_post(
    status: Status,
) -> None:
    assert may_read(status) is (status in (Status.CURRENT, Status.GRACE))
    assert may_post(status) is (status is Status.CURRENT)
