"""The digest: new and still-unanswered questions in the tags a member follows.

``flask board digest --frequency weekly`` (from cron) finds every recipient in
one query, then claims each member for the current period with one conditional
write (``last_digest_at`` earlier than the period's start), so running the
command twice in a day or a week sends once. Periods are calendar ones in the
portal's time zone (the day, or the ISO week from Monday), so a cron job that
fires a few seconds early or late still sends exactly once per period.

Questions the 48-hour follow-up sent out again since the member's last digest
(``services/routing.py``), still unanswered, come first: "Still unanswered
after 2 days". They are news of their own: they alone make a digest.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    exists,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.board.email import unsubscribe_headers
from portal.board.models import (
    DAILY,
    DEFAULT_FREQUENCY,
    DIGEST,
    PUBLIC,
    QUESTION,
    WEEKLY,
    NotificationPreference,
    Question,
    TagFollow,
    UnansweredFollowUp,
    question_tag,
)
from portal.core.db import conflict_insert
from portal.core.mail import queue_emails, render_email
from portal.core.outbox_checks import ref
from portal.core.templating import format_date
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


@dataclass(frozen=True)
class DigestItem:
    """One question as digests list it: plain values, formatted once per run."""

    id: int
    created_at: datetime
    answer_count: int
    author_id: int
    title: str
    author_name: str
    asked_on: str
    link: str
    # When the 48-hour follow-up asked more members to answer it, if it did.
    followed_up_at: datetime | None = None

    @classmethod
    def of(
        cls, question: Question, followed_up_at: datetime | None = None
    ) -> DigestItem:
        return cls(
            question.id,
            question.created_at,
            question.answer_count,
            question.author_id,
            question.title,
            question.author.name,
            format_date(question.created_at),
            absolute_url("board.question_show", question_id=question.id),
            followed_up_at,
        )

    @property
    def newest_first(self) -> tuple[datetime, int]:
        return self.created_at, self.id


@dataclass
class Candidates:
    """Every question any digest of this run may list, by tag, newest first.

    Read once per run (a few thousand recent or unanswered questions and their
    tags), so each batch of members only adds the query for their tag follows,
    and a member's list is a merge of their tags' lists that stops at 30.
    """

    by_tag: dict[int, list[DigestItem]]
    # The few still unanswered after the 48-hour follow-up, by tag.
    followed_up: dict[int, list[DigestItem]] = field(default_factory=dict)

    def needing_answer(self, window: Window, tag_ids: set[int]) -> list[DigestItem]:
        """Followed up since the member's last digest: listed first."""
        found = {
            item.id: item
            for t in tag_ids
            for item in self.followed_up.get(t, [])
            if item.author_id != window.user_id
            and item.followed_up_at is not None
            and item.followed_up_at > window.since
        }
        oldest_first = sorted(found.values(), key=lambda i: i.newest_first)
        return oldest_first[:MOST_QUESTIONS]

    def for_member(self, window: Window, tag_ids: set[int]) -> list[DigestItem]:
        lists = [self.by_tag[t] for t in tag_ids if t in self.by_tag]
        merged = heapq.merge(*lists, key=lambda i: i.newest_first, reverse=True)
        chosen: list[DigestItem] = []
        seen: set[int] = set()
        for item in merged:
            if item.id in seen or not _wanted(item, window):
                continue
            seen.add(item.id)
            chosen.append(item)
            if len(chosen) == MOST_QUESTIONS:
                break
        return chosen


def _wanted(item: DigestItem, window: Window) -> bool:
    if item.author_id == window.user_id:
        return False
    if item.created_at > window.since:
        return True
    return item.answer_count == 0 and item.created_at > window.waiting_since


def _candidates(windows: list[Window], now: datetime) -> Candidates:
    """New since the earliest window, or unanswered since the earliest wait."""
    since = min(w.since for w in windows)
    waiting_since = min(w.waiting_since for w in windows)
    questions = db.session.execute(
        select(Question, UnansweredFollowUp.created_at)
        .outerjoin(UnansweredFollowUp, UnansweredFollowUp.question_id == Question.id)
        .where(
            Question.deleted_at.is_(None),
            Question.state == PUBLIC,
            Question.created_at > waiting_since,
            Question.created_at <= now,
            or_(Question.created_at > since, Question.answer_count == 0),
        )
        .options(joinedload(Question.author))
    )
    items = {q.id: DigestItem.of(q, at) for q, at in questions}
    by_tag: dict[int, list[DigestItem]] = {}
    followed_up: dict[int, list[DigestItem]] = {}
    ids = list(items)
    for first in range(0, len(ids), 900):
        rows = db.session.execute(
            select(question_tag.c.question_id, question_tag.c.tag_id).where(
                question_tag.c.question_id.in_(ids[first : first + 900])
            )
        )
        for question_id, tag_id in rows:
            item = items[question_id]
            by_tag.setdefault(tag_id, []).append(item)
            if item.followed_up_at is not None and item.answer_count == 0:
                followed_up.setdefault(tag_id, []).append(item)
    for tagged in by_tag.values():
        tagged.sort(key=lambda i: i.newest_first, reverse=True)
    return Candidates(by_tag, followed_up)


def _followed_tags(user_ids: list[int]) -> dict[int, set[int]]:
    followed: dict[int, set[int]] = {user_id: set() for user_id in user_ids}
    rows = db.session.execute(
        select(TagFollow.user_id, TagFollow.tag_id).where(
            TagFollow.user_id.in_(user_ids)
        )
    )
    for user_id, tag_id in rows:
        followed[user_id].add(tag_id)
    return followed


def _email(
    recipient: Any,
    frequency: str,
    fresh: list[DigestItem],
    waiting: list[DigestItem],
    unanswered: list[DigestItem],
) -> dict[str, Any]:
    unsubscribe_url, headers = unsubscribe_headers(recipient.id, DIGEST)
    return render_email(
        "board_digest",
        to=recipient.email,
        subject=_subject(frequency, len(fresh), len(unanswered)),
        headers=headers,
        refs=[ref(QUESTION, q.id) for q in (*fresh, *waiting, *unanswered)],
        name=recipient.name,
        frequency=frequency,
        fresh=fresh,
        waiting=waiting,
        unanswered=unanswered,
        unsubscribe_url=unsubscribe_url,
        settings_url=absolute_url("board.notification_settings"),
    )


def _subject(frequency: str, fresh: int, unanswered: int) -> str:
    if fresh:
        return f"Your {frequency} digest: {fresh} new question" + (
            "" if fresh == 1 else "s"
        )
    needs = "question needs" if unanswered == 1 else "questions need"
    return f"Your {frequency} digest: {unanswered} {needs} an answer"


def _window(recipient: Any, frequency: str, now: datetime) -> Window:
    since = max(
        recipient.last_digest_at or now - PERIODS[frequency], now - LONGEST_WINDOW
    )
    return Window(recipient.id, since, since - UNANSWERED_WINDOW)


def _send_batch(
    batch: list[Any],
    frequency: str,
    now: datetime,
    start: datetime,
    candidates: Candidates,
) -> int:
    claimed = _claim(batch, frequency, now, start)
    recipients = [r for r in batch if r.id in claimed]
    if not recipients:
        return 0
    followed = _followed_tags([r.id for r in recipients])
    emails = []
    for recipient in recipients:
        window = _window(recipient, frequency, now)
        tag_ids = followed[recipient.id]
        unanswered = candidates.needing_answer(window, tag_ids)
        first = {q.id for q in unanswered}
        questions = [
            q for q in candidates.for_member(window, tag_ids) if q.id not in first
        ]
        fresh = [q for q in questions if q.created_at > window.since]
        if fresh or unanswered:
            waiting = [q for q in questions if q.created_at <= window.since]
            emails.append(_email(recipient, frequency, fresh, waiting, unanswered))
    queue_emails(emails)
    return len(emails)


def send_digests(frequency: str, now: datetime | None = None) -> DigestReport:
    """Queue this period's digests (the caller commits); nothing new sends nothing.

    The questions any digest may list are read once; members are then handled
    ``BATCH`` at a time with a few statements per batch, not per member.
    """
    if frequency not in PERIODS:
        raise ValueError(f"digest frequency must be daily or weekly, not {frequency!r}")
    now = now or utcnow()
    start = period_start(frequency, now)
    due = _due(frequency, now, start)
    report = DigestReport(recipients=len(due))
    if not due:
        return report
    candidates = _candidates([_window(r, frequency, now) for r in due], now)
    for first in range(0, len(due), BATCH):
        batch = due[first : first + BATCH]
        report.sent += _send_batch(batch, frequency, now, start, candidates)
    return report
