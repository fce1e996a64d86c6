"""Clock helpers: instants are aware UTC; calendar dates are in the portal's zone."""

from __future__ import annotations

import calendar
import re
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app


def utcnow() -> datetime:
    return datetime.now(UTC)


def portal_zone() -> ZoneInfo:
    return ZoneInfo(current_app.config["PORTAL_TIMEZONE"])


def today() -> date:
    """Today's date where the portal's members live (``PORTAL_TIMEZONE``)."""
    return datetime.now(portal_zone()).date()


def local(instant: datetime) -> datetime:
    """An instant shown in the portal's zone."""
    return instant.astimezone(portal_zone())


DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class NoSuchDay(ValueError):
    """Written as a date, but not one on the calendar (2025-02-30)."""


def parse_day(text: str) -> date | None:
    """A day written YYYY-MM-DD; None when it is not written that way.

    ``NoSuchDay`` says why a well-written date is impossible, which
    ``date.fromisoformat``'s "day is out of range for month" does not.
    """
    match = DAY.fullmatch(text.strip())
    if match is None:
        return None
    year, month, day = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise NoSuchDay(f"{text.strip()} is no such day: there is no month {month}.")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise NoSuchDay(
            f"{text.strip()} is no such day: {calendar.month_name[month]} {year} "
            f"has {days} days."
        )
    return date(year, month, day)
