"""Keeping the index in step with the board, in the caller's transaction.

The board's services call ``index_question(question_id)`` after every change to
a question or to one of its answers (create, edit, delete, undelete, accept,
vote): it rereads the thread and rewrites its document, or removes it when the
question may no longer be shown. Like every service it flushes and never
commits, so a rolled-back change leaves the index as it was. ``reindex_all``
rebuilds everything (``flask search reindex``) through the same code path.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import delete, insert, select, update

from portal.board.models import PUBLIC, Answer, Question, Tag, question_tag
from portal.extensions import db
from portal.search import engines
from portal.search.facets import facets
from portal.search.models import SearchDocument
from portal.search.snippets import clean

# Which questions have a document: those every member may read, except the
# ones closed as duplicates, which their original's document stands for.
INDEXED = (
    Question.deleted_at.is_(None),
    Question.state == PUBLIC,
    Question.duplicate_of_id.is_(None),
)
# PostgreSQL's tsvector holds at most 1 MB; the best answers come first.
ANSWERS_MAX = 100_000
BATCH = 1000


def boost(has_accepted: bool, votes: int) -> float:
    """1.0 for a plain thread; +0.15 for an accepted answer, up to +0.15 for votes.

    ``votes`` is the question's score plus its best answer's. Small on purpose:
    it orders threads that match equally well and never outweighs a title match.
    """
    vote_part = min(0.15, 0.03 * math.log2(1 + max(votes, 0)))
    return round(1.0 + (0.15 if has_accepted else 0.0) + vote_part, 4)


def index_question(question_id: int) -> None:
    """Write the question's document as the thread now stands, or remove it
    (deleted, held, hidden, or closed as a duplicate). A duplicate's original
    is rewritten too: its document carries the duplicate's title.

    The question's row is locked first (PostgreSQL; SQLite has one writer at a
    time anyway), so two transactions that change the same thread at once index
    it one after the other, and the second reads everything the first committed:
    the document never misses a concurrent answer or edit.
    """
    db.session.flush()
    original = _lock(question_id)
    _rewrite(question_id)
    if original is not None:
        # A duplicate's title lives in its original's document (docs/search.md).
        _lock(original)
        _rewrite(original)


def _lock(question_id: int) -> int | None:
    """Lock the question's row; the original it duplicates, if any."""
    return db.session.scalar(
        select(Question.duplicate_of_id)
        .where(Question.id == question_id)
        .with_for_update()
    )


def _rewrite(question_id: int) -> None:
    documents = build_documents([question_id])
    if documents:
        _store(documents[0])
    else:
        remove_question(question_id)


def remove_question(question_id: int) -> None:
    """Take a question out of the index (its triggers and indexes follow)."""
    db.session.flush()
    db.session.execute(
        delete(SearchDocument).where(SearchDocument.question_id == question_id)
    )


def reindex_all() -> int:
    """Rebuild the whole index from the board's tables; returns the documents."""
    db.session.flush()
    db.session.execute(delete(SearchDocument))
    count = 0
    for ids in _visible_question_ids():
        documents = build_documents(ids)
        db.session.execute(insert(SearchDocument), documents)
        count += len(documents)
    engines.current().after_rebuild()
    return count


def _visible_question_ids() -> Iterator[list[int]]:
    last = 0
    while True:
        ids = list(
            db.session.scalars(
                select(Question.id)
                .where(Question.id > last, *INDEXED)
                .order_by(Question.id)
                .limit(BATCH)
            )
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def build_documents(question_ids: Sequence[int]) -> list[dict[str, Any]]:
    """The documents of the indexed questions among ``question_ids``, as rows.

    Four statements whatever the number: questions, their tags, their answers,
    the titles of their duplicates.
    """
    questions = db.session.execute(
        select(
            Question.id,
            Question.title,
            Question.body,
            Question.score,
            Question.created_at,
            Question.accepted_answer_id,
        ).where(Question.id.in_(question_ids), *INDEXED)
    ).all()
    if not questions:
        return []
    ids = [question.id for question in questions]
    tags, answers, duplicates = _tags(ids), _answers(ids), _duplicates(ids)
    return [
        _document(q, tags[q.id], answers[q.id], duplicates[q.id]) for q in questions
    ]


def _tags(ids: list[int]) -> dict[int, list[str]]:
    rows = db.session.execute(
        select(question_tag.c.question_id, Tag.name)
        .join(Tag, Tag.id == question_tag.c.tag_id)
        .where(question_tag.c.question_id.in_(ids))
        .order_by(Tag.name)
    )
    tags: dict[int, list[str]] = defaultdict(list)
    for question_id, name in rows:
        tags[question_id].append(name)
    return tags


def _answers(ids: list[int]) -> dict[int, list[Any]]:
    rows = db.session.execute(
        select(Answer.question_id, Answer.id, Answer.body, Answer.score)
        .where(
            Answer.question_id.in_(ids),
            Answer.deleted_at.is_(None),
            Answer.state == PUBLIC,
        )
        .order_by(Answer.score.desc(), Answer.id)
    )
    answers: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        answers[row.question_id].append(row)
    return answers


def _duplicates(ids: list[int]) -> dict[int | None, list[str]]:
    """The titles of the readable questions closed as duplicates of these."""
    rows = db.session.execute(
        select(Question.duplicate_of_id, Question.title)
        .where(
            Question.duplicate_of_id.in_(ids),
            Question.deleted_at.is_(None),
            Question.state == PUBLIC,
        )
        .order_by(Question.id)
    )
    titles: dict[int | None, list[str]] = defaultdict(list)
    for original_id, title in rows:
        # As the title's own column is read (PostgreSQL: "<" is not a tag).
        titles[original_id].append(title.replace("<", " "))
    return titles


def _document(
    question: Any, tags: list[str], answers: list[Any], duplicates: list[str]
) -> dict[str, Any]:
    accepted = [a for a in answers if a.id == question.accepted_answer_id]
    ranked = accepted + [a for a in answers if a.id != question.accepted_answer_id]
    best = max((a.score for a in answers), default=0)
    has_accepted = bool(accepted)
    return {
        "question_id": question.id,
        "title": clean(question.title),
        # Duplicates' titles count as title words: a search or a suggestion
        # for a duplicate's words finds the original.
        "tags": clean(" ".join([*tags, *duplicates])),
        "body": clean(question.body),
        "answers": clean("\n\n".join(a.body for a in ranked))[:ANSWERS_MAX],
        "answer_count": len(answers),
        "has_accepted": has_accepted,
        "score": question.score,
        "boost": boost(has_accepted, question.score + best),
        "created_at": question.created_at,
        "facets": facets(tags, len(answers), has_accepted),
    }


def _store(document: dict[str, Any]) -> None:
    """Insert, or update the columns that changed: after a vote only numbers
    change, and SQLite's FTS5 triggers, which watch the text, do nothing."""
    question_id = document["question_id"]
    stored = db.session.execute(
        select(*(getattr(SearchDocument, name) for name in document)).where(
            SearchDocument.question_id == question_id
        )
    ).one_or_none()
    if stored is None:
        db.session.execute(insert(SearchDocument).values(document))
        return
    changed = {k: v for k, v in document.items() if getattr(stored, k) != v}
    if changed:
        db.session.execute(
            update(SearchDocument)
            .where(SearchDocument.question_id == question_id)
            .values(changed)
        )
