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

from sqlalchemy import (
    Integer,
    and_,
    exists,
    func,
    literal,
    or_,
    select,
    union_all,
    update,
)
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
from portal.core.db import UTCDateTime, conflict_insert
from portal.core.mail import queue_emails, render_email
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


BATCH = 500


@dataclass(frozen=True)
class Window:
    """What one member's digest covers: new since ``since``; unanswered since
    ``waiting_since``."""

    user_id: int
    since: datetime
    waiting_since: datetime


def _claim(
    batch: list[Any], frequency: str, now: datetime, start: datetime
) -> set[int]:
    """Record this period's digest for a batch of members in two statements;
    returns the ids this run claimed (another run may have taken some)."""
    ids = [recipient.id for recipient in batch]
    claimed: set[int] = set()
    if frequency == DEFAULT_FREQUENCY:  # members on the default have no row yet
        rows = [{"user_id": i, "last_digest_at": now, "updated_at": now} for i in ids]
        dialect = db.session.get_bind().dialect.name
        inserted = db.session.execute(
            conflict_insert(NotificationPreference, dialect)
            .values(rows)
            .on_conflict_do_nothing()
            .returning(NotificationPreference.user_id)
        )
        claimed |= set(inserted.scalars())
    last = NotificationPreference.last_digest_at
    updated = db.session.execute(
        update(NotificationPreference)
        .where(
            NotificationPreference.user_id.in_(ids),
            NotificationPreference.digest_frequency == frequency,
            or_(last.is_(None), last < start),
        )
        .values(last_digest_at=now)
        .returning(NotificationPreference.user_id)
        .execution_options(synchronize_session=False)
    )
    return claimed | set(updated.scalars())


def _questions(windows: list[Window], now: datetime) -> dict[int, list[Question]]:
    """Each member's questions in followed tags (new, or older and unanswered),
    newest first, at most ``MOST_QUESTIONS`` each: one statement for the batch,
    one more to load the questions and their askers."""
    # The batch's windows as a table (a UNION of literal rows: SQLite cannot name
    # the columns of a VALUES list).
    wanted = union_all(
        *(
            select(
                literal(w.user_id, Integer).label("user_id"),
                literal(w.since, UTCDateTime()).label("since"),
                literal(w.waiting_since, UTCDateTime()).label("waiting_since"),
            )
            for w in windows
        )
    ).cte("wanted")
    earliest = min(w.waiting_since for w in windows)
    pairs = (
        select(wanted.c.user_id, Question.id, Question.created_at)
        .distinct()
        .select_from(Question)
        .join(question_tag, question_tag.c.question_id == Question.id)
        .join(TagFollow, TagFollow.tag_id == question_tag.c.tag_id)
        .join(wanted, wanted.c.user_id == TagFollow.user_id)
        .where(
            Question.created_at > earliest,
            Question.created_at <= now,
            Question.deleted_at.is_(None),
            Question.author_id != wanted.c.user_id,
            or_(
                Question.created_at > wanted.c.since,
                and_(
                    Question.answer_count == 0,
                    Question.created_at > wanted.c.waiting_since,
                ),
            ),
        )
        .subquery()
    )
    rank = func.row_number().over(
        partition_by=pairs.c.user_id,
        order_by=(pairs.c.created_at.desc(), pairs.c.id.desc()),
    )
    ranked = select(pairs.c.user_id, pairs.c.id, rank.label("rank")).subquery()
    rows = db.session.execute(
        select(ranked.c.user_id, ranked.c.id)
        .where(ranked.c.rank <= MOST_QUESTIONS)
        .order_by(ranked.c.user_id, ranked.c.rank)
    ).all()
    loaded = {
        q.id: q
        for q in db.session.scalars(
            select(Question)
            .where(Question.id.in_({question_id for _, question_id in rows}))
            .options(joinedload(Question.author))
        )
    }
    chosen: dict[int, list[Question]] = {w.user_id: [] for w in windows}
    for user_id, question_id in rows:
        chosen[user_id].append(loaded[question_id])
    return chosen


def _email(
    recipient: Any, frequency: str, fresh: list[Question], waiting: list[Question]
) -> dict[str, Any]:
    unsubscribe_url, headers = unsubscribe_headers(recipient.id, DIGEST)
    count = len(fresh)
    return render_email(
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


def _window(recipient: Any, frequency: str, now: datetime) -> Window:
    since = max(
        recipient.last_digest_at or now - PERIODS[frequency], now - LONGEST_WINDOW
    )
    return Window(recipient.id, since, since - UNANSWERED_WINDOW)


def _send_batch(
    batch: list[Any], frequency: str, now: datetime, start: datetime
) -> int:
    claimed = _claim(batch, frequency, now, start)
    recipients = [r for r in batch if r.id in claimed]
    if not recipients:
        return 0
    windows = {r.id: _window(r, frequency, now) for r in recipients}
    questions = _questions(list(windows.values()), now)
    emails = []
    for recipient in recipients:
        since = windows[recipient.id].since
        fresh = [q for q in questions[recipient.id] if q.created_at > since]
        if fresh:
            waiting = [q for q in questions[recipient.id] if q.created_at <= since]
            emails.append(_email(recipient, frequency, fresh, waiting))
    queue_emails(emails)
    return len(emails)


def send_digests(frequency: str, now: datetime | None = None) -> DigestReport:
    """Queue this period's digests (the caller commits); nothing new sends nothing.

    Members are handled ``BATCH`` at a time: a few statements per batch, not per
    member, so 10,000 members take seconds.
    """
    if frequency not in PERIODS:
        raise ValueError(f"digest frequency must be daily or weekly, not {frequency!r}")
    now = now or utcnow()
    start = period_start(frequency, now)
    due = _due(frequency, now, start)
    report = DigestReport(recipients=len(due))
    for first in range(0, len(due), BATCH):
        report.sent += _send_batch(due[first : first + BATCH], frequency, now, start)
    return report
