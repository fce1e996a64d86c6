"""Clock helpers: instants are aware UTC; calendar dates are in the portal's zone."""

from __future__ import annotations

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
