"""Who sees a post: everyone (public), or only its author, moderators and admins
while it waits for review (held) or after a moderator hid it (hidden).

Moderation decides (it sits above the board); this module keeps what the board
owns right whenever a post's state changes: the counters lists read, the search
index, and the notifications a post held from the start has not sent yet. Mail
already queued about a post that is no longer public waits in the outbox
(``mail_verdicts``, registered with ``core.mail``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from typing import cast

from sqlalchemy import select, update

from portal.board.events import announce, post_held
from portal.board.models import (
    ANSWER,
    COMMENT,
    HELD,
    PUBLIC,
    QUESTION,
    STATES,
    Answer,
    Comment,
    Question,
)
from portal.board.services.notifications import notify_new_answer, notify_new_comment
from portal.board.services.posts import refresh, update_question
from portal.board.services.routing import route_question
from portal.board.services.tags import count_questions
from portal.core.atomic import returned
from portal.core.outbox_checks import CANCEL, HOLD, register_check
from portal.core.phi import Finding
from portal.extensions import db

AnyPost = Question | Answer | Comment
MODELS: dict[str, type[Question] | type[Answer] | type[Comment]] = {
    QUESTION: Question,
    ANSWER: Answer,
    COMMENT: Comment,
}


def find_post(kind: str, post_id: int) -> AnyPost | None:
    model = MODELS.get(kind)
    if model is None:
        return None
    return cast("AnyPost | None", db.session.get(model, post_id))


def set_state(post: AnyPost, state: str) -> bool:
    """Move ``post`` to ``state``; False when it was there already.

    Crossing into or out of public moves the counters a deletion would move
    (a tag's question count, a question's answer count), so lists never count
    a post nobody can read. The first time a post held from the start becomes
    public, it sends the notifications and routing requests it held back.
    """
    if state not in STATES:
        raise ValueError(f"unknown post state {state!r}")
    before = post.state
    if before == state:
        return False
    model = type(post)
    row = returned(
        update(model)
        .where(model.id == post.id, model.state == before)
        .values(state=state)
        .returning(model.deleted_at)
    )
    if row is None:
        return False
    db.session.expire(post, ["state"])
    # Whether it is deleted as the UPDATE found it (delete_post counts likewise).
    if row.deleted_at is None and (before == PUBLIC) != (state == PUBLIC):
        _count(post, +1 if state == PUBLIC else -1)
    if state == PUBLIC and not post.announced:
        _announce_late(post)
    announce(post.question_id)
    return True


def hold_edited(post: AnyPost, findings: Sequence[Finding]) -> None:
    """An edit saved despite the guard's findings: the post waits for review."""
    set_state(post, HELD)
    post_held.send(post, findings=list(findings))


def _count(post: AnyPost, delta: int) -> None:
    if isinstance(post, Question):
        count_questions([tag.id for tag in post.tags], delta)
    elif isinstance(post, Answer):
        update_question(post.question_id, answer_count=Question.answer_count + delta)
        refresh(post.question, "answer_count")


def _announce_late(post: AnyPost) -> None:
    """What posting would have done, done on release."""
    post.announced = True
    if isinstance(post, Question):
        route_question(post)
    elif isinstance(post, Answer):
        notify_new_answer(post.author, post.question, post)
    else:
        notify_new_comment(post.author, post.question, post, post.answer)
    db.session.flush()


def mail_verdicts(kind: str, ids: Iterable[int]) -> dict[int, str]:
    """For the mail worker: posts whose mail must wait (held or hidden, or in a
    thread that is) or never go (deleted). Public posts are not listed."""
    model = MODELS[kind]
    query = select(model.id, model.state, model.deleted_at).where(
        model.id.in_(sorted(set(ids)))
    )
    if model is not Question:
        query = query.add_columns(
            Question.state.label("thread_state"),
            Question.deleted_at.label("thread_deleted_at"),
        ).join(Question, Question.id == model.question_id)
    verdicts: dict[int, str] = {}
    for row in db.session.execute(query):
        thread_state = getattr(row, "thread_state", PUBLIC)
        gone = row.deleted_at or getattr(row, "thread_deleted_at", None)
        if gone:
            verdicts[row.id] = CANCEL
        elif row.state != PUBLIC or thread_state != PUBLIC:
            verdicts[row.id] = HOLD
    return verdicts


def register_mail_checks() -> None:
    for kind in MODELS:
        register_check(kind, functools.partial(mail_verdicts, kind), name="board")
