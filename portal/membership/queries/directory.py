"""The members' directory: current members who chose to be listed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, String, cast, or_, select
from sqlalchemy.orm import contains_eager

from portal.auth.models import User
from portal.core import time
from portal.core.paging import valid_id
from portal.extensions import db
from portal.membership.models import MemberProfile, Membership, Residency
from portal.membership.queries.members import like_pattern
from portal.membership.status import Status, status_clause


def directory_query(
    search: str | None = None, platform: str | None = None, today: date | None = None
) -> Select[MemberProfile]:
    """Current members who opted in, with their class residency, by name."""
    today = today or time.today()
    query = (
        select(MemberProfile)
        .join(MemberProfile.user)
        .join(Membership, Membership.user_id == MemberProfile.user_id)
        .where(
            MemberProfile.directory_opt_in.is_(True),
            status_clause(Status.CURRENT, today),
        )
        .options(
            contains_eager(MemberProfile.user),
            contains_eager(MemberProfile.membership).joinedload(
                Membership.first_residency
            ),
        )
        .order_by(User.name, User.id)
    )
    platforms_text = cast(MemberProfile.platforms, String)
    if search and search.strip():
        pattern = like_pattern(search.strip())
        query = query.where(
            or_(
                User.name.ilike(pattern, escape="\\"),
                MemberProfile.organisation.ilike(pattern, escape="\\"),
                platforms_text.ilike(pattern, escape="\\"),
            )
        )
    if platform and platform.strip():
        query = query.where(
            platforms_text.ilike(like_pattern(platform.strip()), escape="\\")
        )
    return query


def directory_page(
    search: str | None = None,
    platform: str | None = None,
    page: int = 1,
    per_page: int = 30,
    today: date | None = None,
) -> Pagination:
    return db.paginate(
        directory_query(search, platform, today),
        page=page,
        per_page=per_page,
        error_out=False,
    )


def directory_entry(user_id: int, today: date | None = None) -> MemberProfile | None:
    """One member's directory card, only if the directory lists them today."""
    if not valid_id(user_id):
        return None
    query = directory_query(today=today).where(MemberProfile.user_id == user_id)
    return db.session.scalars(query).unique().first()


def profile_or_none(user: User) -> MemberProfile | None:
    return db.session.get(MemberProfile, user.id)


@dataclass(frozen=True)
class MemberCard:
    """What the member's profile page shows about their membership and profile.

    ``profile`` is None unless the viewer may see it: the member listed themselves
    in the directory, or the viewer is the member or an admin.
    """

    user: User
    residency: Residency | None
    profile: MemberProfile | None
    listed: bool


def member_card(user_id: int, viewer: User) -> MemberCard | None:
    """One query: the account, its profile and its class residency."""
    if not valid_id(user_id):
        return None
    row = db.session.execute(
        select(User, MemberProfile, Residency)
        .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
        .outerjoin(Membership, Membership.user_id == User.id)
        .outerjoin(Residency, Residency.id == Membership.first_residency_id)
        .where(User.id == user_id)
    ).one_or_none()
    if row is None:
        return None
    user, profile, residency = row
    listed = bool(profile and profile.directory_opt_in)
    may_see = listed or viewer.id == user.id or viewer.is_admin
    return MemberCard(user, residency, profile if may_see else None, listed)
