"""Calendar rules for membership terms: length, renewal and reminders.

Pure functions of plain dates (no database, no clock): callers pass `today` in the
portal's configured time zone, so the rules are the same for the web, the CLI, the
daily sweep and the tests. Status (current, grace, ...) lives in ``status``.
"""

from datetime import date, timedelta
from typing import Literal

ONE_DAY = timedelta(days=1)
# The first reminder goes out this many days before the end; from then on a
# member may also ask to renew (``status.may_request_renewal``).
FIRST_REMINDER_DAYS = 30

ReminderKind = Literal["expiring_30", "expiring_7", "ended"]


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


def reminder_kind(end: date, today: date, grace_days: int = 30) -> ReminderKind | None:
    """The reminder whose window contains today, if any.

    Windows rather than exact days, so a sweep that missed days still sends the
    reminder that is due now, and never a stale one from an earlier window.
    """
    days_left = (end - today).days
    if 7 < days_left <= FIRST_REMINDER_DAYS:
        return "expiring_30"
    if 0 <= days_left <= 7:
        return "expiring_7"
    if 1 <= -days_left <= grace_days:
        return "ended"
    return None
