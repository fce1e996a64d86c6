"""One member's membership history, as the services and the daily sweep write it.

A member's terms are planned with the portal's own rules (``term_end``,
``renewal_start``), then replayed day by day at the few dates where anything can
change, producing the ``membership`` row, the ``term`` ledger, the audit entries
(grants, extensions, revocation, suspension, the sweep's status changes) and the
sweep's reminder claims.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from portal.membership.models import EXTENSION, GRANT, RESIDENCY
from portal.membership.services.grants import grant_detail
from portal.membership.status import Status, derive_status
from portal.membership.terms import reminder_kind, term_end

GRACE = 30
RENEW_CHANCE = 0.55
DAY = timedelta(days=1)
SWEEP_AT = time(0, 5, tzinfo=UTC)


def at(day: date, clock: time = time(10, 0, tzinfo=UTC)) -> datetime:
    return datetime.combine(day, clock)


@dataclass(frozen=True)
class TermPlan:
    start: date
    end: date
    source: str
    created: datetime
    gap_days: int | None = None
    residency_id: int | None = None
    reason: str | None = None


@dataclass
class History:
    """A member's terms and the flags an admin set; ``replay`` writes the rows."""

    terms: list[TermPlan]
    revoked_at: datetime | None = None
    suspended_at: datetime | None = None
    suspended_until: date | None = None
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def run_on(self, when: datetime) -> tuple[date | None, date | None]:
        """``starts_on``/``ends_on`` as they stood at ``when`` (``apply_term``)."""
        known = [t for t in self.terms if t.created <= when]
        if not known:
            return None, None
        start, end = known[0].start, known[0].end
        for term in known[1:]:
            if term.gap_days or term.start < start:
                start = term.start
            end = max(end, term.end)
        return start, end

    def status_on(self, when: datetime) -> Status:
        start, end = self.run_on(when)
        revoked = self.revoked_at is not None and self.revoked_at <= when
        suspended = None
        if self.suspended_at is not None and self.suspended_at <= when:
            suspended = self.suspended_until
        return derive_status(
            start=start,
            end=end,
            today=when.date(),
            revoked=revoked,
            suspended_until=suspended,
            grace_days=GRACE,
        ).status

    def posting_windows(self, now: datetime) -> list[tuple[datetime, datetime]]:
        """When the member could post: each run of terms, cut at revocation or
        suspension."""
        cut = min(x for x in (self.revoked_at, self.suspended_at, now) if x)
        windows: list[tuple[datetime, datetime]] = []
        for term in sorted(self.terms, key=lambda t: t.start):
            midnight = time(0, tzinfo=UTC)
            start, end = at(term.start, midnight), at(term.end + DAY, midnight)
            start = max(start, term.created)
            if windows and start <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(windows[-1][1], end))
            else:
                windows.append((start, end))
        return [(s, min(e, cut)) for s, e in windows if s < cut]


def plan_history(
    rng: random.Random,
    first: TermPlan,
    today: date,
    keep_current: bool = False,
) -> History:
    """The first term, then renewals (on time, in grace, or after a break)."""
    terms, end = [first], first.end
    while keep_current or rng.random() < RENEW_CHANCE:
        if keep_current and end > today + timedelta(days=90):
            break
        if keep_current or rng.random() < 0.8:
            decided = end + timedelta(days=rng.randint(-45, 25))
            if decided >= today:
                break
            start = end + DAY
            plan = TermPlan(
                start,
                term_end(start),
                EXTENSION,
                at(decided),
                reason="Renewed for another year",
            )
        else:
            start = end + timedelta(days=rng.randint(GRACE + 1, 400))
            if start >= today:
                break
            plan = TermPlan(
                start,
                term_end(start),
                GRANT,
                at(start),
                gap_days=(start - end).days - 1,
                reason="Came back to the network",
            )
        terms.append(plan)
        end = max(end, plan.end)
    return History(terms)


def _candidate_days(history: History, today: date) -> list[date]:
    days: set[date] = set()
    for term in history.terms:
        days |= {term.start, term.end + DAY, term.end + timedelta(days=GRACE + 1)}
        days |= {term.end - timedelta(days=30), term.end - timedelta(days=7)}
    if history.suspended_until is not None:
        days.add(history.suspended_until + DAY)
    return sorted(d for d in days if d <= today)


def replay(
    history: History,
    membership_id: int,
    user_id: int,
    admin_id: int,
    today: date,
    now: datetime,
) -> dict[str, Any]:
    """Audit and reminder rows into ``history.rows``; returns the membership row."""
    audit: list[dict[str, Any]] = history.rows.setdefault("membership_audit", [])
    reminders = history.rows.setdefault("membership_reminder", [])
    services = [(t.created, "term", t) for t in history.terms]
    if history.revoked_at:
        services.append((history.revoked_at, "revoke", None))
    if history.suspended_at:
        services.append((history.suspended_at, "suspend", None))
    sweeps = [(at(d, SWEEP_AT), "sweep", None) for d in _candidate_days(history, today)]
    events = sorted(services + sweeps, key=lambda e: (e[0], e[1] != "sweep"))
    last: str | None = None
    claimed: set[tuple[date, str]] = set()

    def entry(when: datetime, action: str, **values: Any) -> None:
        end = history.run_on(when)[1]
        audit.append(
            {
                "at": when,
                "action": action,
                "actor_id": None,
                "membership_id": membership_id,
                "user_id": user_id,
                "reason": None,
                "end_before": end,
                "end_after": end,
                "detail": {},
                **values,
            }
        )

    for when, kind, term in events:
        if when > now:
            continue
        day, just_before = when.date(), when - timedelta(seconds=1)
        before = history.status_on(just_before) if last is not None else None
        after = history.status_on(when)
        if kind == "term" and term is not None:
            end_before = history.run_on(just_before)[1]
            entry(
                when,
                "extend" if term.source == EXTENSION else "grant",
                actor_id=admin_id,
                reason=term.reason,
                end_before=end_before,
                detail=grant_detail(
                    term.source,
                    term.start,
                    term.residency_id,
                    term.gap_days,
                    before,
                    after,
                ),
            )
        elif kind == "revoke":
            entry(
                when,
                "revoke",
                actor_id=admin_id,
                reason="Left the profession",
                detail=_change(before, after),
            )
        elif kind == "suspend":
            entry(
                when,
                "suspend",
                actor_id=admin_id,
                reason="Posted patient details",
                detail={
                    **_change(before, after),
                    "until": str(history.suspended_until),
                },
            )
        elif history.run_on(when)[0] is not None:
            if after.value != last:
                entry(when, "status_change", detail={"from": last, "to": after.value})
            _claim_reminder(history, day, when, membership_id, reminders, claimed)
        last = after.value
    start, end = history.run_on(now)
    if start is None or end is None:
        raise ValueError(f"membership {membership_id} has no term")
    return {
        "id": membership_id,
        "user_id": user_id,
        "member_since": min(t.start for t in history.terms),
        "starts_on": start,
        "ends_on": end,
        "first_residency_id": history.terms[0].residency_id,
        "revoked_at": history.revoked_at,
        "revoked_reason": "Left the profession" if history.revoked_at else None,
        "suspended_until": history.suspended_until,
        "suspended_reason": "Posted patient details" if history.suspended_at else None,
        "last_status": last,
        "created_at": history.terms[0].created,
    }


def _change(before: Status | None, after: Status) -> dict[str, Any]:
    return {
        "status_before": before.value if before else None,
        "status_after": after.value,
    }


def _claim_reminder(
    history: History,
    day: date,
    when: datetime,
    membership_id: int,
    reminders: list[dict[str, Any]],
    claimed: set[tuple[date, str]],
) -> None:
    """What ``sweep._send_reminders`` claims on ``day`` (never revoked/suspended)."""
    start, end = history.run_on(when)
    status = history.status_on(when)
    if start is None or end is None or start > day:
        return
    if status in (Status.REVOKED, Status.SUSPENDED):
        return
    kind = reminder_kind(end, day, GRACE)
    if kind is not None and (end, kind) not in claimed:
        claimed.add((end, kind))
        reminders.append(
            {
                "membership_id": membership_id,
                "term_end": end,
                "kind": kind,
                "claimed_at": when,
            }
        )


def term_rows(
    history: History, membership_id: int, admin_id: int
) -> list[dict[str, Any]]:
    return [
        {
            "membership_id": membership_id,
            "starts_on": t.start,
            "ends_on": t.end,
            "source": t.source,
            "residency_id": t.residency_id,
            "granted_by_id": admin_id,
            "reason": t.reason,
            "gap_days": t.gap_days,
            "created_at": t.created,
        }
        for t in sorted(history.terms, key=lambda t: t.created)
    ]


__all__ = ["GRANT", "RESIDENCY", "History", "TermPlan", "plan_history", "replay"]
