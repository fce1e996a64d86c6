"""Voting: one vote per member per post, changeable and retractable.

The score is never read and written back. Each vote change is a single statement
on the vote row whose row count says what changed, and the score moves by exactly
that delta in an ``UPDATE ... SET score = score + :delta`` in the same
transaction, so concurrent voters (and a double-submitted form) leave
``score == SUM(vote.value)`` on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, update

from portal.auth.models import User
from portal.board.errors import Gone, NotAllowed
from portal.board.models import (
    DOWN,
    UP,
    Answer,
    Post,
    Question,
    Vote,
)
from portal.board.services.posts import check_public
from portal.core.atomic import changed, execute, insert_ignore
from portal.core.time import utcnow
from portal.extensions import db

RETRACT = 0


@dataclass(frozen=True)
class VoteChange:
    """What a vote request did: ``delta`` is 0 when it changed nothing."""

    post: Post
    voter: User
    value: int
    delta: int


def _target(post: Post) -> ColumnElement[bool]:
    if isinstance(post, Question):
        return Vote.question_id == post.id
    return Vote.answer_id == post.id


def _check_may_vote(voter: User, post: Post) -> None:
    if post.is_deleted or (isinstance(post, Answer) and post.question.is_deleted):
        raise Gone("That post was deleted.")
    if post.author_id == voter.id:
        raise NotAllowed("You cannot vote on your own post.")
    check_public(post)
    if isinstance(post, Answer):
        check_public(post.question)


def cast_vote(voter: User, post: Post, value: int) -> VoteChange:
    """Set ``voter``'s vote on ``post`` to +1, -1 or 0 (retract); idempotent."""
    if value not in (UP, DOWN, RETRACT):
        raise ValueError(f"vote value must be -1, 0 or 1, not {value!r}")
    _check_may_vote(voter, post)
    where = (Vote.user_id == voter.id, _target(post))
    delta = _retract(where) if value == RETRACT else _set(voter, post, value, where)
    if delta:
        model = type(post)
        execute(
            update(model).where(model.id == post.id).values(score=model.score + delta)
        )
        db.session.expire(post, ["score"])
    return VoteChange(post=post, voter=voter, value=value, delta=delta)


def _set(
    voter: User, post: Post, value: int, where: tuple[ColumnElement[bool], ...]
) -> int:
    now = utcnow()
    inserted = insert_ignore(
        Vote,
        user_id=voter.id,
        question_id=post.id if isinstance(post, Question) else None,
        answer_id=post.id if isinstance(post, Answer) else None,
        value=value,
        created_at=now,
        updated_at=now,
    )
    if inserted:
        return value
    # Values are only ever +1 or -1, so a row that is not `value` was `-value`:
    # flipping it moves the score by twice the vote.
    flipped = changed(
        update(Vote)
        .where(*where, Vote.value != value)
        .values(value=value, updated_at=now)
        .returning(Vote.id)
    )
    return 2 * value if flipped else 0


def _retract(where: tuple[ColumnElement[bool], ...]) -> int:
    removed = db.session.execute(
        delete(Vote)
        .where(*where)
        .returning(Vote.value)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    return -removed if removed is not None else 0
