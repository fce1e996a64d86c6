"""Asking and editing questions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from portal.auth.models import User
from portal.board.errors import InvalidInput
from portal.board.events import announce, post_held
from portal.board.models import (
    HELD,
    TITLE_MAX,
    TITLE_MIN,
    Question,
    Revision,
)
from portal.board.services.follows import follow_question
from portal.board.services.posts import (
    check_may_change,
    clean_body,
    record_revision,
    set_body,
)
from portal.board.services.routing import route_question
from portal.board.services.tags import count_questions, parse_tag_names, resolve_tags
from portal.board.services.visibility import hold_edited
from portal.core.phi import Finding
from portal.core.time import utcnow
from portal.extensions import db


def clean_title(title: str) -> str:
    title = " ".join(title.replace("\x00", "").split())
    if not TITLE_MIN <= len(title) <= TITLE_MAX:
        raise InvalidInput(
            f"The title must be {TITLE_MIN} to {TITLE_MAX} characters long.",
            "title",
        )
    return title


def ask_question(
    author: User,
    title: str,
    body: str,
    tag_names: str | Iterable[str],
    held_for: Sequence[Finding] = (),
) -> Question:
    """A new question; the asker follows it from the start, and the members
    best placed to answer it are asked (routing).

    ``held_for``: what the patient-information guard found and the author
    confirmed; the question then waits for a moderator, seen by nobody else
    and announced to nobody until released.
    """
    title, body = clean_title(title), clean_body(body)
    tags = resolve_tags(sorted(parse_tag_names(tag_names)), author)
    now = utcnow()
    question = Question(
        author_id=author.id,
        title=title,
        tags=tags,
        created_at=now,
        last_activity_at=now,
    )
    if held_for:
        question.state, question.announced = HELD, False
    set_body(question, body)
    db.session.add(question)
    db.session.flush()
    if not held_for:
        count_questions([tag.id for tag in tags], +1)
    record_revision(question, author)
    follow_question(author, question)
    route_question(question, now)
    announce(question.id)
    if held_for:
        post_held.send(question, findings=list(held_for))
    return question


def edit_question(
    editor: User,
    question: Question,
    title: str,
    body: str,
    tag_names: str | Iterable[str],
    held_for: Sequence[Finding] = (),
) -> Revision | None:
    """Save an edit by the asker or an admin; None when nothing changed.

    ``held_for``: the guard's findings the editor confirmed; the question is
    held for review (``ask_question``)."""
    check_may_change(editor, question)
    title, body = clean_title(title), clean_body(body)
    names = sorted(parse_tag_names(tag_names))
    if (title, body, names) == (
        question.title,
        question.body,
        sorted(tag.name for tag in question.tags),
    ):
        return None
    question.title = title
    set_body(question, body)
    before = {tag.id for tag in question.tags}
    question.tags = resolve_tags(names, editor)
    after = {tag.id for tag in question.tags}
    if question.is_public:
        count_questions(after - before, +1)
        count_questions(before - after, -1)
    question.edited_at = question.last_activity_at = utcnow()
    db.session.flush()
    announce(question.id)
    revision = record_revision(question, editor)
    if held_for:
        hold_edited(question, held_for)
    return revision
