"""SQLite: an FTS5 index over ``search_document``, kept in step by triggers.

``search_fts`` is an external-content FTS5 table: it stores only the index and
reads the text back from ``search_document`` for snippets. Triggers on
``search_document`` update it inside the same transaction as the row, so the
services only ever write the ordinary table. The porter stemmer matches
"posting" with "posts", as PostgreSQL's English configuration does.

Ranking adds two bm25 scores: one over the title and tags, counted four times,
and one over the body and answers (answers at half weight); the sum is
multiplied by the document's boost. bm25 saturates with repetition *after*
weighting columns, so a single score with a heavy title weight lets a body that
repeats a word catch up with a title match; two scores keep them apart. bm25 is
negative: lower is better.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    DDL,
    ColumnElement,
    Integer,
    column,
    event,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.sql.elements import ColumnClause

from portal.extensions import db
from portal.search.engines.base import (
    HIT_COLUMNS,
    NEWEST_FIRST,
    RELEVANCE,
    Engine,
    filters,
    hit,
    ordered,
    similar_questions,
    similar_select,
)
from portal.search.models import SearchDocument
from portal.search.query import ParsedQuery, Words
from portal.search.results import SearchHit, SimilarQuestion
from portal.search.snippets import ELLIPSIS, START, STOP

TITLE, TAGS, BODY, ANSWERS = 0, 1, 2, 3
HEAD_WEIGHTS = (1.0, 0.8, 0.0, 0.0)
TEXT_WEIGHTS = (0.0, 0.0, 1.0, 0.5)
HEAD_FACTOR = 4.0
SNIPPET_TOKENS = 24

# The same statements are in the migration that added search; keep them equal
# (tests/search/test_schema.py compares a migrated database with these).
CREATE = (
    """CREATE VIRTUAL TABLE search_fts USING fts5(
    title, tags, body, answers,
    content='search_document', content_rowid='question_id',
    tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
)""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN
    INSERT INTO search_fts(rowid, title, tags, body, answers)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers);
END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers);
END""",
    """CREATE TRIGGER search_fts_update
AFTER UPDATE OF title, tags, body, answers ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers);
    INSERT INTO search_fts(rowid, title, tags, body, answers)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers);
END""",
)
DROP = ("DROP TABLE IF EXISTS search_fts",)

_table = SearchDocument.__table__
for _statement in CREATE:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))

FTS = table("search_fts", column("rowid", Integer))
_fts: ColumnClause[Any] = literal_column("search_fts")


def _quoted(words: Words) -> str:
    # Words hold only letters, digits and marks, never a double quote.
    return '"' + " ".join(words) + '"'


def match_expression(query: ParsedQuery) -> str:
    """FTS5 syntax for the query: every part quoted, so nothing is an operator."""
    parts = [_quoted((term,)) for term in query.terms]
    parts += [_quoted(phrase) for phrase in query.phrases]
    expression = "(" + " AND ".join(parts) + ")"
    if query.excluded:
        expression += " NOT (" + " OR ".join(map(_quoted, query.excluded)) + ")"
    return expression


def _matching(expression: str) -> ColumnElement[bool]:
    return _fts.match(expression)


class SQLiteEngine(Engine):
    name = "sqlite"
    private_names = frozenset(
        {f"search_fts{suffix}" for suffix in ("", "_data", "_idx", "_docsize")}
        | {"search_fts_config"}
    )

    def text_search(
        self, query: ParsedQuery, sort: str, offset: int, limit: int
    ) -> list[SearchHit]:
        expression = match_expression(query)
        order = (_rank(), SearchDocument.question_id.desc())
        ids = db.session.scalars(
            select(SearchDocument.question_id)
            .select_from(FTS)
            .join(SearchDocument, SearchDocument.question_id == FTS.c.rowid)
            .where(_matching(expression), *filters(query))
            .order_by(*(order if sort == RELEVANCE else NEWEST_FIRST))
            .offset(offset)
            .limit(limit)
        ).all()
        return self._hits(expression, ids) if ids else []

    def _hits(self, expression: str, ids: Sequence[int]) -> list[SearchHit]:
        """Highlights for one page only: snippet() costs more than ranking."""
        rows = db.session.execute(
            select(
                *HIT_COLUMNS,
                func.highlight(_fts, TITLE, START, STOP),
                _snippet(BODY),
                _snippet(ANSWERS),
            )
            .select_from(FTS)
            .join(SearchDocument, SearchDocument.question_id == FTS.c.rowid)
            .where(_matching(expression), FTS.c.rowid.in_(ids))
        )
        return [hit(row, row[-3:]) for row in ordered(ids, rows)]

    def matches_any(self, phrases: Sequence[Words]) -> ColumnElement[bool]:
        expression = " OR ".join(map(_quoted, phrases))
        return SearchDocument.question_id.in_(
            select(FTS.c.rowid).where(_matching(expression))
        )

    def similar(
        self, words: Words, limit: int, exclude_id: int | None
    ) -> list[SimilarQuestion]:
        alternatives = " OR ".join(_quoted((word,)) for word in words)
        expression = "{title tags} : (" + alternatives + ")"
        rank = func.bm25(_fts, *HEAD_WEIGHTS) * SearchDocument.boost
        rows = db.session.execute(
            similar_select(limit, exclude_id)
            .select_from(FTS)
            .join(SearchDocument, SearchDocument.question_id == FTS.c.rowid)
            .where(_matching(expression))
            .order_by(rank, SearchDocument.question_id.desc())
        )
        return similar_questions(rows)

    def after_rebuild(self) -> None:
        """Merge the index's segments into one, as a fresh index would be."""
        optimize = "INSERT INTO search_fts(search_fts) VALUES ('optimize')"
        db.session.execute(text(optimize))


def _rank() -> Any:
    head = func.bm25(_fts, *HEAD_WEIGHTS) * HEAD_FACTOR
    return (head + func.bm25(_fts, *TEXT_WEIGHTS)) * SearchDocument.boost


def _snippet(column_index: int) -> Any:
    return func.snippet(_fts, column_index, START, STOP, ELLIPSIS, SNIPPET_TOKENS)


ENGINE = SQLiteEngine()
