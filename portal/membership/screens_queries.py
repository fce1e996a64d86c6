"""Reads the membership screens need beyond ``queries``.

Kept apart from the domain modules so the screens can grow without editing them;
the rules themselves (status, access, renewal) still come from those modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership import access, queries
from portal.membership.models import MemberProfile, Membership, Term
from portal.membership.planning import grace_days
from portal.membership.terms import Status, StatusInfo

# Ids in URLs and filters beyond this are not ours (and overflow PostgreSQL).
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class MembershipSummary:
    """Everything the member's own membership page shows."""

    membership: Membership | None
    terms: list[Term]
    info: StatusInfo
    # Why the network is (partly) closed to them; None when it is open.
    reason: str | None
    can_read: bool
    can_post: bool


def membership_summary(user: User, today: date | None = None) -> MembershipSummary:
    today = today or time.today()
    membership = queries.membership_of(user)
    terms = queries.terms_of(membership) if membership else []
    info = (
        membership.status_on(today, grace_days())
        if membership
        else StatusInfo(Status.EXPIRED)
    )
    reason = None
    if not user.is_admin and not access.can_post_board(user):
        reason = access.why_not(user, today)
    return MembershipSummary(
        membership=membership,
        terms=terms,
        info=info,
        reason=reason,
        can_read=access.can_read_board(user),
        can_post=access.can_post_board(user),
    )


def directory_entry(user_id: int, today: date | None = None) -> MemberProfile | None:
    """One member's directory card, only if the directory lists them today."""
    if not 0 < user_id <= MAX_ID:
        return None
    query = queries.directory_query(today=today).where(MemberProfile.user_id == user_id)
    return db.session.scalars(query).unique().first()


def profile_or_none(user: User) -> MemberProfile | None:
    return db.session.get(MemberProfile, user.id)
