"""The daily sweep: status transitions into the audit log, and reminder mail.

Safe to run twice, late, or in two processes at once:

- reminders are chosen by date window (``terms.reminder_kind``), so missed days
  catch up with the reminder due now and never a stale one;
- each reminder is claimed by inserting its (membership, term end, kind) key
  with ON CONFLICT DO NOTHING before its mail is queued in the same transaction:
  a second sweep waits for the first one's commit and then finds the key taken;
- a transition is recorded only by the UPDATE that actually moves
  ``last_status`` from the value it read.

Rows are visited in id order so two concurrent sweeps take locks in the same
order and cannot deadlock. The caller commits once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update

from portal.core import time
from portal.core.atomic import insert_ignore
from portal.core.db import conflict_insert
from portal.core.models import JobHeartbeat
from portal.extensions import db
from portal.membership import email as membership_mail
from portal.membership.models import AuditEntry, Membership, Reminder
from portal.membership.queries.dashboard import SWEEP_JOB
from portal.membership.services import audit
from portal.membership.status import grace_days, status_expression
from portal.membership.terms import FIRST_REMINDER_DAYS, ReminderKind, reminder_kind

Progress = Callable[[int], None]


@dataclass
class SweepReport:
    today: date
    transitions: int = 0
    reminders: int = 0
    already_sent: int = 0

    def __str__(self) -> str:
        return (
            f"{self.today.isoformat()}: {self.transitions} status changes recorded, "
            f"{self.reminders} reminders queued, {self.already_sent} already sent"
        )


def claim_reminder(membership_id: int, term_end: date, kind: str) -> bool:
    """True only for the one transaction that records this reminder first."""
    return insert_ignore(
        Reminder,
        membership_id=membership_id,
        term_end=term_end,
        kind=kind,
        claimed_at=time.utcnow(),
    )


def _record_transitions(today: date, grace: int, report: SweepReport) -> None:
    status_now = status_expression(today, grace)
    changed = db.session.execute(
        select(Membership.id, Membership.user_id, Membership.last_status,
               Membership.ends_on, status_now.label("now"))
        .where(Membership.last_status.is_distinct_from(status_now))
        .order_by(Membership.id)
    ).all()  # fmt: skip
    for row in changed:
        if _move_status(row.id, row.last_status, row.now):
            db.session.add(
                AuditEntry(
                    action=audit.STATUS_CHANGE,
                    actor_id=None,
                    membership_id=row.id,
                    user_id=row.user_id,
                    end_before=row.ends_on,
                    end_after=row.ends_on,
                    detail={"from": row.last_status, "to": row.now},
                )
            )
            report.transitions += 1


def _move_status(membership_id: int, before: str | None, after: str) -> bool:
    """Compare-and-set, so a concurrent sweep records each transition once."""
    result = db.session.execute(
        update(Membership)
        .where(
            Membership.id == membership_id,
            Membership.last_status.is_not_distinct_from(before),
        )
        .values(last_status=after)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


def due_reminders(today: date, grace: int) -> list[Membership]:
    """Members whose run ends within the reminder windows: neither revoked nor
    suspended, and not yet started members are left out by the dates."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(
                Membership.revoked_at.is_(None),
                (Membership.suspended_until.is_(None))
                | (Membership.suspended_until < today),
                Membership.starts_on <= today,
                Membership.ends_on >= today - timedelta(days=grace),
                Membership.ends_on <= today + timedelta(days=FIRST_REMINDER_DAYS),
            )
            .order_by(Membership.id)
        )
    )


def _send_reminders(
    members: Iterable[Membership],
    today: date,
    grace: int,
    report: SweepReport,
    progress: Progress | None,
) -> None:
    for membership in members:
        kind: ReminderKind | None = reminder_kind(membership.ends_on, today, grace)
        if kind is not None:
            if claim_reminder(membership.id, membership.ends_on, kind):
                membership_mail.send_reminder(
                    membership.user, kind, membership.ends_on, today
                )
                report.reminders += 1
            else:
                report.already_sent += 1
        if progress is not None:
            progress(1)


def record_heartbeat(now: datetime, detail: str) -> None:
    dialect = db.session.get_bind().dialect.name
    statement = (
        conflict_insert(JobHeartbeat, dialect)
        .values(name=SWEEP_JOB, succeeded_at=now, detail=detail)
        .on_conflict_do_update(
            index_elements=["name"], set_={"succeeded_at": now, "detail": detail}
        )
    )
    db.session.execute(statement)


def run_sweep(
    today: date | None = None,
    *,
    now: datetime | None = None,
    on_start: Callable[[int], None] | None = None,
    progress: Progress | None = None,
) -> SweepReport:
    """One daily run; flushes only, the caller commits.

    ``on_start`` is told how many members will be visited (for a progress bar).
    """
    today = today or time.today()
    grace = grace_days()
    report = SweepReport(today)
    _record_transitions(today, grace, report)
    members = due_reminders(today, grace)
    if on_start is not None:
        on_start(len(members))
    _send_reminders(members, today, grace, report, progress)
    db.session.flush()
    record_heartbeat(now or time.utcnow(), str(report))
    return report
