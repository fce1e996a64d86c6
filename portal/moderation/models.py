"""Moderation tables: members' flags, and the review queue's items.

A post is named by its kind ("question", "answer", "comment") and id, with the
question it belongs to kept beside it, so the queue links to the thread without
reading three tables. Post visibility itself (``state``, ``locked_at``,
``duplicate_of_id``) lives on the board's rows: every board query filters on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base
from portal.core.time import utcnow

SPAM, OFFENSIVE, OFF_TOPIC, PATIENT_INFO = "spam", "offensive", "off_topic", "phi"
FLAG_REASONS = {
    SPAM: "Spam",
    OFFENSIVE: "Offensive or abusive",
    OFF_TOPIC: "Off-topic",
    PATIENT_INFO: "Patient information",
}
NOTE_MAX = 500
# Why an item is in the queue.
FLAGGED, GUARD, APPEAL = "flagged", "guard", "appeal"
# How an item left it.
DISMISSED, HIDDEN_OUTCOME, RESTORED = "dismissed", "hidden", "restored"
# The kind of the board notification that tells an author their post was hidden.
NOTICE = "moderation"

OPEN: dict[str, Any] = {
    "sqlite_where": text("closed_at IS NULL"),
    "postgresql_where": text("closed_at IS NULL"),
}


class Flag(Base):
    """One member's report of one post; one per member per post, ever."""

    __tablename__ = "flag"
    __table_args__ = (
        UniqueConstraint("post_kind", "post_id", "user_id"),
        Index("ix_flag_user_created", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_kind: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    reason: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(String(NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a moderator decided on the post (dismissed, hid, restored).
    resolved_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ReviewItem(Base):
    """A post waiting for a moderator: flagged, held by the guard, or appealed.

    At most one open item per post (a partial unique index); a closed one keeps
    its outcome for the record, and a new flag or appeal opens a fresh item.
    """

    __tablename__ = "review_item"
    __table_args__ = (
        Index("ux_review_item_open_post", "post_kind", "post_id", unique=True, **OPEN),
        Index("ix_review_item_queue", "flag_count", "opened_at", **OPEN),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_kind: Mapped[str] = mapped_column(String(10))
    post_id: Mapped[int]
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    cause: Mapped[str] = mapped_column(String(10))
    # What the guard found (kinds and matched text), when the author posted anyway.
    findings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    flag_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_flag_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    outcome: Mapped[str | None] = mapped_column(String(10))
    # Shown to the author when the post was hidden.
    reason: Mapped[str | None] = mapped_column(String(NOTE_MAX))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    closed_by: Mapped[User | None] = relationship(foreign_keys=[closed_by_id])
