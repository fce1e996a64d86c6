"""SQLite: FTS5 indexes over ``search_document``, kept in step by triggers.

``search_fts`` (every text column, and the filters as words: see
``portal.search.facets``) and ``search_title_fts`` (titles and tags, for similar
questions, so their word lists stay short) are external-content FTS5 tables:
they store only the index and read the text back from ``search_document`` for
snippets. Triggers on ``search_document`` update them inside the same
transaction as the row, so the services only ever write the ordinary table.
The porter stemmer matches "posting" with "posts", as PostgreSQL's English
configuration does.

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
from sqlalchemy.sql.expression import TableClause

from portal.extensions import db
from portal.search.engines.base import (
    CANDIDATES,
    HIT_COLUMNS,
    RELEVANCE,
    SIMILAR_COLUMNS,
    AnySelect,
    Engine,
    hit,
    not_excluded,
    ordered,
    similar_groups,
    similar_questions,
)
from portal.search.facets import state_facet, tag_facet
from portal.search.models import SearchDocument
from portal.search.query import ParsedQuery, Words
from portal.search.results import SearchHit, SimilarQuestion
from portal.search.snippets import ELLIPSIS, START, STOP

TITLE, TAGS, BODY, ANSWERS = 0, 1, 2, 3
# bm25 weights for title, tags, body, answers, facets.
HEAD_WEIGHTS = (1.0, 0.8, 0.0, 0.0, 0.0)
TEXT_WEIGHTS = (0.0, 0.0, 1.0, 0.5, 0.0)
# For search_title_fts: title, tags.
TITLE_WEIGHTS = (1.0, 0.8)
HEAD_FACTOR = 4.0
SNIPPET_TOKENS = 24

# The same statements are in the migration that added search; keep them equal
# (tests/search/test_schema.py compares a migrated database with these).
# The same statements are in the migration that added search; keep them equal
# (tests/search/test_schema.py compares a migrated database with these).
CREATE = (
    """CREATE VIRTUAL TABLE search_fts USING fts5(
    title, tags, body, answers, facets,
    content='search_document', content_rowid='question_id',
    tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
)""",
    """CREATE VIRTUAL TABLE search_title_fts USING fts5(
    title, tags,
    content='search_document', content_rowid='question_id',
    tokenize="porter unicode61 remove_diacritics 2 categories 'L* N* Co M*'"
)""",
    """CREATE TRIGGER search_fts_insert AFTER INSERT ON search_document BEGIN
    INSERT INTO search_fts(rowid, title, tags, body, answers, facets)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers, new.facets);
    INSERT INTO search_title_fts(rowid, title, tags)
    VALUES (new.question_id, new.title, new.tags);
END""",
    """CREATE TRIGGER search_fts_delete AFTER DELETE ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers, facets)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers,
            old.facets);
    INSERT INTO search_title_fts(search_title_fts, rowid, title, tags)
    VALUES ('delete', old.question_id, old.title, old.tags);
END""",
    """CREATE TRIGGER search_fts_update
AFTER UPDATE OF title, tags, body, answers, facets ON search_document BEGIN
    INSERT INTO search_fts(search_fts, rowid, title, tags, body, answers, facets)
    VALUES ('delete', old.question_id, old.title, old.tags, old.body, old.answers,
            old.facets);
    INSERT INTO search_title_fts(search_title_fts, rowid, title, tags)
    VALUES ('delete', old.question_id, old.title, old.tags);
    INSERT INTO search_fts(rowid, title, tags, body, answers, facets)
    VALUES (new.question_id, new.title, new.tags, new.body, new.answers, new.facets);
    INSERT INTO search_title_fts(rowid, title, tags)
    VALUES (new.question_id, new.title, new.tags);
END""",
)
DROP = (
    "DROP TABLE IF EXISTS search_fts",
    "DROP TABLE IF EXISTS search_title_fts",
)

OPTIMIZE = (
    "INSERT INTO search_fts(search_fts) VALUES ('optimize')",
    "INSERT INTO search_title_fts(search_title_fts) VALUES ('optimize')",
)

_table = SearchDocument.__table__
for _statement in CREATE:
    event.listen(_table, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in DROP:
    event.listen(_table, "before_drop", DDL(_statement).execute_if(dialect="sqlite"))


def _fts_table(name: str) -> tuple[TableClause, ColumnClause[Any]]:
    """The FTS5 table for FROM, and its name as the column MATCH and bm25 take."""
    return table(name, column("rowid", Integer)), literal_column(name)


FTS, _fts = _fts_table("search_fts")
TITLE_FTS, _title_fts = _fts_table("search_title_fts")


def _quoted(words: Words) -> str:
    # Words hold only letters, digits and marks, never a double quote.
    return '"' + " ".join(words) + '"'


def match_expression(query: ParsedQuery) -> str:
    """FTS5 syntax for the query and its filters, every word quoted."""
    parts = [_quoted((term,)) for term in query.terms]
    parts += [_quoted(phrase) for phrase in query.phrases]
    parts += [f"facets : {_quoted((tag_facet(tag),))}" for tag in query.tags]
    if query.state:
        parts.append(f"facets : {_quoted((state_facet(query.state),))}")
    expression = "(" + " AND ".join(parts) + ")"
    if query.excluded:
        expression += " NOT (" + " OR ".join(map(_quoted, query.excluded)) + ")"
    return expression


def similar_expression(words: Words) -> str:
    return " OR ".join(
        "(" + " AND ".join(_quoted((word,)) for word in group) + ")"
        for group in similar_groups(words)
    )


class SQLiteEngine(Engine):
    name = "sqlite"
    private_names = frozenset(
        f"{name}{suffix}"
        for name in ("search_fts", "search_title_fts")
        for suffix in ("", "_data", "_idx", "_docsize", "_config")
    )

    def text_search(
        self, query: ParsedQuery, sort: str, offset: int, limit: int
    ) -> list[SearchHit]:
        expression = match_expression(query)
        matches = _matching(FTS, expression, SearchDocument.question_id)
        if sort == RELEVANCE:
            ranked = matches.add_columns(_rank().label("rank")).subquery()
            statement = select(ranked.c.question_id).order_by(
                ranked.c.rank, ranked.c.question_id.desc()
            )
        else:
            statement = matches
        ids = db.session.scalars(statement.offset(offset).limit(limit)).all()
        return self._hits(expression, ids) if ids else []

    def _hits(self, expression: str, ids: Sequence[int]) -> list[SearchHit]:
        """Highlights for one page only: snippet() costs more than ranking."""
        marks = (
            func.highlight(_fts, TITLE, START, STOP),
            _snippet(BODY),
            _snippet(ANSWERS),
        )
        rows = db.session.execute(
            _matching(FTS, expression, *HIT_COLUMNS, *marks, everyone=True).where(
                FTS.c.rowid.in_(ids)
            )
        )
        return [hit(row, row[-3:]) for row in ordered(ids, rows)]

    def matches_any(self, phrases: Sequence[Words]) -> ColumnElement[bool]:
        expression = " OR ".join(map(_quoted, phrases))
        return SearchDocument.question_id.in_(
            select(FTS.c.rowid).where(_fts.match(expression))
        )

    def similar(
        self, words: Words, limit: int, exclude_id: int | None
    ) -> list[SimilarQuestion]:
        rank = func.bm25(_title_fts, *TITLE_WEIGHTS) * SearchDocument.boost
        ranked = (
            _matching(TITLE_FTS, similar_expression(words), *SIMILAR_COLUMNS)
            .add_columns(rank.label("rank"))
            .where(*not_excluded(exclude_id))
            .subquery()
        )
        rows = db.session.execute(
            select(*ranked.c[: len(SIMILAR_COLUMNS)])
            .order_by(ranked.c.rank, ranked.c.question_id.desc())
            .limit(limit)
        )
        return similar_questions(rows)

    def after_rebuild(self) -> None:
        """Merge each index's segments into one, as a fresh index would be."""
        for statement in OPTIMIZE:
            db.session.execute(text(statement))


def _matching(
    fts: TableClause, expression: str, *columns: Any, everyone: bool = False
) -> AnySelect:
    """Documents matching ``expression``, newest first (FTS5's own rowid order,
    so LIMIT stops the scan): the newest ``CANDIDATES``, or ``everyone``."""
    statement: AnySelect = (
        select(*columns)
        .select_from(fts)
        .join(SearchDocument, SearchDocument.question_id == fts.c.rowid)
        .where(literal_column(fts.name).match(expression))
        .order_by(fts.c.rowid.desc())
    )
    return statement if everyone else statement.limit(CANDIDATES)


def _rank() -> Any:
    head = func.bm25(_fts, *HEAD_WEIGHTS) * HEAD_FACTOR
    return (head + func.bm25(_fts, *TEXT_WEIGHTS)) * SearchDocument.boost


def _snippet(column_index: int) -> Any:
    return func.snippet(_fts, column_index, START, STOP, ELLIPSIS, SNIPPET_TOKENS)


ENGINE = SQLiteEngine()
