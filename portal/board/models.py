"""Board tables.

Counters that lists show (``score``, ``answer_count``, ``last_activity_at``,
``accepted_answer_id``) live on the rows themselves and are only ever changed by
atomic ``UPDATE ... SET x = x + :delta`` statements in the services, so a list of
20 questions never reads votes or answers. Nothing is ever hard-deleted: a deleted
question or answer keeps its row with ``deleted_at``/``deleted_by_id`` set.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeAlias

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base
from portal.core.time import utcnow

QUESTION, ANSWER = "question", "answer"
TITLE_MIN, TITLE_MAX = 15, 150
BODY_MAX = 20_000
COMMENT_MAX = 600
TAG_MAX = 25
TAGS_MIN, TAGS_MAX = 1, 5
UP, DOWN = 1, -1
# Notification kinds, and how often a member wants the digest.
ANSWER, COMMENT, ACCEPTED, DIGEST = "answer", "comment", "accepted", "digest"
# A member was asked to answer a question (routing: docs/routing.md).
REQUEST = "request"
EVENT_KINDS = (ANSWER, COMMENT, ACCEPTED, REQUEST)
# Every kind of email a member can switch off from its own unsubscribe link.
EMAIL_KINDS = (*EVENT_KINDS, DIGEST)
OFF, DAILY, WEEKLY = "off", "daily", "weekly"
FREQUENCIES = (OFF, DAILY, WEEKLY)
DEFAULT_FREQUENCY = WEEKLY
# Who sees a post (docs/moderation.md): everyone, or its author, moderators and
# admins only, while it waits for review (HELD) or after a moderator hid it.
PUBLIC, HELD, HIDDEN = "public", "held", "hidden"
STATES = (PUBLIC, HELD, HIDDEN)

# ``**LIVE`` makes an index partial: only questions that are not deleted.
LIVE: dict[str, Any] = {
    "sqlite_where": text("deleted_at IS NULL"),
    "postgresql_where": text("deleted_at IS NULL"),
}

question_tag = Table(
    "question_tag",
    Base.metadata,
    Column("question_id", ForeignKey("question.id"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id"), primary_key=True),
    # The primary key serves "tags of these questions"; this one "questions of a tag".
    Index("ix_question_tag_tag", "tag_id", "question_id"),
)


class PostLife:
    """What questions, answers and comments share: soft deletion, and who may
    see them (``state``). ``announced`` is False while a post held from the start
    has not sent its notifications and routing requests yet."""

    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    state: Mapped[str] = mapped_column(String(10), default=PUBLIC)
    announced: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_public(self) -> bool:
        return self.state == PUBLIC


class Tag(Base):
    """A topic or platform. Starter tags are seeded; members may add new ones."""

    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(TAG_MAX), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    is_starter: Mapped[bool] = mapped_column(Boolean, default=False)
    # Counters kept by the services with single UPDATEs, like question.score:
    # tag pages and the tag list read them instead of counting rows.
    question_count: Mapped[int] = mapped_column(default=0)
    follower_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    def __repr__(self) -> str:
        return f"<Tag {self.name}>"


class Question(PostLife, Base):
    __tablename__ = "question"
    __table_args__ = (
        # Partial indexes over live questions, one per list order: PostgreSQL
        # walks an index in order only when the WHERE pins its leading columns by
        # equality, and ``deleted_at IS NULL`` does not count as one.
        Index("ix_question_newest", "created_at", "id", **LIVE),
        Index("ix_question_active", "last_activity_at", "id", **LIVE),
        Index("ix_question_top", "score", "id", **LIVE),
        Index("ix_question_unanswered", "answer_count", "created_at", "id", **LIVE),
        # Reputation's accepted-answer branch finds a member's accepted answers.
        Index("ix_question_accepted_answer", "accepted_answer_id"),
        # A member's questions, newest first, without sorting them all.
        Index("ix_question_author_newest", "author_id", "created_at", "id"),
        # Search finds a question's duplicates (few: the index is small).
        Index(
            "ix_question_duplicate_of",
            "duplicate_of_id",
            sqlite_where=text("duplicate_of_id IS NOT NULL"),
            postgresql_where=text("duplicate_of_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    # The body rendered and sanitised once, by renderer version ``body_html_version``
    # (``core.markdown.RENDERER_VERSION``); pages re-render only an older version.
    body_html: Mapped[str | None] = mapped_column(Text)
    body_html_version: Mapped[int] = mapped_column(SmallInteger, default=0)
    score: Mapped[int] = mapped_column(default=0)
    # Non-deleted answers only.
    answer_count: Mapped[int] = mapped_column(default=0)
    # use_alter breaks the question <-> answer cycle; SET NULL lets a test's
    # table wipe (or a future purge) delete answers first.
    accepted_answer_id: Mapped[int | None] = mapped_column(
        ForeignKey("answer.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    # Locked: no new answers or comments. Closed as a duplicate of another.
    locked_at: Mapped[datetime | None]
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("question.id"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    deleted_by: Mapped[User | None] = relationship(
        foreign_keys=lambda: [Question.deleted_by_id]
    )
    duplicate_of: Mapped[Question | None] = relationship(
        remote_side=lambda: Question.id, foreign_keys=[duplicate_of_id]
    )
    tags: Mapped[list[Tag]] = relationship(
        secondary=question_tag, order_by=lambda: Tag.name
    )

    kind = QUESTION

    def __repr__(self) -> str:
        return f"<Question {self.id} {self.title[:30]!r}>"

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    @property
    def question_id(self) -> int:
        """The thread a post belongs to, the same attribute on both kinds."""
        return self.id


class Answer(PostLife, Base):
    __tablename__ = "answer"
    __table_args__ = (
        Index("ix_answer_thread", "question_id", "deleted_at", "score"),
        # "Top contributors this month" reads one month of accepted answers.
        Index("ix_answer_created_at", "created_at"),
        # A member's answers, newest first, without sorting them all.
        Index("ix_answer_author_newest", "author_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    body_html_version: Mapped[int] = mapped_column(SmallInteger, default=0)
    score: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    deleted_by: Mapped[User | None] = relationship(
        foreign_keys=lambda: [Answer.deleted_by_id]
    )

    kind = ANSWER

    def __repr__(self) -> str:
        return f"<Answer {self.id} on {self.question_id}>"


Post: TypeAlias = Question | Answer


class Comment(PostLife, Base):
    """A short note on a question (``answer_id`` NULL) or on one of its answers.

    ``question_id`` is always set, so a question page loads its whole thread's
    comments in one query.
    """

    __tablename__ = "comment"
    __table_args__ = (
        Index("ix_comment_thread", "question_id", "created_at"),
        # A member's recent comments (posting limits), as for questions and answers.
        Index("ix_comment_author_newest", "author_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(String(COMMENT_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    question: Mapped[Question] = relationship(foreign_keys=[question_id])
    answer: Mapped[Answer | None] = relationship(foreign_keys=[answer_id])

    kind = COMMENT


class Vote(Base):
    """One member's vote on one question or answer: +1 or -1.

    The two unique constraints are the one-vote-per-member-per-post rule (NULLs
    never collide, so each applies only to its own kind of post).
    """

    __tablename__ = "vote"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        UniqueConstraint("user_id", "answer_id"),
        CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)", name="one_target"
        ),
        CheckConstraint("value IN (-1, 1)", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    value: Mapped[int] = mapped_column(SmallInteger)
    # Indexed for "top contributors this month", which reads one month of votes.
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Revision(Base):
    """A snapshot of a question or answer as it stood after each save.

    The first revision is the post as originally written, so the history page can
    diff every edit against the one before it.
    """

    __tablename__ = "revision"
    __table_args__ = (
        CheckConstraint(
            "(question_id IS NULL) <> (answer_id IS NULL)", name="one_target"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int | None] = mapped_column(
        ForeignKey("question.id"), index=True
    )
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    editor_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    body: Mapped[str] = mapped_column(Text)
    # Tag names separated by single spaces, as they were at this revision.
    tags: Mapped[str | None] = mapped_column(String(200))

    editor: Mapped[User] = relationship()


class QuestionFollow(Base):
    """A member wants to hear about new answers and comments on a question."""

    __tablename__ = "question_follow"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TagFollow(Base):
    """A member wants to hear about new questions with a tag."""

    __tablename__ = "tag_follow"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id"), primary_key=True
    )
    tag_id: Mapped[int] = mapped_column(
        ForeignKey("tag.id"), primary_key=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """Something happened that one member should hear about; unread until read."""

    __tablename__ = "notification"
    __table_args__ = (
        Index("ix_notification_unread", "user_id", "read_at"),
        Index("ix_notification_newest", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(20))
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("answer.id"), index=True)
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]

    question: Mapped[Question] = relationship()
    comment: Mapped[Comment | None] = relationship()
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])

    @property
    def is_unread(self) -> bool:
        return self.read_at is None

    @property
    def anchor(self) -> str | None:
        """Where on the question page the post it is about sits."""
        if self.comment_id is not None:
            return f"comment-{self.comment_id}"
        if self.answer_id is not None:
            return f"answer-{self.answer_id}"
        return None


class NotificationPreference(Base):
    """One member's email choices; no row means the defaults (all on, weekly).

    ``last_digest_at`` lives here too: the digest claims a member for a period
    with one conditional UPDATE of this row.
    """

    __tablename__ = "notification_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    email_answer: Mapped[bool] = mapped_column(Boolean, default=True)
    email_comment: Mapped[bool] = mapped_column(Boolean, default=True)
    email_accepted: Mapped[bool] = mapped_column(Boolean, default=True)
    # Routing: be asked to answer questions at all, and hear about it by email.
    answer_requests: Mapped[bool] = mapped_column(Boolean, default=True)
    email_request: Mapped[bool] = mapped_column(Boolean, default=True)
    digest_frequency: Mapped[str] = mapped_column(String(10), default=DEFAULT_FREQUENCY)
    last_digest_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class AnswerRequest(Base):
    """A member was asked to answer a question, once (round 1 on posting, round
    2 by the 48-hour follow-up); ``(user_id, created_at)`` serves the weekly cap.
    """

    __tablename__ = "answer_request"
    __table_args__ = (
        UniqueConstraint("question_id", "user_id"),
        CheckConstraint("round IN (1, 2)", name="round"),
        Index("ix_answer_request_recent", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("question.id"))
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    round: Mapped[int] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnansweredFollowUp(Base):
    """A question unanswered after 48 hours was followed up. The key is the
    once-per-question claim (inserted before anyone is asked); digests list
    these questions first while they wait."""

    __tablename__ = "unanswered_follow_up"

    question_id: Mapped[int] = mapped_column(
        ForeignKey("question.id"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberChecklist(Base):
    """A new member's first steps on the board (``queries/checklist.py``).

    Most steps are read from the data itself (profile, tag follows, posts);
    only what leaves no other trace is stored: when they opened "How the
    network works", and when the list closed (dismissed, or found complete),
    after which the board home never computes it again.
    """

    __tablename__ = "member_checklist"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    guide_read_at: Mapped[datetime | None]
    dismissed_at: Mapped[datetime | None]
    completed_at: Mapped[datetime | None]
