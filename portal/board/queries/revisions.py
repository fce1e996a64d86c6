"""The revision history page: each save compared word by word with the one before.

The diff works on the Markdown source, not the rendered HTML, so readers see
exactly what was typed; every piece is escaped before it is wrapped in
``<ins>``/``<del>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from portal.board.models import (
    Answer,
    Question,
    Revision,
)
from portal.extensions import db


def revisions(post: Question | Answer) -> list[Revision]:
    """Oldest first: the original, then each edit."""
    column = Revision.question_id if isinstance(post, Question) else Revision.answer_id
    return list(
        db.session.scalars(
            select(Revision)
            .where(column == post.id)
            .options(joinedload(Revision.editor))
            .order_by(Revision.created_at, Revision.id)
        )
    )


# Whitespace runs, words, and single other characters: together, the whole text.
_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def diff_html(old: str, new: str) -> Markup:
    """``new`` with removed text in <del> and added text in <ins>, all escaped."""
    before, after = _TOKENS.findall(old), _TOKENS.findall(new)
    matcher = SequenceMatcher(None, before, after, autojunk=False)
    parts: list[Markup] = []
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            parts.append(escape("".join(before[i1:i2])))
            continue
        if i2 > i1:
            parts.append(Markup("<del>{}</del>").format("".join(before[i1:i2])))
        if j2 > j1:
            parts.append(Markup("<ins>{}</ins>").format("".join(after[j1:j2])))
    return Markup("").join(parts)


@dataclass(frozen=True)
class RevisionView:
    number: int
    revision: Revision
    title: Markup | None
    body: Markup
    tags: Markup | None
    changed_title: bool
    changed_tags: bool


def history(revisions: list[Revision]) -> list[RevisionView]:
    """Newest first; each revision diffed against its predecessor."""
    views: list[RevisionView] = []
    previous: Revision | None = None
    for number, revision in enumerate(revisions, start=1):
        views.append(_view(number, revision, previous))
        previous = revision
    return views[::-1]


def _view(number: int, revision: Revision, previous: Revision | None) -> RevisionView:
    if previous is None:
        # The original is shown as written: there is nothing to compare it with.
        return RevisionView(
            number=number,
            revision=revision,
            title=escape(revision.title) if revision.title else None,
            body=escape(revision.body),
            tags=escape(revision.tags) if revision.tags else None,
            changed_title=False,
            changed_tags=False,
        )
    return RevisionView(
        number=number,
        revision=revision,
        title=_diff_optional(previous.title, revision.title),
        body=diff_html(previous.body, revision.body),
        tags=_diff_optional(previous.tags, revision.tags),
        changed_title=previous.title != revision.title,
        changed_tags=previous.tags != revision.tags,
    )


def _diff_optional(old: str | None, new: str | None) -> Markup | None:
    if old is None and new is None:
        return None
    return diff_html(old or "", new or "")
