"""Reusable selects for the membership screens, the CLI and exports.

Status filters are SQL built from date boundaries computed in Python (the same
rules as ``terms.derive_status``), so a filtered list never loads everyone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    case,
    cast,
    exists,
    func,
    or_,
    select,
)
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from portal.auth.models import User
from portal.core import time
from portal.core.models import JobHeartbeat
from portal.extensions import db
from portal.membership import audit
from portal.membership.models import MemberProfile, Membership, Residency, Term
from portal.membership.terms import Status

SWEEP_JOB = "members-sweep"
SWEEP_STALE_AFTER = timedelta(hours=36)
STATUSES = tuple(status.value for status in Status)


def _grace() -> int:
    return int(current_app.config["MEMBERSHIP_GRACE_DAYS"])


def status_clause(
    status: Status | str, today: date, grace_days: int
) -> ColumnElement[bool]:
    """SQL true for memberships with ``status`` on ``today`` (derive_status order)."""
    status = Status(status)
    not_revoked = Membership.revoked_at.is_(None)
    if status is Status.REVOKED:
        return Membership.revoked_at.is_not(None)
    if status is Status.SUSPENDED:
        return and_(not_revoked, Membership.suspended_until >= today)
    active = and_(
        not_revoked,
        or_(Membership.suspended_until.is_(None), Membership.suspended_until < today),
    )
    grace_start = today - timedelta(days=grace_days)
    by_dates = {
        Status.UPCOMING: Membership.starts_on > today,
        Status.CURRENT: and_(
            Membership.starts_on <= today, Membership.ends_on >= today
        ),
        Status.GRACE: and_(
            Membership.ends_on < today, Membership.ends_on >= grace_start
        ),
        Status.EXPIRED: Membership.ends_on < grace_start,
    }
    return and_(active, by_dates[status])


def status_expression(today: date, grace_days: int) -> ColumnElement[str]:
    """The status as an SQL CASE, for grouping and change detection."""
    return case(
        *((status_clause(s, today, grace_days), s.value) for s in Status),
        else_=Status.EXPIRED.value,
    )


def expiring_clause(today: date, within_days: int) -> ColumnElement[bool]:
    """Current members whose run ends within ``within_days`` days (inclusive)."""
    return and_(
        status_clause(Status.CURRENT, today, _grace()),
        Membership.ends_on <= today + timedelta(days=within_days),
    )


@dataclass(frozen=True)
class MemberFilters:
    status: str | None = None
    residency_id: int | None = None
    expiring_within: int | None = None
    search: str | None = None


def _like(text: str) -> str:
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
    if filters.status:
        query = query.where(status_clause(filters.status, today, _grace()))
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
        pattern = _like(filters.search.strip())
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
    info = membership.status_on(today, _grace())
    profile = membership.profile
    return MemberRow(
        membership_id=membership.id,
        user_id=membership.user_id,
        email=membership.user.email,
        name=membership.user.name,
        organisation=profile.organisation if profile else None,
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


MEMBER_CSV_COLUMNS = (
    "email",
    "name",
    "organisation",
    "residency",
    "member_since",
    "start",
    "end",
    "status",
    "expiring",
    "claimed",
)


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_members_csv(
    filters: MemberFilters | None, *, actor: User | None, today: date | None = None
) -> str:
    """The filtered members as CSV; the export is recorded (caller commits)."""
    filters = filters or MemberFilters()
    rows = member_rows(filters, today)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(MEMBER_CSV_COLUMNS)
    for row in rows:
        cells = [_cell_text(getattr(row, column)) for column in MEMBER_CSV_COLUMNS]
        writer.writerow([audit.csv_cell(cell) for cell in cells])
    detail = {k: str(v) for k, v in filters.__dict__.items() if v is not None}
    audit.record(
        audit.EXPORT,
        actor=actor,
        detail={"what": "members", "rows": len(rows), **detail},
    )
    return out.getvalue()


def residencies_with_counts() -> list[tuple[Residency, int]]:
    """Every residency, newest first, with how many graduates it has."""
    graduates = func.count(Term.id)
    query = (
        select(Residency, graduates)
        .outerjoin(Term, Term.residency_id == Residency.id)
        .group_by(Residency.id)
        .order_by(Residency.held_on.desc(), Residency.id.desc())
    )
    return [(residency, int(count)) for residency, count in db.session.execute(query)]


def residency_graduates(
    residency_id: int, today: date | None = None
) -> list[MemberRow]:
    """The graduates of one residency with their status today."""
    return member_rows(MemberFilters(residency_id=residency_id), today)


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


def last_sweep() -> datetime | None:
    heartbeat = db.session.get(JobHeartbeat, SWEEP_JOB)
    return heartbeat.succeeded_at if heartbeat else None


def sweep_is_stale(now: datetime) -> bool:
    """True when the daily sweep never ran or last succeeded over 36 hours ago."""
    succeeded = last_sweep()
    return succeeded is None or now - succeeded > SWEEP_STALE_AFTER


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
            status_clause(Status.CURRENT, today, _grace()),
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
        pattern = _like(search.strip())
        query = query.where(
            or_(
                User.name.ilike(pattern, escape="\\"),
                MemberProfile.organisation.ilike(pattern, escape="\\"),
                platforms_text.ilike(pattern, escape="\\"),
            )
        )
    if platform and platform.strip():
        query = query.where(platforms_text.ilike(_like(platform.strip()), escape="\\"))
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
