"""A new member's first-run checklist, each step read from real data.

Complete your profile (title, organisation and a line about yourself), follow
three tags, read "How the network works", ask or answer once. One statement
while the list shows; once it is closed (dismissed, or found complete) the
signed-in account carries that fact (``closed_column``) and the board home
runs nothing more for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from portal.auth.models import MEMBER, User
from portal.auth.queries import MISSING, user_extra
from portal.board.models import Answer, MemberChecklist, Question, TagFollow
from portal.extensions import db
from portal.membership.access import can_post_board
from portal.membership.models import MemberProfile

TAGS_TO_FOLLOW = 3
PROFILE_FIELDS = ("title", "organisation", "bio")


@dataclass(frozen=True)
class Step:
    key: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    profile: bool
    tags_followed: int
    guide: bool
    posted: bool

    tags_needed: int = TAGS_TO_FOLLOW

    @property
    def steps(self) -> list[Step]:
        return [
            Step("profile", self.profile),
            Step("tags", self.tags_followed >= self.tags_needed),
            Step("guide", self.guide),
            Step("post", self.posted),
        ]

    @property
    def done(self) -> bool:
        return all(step.done for step in self.steps)


def closed_column() -> ColumnElement[Any]:
    """When the member's list closed (dismissed or completed), with the account."""
    return (
        select(
            func.coalesce(MemberChecklist.dismissed_at, MemberChecklist.completed_at)
        )
        .where(MemberChecklist.user_id == User.id)
        .correlate(User)
        .scalar_subquery()
    )


def closed_at(user: User) -> datetime | None:
    found = user_extra(user.id, "checklist_closed_at")
    if found is MISSING:
        found = db.session.scalar(select(closed_column()).where(User.id == user.id))
    return found if isinstance(found, datetime) else None


def _profile_complete(user_id: int) -> ColumnElement[bool]:
    filled = [
        func.length(func.trim(func.coalesce(getattr(MemberProfile, name), ""))) > 0
        for name in PROFILE_FIELDS
    ]
    return exists().where(MemberProfile.user_id == user_id, and_(*filled))


def _posted(user_id: int) -> ColumnElement[bool]:
    asked = exists().where(Question.author_id == user_id, Question.deleted_at.is_(None))
    answered = exists().where(Answer.author_id == user_id, Answer.deleted_at.is_(None))
    return or_(asked, answered)


def checklist_for(user_id: int) -> Checklist:
    """Every step at once: one statement."""
    follows = select(func.count()).where(TagFollow.user_id == user_id).scalar_subquery()
    guide = exists().where(
        MemberChecklist.user_id == user_id, MemberChecklist.guide_read_at.is_not(None)
    )
    row = db.session.execute(
        select(_profile_complete(user_id), follows, guide, _posted(user_id))
    ).one()
    return Checklist(bool(row[0]), int(row[1]), bool(row[2]), bool(row[3]))


def open_checklist(user: User) -> Checklist | None:
    """The list to show on the board home: for members (not staff) who may
    post (a member in grace cannot do its last step, and is not new) and
    whose list has not closed; None otherwise."""
    if user.role != MEMBER or not can_post_board(user):
        return None
    if closed_at(user) is not None:
        return None
    return checklist_for(user.id)
