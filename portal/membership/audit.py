"""The membership audit log: append, browse, export. Nothing updates or deletes it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, or_, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.core.time import portal_zone
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership

GRANT, EXTEND, REVOKE, SUSPEND, REINSTATE = (
    "grant",
    "extend",
    "revoke",
    "suspend",
    "reinstate",
)
IMPORT, ROLE_CHANGE, STATUS_CHANGE, EXPORT = (
    "import",
    "role_change",
    "status_change",
    "export",
)
RESIDENCY_ADD, INVITATION_RESEND, EMAIL_CORRECT = (
    "residency_add",
    "invitation_resend",
    "email_correct",
)
ACTIONS = (
    GRANT,
    EXTEND,
    REVOKE,
    SUSPEND,
    REINSTATE,
    IMPORT,
    ROLE_CHANGE,
    STATUS_CHANGE,
    EXPORT,
    RESIDENCY_ADD,
    INVITATION_RESEND,
    EMAIL_CORRECT,
)
CSV_COLUMNS = (
    "time",
    "action",
    "actor",
    "member",
    "reason",
    "end_before",
    "end_after",
    "detail",
)


def record(
    action: str,
    *,
    actor: User | None,
    membership: Membership | None = None,
    user: User | None = None,
    reason: str | None = None,
    end_before: date | None = None,
    end_after: date | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the session; the caller's commit keeps it with the change."""
    if user is None and membership is not None:
        user = membership.user
    entry = AuditEntry(
        action=action,
        actor=actor,
        membership=membership,
        user=user,
        reason=reason,
        end_before=end_before,
        end_after=end_after,
        detail=detail or {},
    )
    db.session.add(entry)
    return entry


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


def csv_cell(value: str) -> str:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv_row(entry: AuditEntry) -> list[str]:
    cells = [
        entry.at.isoformat(),
        entry.action,
        entry.actor.email if entry.actor else "system",
        entry.user.email if entry.user else "",
        entry.reason or "",
        entry.end_before.isoformat() if entry.end_before else "",
        entry.end_after.isoformat() if entry.end_after else "",
        " ".join(f"{k}={v}" for k, v in sorted((entry.detail or {}).items())),
    ]
    return [csv_cell(cell) for cell in cells]


def export_audit_csv(filters: AuditFilters | None, *, actor: User | None) -> str:
    """The filtered log as CSV; the export itself is recorded (caller commits)."""
    filters = filters or AuditFilters()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for entry in db.session.scalars(audit_query(filters)):
        writer.writerow(_csv_row(entry))
        count += 1
    record(
        EXPORT,
        actor=actor,
        detail={"what": "audit", "rows": count, **filters.as_detail()},
    )
    return out.getvalue()
