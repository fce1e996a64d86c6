"""A moderator's decisions on a whole thread: lock it, close it as a duplicate.

Locked: the board refuses new answers and comments (``check_unlocked``).
Closed as a duplicate: the question links to the original. An original is
never itself a duplicate (a question closed as a duplicate hands its own
duplicates on to its original), so chains stay one step long and cannot loop.
Both rows are locked in id order while that is checked, so two moderators
closing two questions as duplicates of each other cannot both succeed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, select, update

from portal.auth.models import User
from portal.board.events import announce
from portal.board.models import Question
from portal.core.atomic import changed
from portal.core.time import utcnow
from portal.extensions import db
from portal.moderation import services
from portal.moderation.errors import Gone, ModerationError
from portal.moderation.services.decisions import clean_reason


def _set(question: Question, *where: ColumnElement[bool], **values: object) -> bool:
    moved = changed(
        update(Question)
        .where(Question.id == question.id, *where)
        .values(**values)
        .returning(Question.id)
    )
    db.session.expire(question, list(values))
    return moved


def _check_live(question: Question) -> None:
    if question.is_deleted:
        raise Gone("That question was deleted.")


def lock(
    actor: User, question: Question, reason: str | None, now: datetime | None = None
) -> None:
    reason = clean_reason(reason)
    _check_live(question)
    if not _set(question, Question.locked_at.is_(None), locked_at=now or utcnow()):
        raise ModerationError("That question is locked already.")
    services.record(services.QUESTION_LOCK, actor, question, reason)


def unlock(actor: User, question: Question, reason: str | None) -> None:
    reason = clean_reason(reason)
    if not _set(question, Question.locked_at.is_not(None), locked_at=None):
        raise ModerationError("That question is not locked.")
    services.record(services.QUESTION_UNLOCK, actor, question, reason)


def _both_locked(question: Question, original_id: int) -> Question | None:
    """Lock both rows (in id order: no deadlock) and read them afresh."""
    rows = db.session.scalars(
        select(Question)
        .where(Question.id.in_([question.id, original_id]))
        .order_by(Question.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return next((row for row in rows if row.id == original_id), None)


def close_as_duplicate(
    actor: User, question: Question, original_id: int, reason: str | None
) -> Question:
    """Point ``question`` at the public question that already answers it."""
    reason = clean_reason(reason)
    _check_live(question)
    if original_id == question.id:
        raise ModerationError("A question cannot be a duplicate of itself.")
    original = _both_locked(question, original_id)
    if original is None or original.is_deleted or not original.is_public:
        raise ModerationError(f"There is no public question #{original_id}.")
    if original.duplicate_of_id is not None:
        raise ModerationError(
            f"#{original.id} is itself closed as a duplicate of "
            f"#{original.duplicate_of_id}; choose that one."
        )
    if question.duplicate_of_id == original.id:
        raise ModerationError(f"It is closed as a duplicate of #{original.id} already.")
    question.duplicate_of_id = original.id
    db.session.flush()
    handed_on = db.session.scalars(
        update(Question)
        .where(Question.duplicate_of_id == question.id)
        .values(duplicate_of_id=original.id)
        .returning(Question.id)
        .execution_options(synchronize_session=False)
    ).all()
    for question_id in [question.id, *handed_on]:
        announce(question_id)
    services.record(
        services.QUESTION_DUPLICATE, actor, question, reason, original=original.id
    )
    return original


def reopen(actor: User, question: Question, reason: str | None) -> None:
    """No longer a duplicate."""
    reason = clean_reason(reason)
    if not _set(question, Question.duplicate_of_id.is_not(None), duplicate_of_id=None):
        raise ModerationError("That question is not closed as a duplicate.")
    announce(question.id)
    services.record(services.QUESTION_REOPEN, actor, question, reason)
