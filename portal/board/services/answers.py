"""Answering, editing an answer, and the asker accepting one."""

from __future__ import annotations

from collections.abc import Sequence

from portal.auth.models import User
from portal.board.errors import NotAllowed
from portal.board.events import announce, post_held
from portal.board.models import (
    HELD,
    Answer,
    Question,
    Revision,
)
from portal.board.services.follows import follow_question
from portal.board.services.notifications import (
    notify_answer_accepted,
    notify_new_answer,
)
from portal.board.services.posts import (
    check_may_change,
    check_open,
    check_original,
    check_public,
    check_unlocked,
    clean_body,
    record_revision,
    refresh,
    set_body,
    update_question,
)
from portal.board.services.visibility import hold_edited
from portal.core.phi import Finding
from portal.core.time import utcnow
from portal.extensions import db


def post_answer(
    author: User, question: Question, body: str, held_for: Sequence[Finding] = ()
) -> Answer:
    """A new answer; the question counts it and moves up "recently active".

    ``held_for``: the guard's findings the author confirmed; the answer waits
    for a moderator, uncounted and announced to nobody until released.
    """
    check_open(question)
    check_public(question)
    check_unlocked(question)
    check_original(question)
    answer = Answer(question_id=question.id, author_id=author.id)
    if held_for:
        answer.state, answer.announced = HELD, False
    set_body(answer, clean_body(body))
    db.session.add(answer)
    db.session.flush()
    if not held_for:
        update_question(
            question.id,
            answer_count=Question.answer_count + 1,
            last_activity_at=answer.created_at,
        )
        refresh(question, "answer_count", "last_activity_at")
    record_revision(answer, author)
    follow_question(author, question)
    if held_for:
        post_held.send(answer, findings=list(held_for))
    else:
        notify_new_answer(author, question, answer)
    announce(question.id)
    return answer


def edit_answer(
    editor: User, answer: Answer, body: str, held_for: Sequence[Finding] = ()
) -> Revision | None:
    """Save an edit; ``held_for`` as for ``post_answer``."""
    check_may_change(editor, answer)
    body = clean_body(body)
    if body == answer.body:
        return None
    set_body(answer, body)
    answer.edited_at = utcnow()
    db.session.flush()
    update_question(answer.question_id, last_activity_at=answer.edited_at)
    refresh(answer.question, "last_activity_at")
    announce(answer.question_id)
    revision = record_revision(answer, editor)
    if held_for:
        hold_edited(answer, held_for)
    return revision


def accept_answer(actor: User, answer: Answer) -> None:
    """The asker marks ``answer`` as the one that solved it (replacing any other)."""
    question = answer.question
    check_open(answer)
    check_public(answer)
    if question.author_id != actor.id:
        raise NotAllowed("Only the person who asked can accept an answer.")
    update_question(question.id, accepted_answer_id=answer.id)
    refresh(question, "accepted_answer_id")
    notify_answer_accepted(actor, answer)
    announce(question.id)


def unaccept_answer(actor: User, question: Question) -> None:
    check_open(question)
    if question.author_id != actor.id:
        raise NotAllowed("Only the person who asked can change the accepted answer.")
    update_question(question.id, accepted_answer_id=None)
    refresh(question, "accepted_answer_id")
    announce(question.id)
