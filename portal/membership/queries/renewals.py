"""Renewal requests as the member's page and the admin's queue and badge read them.

The admins' badge count comes with the signed-in account (``add_user_extra``):
a CASE that only an admin's row evaluates, over the partial unique index of
open requests, so members pay nothing and admins no extra statement.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import joinedload

from portal.auth.models import ADMIN, User
from portal.auth.queries import add_user_extra
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership, RenewalRequest
from portal.membership.services import audit
from portal.membership.status import Status

QUEUE_LENGTH = 50
OPEN_COUNT_EXTRA = "open_renewal_requests"


def _open() -> ColumnElement[bool]:
    return RenewalRequest.decided_at.is_(None)


def open_count() -> int:
    return int(
        db.session.scalar(
            select(func.count()).select_from(RenewalRequest).where(_open())
        )
        or 0
    )


def _open_count_column() -> ColumnElement[Any]:
    count = select(func.count()).select_from(RenewalRequest).where(_open())
    return case((User.role == ADMIN, count.scalar_subquery()), else_=0)


add_user_extra(OPEN_COUNT_EXTRA, _open_count_column)


def open_requests(limit: int = QUEUE_LENGTH) -> list[RenewalRequest]:
    """The admin's queue, oldest first, with each member and membership."""
    return list(
        db.session.scalars(
            select(RenewalRequest)
            .where(_open())
            .options(joinedload(RenewalRequest.membership))
            .order_by(RenewalRequest.created_at, RenewalRequest.id)
            .limit(limit)
        )
    )


def open_request_of(membership_id: int) -> RenewalRequest | None:
    return db.session.scalar(
        select(RenewalRequest).where(
            RenewalRequest.membership_id == membership_id, _open()
        )
    )


def latest_request(membership_id: int) -> RenewalRequest | None:
    """The member's newest request, open or decided (their page shows it)."""
    return db.session.scalar(
        select(RenewalRequest)
        .where(RenewalRequest.membership_id == membership_id)
        .order_by(RenewalRequest.id.desc())
        .limit(1)
    )


STANDING_ACTIONS = {Status.REVOKED: audit.REVOKE, Status.SUSPENDED: audit.SUSPEND}


def shared_reason(membership: Membership, status: Status) -> str | None:
    """The reason of a revocation or suspension in force, if the admin told the
    member (``reason_told`` in its audit entry); otherwise None."""
    action = STANDING_ACTIONS.get(status)
    if action is None:
        return None
    entry = db.session.scalar(
        select(AuditEntry)
        .where(AuditEntry.membership_id == membership.id, AuditEntry.action == action)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    )
    if entry is None or not (entry.detail or {}).get("reason_told"):
        return None
    return entry.reason
