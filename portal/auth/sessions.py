"""Server-side sessions: each sign-in is a ``UserSession`` row (docs/sessions.md).

The cookie carries a random key; the row stores its hash. A request is signed in
only while its row exists and is within its limits, so signing out, "sign out
other devices", a password change or a revoked membership end a session for
every copy of its cookie. Like the other services these flush and leave the
commit to the caller; only ``record_activity`` writes on its own (see there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import ColumnElement, and_, delete, not_, or_, update
from sqlalchemy.exc import SQLAlchemyError
from ua_parser import parse as parse_user_agent

from portal.auth.models import UserSession, new_session_key, session_key_hash
from portal.core import time
from portal.core.atomic import changed, execute
from portal.extensions import db

# last_seen_at is rewritten at most this often: no write per request.
TOUCH_EVERY = timedelta(minutes=1)
MAX_USER_AGENT = 255
# Parsing is only for the "Your devices" label; a longer header says no more.
PARSED_USER_AGENT = 512


@dataclass(frozen=True)
class Limits:
    idle: timedelta
    max_age: timedelta
    remember: timedelta


@dataclass(frozen=True)
class CurrentSession:
    """The session a request is signed in with, as the loader read it."""

    id: str
    public_id: str
    last_seen_at: datetime
    remember: bool


def limits() -> Limits:
    config = current_app.config
    return Limits(
        idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
        max_age=timedelta(hours=config["SESSION_MAX_HOURS"]),
        remember=timedelta(days=config["SESSION_REMEMBER_DAYS"]),
    )


def alive(now: datetime) -> ColumnElement[bool]:
    """SQL: the session is within its limits at ``now``.

    Remembered sessions have only their absolute lifetime; the others end when
    unused for the idle time or, at the latest, after the working-day limit.
    Read from the configuration on each call, so a shorter limit applies to the
    sessions already open.
    """
    limit = limits()
    return or_(
        and_(UserSession.remember, UserSession.created_at > now - limit.remember),
        and_(
            not_(UserSession.remember),
            UserSession.created_at > now - limit.max_age,
            UserSession.last_seen_at > now - limit.idle,
        ),
    )


def describe_device(user_agent: str) -> str:
    """'Firefox on Windows', 'Mobile Safari on iOS (iPhone)': enough for a member
    to recognise a device; ua-parser's patterns know thousands of browsers."""
    parsed = parse_user_agent(user_agent[:PARSED_USER_AGENT])
    browser = parsed.user_agent.family if parsed.user_agent else "Unknown browser"
    system = parsed.os.family if parsed.os else None
    device = parsed.device.family if parsed.device else None
    label = f"{browser} on {system}" if system else browser
    if device and device not in {"Other", "Mac", "Spider"} and device != system:
        label += f" ({device})"
    return label[:120]


def start_session(
    user_id: int,
    *,
    remember: bool,
    ip_address: str | None,
    user_agent: str,
    now: datetime | None = None,
) -> str:
    """Record a sign-in; returns the key for the cookie (stored only hashed)."""
    now = now or time.utcnow()
    prune(now)
    key = new_session_key()
    db.session.add(
        UserSession(
            id=session_key_hash(key),
            user_id=user_id,
            created_at=now,
            last_seen_at=now,
            remember=remember,
            ip_address=(ip_address or "")[:45] or None,
            user_agent=user_agent[:MAX_USER_AGENT],
            device=describe_device(user_agent),
        )
    )
    db.session.flush()
    return key


def end_sessions(user_id: int, except_id: str | None = None) -> None:
    """Sign the member out everywhere (but on the session ``except_id``)."""
    statement = delete(UserSession).where(UserSession.user_id == user_id)
    if except_id is not None:
        statement = statement.where(UserSession.id != except_id)
    execute(statement)


def end_session(user_id: int, public_id: str) -> bool:
    """Sign out one of the member's own sessions; False when they have no such
    session (another member's id included)."""
    return changed(
        delete(UserSession)
        .where(UserSession.user_id == user_id, UserSession.public_id == public_id)
        .returning(UserSession.id)
    )


def prune(now: datetime) -> None:
    """Delete sessions past their limits: they open nothing, and the table stays
    as small as the number of live sign-ins. Runs at every sign-in."""
    execute(delete(UserSession).where(not_(alive(now))))


def record_activity(session_id: str, ip_address: str | None, now: datetime) -> None:
    """Move ``last_seen_at`` on, at most once per ``TOUCH_EVERY``.

    Written and committed on a connection of its own: most signed-in requests
    are reads that never commit, and their activity must still keep the session
    from idling out. A failure only skips this update; the next request tries
    again.
    """
    statement = (
        update(UserSession)
        .where(
            UserSession.id == session_id,
            UserSession.last_seen_at <= now - TOUCH_EVERY,
        )
        .values(last_seen_at=now, ip_address=(ip_address or "")[:45] or None)
    )
    try:
        with db.engine.begin() as connection:
            connection.execute(statement)
    except SQLAlchemyError:
        current_app.logger.warning("could not record session activity", exc_info=True)
