"""Loading the signed-in account: one statement per request, with what the
features above ``auth`` need on every page.

A feature registers a column (a scalar subquery correlated to ``user_account``)
under a name; the loader selects the account and every registered column at
once, and ``user_extra`` hands the value to the feature that asked for it. So the
account, its membership standing and its unread-notification count cost one
statement, without ``auth`` importing the features that add them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import g, has_request_context
from sqlalchemy import ColumnElement, select

from portal.auth.models import User
from portal.core.mail import CANCEL
from portal.extensions import db

UserColumn = Callable[[], ColumnElement[Any]]
_EXTRAS: dict[str, UserColumn] = {}
MISSING = object()


def add_user_extra(name: str, column: UserColumn) -> None:
    """Select ``column()`` with the signed-in account on every request."""
    _EXTRAS[name] = column


def load_account(user_id: int) -> User | None:
    """The account and every registered extra, in one statement."""
    columns = [make().label(name) for name, make in _EXTRAS.items()]
    row = db.session.execute(
        select(User, *columns).where(User.id == user_id)
    ).one_or_none()
    if row is None:
        return None
    if has_request_context():
        values = {name: row._mapping[name] for name in _EXTRAS}
        g.account_extras = (user_id, values)
    user: User = row[0]
    return user


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
