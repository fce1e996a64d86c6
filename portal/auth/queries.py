"""Loading the signed-in account: one statement per request, with its session
and what the features above ``auth`` need on every page.

A feature registers a column (a scalar subquery correlated to ``user_account``)
under a name; the loader selects the account and every registered column at
once, and ``user_extra`` hands the value to the feature that asked for it. So the
session check, the account, its membership standing and its unread-notification
count cost one statement, without ``auth`` importing the features that add them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import ColumnElement, select

from portal.auth.models import User, UserSession
from portal.auth.sessions import CurrentSession, alive
from portal.core.outbox_checks import CANCEL
from portal.extensions import db

UserColumn = Callable[[], ColumnElement[Any]]
_EXTRAS: dict[str, UserColumn] = {}
MISSING = object()


def add_user_extra(name: str, column: UserColumn) -> None:
    """Select ``column()`` with the signed-in account on every request."""
    _EXTRAS[name] = column


def load_account(session_id: str, now: datetime) -> tuple[User, CurrentSession] | None:
    """The account signed in with the session ``session_id`` (a key's hash), if
    that session is alive at ``now``, and every registered extra: one statement.
    The session is kept for the request (``current_session``)."""
    columns = [make().label(name) for name, make in _EXTRAS.items()]
    row = db.session.execute(
        select(
            User,
            UserSession.public_id,
            UserSession.last_seen_at,
            UserSession.remember,
            *columns,
        )
        .join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.id == session_id, alive(now))
    ).one_or_none()
    if row is None:
        return None
    user: User = row[0]
    current = CurrentSession(session_id, *row[1:4])
    if has_request_context():
        values = {name: row._mapping[name] for name in _EXTRAS}
        g.account_extras = (user.id, values)
        g.user_session = current
    return user, current


def current_session() -> CurrentSession | None:
    """The session this request is signed in with (None when signed out)."""
    if not has_request_context() or not current_user.is_authenticated:
        return None
    found: CurrentSession | None = g.get("user_session")
    return found


def active_sessions(user_id: int, now: datetime) -> list[UserSession]:
    """The member's live sessions for "Your devices", most recently used first."""
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user_id, alive(now))
            .order_by(UserSession.last_seen_at.desc(), UserSession.created_at.desc())
        )
    )


def user_extra(user_id: int, name: str) -> Any:
    """The value loaded with this request's account, or ``MISSING``."""
    if not has_request_context():
        return MISSING
    loaded = g.get("account_extras")
    if loaded is None or loaded[0] != user_id:
        return MISSING
    return loaded[1].get(name, MISSING)


def unsendable_invitations(user_ids: set[int]) -> dict[int, str]:
    """For the mail worker: invitations to accounts gone or already claimed
    (the link could only fail) are cancelled."""
    unclaimed = set(
        db.session.scalars(
            select(User.id).where(User.id.in_(user_ids), User.claimed_at.is_(None))
        )
    )
    return {i: CANCEL for i in user_ids if i not in unclaimed}
