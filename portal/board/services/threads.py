"""What a moderator does to a whole thread: lock it, or close it as a duplicate.

A locked question takes no new answers or comments (``posts.check_unlocked``);
a question closed as a duplicate takes no new answers and links to its original,
and search folds it into the original's document. Moderation decides who may
(it sits above the board); these keep the columns right with one conditional
UPDATE each and announce the change, so search re-indexes in the same
transaction. Each returns False when the question was that way already.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update

from portal.board.errors import InvalidInput
from portal.board.events import announce
from portal.board.models import Question
from portal.board.services.posts import refresh
from portal.core.atomic import changed, execute
from portal.core.time import utcnow


def lock(question: Question, now: datetime | None = None) -> bool:
    locked = changed(
        update(Question)
        .where(Question.id == question.id, Question.locked_at.is_(None))
        .values(locked_at=now or utcnow())
        .returning(Question.id)
    )
    return _changed(question, locked, "locked_at")


def unlock(question: Question) -> bool:
    unlocked = changed(
        update(Question)
        .where(Question.id == question.id, Question.locked_at.is_not(None))
        .values(locked_at=None)
        .returning(Question.id)
    )
    return _changed(question, unlocked, "locked_at")


def close_as_duplicate(question: Question, original: Question) -> bool:
    """Close ``question`` as a duplicate of ``original`` (a public question).

    An original is never itself a duplicate: closing onto a duplicate points
    at its original instead, and the questions closed as duplicates of
    ``question`` move to the new original with it. Search then has one
    document per family, the original's (docs/search.md).
    """
    target = original.duplicate_of or original
    if target.id == question.id:
        raise InvalidInput("A question cannot be a duplicate of itself.", "original")
    if target.is_deleted or not target.is_public:
        raise InvalidInput("The original must be a public question.", "original")
    before = question.duplicate_of_id
    closed = changed(
        update(Question)
        .where(
            Question.id == question.id,
            or_(
                Question.duplicate_of_id.is_(None),
                Question.duplicate_of_id != target.id,
            ),
        )
        .values(duplicate_of_id=target.id)
        .returning(Question.id)
    )
    if not closed:
        return False
    execute(
        update(Question)
        .where(Question.duplicate_of_id == question.id)
        .values(duplicate_of_id=target.id)
    )
    if before is not None and before != target.id:
        announce(before)
    return _changed(question, True, "duplicate_of_id", "duplicate_of")


def reopen(question: Question) -> bool:
    """No longer a duplicate: it takes answers and has its own search document."""
    before = question.duplicate_of_id
    reopened = changed(
        update(Question)
        .where(Question.id == question.id, Question.duplicate_of_id.is_not(None))
        .values(duplicate_of_id=None)
        .returning(Question.id)
    )
    if reopened and before is not None:
        announce(before)
    return _changed(question, reopened, "duplicate_of_id", "duplicate_of")


def _changed(question: Question, done: bool, *names: str) -> bool:
    refresh(question, *names)
    if done:
        announce(question.id)
    return done
