"""What every post shares: clean text, who may change it, revisions, deletion.

Services take plain arguments, check who may do what (a crafted request from the
wrong member raises ``NotAllowed``), flush, and return what they created so other
features (notifications, reputation) can build on the result. The caller commits.
Counters on ``question`` change only through single ``UPDATE`` statements.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from markupsafe import Markup
from sqlalchemy import select, update

from portal.auth.models import User
from portal.board.errors import Gone, InvalidInput, NotAllowed
from portal.board.events import announce
from portal.board.models import (
    BODY_MAX,
    PUBLIC,
    Answer,
    Comment,
    Post,
    Question,
    Revision,
)
from portal.board.services.tags import count_questions
from portal.core import time
from portal.core.atomic import execute, returned
from portal.core.markdown import RENDERER_VERSION, render_markdown
from portal.core.time import utcnow
from portal.extensions import db


def plain_newlines(text: str) -> str:
    """Browsers send CRLF from text areas; store LF so revisions diff cleanly.

    NUL is dropped: it is invisible, and PostgreSQL cannot store it.
    """
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def clean_body(body: str) -> str:
    body = plain_newlines(body).strip()
    if not body:
        raise InvalidInput("Write something first.", "body")
    if len(body) > BODY_MAX:
        raise InvalidInput(f"Keep it under {BODY_MAX:,} characters.", "body")
    return body


def preview_html(body: str) -> Markup:
    """The HTML a post with this body would store: cleaned and rendered as
    ``clean_body`` and ``set_body`` do. Empty is empty; too long is refused
    as saving would refuse it."""
    body = plain_newlines(body).strip()
    if len(body) > BODY_MAX:
        raise InvalidInput(f"Keep it under {BODY_MAX:,} characters.", "body")
    return render_markdown(body)


def set_body(post: Post, body: str) -> None:
    """The Markdown source and its sanitised HTML, rendered once here."""
    post.body = body
    post.body_html = str(render_markdown(body))
    post.body_html_version = RENDERER_VERSION


def update_question(question_id: int, **values: Any) -> None:
    """One atomic UPDATE of a question row; values may be SQL expressions."""
    execute(update(Question).where(Question.id == question_id).values(**values))


def refresh(post: Post | Comment, *names: str) -> None:
    db.session.expire(post, list(names))


def check_open(post: Post) -> None:
    if post.is_deleted or (isinstance(post, Answer) and post.question.is_deleted):
        raise Gone("That post was deleted.")


def check_public(post: Post | Comment) -> None:
    """Held and hidden posts take no answers, comments, votes or accepts: only
    their author and moderators can see them."""
    if not post.is_public:
        raise NotAllowed(
            "This post is waiting for review or hidden by a moderator: it takes "
            "no answers, comments or votes until it is public again."
        )


def check_original(question: Question) -> None:
    if question.duplicate_of_id is not None:
        raise NotAllowed(
            "This question is closed as a duplicate: answer the original instead."
        )


def check_unlocked(question: Question) -> None:
    if question.is_locked:
        raise NotAllowed(
            "This question is locked by a moderator: it takes no new answers "
            "or comments."
        )


def check_may_change(actor: User, post: Post) -> None:
    check_open(post)
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


def delete_post(actor: User, post: Post) -> bool:
    """Soft-delete by its author or an admin; False when it was already deleted.

    Deleting the accepted answer un-accepts it: lists should not promise a
    solution nobody can read. An admin may undelete it; the asker re-accepts.
    """
    if post.author_id != actor.id and not actor.is_admin:
        raise NotAllowed("You can only delete your own posts.")
    if post.is_deleted:
        return False
    check_open(post)
    model = type(post)
    row = returned(
        update(model)
        .where(model.id == post.id, model.deleted_at.is_(None))
        .values(deleted_at=utcnow(), deleted_by_id=actor.id)
        .returning(model.state)
    )
    deleted = row is not None
    refresh(post, "deleted_at", "deleted_by_id")
    # A held or hidden post is not counted (services/visibility.py); the state
    # comes from the UPDATE, so a concurrent set_state cannot count it twice.
    counted = deleted and row.state == PUBLIC
    if counted and isinstance(post, Question):
        count_questions([tag.id for tag in post.tags], -1)
    if deleted and isinstance(post, Answer):
        if counted:
            update_question(post.question_id, answer_count=Question.answer_count - 1)
        execute(
            update(Question)
            .where(
                Question.id == post.question_id,
                Question.accepted_answer_id == post.id,
            )
            .values(accepted_answer_id=None)
        )
        refresh(post.question, "answer_count", "accepted_answer_id")
    if deleted:
        announce(post.question_id)
    return deleted


# What its author deleted, they may bring back for this long; admins any time.
RESTORE_WINDOW = timedelta(hours=24)


def restorable_until(post: Post | Comment) -> datetime | None:
    """Until when the author may restore ``post``: only what they deleted
    themselves (a post an admin deleted stays an admin's decision)."""
    if post.deleted_at is None or post.deleted_by_id != post.author_id:
        return None
    return post.deleted_at + RESTORE_WINDOW


def check_may_restore(actor: User, post: Post | Comment, now: datetime) -> None:
    if actor.is_admin:
        return
    if post.author_id != actor.id:
        raise NotAllowed("Only its author or an admin can restore a deleted post.")
    until = restorable_until(post)
    if until is None or now >= until:
        raise NotAllowed(
            "You can restore your own post for 24 hours after deleting it; "
            "that time is over. An admin can still restore it: write to the network."
        )


def restore_row(actor: User, post: Post | Comment) -> Any:
    """The one UPDATE that brings ``post`` back, returning its state, or None
    when it was not deleted (or, for its author, the window closed meanwhile)."""
    now = time.utcnow()
    check_may_restore(actor, post, now)
    model = type(post)
    guard = [model.id == post.id, model.deleted_at.is_not(None)]
    if not actor.is_admin:
        guard += [
            model.deleted_by_id == actor.id,
            model.deleted_at > now - RESTORE_WINDOW,
        ]
    row = returned(
        update(model)
        .where(*guard)
        .values(deleted_at=None, deleted_by_id=None)
        .returning(model.state)
    )
    refresh(post, "deleted_at", "deleted_by_id")
    return row


def undelete_post(actor: User, post: Post) -> bool:
    """Bring a deleted post back exactly as it was: admins any time, its
    author within ``RESTORE_WINDOW`` of deleting it themselves."""
    if not post.is_deleted:
        return False
    row = restore_row(actor, post)
    restored = row is not None
    counted = restored and row.state == PUBLIC
    if counted and isinstance(post, Question):
        count_questions([tag.id for tag in post.tags], +1)
    if counted and isinstance(post, Answer):
        update_question(post.question_id, answer_count=Question.answer_count + 1)
        refresh(post.question, "answer_count")
    if restored:
        announce(post.question_id)
    return restored


def _stale(model: type[Question] | type[Answer], limit: int) -> list[Post]:
    query = (
        select(model)
        .where(model.body_html_version != RENDERER_VERSION)
        .order_by(model.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def render_stale(batch: int = 500) -> int:
    """Store fresh HTML for up to ``batch`` posts rendered by an older renderer
    (or never): questions first, then answers. The caller commits after each call
    (the command loops until nothing is left)."""
    stale = _stale(Question, batch)
    if len(stale) < batch:
        stale += _stale(Answer, batch - len(stale))
    for post in stale:
        set_body(post, post.body)
    db.session.flush()
    return len(stale)
