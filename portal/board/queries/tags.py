"""Tags with their question and follower counts, and the names the ask form offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, select

from portal.board.models import (
    Tag,
    TagFollow,
)
from portal.extensions import db


@dataclass(frozen=True)
class TagSummary:
    tag: Tag
    question_count: int
    follower_count: int
    following: bool


def _tag_summary_select(reader_id: int) -> Select[Any]:
    """Tags with their counters (kept on the row) and whether the reader follows."""
    following = (
        exists()
        .where(TagFollow.tag_id == Tag.id, TagFollow.user_id == reader_id)
        .correlate(Tag)
    )
    query: Select[Any] = select(  # type: ignore[assignment]
        Tag, Tag.question_count, Tag.follower_count, following
    )
    return query


def tag_summaries(reader_id: int) -> list[TagSummary]:
    """Every tag with its counts, busiest first; one statement."""
    query = _tag_summary_select(reader_id).order_by(Tag.question_count.desc(), Tag.name)
    return [_summary(row) for row in db.session.execute(query)]


def tag_summary(name: str, reader_id: int) -> TagSummary | None:
    row = db.session.execute(
        _tag_summary_select(reader_id).where(Tag.name == name)
    ).one_or_none()
    return _summary(row) if row else None


def _summary(row: Any) -> TagSummary:
    tag, question_count, follower_count, following = row
    return TagSummary(tag, question_count, follower_count, bool(following))


def starter_tag_names() -> list[str]:
    return list(
        db.session.scalars(
            select(Tag.name).where(Tag.is_starter.is_(True)).order_by(Tag.name)
        )
    )
