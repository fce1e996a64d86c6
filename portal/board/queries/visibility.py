"""Who may read a post, once in SQL (for selects) and once in Python (for a
post already loaded); the two say the same thing.

Members read public posts, and their own in any state (with a banner saying
who else can). Moderators and admins read every state; admins alone read
deleted posts, except that on the question page an author sees what they
deleted themselves for as long as they may restore it (``restorable_since``).
Question lists are not readers' views: they show public questions to everyone
(``questions.question_list``), and moderators work the review queue instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, or_

from portal.board.models import PUBLIC, Answer, Comment, Question

AnyPost = Question | Answer | Comment


@dataclass(frozen=True)
class Viewer:
    """What one reader may see beyond public, live posts.

    Frozen and small, so a cached summary can be keyed by it.
    """

    # Their own posts in any state; None: public posts only.
    user_id: int | None = None
    # Held and hidden posts of anyone (moderators and admins).
    moderator: bool = False
    # Deleted posts (admins).
    admin: bool = False
    # Their own posts they deleted themselves at or after this instant (the
    # restore window, on the question page only: lists never show them).
    restorable_since: datetime | None = None

    @classmethod
    def of(cls, user: Any, restorable_since: datetime | None = None) -> Viewer:
        """The signed-in reader (``current_user``)."""
        return cls(
            user.id, bool(user.can_moderate), bool(user.is_admin), restorable_since
        )

    def _live(
        self, model: type[Question] | type[Answer] | type[Comment]
    ) -> ColumnElement[bool]:
        live = model.deleted_at.is_(None)
        if self.restorable_since is None or self.user_id is None:
            return live
        restorable = and_(
            model.author_id == self.user_id,
            model.deleted_by_id == self.user_id,
            model.deleted_at >= self.restorable_since,
        )
        return or_(live, restorable)

    def _restorable(self, post: AnyPost) -> bool:
        return (
            self.restorable_since is not None
            and post.author_id == self.user_id
            and post.deleted_by_id == self.user_id
            and post.deleted_at is not None
            and post.deleted_at >= self.restorable_since
        )

    def sees(
        self, model: type[Question] | type[Answer] | type[Comment]
    ) -> list[ColumnElement[bool]]:
        """WHERE clauses for the rows of ``model`` this viewer may read."""
        clauses: list[ColumnElement[bool]] = []
        if not self.admin:
            clauses.append(self._live(model))
        if not self.moderator:
            public = model.state == PUBLIC
            clauses.append(
                public
                if self.user_id is None
                else or_(public, model.author_id == self.user_id)
            )
        return clauses

    def may_see(self, post: AnyPost) -> bool:
        """The Python twin of ``sees``, for one post (not its thread)."""
        if post.is_deleted and not (self.admin or self._restorable(post)):
            return False
        return post.is_public or self.moderator or post.author_id == self.user_id

    def may_read(self, post: Question | Answer) -> bool:
        """``may_see`` for the post and, for an answer, its question too."""
        if isinstance(post, Answer) and not self.may_see(post.question):
            return False
        return self.may_see(post)


PUBLIC_ONLY = Viewer()
