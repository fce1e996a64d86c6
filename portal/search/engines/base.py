"""What every engine does, and the parts the SQL engines share.

An engine turns a ``ParsedQuery`` into ranked question ids and highlighted
passages. Filters, the "newest" order and browsing by filters alone (no words)
read only ``search_document``'s own indexed columns, so they are the same SQL on
every database; an engine supplies its match, its ranking and its highlights.

Two rules keep every query fast whatever its words:

- "Newest" is the highest question id first (ids are given in the order
  questions are asked), the order both engines' indexes can return matches in,
  so a page of newest results stops reading after one page.
- Relevance ranks the ``CANDIDATES`` newest matches. A query matching fewer
  is ranked exactly; a very common word ranks its most recent 1,000 matches
  instead of scoring tens of thousands of documents to show twenty.
"""

from __future__ import annotations

import itertools
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from sqlalchemy import ColumnElement, Row, Select, select

from portal.board.models import Tag, question_tag
from portal.extensions import db
from portal.search.models import SearchDocument
from portal.search.query import ACCEPTED, ANSWERED, UNANSWERED, ParsedQuery, Words
from portal.search.results import SearchHit, SimilarQuestion
from portal.search.snippets import has_mark, lead, marked

# Rows and selects of any shape (SQLAlchemy 2.1 types them by their columns).
AnyRow = Row[*tuple[Any, ...]]
AnySelect = Select[*tuple[Any, ...]]

RELEVANCE, NEWEST = "relevance", "newest"
SORTS = (RELEVANCE, NEWEST)

HIT_COLUMNS = (
    SearchDocument.question_id,
    SearchDocument.title,
    SearchDocument.answer_count,
    SearchDocument.has_accepted,
    SearchDocument.score,
    SearchDocument.created_at,
)
NEWEST_FIRST = (SearchDocument.question_id.desc(),)
CANDIDATES = 1000


class Engine(ABC):
    """Full-text search over ``search_document`` on one kind of database."""

    name: ClassVar[str]
    # The engine's own tables, columns ("table.column") and indexes, which
    # Alembic must not compare (portal.search.schema).
    private_names: ClassVar[frozenset[str]]

    def search(
        self, query: ParsedQuery, sort: str, offset: int, limit: int
    ) -> list[SearchHit]:
        """Up to ``limit`` hits; words are needed, or at least a filter."""
        if query.has_text:
            return self.text_search(query, sort, offset, limit)
        if query.tags or query.state:
            return self.browse(query, offset, limit)
        return []

    def browse(self, query: ParsedQuery, offset: int, limit: int) -> list[SearchHit]:
        """Filters without words: the newest matching questions."""
        statement = (
            select(*HIT_COLUMNS, SearchDocument.body)
            .where(*filters(query))
            .order_by(*NEWEST_FIRST)
            .offset(offset)
            .limit(limit)
        )
        if query.excluded:
            statement = statement.where(~self.matches_any(query.excluded))
        return [plain_hit(row) for row in db.session.execute(statement)]

    @abstractmethod
    def text_search(
        self, query: ParsedQuery, sort: str, offset: int, limit: int
    ) -> list[SearchHit]: ...

    @abstractmethod
    def matches_any(self, phrases: Sequence[Words]) -> ColumnElement[bool]:
        """True for documents containing any of these words or phrases."""

    @abstractmethod
    def similar(
        self, words: Words, limit: int, exclude_id: int | None
    ) -> list[SimilarQuestion]:
        """Titles and tags sharing ``similar_groups(words)``, best first."""

    @abstractmethod
    def after_rebuild(self) -> None:
        """Tidy the engine's structures after the whole index was rewritten."""


def filters(query: ParsedQuery) -> list[ColumnElement[bool]]:
    """Tag and state filters as SQL, for browsing without words (indexed
    columns); text searches match the facet words instead."""
    clauses = [_tagged(tag) for tag in query.tags]
    if query.state == UNANSWERED:
        clauses.append(SearchDocument.answer_count == 0)
    elif query.state == ANSWERED:
        clauses.append(SearchDocument.answer_count > 0)
    elif query.state == ACCEPTED:
        clauses.append(SearchDocument.has_accepted.is_(True))
    return clauses


def _tagged(name: str) -> ColumnElement[bool]:
    return SearchDocument.question_id.in_(
        select(question_tag.c.question_id)
        .join(Tag, Tag.id == question_tag.c.tag_id)
        .where(Tag.name == name)
    )


def ordered(ids: Sequence[int], rows: Iterable[AnyRow]) -> list[AnyRow]:
    """``rows`` (keyed by their first column) in the order of ``ids``."""
    by_id = {row[0]: row for row in rows}
    return [by_id[ident] for ident in ids if ident in by_id]


def hit(row: AnyRow, marks: Sequence[str]) -> SearchHit:
    """A hit from HIT_COLUMNS and the engine's marked title, body and answers."""
    title, body, answers = marks
    passage = answers if has_mark(answers) and not has_mark(body) else body
    return SearchHit(
        question_id=row.question_id,
        title=row.title,
        title_html=marked(title),
        snippet=marked(passage),
        answer_count=row.answer_count,
        has_accepted=row.has_accepted,
        score=row.score,
        created_at=row.created_at,
    )


def plain_hit(row: AnyRow) -> SearchHit:
    return SearchHit(
        question_id=row.question_id,
        title=row.title,
        title_html=marked(row.title),
        snippet=lead(row.body),
        answer_count=row.answer_count,
        has_accepted=row.has_accepted,
        score=row.score,
        created_at=row.created_at,
    )


def similar_groups(words: Words) -> list[Words]:
    """Similar questions share at least two of the title's words (or its one word).

    Any single word would match most of the board once a title has a few
    common words; two in common is what makes a question look like a duplicate.
    """
    if len(words) < 2:
        return [words]
    return list(itertools.combinations(words, 2))


SIMILAR_COLUMNS = (
    SearchDocument.question_id,
    SearchDocument.title,
    SearchDocument.answer_count,
    SearchDocument.has_accepted,
)


def not_excluded(exclude_id: int | None) -> list[ColumnElement[bool]]:
    return [] if exclude_id is None else [SearchDocument.question_id != exclude_id]


def similar_questions(rows: Iterable[AnyRow]) -> list[SimilarQuestion]:
    return [
        SimilarQuestion(row.question_id, row.title, row.answer_count, row.has_accepted)
        for row in rows
    ]
