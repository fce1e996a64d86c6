"""PostgreSQL: weighted ``tsvector`` columns generated from the document, GIN-indexed.

``vector`` holds the title and tags (weight A), the question body (B) and the
answers (C); ``title_vector`` holds only the title and tags, for "similar
questions". Both are generated columns, so PostgreSQL recomputes them whenever
the row changes, in the same transaction.

The query is the parser's canonical text given to ``websearch_to_tsquery``, which
never raises; it sees only words, quotes and leading minus signs. Ranking is
``ts_rank`` with weights A 1.0, B 0.25, C 0.1, times the boost.
``ts_rank`` counts repeated occurrences with diminishing returns, so a title
match outranks a body that repeats the word; ``ts_rank_cd`` adds them up and
lets a long answer outrank the title.

PostgreSQL's parser skips anything that looks like an HTML tag (and the content
of ``<script>``), but members' text is shown as text, so ``<`` is read as a
space: ``<script>alert(1)</script>`` is found by "alert", as on SQLite.
Headlines see ``<`` as a control character that stored text never holds, and
get it back before escaping.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import DDL, ColumnElement, event, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import TSVECTOR
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

# The same statements are in the migration that added search; keep them equal
# (tests/search/test_schema.py compares a migrated database with these).
CREATE = (
    """ALTER TABLE search_document ADD COLUMN vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english', replace(title, '<', ' ')), 'A')
    || setweight(to_tsvector('english', tags), 'A')
    || setweight(to_tsvector('english', replace(body, '<', ' ')), 'B')
    || setweight(to_tsvector('english', replace(answers, '<', ' ')), 'C')
) STORED""",
    """ALTER TABLE search_document ADD COLUMN title_vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english', replace(title, '<', ' ')), 'A')
    || setweight(to_tsvector('english', tags), 'B')
) STORED""",
    "CREATE INDEX ix_search_document_vector ON search_document USING gin (vector)",
    """CREATE INDEX ix_search_document_title_vector ON search_document
USING gin (title_vector)""",
)

_table = SearchDocument.__table__
for _statement in CREATE:
    event.listen(
        _table, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )

CONFIG: ColumnClause[Any] = literal_column("'english'")
# ts_rank's weights for D, C, B, A.
WEIGHTS: ColumnClause[Any] = literal_column("'{0.05, 0.1, 0.25, 1.0}'::real[]")
VECTOR = literal_column("search_document.vector", TSVECTOR)
TITLE_VECTOR = literal_column("search_document.title_vector", TSVECTOR)
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=15, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)
TITLE_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
# Stands in for "<" while ts_headline reads the text (see the module docstring).
ANGLE = "\x01"


def websearch_text(query: ParsedQuery) -> str:
    """The words, phrases and exclusions in ``websearch_to_tsquery`` syntax."""
    parts = list(query.terms) + [_quoted(phrase) for phrase in query.phrases]
    parts += ["-" + _quoted(excluded) for excluded in query.excluded]
    return " ".join(parts)


def _quoted(words: Words) -> str:
    # Words hold only letters, digits and marks: no quote, no operator.
    return '"' + " ".join(words) + '"'


def _tsquery(websearch: str) -> Any:
    return func.websearch_to_tsquery(CONFIG, websearch)


class PostgreSQLEngine(Engine):
    name = "postgresql"
    private_names = frozenset(
        {"search_document.vector", "search_document.title_vector"}
        | {"ix_search_document_vector", "ix_search_document_title_vector"}
    )

    def text_search(
        self, query: ParsedQuery, sort: str, offset: int, limit: int
    ) -> list[SearchHit]:
        tsquery = _tsquery(websearch_text(query))
        rank = func.ts_rank(WEIGHTS, VECTOR, tsquery) * SearchDocument.boost
        order = (rank.desc(), SearchDocument.question_id.desc())
        ids = db.session.scalars(
            select(SearchDocument.question_id)
            .where(VECTOR.bool_op("@@")(tsquery), *filters(query))
            .order_by(*(order if sort == RELEVANCE else NEWEST_FIRST))
            .offset(offset)
            .limit(limit)
        ).all()
        return self._hits(tsquery, ids) if ids else []

    def _hits(self, tsquery: Any, ids: Sequence[int]) -> list[SearchHit]:
        """Headlines for one page only: ts_headline re-parses the whole text."""
        rows = db.session.execute(
            select(
                *HIT_COLUMNS,
                _headline(SearchDocument.title, tsquery, TITLE_OPTIONS),
                _headline(SearchDocument.body, tsquery),
                _headline(SearchDocument.answers, tsquery),
            ).where(SearchDocument.question_id.in_(ids))
        )
        return [hit(row, _angles_back(row[-3:])) for row in ordered(ids, rows)]

    def matches_any(self, phrases: Sequence[Words]) -> ColumnElement[bool]:
        websearch = " or ".join(_quoted(phrase) for phrase in phrases)
        return VECTOR.bool_op("@@")(_tsquery(websearch))

    def similar(
        self, words: Words, limit: int, exclude_id: int | None
    ) -> list[SimilarQuestion]:
        tsquery = _tsquery(" or ".join(words))
        rank = func.ts_rank(TITLE_VECTOR, tsquery) * SearchDocument.boost
        rows = db.session.execute(
            similar_select(limit, exclude_id)
            .where(TITLE_VECTOR.bool_op("@@")(tsquery))
            .order_by(rank.desc(), SearchDocument.question_id.desc())
        )
        return similar_questions(rows)

    def after_rebuild(self) -> None:
        """Fresh statistics, so the planner knows how selective words are."""
        db.session.execute(text("ANALYZE search_document"))


def _headline(column: Any, tsquery: Any, options: str = HEADLINE_OPTIONS) -> Any:
    text = func.replace(column, "<", ANGLE)
    return func.ts_headline(CONFIG, text, tsquery, options)


def _angles_back(marks: Sequence[str]) -> list[str]:
    return [text.replace(ANGLE, "<") for text in marks]


ENGINE = PostgreSQLEngine()
