"""What the moderation pages read: the queue a page at a time, one post's record.

A queue page is a fixed number of statements however many items it shows: the
items (with their authors), the open flags of those posts (with who flagged),
and the posts themselves, one statement per kind.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import joinedload

from portal.board.models import ANSWER, COMMENT, QUESTION, Answer, Comment, Question
from portal.board.services.visibility import AnyPost
from portal.core.paging import Window, window
from portal.extensions import db
from portal.moderation.models import FLAG_REASONS, HIDDEN_OUTCOME, Flag, ReviewItem

PER_PAGE = 20
PostKey = tuple[str, int]


@dataclass
class QueueEntry:
    """One post with what a moderator needs to decide on it: its open item
    (None on a post's own page when nothing is open), thread and open flags."""

    item: ReviewItem | None
    post: AnyPost | None
    question: Question | None
    flags: list[Flag] = field(default_factory=list)

    @property
    def reasons(self) -> dict[str, int]:
        """How many open flags give each reason, most given first."""
        counts: dict[str, int] = defaultdict(int)
        for flag in self.flags:
            counts[FLAG_REASONS.get(flag.reason, flag.reason)] += 1
        return dict(sorted(counts.items(), key=lambda pair: -pair[1]))


@dataclass(frozen=True)
class QueueSummary:
    size: int
    oldest_opened_at: datetime | None


def queue_summary() -> QueueSummary:
    """The queue's size and when its oldest open item opened: one statement."""
    size, oldest = db.session.execute(
        select(func.count(ReviewItem.id), func.min(ReviewItem.opened_at)).where(
            ReviewItem.closed_at.is_(None)
        )
    ).one()
    return QueueSummary(int(size or 0), oldest)


def queue_page(page: int) -> Window:
    """Open items, most-flagged first, then newest; items are ``QueueEntry``."""
    query = (
        select(ReviewItem)
        .where(ReviewItem.closed_at.is_(None))
        .options(joinedload(ReviewItem.author))
        .order_by(
            ReviewItem.flag_count.desc(),
            ReviewItem.opened_at.desc(),
            ReviewItem.id.desc(),
        )
    )
    items = window(query, page, PER_PAGE)
    entries = entries_for(items.items)
    return Window(entries, items.page, items.per_page, items.has_next)


def entries_for(items: list[ReviewItem]) -> list[QueueEntry]:
    keys = [(item.post_kind, item.post_id) for item in items]
    posts = posts_by_key(keys, {item.question_id for item in items})
    flags = open_flags(keys)
    return [
        QueueEntry(
            item=item,
            post=posts.get((item.post_kind, item.post_id)),
            question=_question(posts.get((QUESTION, item.question_id))),
            flags=flags.get((item.post_kind, item.post_id), []),
        )
        for item in items
    ]


def _question(post: AnyPost | None) -> Question | None:
    return post if isinstance(post, Question) else None


def posts_by_key(
    keys: Iterable[PostKey], question_ids: Iterable[int] = ()
) -> dict[PostKey, AnyPost]:
    """The posts named by ``keys`` (and the questions they sit in), by key."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for kind, post_id in keys:
        wanted[kind].add(post_id)
    wanted[QUESTION] |= set(question_ids)
    found: dict[PostKey, AnyPost] = {}
    models: dict[str, Any] = {QUESTION: Question, ANSWER: Answer, COMMENT: Comment}
    for kind, ids in wanted.items():
        if not ids or kind not in models:
            continue
        model = models[kind]
        query = select(model).where(model.id.in_(sorted(ids)))
        for post in db.session.scalars(query):
            found[(kind, post.id)] = post
    return found


def open_flags(keys: list[PostKey]) -> dict[PostKey, list[Flag]]:
    """Unresolved flags on these posts, oldest first, with who flagged."""
    if not keys:
        return {}
    query = (
        select(Flag)
        .where(
            Flag.resolved_at.is_(None),
            tuple_(Flag.post_kind, Flag.post_id).in_(keys),
        )
        .options(joinedload(Flag.user))
        .order_by(Flag.created_at, Flag.id)
    )
    flags: dict[PostKey, list[Flag]] = defaultdict(list)
    for flag in db.session.scalars(query):
        flags[(flag.post_kind, flag.post_id)].append(flag)
    return dict(flags)


def open_item(post: AnyPost) -> ReviewItem | None:
    return db.session.scalar(
        select(ReviewItem).where(
            ReviewItem.post_kind == post.kind,
            ReviewItem.post_id == post.id,
            ReviewItem.closed_at.is_(None),
        )
    )


def post_entry(post: AnyPost) -> QueueEntry:
    """The post as the queue shows it, with its open item if it has one."""
    item = open_item(post)
    if item is not None:
        return entries_for([item])[0]
    question = (
        post
        if isinstance(post, Question)
        else db.session.get(Question, post.question_id)
    )
    return QueueEntry(item=None, post=post, question=question)


def past_items(post: AnyPost) -> list[ReviewItem]:
    """The post's closed items, newest first, with who closed them."""
    return list(
        db.session.scalars(
            select(ReviewItem)
            .where(
                ReviewItem.post_kind == post.kind,
                ReviewItem.post_id == post.id,
                ReviewItem.closed_at.is_not(None),
            )
            .options(joinedload(ReviewItem.closed_by))
            .order_by(ReviewItem.closed_at.desc(), ReviewItem.id.desc())
        )
    )


def last_hidden(post: AnyPost) -> ReviewItem | None:
    """The latest decision to hide the post (its reason is the author's to read)."""
    return db.session.scalar(
        select(ReviewItem)
        .where(
            ReviewItem.post_kind == post.kind,
            ReviewItem.post_id == post.id,
            ReviewItem.outcome == HIDDEN_OUTCOME,
        )
        .order_by(ReviewItem.closed_at.desc(), ReviewItem.id.desc())
        .limit(1)
    )


def has_flagged(user_id: int, post: AnyPost) -> bool:
    return (
        db.session.scalar(
            select(Flag.id).where(
                Flag.post_kind == post.kind,
                Flag.post_id == post.id,
                Flag.user_id == user_id,
            )
        )
        is not None
    )
