"""Board rules: asking, answering, commenting, editing, accepting, deleting.

Services take plain arguments, check who may do what (a crafted request from the
wrong member raises ``NotAllowed``), flush, and return what they created so other
features (notifications, reputation) can build on the result. The caller commits.
Counters on ``question`` change only through single ``UPDATE`` statements.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import update

from portal.auth.models import User
from portal.board.atomic import changed, execute
from portal.board.errors import BoardError, Gone, InvalidInput, NotAllowed
from portal.board.follows import follow_question
from portal.board.models import (
    BODY_MAX,
    COMMENT_MAX,
    TITLE_MAX,
    TITLE_MIN,
    Answer,
    Comment,
    Post,
    Question,
    Revision,
)
from portal.board.notifications import (
    notify_answer_accepted,
    notify_new_answer,
    notify_new_comment,
)
from portal.board.tags import parse_tag_names, resolve_tags
from portal.core.time import utcnow
from portal.extensions import db

__all__ = [
    "BoardError",
    "Gone",
    "InvalidInput",
    "NotAllowed",
    "accept_answer",
    "add_comment",
    "ask_question",
    "check_may_change",
    "delete_comment",
    "delete_post",
    "edit_answer",
    "edit_question",
    "post_answer",
    "unaccept_answer",
    "undelete_post",
]


def clean_title(title: str) -> str:
    title = " ".join(title.replace("\x00", "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(
            f"The title must be {TITLE_MIN} to {TITLE_MAX} characters long.",
            "title",
        )
    return title


def _plain_newlines(text: str) -> str:
    """Browsers send CRLF from text areas; store LF so revisions diff cleanly.

    NUL is dropped: it is invisible, and PostgreSQL cannot store it.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def clean_body(body: str) -> str:
    body = _plain_newlines(body).strip()
    if not body:
        raise InvalidInput("Write something first.", "body")
    if len(body) > BODY_MAX:
        raise InvalidInput(f"Keep it under {BODY_MAX:,} characters.", "body")
    return body


def clean_comment(body: str) -> str:
    body = _plain_newlines(body).strip()
    if not body:
        raise InvalidInput("The comment is empty.", "body")
    if len(body) > COMMENT_MAX:
        raise InvalidInput(f"Comments are at most {COMMENT_MAX} characters.", "body")
    return body


def _update_question(question_id: int, **values: Any) -> None:
    """One atomic UPDATE of a question row; values may be SQL expressions."""
    execute(update(Question).where(Question.id == question_id).values(**values))


def _refresh(post: Post, *names: str) -> None:
    db.session.expire(post, list(names))


def _check_open(post: Post) -> None:
    if post.is_deleted or (isinstance(post, Answer) and post.question.is_deleted):
        raise Gone("That post was deleted.")


def check_may_change(actor: User, post: Post) -> None:
    _check_open(post)
    if post.author_id != actor.id and not actor.is_admin:
        raise NotAllowed("You can only change your own posts.")


def record_revision(post: Post, editor: User) -> Revision:
    """Snapshot the post as it stands now (the first one is the original)."""
    if isinstance(post, Question):
        revision = Revision(
            question_id=post.id,
            title=post.title,
            body=post.body,
            tags=" ".join(sorted(tag.name for tag in post.tags)),
            editor_id=editor.id,
        )
    else:
        revision = Revision(answer_id=post.id, body=post.body, editor_id=editor.id)
    db.session.add(revision)
    db.session.flush()
    return revision


def ask_question(
    author: User, title: str, body: str, tag_names: str | Iterable[str]
) -> Question:
    """A new question; the asker follows it from the start."""
    title, body = clean_title(title), clean_body(body)
    tags = resolve_tags(sorted(parse_tag_names(tag_names)), author)
    now = utcnow()
    question = Question(
        author_id=author.id,
        title=title,
        body=body,
        tags=tags,
        created_at=now,
        last_activity_at=now,
    )
    db.session.add(question)
    db.session.flush()
    record_revision(question, author)
    follow_question(author, question)
    return question


def edit_question(
    editor: User,
    question: Question,
    title: str,
    body: str,
    tag_names: str | Iterable[str],
) -> Revision | None:
    """Save an edit by the asker or an admin; None when nothing changed."""
    check_may_change(editor, question)
    title, body = clean_title(title), clean_body(body)
    names = sorted(parse_tag_names(tag_names))
    if (title, body, names) == (
        question.title,
        question.body,
        sorted(tag.name for tag in question.tags),
    ):
        return None
    question.title, question.body = title, body
    question.tags = resolve_tags(names, editor)
    question.edited_at = question.last_activity_at = utcnow()
    db.session.flush()
    return record_revision(question, editor)


def post_answer(author: User, question: Question, body: str) -> Answer:
    """A new answer; the question counts it and moves up "recently active"."""
    _check_open(question)
    answer = Answer(question_id=question.id, author_id=author.id, body=clean_body(body))
    db.session.add(answer)
    db.session.flush()
    _update_question(
        question.id,
        answer_count=Question.answer_count + 1,
        last_activity_at=answer.created_at,
    )
    _refresh(question, "answer_count", "last_activity_at")
    record_revision(answer, author)
    follow_question(author, question)
    notify_new_answer(author, question, answer)
    return answer


def edit_answer(editor: User, answer: Answer, body: str) -> Revision | None:
    check_may_change(editor, answer)
    body = clean_body(body)
    if body == answer.body:
        return None
    answer.body = body
    answer.edited_at = utcnow()
    db.session.flush()
    _update_question(answer.question_id, last_activity_at=answer.edited_at)
    _refresh(answer.question, "last_activity_at")
    return record_revision(answer, editor)


def add_comment(
    author: User, question: Question, body: str, answer: Answer | None = None
) -> Comment:
    """A comment on ``question``, or on ``answer`` when given (of that question)."""
    _check_open(question)
    if answer is not None:
        if answer.question_id != question.id:
            raise NotAllowed("That answer belongs to another question.")
        _check_open(answer)
    comment = Comment(
        question_id=question.id,
        answer_id=answer.id if answer else None,
        author_id=author.id,
        body=clean_comment(body),
    )
    db.session.add(comment)
    db.session.flush()
    _update_question(question.id, last_activity_at=comment.created_at)
    _refresh(question, "last_activity_at")
    follow_question(author, question)
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


def accept_answer(actor: User, answer: Answer) -> None:
    """The asker marks ``answer`` as the one that solved it (replacing any other)."""
    question = answer.question
    _check_open(answer)
    if question.author_id != actor.id:
        raise NotAllowed("Only the person who asked can accept an answer.")
    _update_question(question.id, accepted_answer_id=answer.id)
    _refresh(question, "accepted_answer_id")
    notify_answer_accepted(actor, answer)


def unaccept_answer(actor: User, question: Question) -> None:
    _check_open(question)
    if question.author_id != actor.id:
        raise NotAllowed("Only the person who asked can change the accepted answer.")
    _update_question(question.id, accepted_answer_id=None)
    _refresh(question, "accepted_answer_id")


def delete_post(actor: User, post: Post) -> bool:
    """Soft-delete by its author or an admin; False when it was already deleted.

    Deleting the accepted answer un-accepts it: lists should not promise a
    solution nobody can read. An admin may undelete it; the asker re-accepts.
    """
    if post.author_id != actor.id and not actor.is_admin:
        raise NotAllowed("You can only delete your own posts.")
    if post.is_deleted:
        return False
    _check_open(post)
    model = type(post)
    deleted = changed(
        update(model)
        .where(model.id == post.id, model.deleted_at.is_(None))
        .values(deleted_at=utcnow(), deleted_by_id=actor.id)
        .returning(model.id)
    )
    _refresh(post, "deleted_at", "deleted_by_id")
    if deleted and isinstance(post, Answer):
        _update_question(post.question_id, answer_count=Question.answer_count - 1)
        execute(
            update(Question)
            .where(
                Question.id == post.question_id,
                Question.accepted_answer_id == post.id,
            )
            .values(accepted_answer_id=None)
        )
        _refresh(post.question, "answer_count", "accepted_answer_id")
    return deleted


def undelete_post(actor: User, post: Post) -> bool:
    """Admins bring a deleted post back exactly as it was."""
    if not actor.is_admin:
        raise NotAllowed("Only admins can undelete posts.")
    model = type(post)
    restored = changed(
        update(model)
        .where(model.id == post.id, model.deleted_at.is_not(None))
        .values(deleted_at=None, deleted_by_id=None)
        .returning(model.id)
    )
    _refresh(post, "deleted_at", "deleted_by_id")
    if restored and isinstance(post, Answer):
        _update_question(post.question_id, answer_count=Question.answer_count + 1)
        _refresh(post.question, "answer_count")
    return restored
