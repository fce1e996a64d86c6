"""A member's notifications and email preferences."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    func,
    select,
)
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.board.models import (
    DEFAULT_FREQUENCY,
    Notification,
    NotificationPreference,
)
from portal.extensions import db

PER_PAGE = 20


@dataclass(frozen=True)
class Preferences:
    email_answer: bool = True
    email_comment: bool = True
    email_accepted: bool = True
    digest_frequency: str = DEFAULT_FREQUENCY
    # Routing: be asked to answer questions, and by email.
    answer_requests: bool = True
    email_request: bool = True

    def values(self) -> dict[str, Any]:
        return asdict(self)


def preferences_of(user_id: int) -> Preferences:
    row = db.session.get(NotificationPreference, user_id)
    if row is None:
        return Preferences()
    return Preferences(
        row.email_answer,
        row.email_comment,
        row.email_accepted,
        row.digest_frequency,
        row.answer_requests,
        row.email_request,
    )


def unread_count_column() -> ColumnElement[int]:
    """The account's unread count, correlated to ``user_account`` (see auth.queries)."""
    return (
        select(func.count())
        .select_from(Notification)
        .where(Notification.user_id == User.id, Notification.read_at.is_(None))
        .correlate(User)
        .scalar_subquery()
    )


def unread_count(user_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Notification)
            .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        )
        or 0
    )


def notifications_page(user_id: int, page: int) -> Pagination:
    """Newest first, with who acted and on which question, in one query a page."""
    query = (
        select(Notification)
        .where(Notification.user_id == user_id)
        .options(
            joinedload(Notification.actor),
            joinedload(Notification.question),
            joinedload(Notification.comment),
        )
        .order_by(Notification.id.desc())
    )
    return db.paginate(query, page=page, per_page=PER_PAGE, error_out=False)
