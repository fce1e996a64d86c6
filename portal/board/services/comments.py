"""Comments on questions and answers: short plain text with links."""

from __future__ import annotations

from collections.abc import Sequence

from portal.auth.models import User
from portal.board.errors import InvalidInput, NotAllowed
from portal.board.events import post_held
from portal.board.models import (
    COMMENT_MAX,
    HELD,
    Answer,
    Comment,
    Question,
)
from portal.board.services.follows import follow_question
from portal.board.services.notifications import (
    notify_new_comment,
)
from portal.board.services.posts import (
    check_open,
    check_public,
    check_unlocked,
    plain_newlines,
    refresh,
    restore_row,
    update_question,
)
from portal.core.phi import Finding
from portal.core.time import utcnow
from portal.extensions import db


def clean_comment(body: str) -> str:
    body = plain_newlines(body).strip()
    if not body:
        raise InvalidInput("The comment is empty.", "body")
    if len(body) > COMMENT_MAX:
        raise InvalidInput(f"Comments are at most {COMMENT_MAX} characters.", "body")
    return body


def add_comment(
    author: User,
    question: Question,
    body: str,
    answer: Answer | None = None,
    held_for: Sequence[Finding] = (),
) -> Comment:
    """A comment on ``question``, or on ``answer`` when given (of that question).

    ``held_for``: the guard's findings the author confirmed; the comment waits
    for a moderator and notifies nobody until released.
    """
    check_open(question)
    check_public(question)
    check_unlocked(question)
    if answer is not None:
        if answer.question_id != question.id:
            raise NotAllowed("That answer belongs to another question.")
        check_open(answer)
        check_public(answer)
    comment = Comment(
        question_id=question.id,
        answer_id=answer.id if answer else None,
        author_id=author.id,
        body=clean_comment(body),
    )
    if held_for:
        comment.state, comment.announced = HELD, False
    db.session.add(comment)
    db.session.flush()
    follow_question(author, question)
    if held_for:
        post_held.send(comment, findings=list(held_for))
        return comment
    update_question(question.id, last_activity_at=comment.created_at)
    refresh(question, "last_activity_at")
    notify_new_comment(author, question, comment, answer)
    return comment


def delete_comment(actor: User, comment: Comment) -> bool:
    if comment.author_id != actor.id and not actor.is_admin:
        raise NotAllowed("You can only delete your own comments.")
    if comment.is_deleted:
        return False
    comment.deleted_at = utcnow()
    comment.deleted_by_id = actor.id
    db.session.flush()
    return True


def undelete_comment(actor: User, comment: Comment) -> bool:
    """As ``posts.undelete_post``: admins any time, the author within a day."""
    if not comment.is_deleted:
        return False
    return restore_row(actor, comment) is not None
