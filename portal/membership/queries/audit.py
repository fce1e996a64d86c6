"""Browsing the membership audit log: filtered, newest first, a page at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from portal.core.time import portal_zone
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership


@dataclass(frozen=True)
class AuditFilters:
    """What the admin's audit screen filters on; every field is optional."""

    action: str | None = None
    actor_id: int | None = None
    # The member the entry is about (their account id).
    user_id: int | None = None
    # Calendar days in the portal's zone, both inclusive.
    since: date | None = None
    until: date | None = None

    def as_detail(self) -> dict[str, Any]:
        return {k: str(v) for k, v in self.__dict__.items() if v is not None}


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=portal_zone())


def audit_query(filters: AuditFilters | None = None) -> Select[AuditEntry]:
    """Newest first, with actor and member loaded (no query per row)."""
    filters = filters or AuditFilters()
    query = (
        select(AuditEntry)
        .options(joinedload(AuditEntry.actor), joinedload(AuditEntry.user))
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    )
    if filters.action:
        query = query.where(AuditEntry.action == filters.action)
    if filters.actor_id is not None:
        query = query.where(AuditEntry.actor_id == filters.actor_id)
    if filters.user_id is not None:
        query = query.where(
            or_(
                AuditEntry.user_id == filters.user_id,
                AuditEntry.membership_id.in_(
                    select(Membership.id).where(Membership.user_id == filters.user_id)
                ),
            )
        )
    if filters.since is not None:
        query = query.where(AuditEntry.at >= _day_start(filters.since))
    if filters.until is not None:
        query = query.where(AuditEntry.at < _day_start(filters.until + timedelta(1)))
    return query


def audit_page(
    filters: AuditFilters | None = None, page: int = 1, per_page: int = 50
) -> Pagination:
    return db.paginate(
        audit_query(filters), page=page, per_page=per_page, error_out=False
    )
