"""Reusable selects. Every page built from these runs a fixed number of statements.

Lists read only the denormalised columns on ``question`` plus one eager load of
authors (joined) and tags (selectin); a question page is the question, its
answers, its comments, the reader's votes and follow: five statements whatever
the size of the thread. Lists show public questions only; a question page shows
what its reader may see (``visibility.Viewer``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, case, exists, or_, select
from sqlalchemy.orm import defer, joinedload, selectinload

from portal.board.models import (
    PUBLIC,
    Answer,
    Comment,
    Question,
    QuestionFollow,
    question_tag,
)
from portal.board.queries.visibility import Viewer
from portal.board.queries.votes import votes_by
from portal.core.paging import Window, valid_id, window
from portal.extensions import db

PER_PAGE = 20


SORTS = {
    "newest": "Newest",
    "active": "Recently active",
    "top": "Top",
    "unanswered": "Unanswered",
}


DEFAULT_SORT = "newest"


# Below this many questions a tag's page starts from the tag's own rows and sorts
# them; above it, walking the sort order's index and probing each question's
# tags finds a page sooner (measured at 100,000 questions: docs/performance.md).
SMALL_TAG = 2_000


def question_list(
    sort: str, tag_id: int | None = None, tag_size: int | None = None
) -> Select[Any]:
    """Public, non-deleted questions in ``sort`` order, newest id first among
    equals, for every reader (moderators find the others in the review queue).

    Lists never load bodies, only what a row shows. ``state`` is a filter on
    the rows the partial index walk returns (docs/performance.md).
    """
    query = (
        select(Question)
        .where(Question.deleted_at.is_(None), Question.state == PUBLIC)
        .options(
            defer(Question.body),
            defer(Question.body_html),
            joinedload(Question.author),
            selectinload(Question.tags),
        )
    )
    if tag_id is not None:
        tagged = select(question_tag.c.question_id).where(
            question_tag.c.tag_id == tag_id
        )
        if tag_size is not None and tag_size < SMALL_TAG:
            query = query.where(Question.id.in_(tagged))
        else:
            query = query.where(
                exists(tagged.where(question_tag.c.question_id == Question.id))
            )
    if sort == "unanswered":
        query = query.where(Question.answer_count == 0)
    key = {
        "active": Question.last_activity_at,
        "top": Question.score,
    }.get(sort, Question.created_at)
    return query.order_by(key.desc(), Question.id.desc())


def question_page(
    sort: str, page: int, tag_id: int | None = None, tag_size: int | None = None
) -> Window:
    return window(question_list(sort, tag_id, tag_size), page, PER_PAGE)


def question_for_reader(question_id: int, viewer: Viewer) -> Question | None:
    """The question if ``viewer`` may read it, with what its page shows (the
    original it duplicates comes in the same statement)."""
    question = db.session.scalar(
        select(Question)
        .where(Question.id == question_id)
        .options(
            joinedload(Question.author),
            joinedload(Question.deleted_by),
            joinedload(Question.duplicate_of),
            selectinload(Question.tags),
        )
    )
    if question is None or not viewer.may_see(question):
        return None
    return question


def took_part(user_id: int, question_id: int) -> bool:
    """Whether the member asked the question or has an answer on it (not
    deleted): the question pages a member whose board is closed still reads."""
    if not valid_id(question_id):
        return False
    asked = exists().where(Question.id == question_id, Question.author_id == user_id)
    answered = exists().where(
        Answer.question_id == question_id,
        Answer.author_id == user_id,
        Answer.deleted_at.is_(None),
    )
    return bool(db.session.scalar(select(or_(asked, answered))))


def wrote(user_id: int, kind: str, post_id: int) -> bool:
    """Whether the member wrote this question or answer."""
    if not valid_id(post_id):
        return False
    model = Question if kind == "question" else Answer
    mine = exists().where(model.id == post_id, model.author_id == user_id)
    return bool(db.session.scalar(select(mine)))


@dataclass
class Thread:
    """What a question page shows below the question."""

    answers: list[Answer]
    # Keyed by answer id; None holds the comments on the question itself.
    comments: dict[int | None, list[Comment]] = field(default_factory=dict)
    votes: dict[tuple[str, int], int] = field(default_factory=dict)
    following: bool = False


def thread(question: Question, viewer: Viewer) -> Thread:
    """The answers and comments ``viewer`` may see: public ones, their own,
    every state for moderators, deleted ones for admins (and for their author
    while they may restore them)."""
    answers = _answers(question, viewer)
    comments: dict[int | None, list[Comment]] = defaultdict(list)
    for comment in _comments(question.id, viewer):
        comments[comment.answer_id].append(comment)
    answer_ids = [answer.id for answer in answers]
    reader_id = viewer.user_id or 0
    return Thread(
        answers=answers,
        comments=dict(comments),
        votes=votes_by(reader_id, [question.id], answer_ids),
        following=is_following_question(reader_id, question.id),
    )


def _answers(question: Question, viewer: Viewer) -> list[Answer]:
    accepted_first = case((Answer.id == question.accepted_answer_id, 0), else_=1).asc()
    query = (
        select(Answer)
        .where(Answer.question_id == question.id, *viewer.sees(Answer))
        .options(joinedload(Answer.author), joinedload(Answer.deleted_by))
        .order_by(accepted_first, Answer.score.desc(), Answer.id)
    )
    return list(db.session.scalars(query))


def _comments(question_id: int, viewer: Viewer) -> list[Comment]:
    return list(
        db.session.scalars(
            select(Comment)
            .where(Comment.question_id == question_id, *viewer.sees(Comment))
            .options(joinedload(Comment.author))
            .order_by(Comment.created_at, Comment.id)
        )
    )


def is_following_question(user_id: int, question_id: int) -> bool:
    return bool(
        db.session.scalar(
            select(
                exists().where(
                    QuestionFollow.user_id == user_id,
                    QuestionFollow.question_id == question_id,
                )
            )
        )
    )
