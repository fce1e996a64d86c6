"""Counts for the admin dashboard, each a handful of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, case, func, select

from portal.auth.models import User
from portal.core import time
from portal.core.models import JobHeartbeat
from portal.extensions import db
from portal.membership.models import Membership, Residency, Term
from portal.membership.status import Status, expiring_clause, status_clause

SWEEP_JOB = "members-sweep"
SWEEP_STALE_AFTER = timedelta(hours=36)


@dataclass(frozen=True)
class ResidencyCount:
    residency_id: int
    name: str
    held_on: date
    graduates: int
    current: int


@dataclass(frozen=True)
class Dashboard:
    current: int = 0
    expiring_30: int = 0
    expiring_60: int = 0
    grace: int = 0
    expired: int = 0
    upcoming: int = 0
    revoked_or_suspended: int = 0
    new_last_30_days: int = 0
    invitations_claimed: int = 0
    invitations_unclaimed: int = 0
    per_residency: list[ResidencyCount] = field(default_factory=list)
    last_sweep: datetime | None = None
    sweep_stale: bool = True


def _count_if(condition: ColumnElement[bool]) -> ColumnElement[int]:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _membership_counts(today: date, now: datetime) -> dict[str, int]:
    columns = {
        "current": status_clause(Status.CURRENT, today),
        "expiring_30": expiring_clause(today, 30),
        "expiring_60": expiring_clause(today, 60),
        "grace": status_clause(Status.GRACE, today),
        "expired": status_clause(Status.EXPIRED, today),
        "upcoming": status_clause(Status.UPCOMING, today),
        "revoked_or_suspended": status_clause(Status.REVOKED, today)
        | status_clause(Status.SUSPENDED, today),
        "new_last_30_days": Membership.created_at >= now - timedelta(days=30),
        "invitations_claimed": User.claimed_at.is_not(None),
        "invitations_unclaimed": User.claimed_at.is_(None),
    }
    query = (
        select(*(_count_if(cond).label(name) for name, cond in columns.items()))
        .select_from(Membership)
        .join(Membership.user)
    )
    row = db.session.execute(query).one()
    return {name: int(row._mapping[name]) for name in columns}


def _per_residency(today: date) -> list[ResidencyCount]:
    query = (
        select(
            Residency.id,
            Residency.name,
            Residency.held_on,
            func.count(Membership.id),
            _count_if(status_clause(Status.CURRENT, today)),
        )
        .outerjoin(Term, Term.residency_id == Residency.id)
        .outerjoin(Membership, Membership.id == Term.membership_id)
        .group_by(Residency.id, Residency.name, Residency.held_on)
        .order_by(Residency.held_on.desc(), Residency.id.desc())
    )
    return [
        ResidencyCount(rid, name, held_on, int(graduates), int(current))
        for rid, name, held_on, graduates, current in db.session.execute(query)
    ]


def last_sweep() -> datetime | None:
    heartbeat = db.session.get(JobHeartbeat, SWEEP_JOB)
    return heartbeat.succeeded_at if heartbeat else None


def sweep_is_stale(now: datetime, succeeded: datetime | None = None) -> bool:
    """True when the daily sweep never ran or last succeeded over 36 hours ago."""
    succeeded = succeeded or last_sweep()
    return succeeded is None or now - succeeded > SWEEP_STALE_AFTER


def dashboard_counts(
    today: date | None = None, now: datetime | None = None
) -> Dashboard:
    today, now = today or time.today(), now or time.utcnow()
    succeeded = last_sweep()
    return Dashboard(
        **_membership_counts(today, now),
        per_residency=_per_residency(today),
        last_sweep=succeeded,
        sweep_stale=sweep_is_stale(now, succeeded),
    )
