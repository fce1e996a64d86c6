"""CSV exports for admins; each export is itself recorded in the audit log."""

from __future__ import annotations

import csv
import io
from datetime import date

from portal.auth.models import User
from portal.core.spreadsheets import csv_cell
from portal.extensions import db
from portal.membership.models import AuditEntry
from portal.membership.queries.audit import AuditFilters, audit_query
from portal.membership.queries.members import MemberFilters, member_rows
from portal.membership.services import audit

# The roster import's column names first, so an export imports back unchanged
# (the import ignores the columns after them: roster_file/columns.EXPORT_ONLY).
MEMBER_CSV_COLUMNS = {
    "email": "email",
    "name": "name",
    "organization": "organisation",
    "title": "title",
    "residency": "residency",
    "member_since": "member_since",
    "start": "start",
    "end": "end",
    "status": "status",
    "expiring": "expiring",
    "claimed": "claimed",
}


def _cell_text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def export_members_csv(
    filters: MemberFilters | None, *, actor: User | None, today: date | None = None
) -> str:
    """The filtered members as CSV; the export is recorded (caller commits).

    The text has no byte-order mark: whoever writes it to a file adds one
    (``spreadsheets.csv_download``, ``flask members export``)."""
    filters = filters or MemberFilters()
    rows = member_rows(filters, today)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(MEMBER_CSV_COLUMNS))
    for row in rows:
        cells = [_cell_text(getattr(row, name)) for name in MEMBER_CSV_COLUMNS.values()]
        writer.writerow([csv_cell(cell) for cell in cells])
    detail = {k: str(v) for k, v in filters.__dict__.items() if v is not None}
    audit.record(
        audit.EXPORT,
        actor=actor,
        detail={"what": "members", "rows": len(rows), **detail},
    )
    return out.getvalue()


AUDIT_CSV_COLUMNS = (
    "time",
    "action",
    "actor",
    "member",
    "reason",
    "end_before",
    "end_after",
    "detail",
)


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
    writer.writerow(AUDIT_CSV_COLUMNS)
    count = 0
    for entry in db.session.scalars(audit_query(filters)):
        writer.writerow(_csv_row(entry))
        count += 1
    audit.record(
        audit.EXPORT,
        actor=actor,
        detail={"what": "audit", "rows": count, **filters.as_detail()},
    )
    return out.getvalue()
