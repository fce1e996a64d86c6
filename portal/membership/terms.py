"""Calendar rules for membership terms: length, renewal, status and reminders.

Pure functions of plain dates (no database, no clock): callers pass `today` in the
portal's configured time zone, so the rules are the same for the web, the CLI, the
daily sweep and the tests.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Literal

ONE_DAY = timedelta(days=1)

ReminderKind = Literal["expiring_30", "expiring_7", "ended"]


class Status(StrEnum):
    """Where a member stands today; the order is the precedence in derive_status."""

    REVOKED = "revoked"
    SUSPENDED = "suspended"
    UPCOMING = "upcoming"
    CURRENT = "current"
    GRACE = "grace"
    EXPIRED = "expired"


@dataclass(frozen=True)
class StatusInfo:
    """A status plus what the pages show next to it."""

    status: Status
    expiring: bool = False
    # Only meaningful for a current term; None everywhere else.
    days_left: int | None = None


def anniversary(start: date) -> date:
    """Same month and day next year; 29 February falls on 1 March."""
    if (start.month, start.day) == (2, 29):
        # Most years have no 29 February; 1 March is the day a year has passed.
        return date(start.year + 1, 3, 1)
    return start.replace(year=start.year + 1)


def term_end(start: date) -> date:
    """Last day of a term (inclusive): the day before its anniversary."""
    return anniversary(start) - ONE_DAY


def renewal_start(
    current_end: date | None,
    today: date,
    grace_days: int = 30,
    requested: date | None = None,
) -> date:
    """First day of the next term.

    A member who is current or in grace continues the day after the current end,
    whatever date is requested: no day is lost and none is paid for twice. Without
    a previous term, `requested` may be any date (admins back-date rosters). After
    grace the term starts today, or on a later requested date.
    """
    if current_end is None:
        return today if requested is None else requested
    if today <= current_end + timedelta(days=grace_days):
        return current_end + ONE_DAY
    if requested is None:
        return today
    if requested < today:
        raise ValueError(
            f"The membership ended on {current_end.isoformat()} and its grace period "
            f"is over, so the new term cannot start in the past "
            f"({requested.isoformat()}); choose {today.isoformat()} or later."
        )
    return requested


def derive_status(
    *,
    start: date | None,
    end: date | None,
    today: date,
    revoked: bool = False,
    suspended_until: date | None = None,
    grace_days: int = 30,
    expiring_days: int = 30,
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


def can_read_board(status: Status) -> bool:
    """Grace keeps reading open so a late renewal loses nothing."""
    return status in (Status.CURRENT, Status.GRACE)


def can_post(status: Status) -> bool:
    """Only a current member asks, answers or votes."""
    return status is Status.CURRENT


def reminder_kind(end: date, today: date, grace_days: int = 30) -> ReminderKind | None:
    """The reminder whose window contains today, if any.

    Windows rather than exact days, so a sweep that missed days still sends the
    reminder that is due now, and never a stale one from an earlier window.
    """
    days_left = (end - today).days
    if 7 < days_left <= 30:
        return "expiring_30"
    if 0 <= days_left <= 7:
        return "expiring_7"
    if 1 <= -days_left <= grace_days:
        return "ended"
    return None
