"""Tags with their question and follower counts, and the names the ask form offers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, exists, func, select

from portal.board.models import (
    Question,
    Tag,
    TagFollow,
    question_tag,
)
from portal.extensions import db


@dataclass(frozen=True)
class TagSummary:
    tag: Tag
    question_count: int
    follower_count: int
    following: bool


def _tag_summary_select(reader_id: int) -> Select[Any]:
    questions = (
        select(func.count())
        .select_from(question_tag)
        .join(Question, Question.id == question_tag.c.question_id)
        .where(question_tag.c.tag_id == Tag.id, Question.deleted_at.is_(None))
        .correlate(Tag)
        .scalar_subquery()
    )
    followers = (
        select(func.count())
        .select_from(TagFollow)
        .where(TagFollow.tag_id == Tag.id)
        .correlate(Tag)
        .scalar_subquery()
    )
    following = (
        exists()
        .where(TagFollow.tag_id == Tag.id, TagFollow.user_id == reader_id)
        .correlate(Tag)
    )
    return select(Tag, questions, followers, following)


def tag_summaries(reader_id: int) -> list[TagSummary]:
    """Every tag with its counts, busiest first; one statement."""
    rows = db.session.execute(_tag_summary_select(reader_id).order_by(Tag.name))
    summaries = [_summary(row) for row in rows]
    summaries.sort(key=lambda s: (-s.question_count, s.tag.name))
    return summaries


def tag_summary(name: str, reader_id: int) -> TagSummary | None:
    row = db.session.execute(
        _tag_summary_select(reader_id).where(Tag.name == name)
    ).one_or_none()
    return _summary(row) if row else None


def _summary(row: Any) -> TagSummary:
    tag, question_count, follower_count, following = row
    return TagSummary(tag, question_count, follower_count, bool(following))


def all_tag_names() -> list[str]:
    return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


def starter_tag_names() -> list[str]:
    return list(
        db.session.scalars(
            select(Tag.name).where(Tag.is_starter.is_(True)).order_by(Tag.name)
        )
    )
