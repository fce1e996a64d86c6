"""Notifications: in-app rows and outbox emails about activity on the board.

The board services call ``notify_*`` inside their own transaction, so a rolled-back
answer notifies nobody. A fan-out is one SELECT of the recipients (with their
email preference and membership standing worked out in SQL) and one bulk INSERT,
however many people follow the question, and one more for their emails' outbox
rows (rendered as ``queue_email`` would, inserted in one multi-row INSERT).

Who hears: people who may still read the board (current, in grace, admins) get
the in-app notification; only current members and admins get the email. The
person who acted never hears about their own action. Answer requests (routing,
``services/routing.py``) go out through the same fan-out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
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

from portal.auth.models import User
from portal.board.email import unsubscribe_headers
from portal.board.models import (
    ACCEPTED,
    ANSWER,
    COMMENT,
    DEFAULT_FREQUENCY,
    DIGEST,
    FREQUENCIES,
    OFF,
    QUESTION,
    REQUEST,
    Answer,
    Comment,
    Notification,
    NotificationPreference,
    Question,
    QuestionFollow,
)
from portal.board.queries.notifications import Preferences
from portal.core import time
from portal.core.atomic import changed, insert_ignore
from portal.core.mail import render_email
from portal.core.models import OutboxMessage
from portal.core.outbox_checks import ref
from portal.core.time import utcnow
from portal.core.urls import absolute_url
from portal.extensions import db
from portal.membership.models import Membership
from portal.membership.status import may_post_clause, may_read_clause


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


@dataclass(frozen=True)
class Event:
    """What happened, for the rows and the emails it causes."""

    kind: str
    actor: User
    question: Question
    answer: Answer | None = None
    comment: Comment | None = None

    @property
    def refs(self) -> list[str]:
        """What its mail is about: it waits while any of them is under review."""
        refs = [ref(QUESTION, self.question.id)]
        if self.answer is not None:
            refs.append(ref(ANSWER, self.answer.id))
        if self.comment is not None:
            refs.append(ref(COMMENT, self.comment.id))
        return refs

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
    REQUEST: "Can you answer this? {title}",
}


def _recipients(event: Event, who: ColumnElement[bool]) -> list[Any]:
    """Everyone ``who`` matches, minus the actor, with whether to email them."""
    today = time.today()
    wants = func.coalesce(
        getattr(NotificationPreference, f"email_{event.kind}"), true()
    )
    wants_email = case((and_(may_post_clause(today), wants), True), else_=False)
    query = (
        select(User.id, User.email, User.name, wants_email.label("wants_email"))
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(who, User.id != event.actor.id, may_read_clause(today))
        .order_by(User.id)
    )
    return list(db.session.execute(query))


def _fan_out(
    event: Event,
    who: ColumnElement[bool],
    details: Mapping[int, dict[str, Any]] | None = None,
) -> int:
    """``details``: more for the email's template, per recipient id."""
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
    details = details or {}
    emails = [
        _email(event, r, **details.get(r.id, {})) for r in recipients if r.wants_email
    ]
    if emails:
        db.session.execute(insert(OutboxMessage), emails)
    return len(recipients)


def _email(event: Event, recipient: Any, **details: Any) -> dict[str, Any]:
    """Outbox values for one recipient, for the fan-out's multi-row INSERT."""
    unsubscribe_url, headers = unsubscribe_headers(recipient.id, event.kind)
    return render_email(
        f"board_{event.kind}",
        to=recipient.email,
        subject=SUBJECTS[event.kind].format(title=event.question.title),
        headers=headers,
        refs=event.refs,
        name=recipient.name,
        event=event,
        link=event.link,
        unsubscribe_url=unsubscribe_url,
        settings_url=absolute_url("board.notification_settings"),
        **details,
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


def notify_answer_request(
    question: Question, reasons: Mapping[int, dict[str, Any]]
) -> int:
    """Ask members to answer (``reasons``: each one's email details, by id).

    The asker is the actor, so the request reads "Dr Lopez asks …".
    """
    event = Event(REQUEST, question.author, question)
    return _fan_out(event, User.id.in_(list(reasons)), reasons)


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
