"""The digest: new and still-unanswered questions in the tags a member follows.

``flask board digest --frequency weekly`` (from cron) finds every recipient in
one query, then claims each member for the current period with one conditional
write (``last_digest_at`` earlier than the period's start), so running the
command twice in a day or a week sends once. Periods are calendar ones in the
portal's time zone (the day, or the ISO week from Monday), so a cron job that
fires a few seconds early or late still sends exactly once per period.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.board.email import unsubscribe_headers
from portal.board.models import (
    DAILY,
    DEFAULT_FREQUENCY,
    DIGEST,
    WEEKLY,
    NotificationPreference,
    Question,
    TagFollow,
    question_tag,
)
from portal.core.atomic import changed, insert_ignore
from portal.core.mail import queue_email
from portal.core.time import portal_zone, utcnow
from portal.core.urls import absolute_url
from portal.extensions import db
from portal.membership.models import Membership
from portal.membership.status import may_post_clause

PERIODS = {DAILY: timedelta(days=1), WEEKLY: timedelta(days=7)}
# A member back from a long break gets the last month, not everything since.
LONGEST_WINDOW = timedelta(days=31)
# "Still unanswered" goes back this far before the member's window.
UNANSWERED_WINDOW = timedelta(days=30)
MOST_QUESTIONS = 30


@dataclass
class DigestReport:
    recipients: int = 0
    sent: int = 0

    def __str__(self) -> str:
        return f"{self.sent} digests queued for {self.recipients} members due one"


def period_start(frequency: str, now: datetime) -> datetime:
    """Local midnight today (daily) or on this week's Monday (weekly), in UTC."""
    local_now = now.astimezone(portal_zone())
    start = local_now.replace(hour=0, minute=0, second=0, microsecond=0)
    if frequency == WEEKLY:
        start -= timedelta(days=local_now.weekday())
    return start.astimezone(UTC)


def _due(frequency: str, now: datetime, start: datetime) -> list[Any]:
    """Current members (and admins) on this frequency, not yet sent this period."""
    chosen = func.coalesce(NotificationPreference.digest_frequency, DEFAULT_FREQUENCY)
    last = NotificationPreference.last_digest_at
    query = (
        select(User.id, User.email, User.name, last.label("last_digest_at"))
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(
            chosen == frequency,
            may_post_clause(now.astimezone(portal_zone()).date()),
            or_(last.is_(None), last < start),
            exists().where(TagFollow.user_id == User.id),
        )
        .order_by(User.id)
    )
    return list(db.session.execute(query))


def _claim(user_id: int, frequency: str, now: datetime, start: datetime) -> bool:
    """Record this period's digest; False when another run already did."""
    if frequency == DEFAULT_FREQUENCY and insert_ignore(
        NotificationPreference, user_id=user_id, last_digest_at=now, updated_at=now
    ):
        return True
    last = NotificationPreference.last_digest_at
    return changed(
        update(NotificationPreference)
        .where(
            NotificationPreference.user_id == user_id,
            NotificationPreference.digest_frequency == frequency,
            or_(last.is_(None), last < start),
        )
        .values(last_digest_at=now)
        .returning(NotificationPreference.user_id)
    )


def _questions(user_id: int, since: datetime, now: datetime) -> list[Question]:
    """Questions in followed tags: asked since ``since``, or older and unanswered."""
    followed = (
        select(question_tag.c.question_id)
        .join(TagFollow, TagFollow.tag_id == question_tag.c.tag_id)
        .where(TagFollow.user_id == user_id)
    )
    unanswered = and_(
        Question.answer_count == 0,
        Question.created_at > since - UNANSWERED_WINDOW,
    )
    query = (
        select(Question)
        .where(
            Question.id.in_(followed),
            Question.deleted_at.is_(None),
            Question.author_id != user_id,
            Question.created_at <= now,
            or_(Question.created_at > since, unanswered),
        )
        .options(joinedload(Question.author))
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(MOST_QUESTIONS)
    )
    return list(db.session.scalars(query))


def _send(
    recipient: Any, frequency: str, fresh: list[Question], waiting: list[Question]
) -> None:
    unsubscribe_url, headers = unsubscribe_headers(recipient.id, DIGEST)
    count = len(fresh)
    queue_email(
        "board_digest",
        to=recipient.email,
        subject=f"Your {frequency} digest: {count} new question"
        + ("" if count == 1 else "s"),
        headers=headers,
        name=recipient.name,
        frequency=frequency,
        fresh=fresh,
        waiting=waiting,
        links={
            q.id: absolute_url("board.question_show", question_id=q.id)
            for q in [*fresh, *waiting]
        },
        unsubscribe_url=unsubscribe_url,
        settings_url=absolute_url("board.notification_settings"),
    )


def send_digests(frequency: str, now: datetime | None = None) -> DigestReport:
    """Queue this period's digests (the caller commits); nothing new sends nothing."""
    if frequency not in PERIODS:
        raise ValueError(f"digest frequency must be daily or weekly, not {frequency!r}")
    now = now or utcnow()
    start = period_start(frequency, now)
    report = DigestReport()
    for recipient in _due(frequency, now, start):
        report.recipients += 1
        if not _claim(recipient.id, frequency, now, start):
            continue
        since = max(
            recipient.last_digest_at or now - PERIODS[frequency],
            now - LONGEST_WINDOW,
        )
        questions = _questions(recipient.id, since, now)
        fresh = [q for q in questions if q.created_at > since]
        if fresh:
            waiting = [q for q in questions if q.created_at <= since]
            _send(recipient, frequency, fresh, waiting)
            report.sent += 1
    return report
