"""The search index: one document per question that members may see.

``search_document`` is an ordinary table, the same on every database: the text
each engine indexes (title, tags, question body, answers) and the columns
filters and the "newest" sort read, each with its index. A question that is
deleted, held for review or hidden by a moderator has no document at all, so no
query can show it, whatever its filters; neither has one closed as a duplicate,
whose title its original's document carries instead.

Each engine adds its own full-text structure to this table when it is created
(``portal.search.engines``; the package's ``__init__`` imports them, so they
are registered whenever this module is): an FTS5 table on SQLite, ``tsvector``
columns with GIN indexes on PostgreSQL. Those are not SQLAlchemy objects, so
``portal.search.schema`` tells Alembic's comparison to leave them alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Double, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.board.models import TITLE_MAX
from portal.core.db import Base


class SearchDocument(Base):
    __tablename__ = "search_document"
    __table_args__ = (
        Index("ix_search_document_unanswered", "answer_count", "question_id"),
        Index("ix_search_document_accepted", "has_accepted", "question_id"),
    )

    # Newest first is highest question_id first: the primary key serves it.
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id"), primary_key=True, autoincrement=False
    )
    # The small columns come first: SQLite reads a row's columns in order, so
    # filters and ranking never walk past the long texts.
    answer_count: Mapped[int]
    has_accepted: Mapped[bool]
    score: Mapped[int]
    # Relevance is multiplied by this: 1.0, more for accepted and voted-up threads.
    boost: Mapped[float] = mapped_column(Double)
    created_at: Mapped[datetime]
    # The tags and answered state as words (portal.search.facets).
    facets: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    # Tag names separated by spaces, then the titles of the questions closed
    # as duplicates of this one: words weighted like the title's.
    tags: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    # The public, non-deleted answers, the accepted one first, then by score.
    answers: Mapped[str] = mapped_column(Text)

    def __repr__(self) -> str:
        return f"<SearchDocument {self.question_id} {self.title[:30]!r}>"
