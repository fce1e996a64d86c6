"""PostgreSQL: weighted ``tsvector`` columns generated from the document, GIN-indexed.

``vector`` holds the title and tags (weight A), the question body (B), the
answers (C) and the filters as facet words (D, see ``portal.search.facets``,
so the GIN index intersects "consent AND tag:hipaa" itself); ``title_vector``
holds only the title and tags, for "similar questions". Both are generated
columns, so PostgreSQL recomputes them whenever the row changes, in the same
transaction.

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

from sqlalchemy import (
    DDL,
    ColumnElement,
    case,
    event,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.sql.elements import ColumnClause

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
from portal.search.query import UNANSWERED, ParsedQuery, Words
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
    || setweight(to_tsvector('simple', facets), 'D')
) STORED""",
    """ALTER TABLE search_document ADD COLUMN title_vector tsvector
GENERATED ALWAYS AS (
    setweight(to_tsvector('english', replace(title, '<', ' ')), 'A')
    || setweight(to_tsvector('english', tags), 'B')
) STORED""",
    # Keep the vectors in the row, and move the long texts out first: checking
    # and ranking a candidate then reads no TOAST (32 µs a row down to 3 µs).
    """ALTER TABLE search_document
    ALTER COLUMN vector SET STORAGE MAIN,
    ALTER COLUMN title_vector SET STORAGE MAIN,
    SET (toast_tuple_target = 4080)""",
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
SIMPLE: ColumnClause[Any] = literal_column("'simple'")
# ts_rank's weights for D, C, B, A.
WEIGHTS: ColumnClause[Any] = literal_column("'{0.05, 0.1, 0.25, 1.0}'::real[]")
VECTOR = literal_column("search_document.vector", TSVECTOR)
TITLE_VECTOR = literal_column("search_document.title_vector", TSVECTOR)
HEADLINE_OPTIONS = (
    f"StartSel={START}, StopSel={STOP}, MaxWords=30, MinWords=15, "
    f'MaxFragments=2, FragmentDelimiter=" {ELLIPSIS} "'
)
TITLE_OPTIONS = f"StartSel={START}, StopSel={STOP}, HighlightAll=true"
BODY_WEIGHT: ColumnClause[Any] = literal_column("""'{b}'::"char"[]""")
ANSWERS_WEIGHT: ColumnClause[Any] = literal_column("""'{c}'::"char"[]""")
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
        matches = _matching(
            VECTOR, tsquery, WEIGHTS, _facets(query), through_index=_selective(query)
        )
        statement = _best_first(matches) if sort == RELEVANCE else matches
        ids = db.session.scalars(statement.offset(offset).limit(limit)).all()
        return self._hits(query, ids) if ids else []

    def _hits(self, query: ParsedQuery, ids: Sequence[int]) -> list[SearchHit]:
        """Headlines for one page only: ts_headline re-parses the whole text."""
        tsquery = _tsquery(websearch_text(query))
        rows = db.session.execute(
            select(
                *HIT_COLUMNS,
                _headline(SearchDocument.title, tsquery, TITLE_OPTIONS),
                _passage(query, tsquery),
            ).where(SearchDocument.question_id.in_(ids))
        )
        return [hit(row, [*_angles_back(row[-2:]), ""]) for row in ordered(ids, rows)]

    def matches_any(self, phrases: Sequence[Words]) -> ColumnElement[bool]:
        websearch = " or ".join(_quoted(phrase) for phrase in phrases)
        return VECTOR.bool_op("@@")(_tsquery(websearch))

    def similar(
        self, words: Words, limit: int, exclude_id: int | None
    ) -> list[SimilarQuestion]:
        groups = similar_groups(words)
        tsquery = _tsquery(" or ".join(" ".join(group) for group in groups))
        matches = _matching(TITLE_VECTOR, tsquery).where(*not_excluded(exclude_id))
        best = _best_first(matches).limit(limit).subquery()
        rows = db.session.execute(
            select(*SIMILAR_COLUMNS)
            .join(best, best.c.question_id == SearchDocument.question_id)
            .order_by(best.c.rank.desc(), best.c.question_id.desc())
        )
        return similar_questions(rows)

    def after_rebuild(self) -> None:
        """Fresh statistics, so the planner knows how selective words are."""
        db.session.execute(text("ANALYZE search_document"))


def _selective(query: ParsedQuery) -> bool:
    """Whether the query has a part that few documents match: a phrase, a tag,
    is:unanswered (see ``_matching``)."""
    return bool(query.phrases or query.tags or query.state == UNANSWERED)


def _facets(query: ParsedQuery) -> Any:
    """The query's filters as a tsquery of facet words, or None."""
    words = [tag_facet(tag) for tag in query.tags]
    words += [state_facet(query.state)] if query.state else []
    return func.websearch_to_tsquery(SIMPLE, " ".join(words)) if words else None


def _matching(
    vector: Any,
    tsquery: Any,
    weights: Any = None,
    facets: Any = None,
    through_index: bool = False,
) -> AnySelect:
    """The newest ``CANDIDATES`` matching documents and their rank.

    Filters are facet words in the same vector, so the GIN index intersects
    them with the words. ts_rank runs in this select, so only on the rows the
    LIMIT lets through, and only the rank leaves it: carrying the vectors out
    to rank them in an outer query costs more than ranking them.

    PostgreSQL reads a common word newest-first along the primary key and
    stops at the LIMIT, which is right. But it estimates a phrase as if its
    words merely appeared together, cannot know how rarely a word and a tag
    (or the unanswered state) coincide, and counts checking a row's vector as
    nearly free; for those queries it would walk most of the table.
    ``through_index`` makes it collect the matches through the GIN index
    first (a materialized CTE offers no order to walk).
    """
    rank = (
        func.ts_rank(vector, tsquery)
        if weights is None
        else func.ts_rank(weights, vector, tsquery)
    )
    wanted = tsquery if facets is None else tsquery.op("&&")(facets)
    found: Any = select(
        SearchDocument.question_id, (rank * SearchDocument.boost).label("rank")
    ).where(vector.bool_op("@@")(wanted))
    if through_index:
        found = found.cte("found").prefix_with("MATERIALIZED")
        found = select(found.c.question_id, found.c.rank)
    return found.order_by(found.selected_columns.question_id.desc()).limit(CANDIDATES)


def _best_first(matches: AnySelect) -> AnySelect:
    candidates = matches.subquery()
    return select(candidates.c.question_id, candidates.c.rank).order_by(
        candidates.c.rank.desc(), candidates.c.question_id.desc()
    )


def _passage(query: ParsedQuery, tsquery: Any) -> Any:
    """One headline, from the body if a word is there, else from the answers.

    The vector's weights say where the words are without parsing any text,
    so only one of the two (or a short start of the body) is re-parsed.
    """
    any_word = _tsquery(" or ".join([*query.terms, *map(_quoted, query.phrases)]))

    def has_word(weight: Any) -> Any:
        return func.ts_filter(VECTOR, weight).bool_op("@@")(any_word)

    return case(
        (has_word(BODY_WEIGHT), _headline(SearchDocument.body, tsquery)),
        (has_word(ANSWERS_WEIGHT), _headline(SearchDocument.answers, tsquery)),
        else_=_headline(func.left(SearchDocument.body, 1000), tsquery),
    )


def _headline(column: Any, tsquery: Any, options: str = HEADLINE_OPTIONS) -> Any:
    text = func.replace(column, "<", ANGLE)
    return func.ts_headline(CONFIG, text, tsquery, options)


def _angles_back(marks: Sequence[str]) -> list[str]:
    return [text.replace(ANGLE, "<") for text in marks]


ENGINE = PostgreSQLEngine()
