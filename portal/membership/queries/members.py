"""Members as the admin screens, the CLI and exports list them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.auth.models import User
from portal.core import time
from portal.core.outbox_checks import CANCEL
from portal.extensions import db
from portal.membership import access
from portal.membership.models import (
    MemberProfile,
    Membership,
    RenewalRequest,
    Term,
)
from portal.membership.queries.renewals import latest_request, shared_reason
from portal.membership.status import (
    Status,
    StatusInfo,
    expiring_clause,
    may_request_renewal,
    status_clause,
    status_on,
)


@dataclass(frozen=True)
class MemberFilters:
    status: str | None = None
    residency_id: int | None = None
    expiring_within: int | None = None
    search: str | None = None
    # Only these accounts (the list's checkboxes: "export selected").
    user_ids: tuple[int, ...] | None = None


def like_pattern(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def members_query(
    filters: MemberFilters | None = None, today: date | None = None
) -> Select[Membership]:
    """Memberships with user, profile and class residency loaded, by name."""
    filters, today = filters or MemberFilters(), today or time.today()
    query = (
        select(Membership)
        .join(Membership.user)
        .outerjoin(MemberProfile, MemberProfile.user_id == Membership.user_id)
        .options(
            contains_eager(Membership.user),
            joinedload(Membership.first_residency),
            selectinload(Membership.profile),
        )
        .order_by(User.name, User.id)
    )
    if filters.user_ids is not None:
        query = query.where(Membership.user_id.in_(filters.user_ids))
    if filters.status:
        query = query.where(status_clause(filters.status, today))
    if filters.residency_id is not None:
        query = query.where(
            exists().where(
                Term.membership_id == Membership.id,
                Term.residency_id == filters.residency_id,
            )
        )
    if filters.expiring_within is not None:
        query = query.where(expiring_clause(today, filters.expiring_within))
    if filters.search and filters.search.strip():
        pattern = like_pattern(filters.search.strip())
        query = query.where(
            or_(
                User.name.ilike(pattern, escape="\\"),
                User.email.ilike(pattern, escape="\\"),
                MemberProfile.organisation.ilike(pattern, escape="\\"),
            )
        )
    return query


def members_page(
    filters: MemberFilters | None = None,
    page: int = 1,
    per_page: int = 50,
    today: date | None = None,
) -> Pagination:
    return db.paginate(
        members_query(filters, today), page=page, per_page=per_page, error_out=False
    )


@dataclass(frozen=True)
class MemberRow:
    """One line of the members list, CSV export and ``flask members list``."""

    membership_id: int
    user_id: int
    email: str
    name: str
    organisation: str | None
    title: str | None
    residency: str | None
    member_since: date
    start: date
    end: date
    status: str
    expiring: bool
    claimed: bool

    def as_json(self) -> dict[str, object]:
        return {
            "email": self.email,
            "name": self.name,
            "residency": self.residency,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status,
        }


def member_row(membership: Membership, today: date) -> MemberRow:
    info = status_on(membership, today)
    profile = membership.profile
    return MemberRow(
        membership_id=membership.id,
        user_id=membership.user_id,
        email=membership.user.email,
        name=membership.user.name,
        organisation=profile.organisation if profile else None,
        title=profile.title if profile else None,
        residency=membership.first_residency.name
        if membership.first_residency
        else None,
        member_since=membership.member_since,
        start=membership.starts_on,
        end=membership.ends_on,
        status=info.status.value,
        expiring=info.expiring,
        claimed=membership.user.claimed_at is not None,
    )


def member_rows(
    filters: MemberFilters | None = None, today: date | None = None
) -> list[MemberRow]:
    today = today or time.today()
    memberships = db.session.scalars(members_query(filters, today)).unique()
    return [member_row(m, today) for m in memberships]


def membership_of(user: User) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def terms_of(membership: Membership) -> list[Term]:
    """The ledger of one membership, oldest first, with who granted what."""
    return list(
        db.session.scalars(
            select(Term)
            .where(Term.membership_id == membership.id)
            .options(joinedload(Term.residency), joinedload(Term.granted_by))
            .order_by(Term.starts_on, Term.id)
        )
    )


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
    # The "Request renewal" button; the newest request, open or answered.
    may_request_renewal: bool = False
    renewal: RenewalRequest | None = None
    # Why they were revoked or suspended, only if the admin chose to tell them.
    shared_reason: str | None = None


def membership_summary(user: User, today: date | None = None) -> MembershipSummary:
    today = today or time.today()
    membership = membership_of(user)
    terms = terms_of(membership) if membership else []
    info = status_on(membership, today) if membership else StatusInfo(Status.EXPIRED)
    can_post = access.can_post_board(user, today)
    reason = None
    if not user.is_admin and not can_post:
        reason = access.why_not(user, today)
    return MembershipSummary(
        membership=membership,
        terms=terms,
        info=info,
        reason=reason,
        can_read=access.can_read_board(user, today),
        can_post=can_post,
        may_request_renewal=membership is not None and may_request_renewal(info),
        renewal=latest_request(membership.id) if membership else None,
        shared_reason=shared_reason(membership, info.status) if membership else None,
    )


def revoked_members(user_ids: set[int]) -> dict[int, str]:
    """For the mail worker: mail that promises membership (an invitation, a
    term notice, a reminder) to someone revoked since it was queued is
    cancelled."""
    revoked = db.session.scalars(
        select(Membership.user_id).where(
            Membership.user_id.in_(user_ids), Membership.revoked_at.is_not(None)
        )
    )
    return dict.fromkeys(revoked, CANCEL)
