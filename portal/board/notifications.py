"""Notifications: in-app rows and outbox emails about activity on the board.

The board services call ``notify_*`` inside their own transaction, so a rolled-back
answer notifies nobody. A fan-out is one SELECT of the recipients (with their
email preference and membership standing worked out in SQL) and one bulk INSERT,
however many people follow the question, and one more for their emails' outbox
rows (rendered as ``queue_email`` would, inserted in one multi-row INSERT).

Who hears: people who may still read the board (current, in grace, admins) get
the in-app notification; only current members and admins get the email. The
person who acted never hears about their own action.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import (
    Boolean,
    ColumnElement,
    ForeignKey,
    Index,
    String,
    and_,
    case,
    exists,
    func,
    insert,
    or_,
    select,
    true,
    update,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship

from portal.auth.models import ADMIN, User
from portal.board.atomic import changed, insert_ignore
from portal.board.models import Answer, Comment, Question, QuestionFollow
from portal.core import time
from portal.core.db import Base
from portal.core.mail import render_email
from portal.core.models import OutboxMessage
from portal.core.time import utcnow
from portal.core.urls import absolute_url
from portal.extensions import db
from portal.membership.models import Membership
from portal.membership.queries import status_clause
from portal.membership.terms import Status

ANSWER, COMMENT, ACCEPTED, DIGEST = "answer", "comment", "accepted", "digest"
EVENT_KINDS = (ANSWER, COMMENT, ACCEPTED)
# Every kind of email a member can switch off from its own unsubscribe link.
EMAIL_KINDS = (*EVENT_KINDS, DIGEST)
OFF, DAILY, WEEKLY = "off", "daily", "weekly"
FREQUENCIES = (OFF, DAILY, WEEKLY)
DEFAULT_FREQUENCY = WEEKLY
PER_PAGE = 20
UNSUBSCRIBE_SALT = "board-unsubscribe"


class Notification(Base):
    """Something happened that one member should hear about; unread until read."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_unread", "user_id", "read_at"),
        Index("ix_notification_newest", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()
    comment: Mapped[Comment | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def anchor(self) -> str | None:
        """Where on the question page the post it is about sits."""
        if self.comment_id is not None:
            return f"comment-{self.comment_id}"
        if self.answer_id is not None:
            return f"answer-{self.answer_id}"
        return None


class NotificationPreference(Base):
    """One member's email choices; no row means the defaults (all on, weekly).

    ``last_digest_at`` lives here too: the digest claims a member for a period
    with one conditional UPDATE of this row.
    """

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    email_answer: Mapped[bool] = mapped_column(Boolean, default=True)
    email_comment: Mapped[bool] = mapped_column(Boolean, default=True)
    email_accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DEFAULT_FREQUENCY)
    last_digest_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


@dataclass(frozen=True)
class Preferences:
    email_answer: bool = True
    email_comment: bool = True
    email_accepted: bool = True
    digest_frequency: str = DEFAULT_FREQUENCY

    def values(self) -> dict[str, Any]:
        return asdict(self)


def preferences_of(user_id: int) -> Preferences:
    row = db.session.get(NotificationPreference, user_id)
    if row is None:
        return Preferences()
    return Preferences(
        row.email_answer, row.email_comment, row.email_accepted, row.digest_frequency
    )


def save_preferences(user_id: int, **values: Any) -> None:
    """Set some preferences (the rest keep their value); race-free upsert."""
    unknown = set(values) - set(Preferences().values())
    if unknown or values.get("digest_frequency", DEFAULT_FREQUENCY) not in FREQUENCIES:
        raise ValueError(f"unknown notification preference in {values!r}")
    insert_ignore(NotificationPreference, user_id=user_id, updated_at=utcnow())
    db.session.execute(
        update(NotificationPreference)
        .where(NotificationPreference.user_id == user_id)
        .values(**values, updated_at=utcnow())
    )


def unsubscribe(user_id: int, kind: str) -> None:
    """Stop one kind of email (the digest is switched off altogether)."""
    if kind == DIGEST:
        save_preferences(user_id, digest_frequency=OFF)
    else:
        save_preferences(user_id, **{f"email_{kind}": False})


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """Signed, without expiry: an old email's link must keep working."""
    return str(_serializer().dumps({"u": user_id, "k": kind}))


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` from a genuine token, else None."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, kind = payload.get("u"), payload.get("k")
    if not isinstance(user_id, int) or kind not in EMAIL_KINDS:
        return None
    return user_id, kind


def unsubscribe_headers(user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    """The link for the footer, and RFC 8058 one-click headers for mail clients."""
    url = absolute_url("board.unsubscribe", token=unsubscribe_token(user_id, kind))
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Portal-Notification": kind,
    }
    return url, headers


def current_clause(today: Any) -> ColumnElement[bool]:
    """SQL: admin, or a current membership (needs ``membership`` outer-joined)."""
    grace = current_app.config["MEMBERSHIP_GRACE_DAYS"]
    return or_(User.role == ADMIN, status_clause(Status.CURRENT, today, grace))


def _readable_clause(today: Any) -> ColumnElement[bool]:
    grace = current_app.config["MEMBERSHIP_GRACE_DAYS"]
    return or_(current_clause(today), status_clause(Status.GRACE, today, grace))


@dataclass(frozen=True)
class Event:
    """What happened, for the rows and the emails it causes."""

    kind: str
    actor: User
    question: Question
    answer: Answer | None = None
    comment: Comment | None = None

    @property
    def link(self) -> str:
        url = absolute_url("board.question_show", question_id=self.question.id)
        if self.comment is not None:
            return f"{url}#comment-{self.comment.id}"
        if self.answer is not None:
            return f"{url}#answer-{self.answer.id}"
        return url


SUBJECTS = {
    ANSWER: "New answer: {title}",
    COMMENT: "New comment: {title}",
    ACCEPTED: "Your answer was accepted: {title}",
}


def _recipients(event: Event, who: ColumnElement[bool]) -> list[Any]:
    """Everyone ``who`` matches, minus the actor, with whether to email them."""
    today = time.today()
    wants = func.coalesce(
        getattr(NotificationPreference, f"email_{event.kind}"), true()
    )
    wants_email = case((and_(current_clause(today), wants), True), else_=False)
    query = (
        select(User.id, User.email, User.name, wants_email.label("wants_email"))
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(who, User.id != event.actor.id, _readable_clause(today))
        .order_by(User.id)
    )
    return list(db.session.execute(query))


def _fan_out(event: Event, who: ColumnElement[bool]) -> int:
    recipients = _recipients(event, who)
    if not recipients:
        return 0
    now = utcnow()
    row = {
        "kind": event.kind,
        "question_id": event.question.id,
        "answer_id": event.answer.id if event.answer else None,
        "comment_id": event.comment.id if event.comment else None,
        "actor_id": event.actor.id,
        "created_at": now,
    }
    db.session.execute(
        insert(Notification), [{**row, "user_id": r.id} for r in recipients]
    )
    emails = [_email(event, r) for r in recipients if r.wants_email]
    if emails:
        db.session.execute(insert(OutboxMessage), emails)
    return len(recipients)


def _email(event: Event, recipient: Any) -> dict[str, Any]:
    """Outbox values for one recipient, for the fan-out's multi-row INSERT."""
    unsubscribe_url, headers = unsubscribe_headers(recipient.id, event.kind)
    return render_email(
        f"board_{event.kind}",
        to=recipient.email,
        subject=SUBJECTS[event.kind].format(title=event.question.title),
        headers=headers,
        name=recipient.name,
        event=event,
        link=event.link,
        unsubscribe_url=unsubscribe_url,
        settings_url=absolute_url("board.notification_settings"),
    )


def _followers(question_id: int) -> ColumnElement[bool]:
    followers = select(QuestionFollow.user_id).where(
        QuestionFollow.question_id == question_id
    )
    return User.id.in_(followers)


def notify_new_answer(actor: User, question: Question, answer: Answer) -> int:
    """Tell the question's followers; returns how many were notified."""
    event = Event(ANSWER, actor, question, answer=answer)
    return _fan_out(event, _followers(question.id))


def notify_new_comment(
    actor: User, question: Question, comment: Comment, answer: Answer | None
) -> int:
    """Tell the question's followers, and the answer's author for a comment on it."""
    who = _followers(question.id)
    if answer is not None:
        who = or_(who, User.id == answer.author_id)
    event = Event(COMMENT, actor, question, answer=answer, comment=comment)
    return _fan_out(event, who)


def notify_answer_accepted(actor: User, answer: Answer) -> int:
    """Tell the answer's author, once per answer (re-accepting is not news)."""
    if answer.author_id == actor.id:
        return 0
    told = db.session.scalar(
        select(
            exists().where(
                Notification.answer_id == answer.id, Notification.kind == ACCEPTED
            )
        )
    )
    if told:
        return 0
    event = Event(ACCEPTED, actor, answer.question, answer=answer)
    return _fan_out(event, User.id == answer.author_id)


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


def mark_read(user_id: int, notification_id: int) -> bool:
    """True when it was unread; someone else's notification is left alone."""
    return changed(
        update(Notification)
        .where(
            Notification.id == notification_id,
            Notification.user_id == user_id,
            Notification.read_at.is_(None),
        )
        .values(read_at=utcnow())
        .returning(Notification.id)
    )


def mark_all_read(user_id: int) -> int:
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    return len(result.all())
