"""Who is best placed to answer a question, and who was asked (docs/routing.md).

``best_placed`` is one statement: each member's track record in the question's
tags over the last year (3 points per accepted answer, 1 per answer with a
positive score), less everyone who may not be asked (the asker, members who
are not current, who opted out, who were already asked about this question or
already got ``PER_WEEK`` requests in the last seven days), best first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Select,
    Subquery,
    case,
    distinct,
    exists,
    func,
    select,
    true,
)

from portal.auth.models import User
from portal.board.models import (
    Answer,
    AnswerRequest,
    NotificationPreference,
    Question,
    Tag,
    question_tag,
)
from portal.core.time import portal_zone
from portal.extensions import db
from portal.membership.models import Membership
from portal.membership.status import may_post_clause

TRACK_RECORD = timedelta(days=365)
WEEK = timedelta(days=7)
PER_QUESTION = 3
PER_WEEK = 3
ACCEPTED_POINTS, UPVOTED_POINTS = 3, 1


@dataclass(frozen=True)
class Candidate:
    user_id: int
    points: int
    # Questions in the tags this member answered in the last year.
    answered: int


def _tags_of(question_id: int) -> Select[tuple[int]]:
    return select(question_tag.c.tag_id).where(
        question_tag.c.question_id == question_id
    )


def _track_record(question_id: int, asker_id: int, since: datetime) -> Subquery:
    """(user_id, points, answered) of everyone who answered in the tags lately.

    Starts from ``question_tag`` by tag (``ix_question_tag_tag``), then each
    tagged question's answers (``ix_answer_thread``). Answers to your own
    question and deleted posts earn nothing. An answer moves its question's
    ``last_activity_at`` to its own time, so questions quiet for a year are
    dropped before their answers are read (measured: docs/routing.md).
    """
    tagged = select(question_tag.c.question_id).where(
        question_tag.c.tag_id.in_(_tags_of(question_id))
    )
    points = case(
        (Question.accepted_answer_id == Answer.id, ACCEPTED_POINTS), else_=0
    ) + case((Answer.score > 0, UPVOTED_POINTS), else_=0)
    total = func.sum(points)
    return (
        select(
            Answer.author_id.label("user_id"),
            total.label("points"),
            func.count(distinct(Answer.question_id)).label("answered"),
        )
        .join(Question, Question.id == Answer.question_id)
        .where(
            Answer.question_id.in_(tagged),
            Answer.question_id != question_id,
            Answer.created_at >= since,
            Question.last_activity_at >= since,
            Answer.deleted_at.is_(None),
            Question.deleted_at.is_(None),
            Answer.author_id != Question.author_id,
            Answer.author_id != asker_id,
        )
        .group_by(Answer.author_id)
        .having(total > 0)
        .subquery("record")
    )


def best_placed(
    question_id: int, asker_id: int, now: datetime, limit: int = PER_QUESTION
) -> list[Candidate]:
    """Up to ``limit`` members to ask, best track record first; one statement."""
    record = _track_record(question_id, asker_id, now - TRACK_RECORD)
    asked = exists().where(
        AnswerRequest.question_id == question_id, AnswerRequest.user_id == User.id
    )
    this_week = (
        select(func.count())
        .select_from(AnswerRequest)
        .where(AnswerRequest.user_id == User.id, AnswerRequest.created_at > now - WEEK)
        .correlate(User)
        .scalar_subquery()
    )
    willing = func.coalesce(NotificationPreference.answer_requests, true())
    query = (
        select(User.id, record.c.points, record.c.answered)
        .select_from(record)
        .join(User, User.id == record.c.user_id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(NotificationPreference, NotificationPreference.user_id == User.id)
        .where(
            may_post_clause(now.astimezone(portal_zone()).date()),
            willing,
            ~asked,
            this_week < PER_WEEK,
        )
        .order_by(record.c.points.desc(), record.c.answered.desc(), User.id)
        .limit(limit)
    )
    return [Candidate(*row) for row in db.session.execute(query)]


def answered_by_tag(
    user_ids: list[int], question_id: int, now: datetime
) -> dict[int, list[tuple[str, int]]]:
    """Per member, (tag, questions answered) in the question's tags, most first.

    For the request's "You answered 4 questions about tiktok"; a few members, so
    it starts from ``ix_answer_author_newest`` (author, created_at).
    """
    answered = func.count(distinct(Answer.question_id))
    rows = db.session.execute(
        select(Answer.author_id, Tag.name, answered)
        .join(Question, Question.id == Answer.question_id)
        .join(question_tag, question_tag.c.question_id == Answer.question_id)
        .join(Tag, Tag.id == question_tag.c.tag_id)
        .where(
            Answer.author_id.in_(user_ids),
            Answer.created_at >= now - TRACK_RECORD,
            Answer.question_id != question_id,
            question_tag.c.tag_id.in_(_tags_of(question_id)),
            Answer.deleted_at.is_(None),
            Question.deleted_at.is_(None),
            Answer.author_id != Question.author_id,
        )
        .group_by(Answer.author_id, Tag.name)
        .order_by(Answer.author_id, answered.desc(), Tag.name)
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for user_id, name, count in rows:
        found[user_id].append((name, int(count)))
    return dict(found)


@dataclass(frozen=True)
class Asked:
    """One member asked about a question, for the "Asked to" line."""

    user_id: int
    name: str
    round: int


def asked_about(question_id: int) -> list[Asked]:
    """Who was asked, in the order they were asked; one statement (the unique
    key ``(question_id, user_id)`` finds the rows)."""
    rows = db.session.execute(
        select(User.id, User.name, AnswerRequest.round)
        .join(User, User.id == AnswerRequest.user_id)
        .where(AnswerRequest.question_id == question_id)
        .order_by(AnswerRequest.round, AnswerRequest.id)
    )
    return [Asked(*row) for row in rows]
