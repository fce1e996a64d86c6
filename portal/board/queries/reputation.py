"""Reputation and what a member's board page shows.

Reputation is computed, not stored: one aggregate statement over the member's
own posts (``answer.author_id``/``question.author_id`` indexes, then
``vote(answer_id)``/``vote(question_id)``), so it is always consistent with the
votes, deletions and accepts, and the vote service needs no extra write.
Points: +10 per up-vote on an answer, +5 per up-vote on a question, +15 for an
accepted answer (not for accepting your own), -2 per down-vote received; posts
that members cannot read (deleted, held for review or hidden by a moderator,
or answers on such a question) count for nothing until they can again; the
total is never below 1. Question lists never show reputation, so they never
read votes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import current_app
from sqlalchemy import (
    Integer,
    Select,
    Subquery,
    case,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import contains_eager, defer, selectinload

from portal.auth.models import User
from portal.board.models import Answer, Question, Tag, Vote, question_tag
from portal.board.queries.visibility import PUBLIC_ONLY, Viewer
from portal.core.paging import Window, window
from portal.core.time import portal_zone, utcnow
from portal.extensions import db

ANSWER_UP, QUESTION_UP, ACCEPTED, DOWN_RECEIVED = 10, 5, 15, -2
MINIMUM = 1
TOP_CONTRIBUTORS = 5
CACHE_ENTRIES = 10_000
T = TypeVar("T")
TOP_TAGS = 5
PER_PAGE = 10


def _points(user_id: int | None, since: datetime | None) -> Subquery:
    """(user_id, points) rows, one per vote received or answer accepted."""
    answer_votes = (
        select(
            Answer.author_id.label("user_id"),
            case((Vote.value > 0, ANSWER_UP), else_=DOWN_RECEIVED).label("points"),
        )
        .select_from(Vote)
        .join(Answer, Answer.id == Vote.answer_id)
        .join(Question, Question.id == Answer.question_id)
        .where(*PUBLIC_ONLY.sees(Answer), *PUBLIC_ONLY.sees(Question))
    )
    question_votes = (
        select(
            Question.author_id,
            case((Vote.value > 0, QUESTION_UP), else_=DOWN_RECEIVED),
        )
        .select_from(Vote)
        .join(Question, Question.id == Vote.question_id)
        .where(*PUBLIC_ONLY.sees(Question))
    )
    # From the answer side: "this month" starts from ix_answer_created_at, and a
    # member's accepted answers from ix_answer_author_id (question is probed by
    # ix_question_accepted_answer either way).
    accepted = (
        select(Answer.author_id, cast(literal(ACCEPTED), Integer))
        .select_from(Answer)
        .join(Question, Question.accepted_answer_id == Answer.id)
        .where(
            *PUBLIC_ONLY.sees(Question),
            *PUBLIC_ONLY.sees(Answer),
            Answer.author_id != Question.author_id,
        )
    )
    if user_id is not None:
        answer_votes = answer_votes.where(Answer.author_id == user_id)
        question_votes = question_votes.where(Question.author_id == user_id)
        accepted = accepted.where(Answer.author_id == user_id)
    if since is not None:
        answer_votes = answer_votes.where(Vote.created_at >= since)
        question_votes = question_votes.where(Vote.created_at >= since)
        # When an answer was accepted is not recorded; its writing date stands in.
        accepted = accepted.where(Answer.created_at >= since)
    return union_all(answer_votes, question_votes, accepted).subquery("points")


def reputation_of(user_id: int) -> int:
    """One aggregate statement."""
    points = _points(user_id, None)
    total = db.session.scalar(select(func.coalesce(func.sum(points.c.points), 0)))
    return max(MINIMUM, int(total or 0))


def month_start(now: datetime | None = None) -> datetime:
    """The first of this month, midnight in the portal's zone, as UTC."""
    local_now = (now or utcnow()).astimezone(portal_zone())
    first = local_now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return first.astimezone(UTC)


@dataclass(frozen=True)
class Contributor:
    """Plain values, so a cached list outlives the session that read it."""

    user_id: int
    name: str
    earned: int


def top_contributors(
    since: datetime, limit: int = TOP_CONTRIBUTORS
) -> list[Contributor]:
    """Who earned the most since ``since``; one aggregate statement."""
    points = _points(None, since)
    earned = func.sum(points.c.points)
    ranked = (
        select(points.c.user_id, earned.label("earned"))
        .group_by(points.c.user_id)
        .having(earned > 0)
        .order_by(earned.desc(), points.c.user_id)
        .limit(limit)
        .subquery("ranked")
    )
    rows = db.session.execute(
        select(User.id, User.name, ranked.c.earned)
        .join(ranked, ranked.c.user_id == User.id)
        .order_by(ranked.c.earned.desc(), User.id)
    )
    return [Contributor(user_id, name, int(total)) for user_id, name, total in rows]


def cached(name: str, key: Hashable, ttl: int, compute: Callable[[], T]) -> T:
    """``compute()``, reused for ``ttl`` seconds by this server process.

    For summaries that are the same for every reader and cost more than a page
    should (a busy member's reputation walks thousands of votes): a few minutes
    of staleness instead of the cost on every view. ``ttl`` 0 turns it off.
    """
    if ttl <= 0:
        return compute()
    cache: dict[Hashable, tuple[float, Any]] = current_app.extensions.setdefault(
        f"board_cache_{name}", {}
    )
    moment = time.monotonic()
    hit = cache.get(key)
    if hit is None or hit[0] <= moment:
        if len(cache) > CACHE_ENTRIES:
            cache.clear()
        hit = (moment + ttl, compute())
        cache[key] = hit
    value: T = hit[1]
    return value


def cached_top_contributors(now: datetime | None = None) -> list[Contributor]:
    """This month's top contributors, the same for every reader."""
    since = month_start(now)
    ttl = current_app.config["BOARD_CONTRIBUTORS_CACHE_SECONDS"]
    return cached("contributors", since, ttl, lambda: top_contributors(since))


@dataclass(frozen=True)
class TagCount:
    name: str
    posts: int


def top_tags(user_id: int, limit: int = TOP_TAGS) -> list[TagCount]:
    """The tags of the member's public questions and answered questions,
    busiest first."""
    asked = select(Question.id.label("question_id")).where(
        Question.author_id == user_id, *PUBLIC_ONLY.sees(Question)
    )
    answered = (
        select(Answer.question_id)
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.author_id == user_id,
            *PUBLIC_ONLY.sees(Answer),
            *PUBLIC_ONLY.sees(Question),
        )
    )
    posts = union_all(asked, answered).subquery("posts")
    count = func.count()
    rows = db.session.execute(
        select(Tag.name, count)
        .join(question_tag, question_tag.c.tag_id == Tag.id)
        .join(posts, posts.c.question_id == question_tag.c.question_id)
        .group_by(Tag.id, Tag.name)
        .order_by(count.desc(), Tag.name)
        .limit(limit)
    )
    return [TagCount(name, int(total)) for name, total in rows]


def _questions_by(user_id: int, viewer: Viewer) -> Select[Question]:
    return (
        select(Question)
        .where(Question.author_id == user_id, *viewer.sees(Question))
        .options(selectinload(Question.tags))
        .order_by(Question.created_at.desc(), Question.id.desc())
    )


def questions_by(user_id: int, viewer: Viewer, page: int) -> Window:
    """The member's questions that ``viewer`` may see, newest first."""
    query = _questions_by(user_id, viewer).options(
        defer(Question.body), defer(Question.body_html)
    )
    return window(query, page, PER_PAGE)


def _answers_by(user_id: int, viewer: Viewer) -> Select[Answer]:
    return (
        select(Answer)
        .join(Answer.question)
        .where(
            Answer.author_id == user_id,
            *viewer.sees(Answer),
            *viewer.sees(Question),
        )
        .options(contains_eager(Answer.question))
        .order_by(Answer.created_at.desc(), Answer.id.desc())
    )


def answers_by(user_id: int, viewer: Viewer, page: int) -> Window:
    """The member's answers with their questions (one join, no extra queries),
    those ``viewer`` may see with their questions."""
    query = _answers_by(user_id, viewer).options(
        defer(Answer.body), defer(Answer.body_html)
    )
    return window(query, page, PER_PAGE)


def profile_viewer(user_id: int, reader: Any) -> Viewer:
    """Who reads ``user_id``'s profile, as far as it changes what it lists: the
    member themselves (their held and hidden posts too), moderators, admins,
    or anyone else (public posts only). Not the reader's own id otherwise, so
    profile summaries are cached per kind of reader, not per reader."""
    viewer = Viewer.of(reader)
    return viewer if reader.id == user_id else replace(viewer, user_id=None)


@dataclass(frozen=True)
class MemberStats:
    reputation: int
    questions: int
    answers: int


def member_stats(user_id: int, viewer: Viewer) -> MemberStats:
    """Reputation and the counts of the posts a profile lists, in one statement."""
    points = _points(user_id, None)
    reputation = select(func.coalesce(func.sum(points.c.points), 0)).scalar_subquery()
    questions = select(func.count()).select_from(
        _questions_by(user_id, viewer).order_by(None).subquery()
    )
    answers = select(func.count()).select_from(
        _answers_by(user_id, viewer).order_by(None).subquery()
    )
    row = db.session.execute(
        select(reputation, questions.scalar_subquery(), answers.scalar_subquery())
    ).one()
    return MemberStats(max(MINIMUM, int(row[0] or 0)), int(row[1]), int(row[2]))


@dataclass(frozen=True)
class MemberSummary:
    stats: MemberStats
    top_tags: list[TagCount]


def member_summary(user_id: int, viewer: Viewer) -> MemberSummary:
    """A profile's reputation, counts and top tags (two statements), reused for
    ``BOARD_PROFILE_CACHE_SECONDS`` by this server process (``viewer`` from
    ``profile_viewer``)."""
    ttl = current_app.config["BOARD_PROFILE_CACHE_SECONDS"]
    return cached(
        "profiles",
        (user_id, viewer),
        ttl,
        lambda: MemberSummary(member_stats(user_id, viewer), top_tags(user_id)),
    )
