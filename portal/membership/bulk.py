"""Writing a previewed roster in bulk: a few multi-row INSERTs, not one per line.

The rules are the services' (``plan_term``, ``apply_term``, ``grant_detail``,
``notify_granted``); only the writing is batched, so a 10,000-line roster costs a
handful of statements.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select

from portal.auth.models import MEMBER, User
from portal.extensions import db
from portal.membership import audit
from portal.membership.models import (
    RESIDENCY,
    AuditEntry,
    MemberProfile,
    Membership,
    Residency,
    Term,
)
from portal.membership.planning import TermPlan, apply_term, grace_days
from portal.membership.profiles import fill_profile_blanks
from portal.membership.services import grant_detail, notify_granted
from portal.membership.terms import Status, derive_status

if TYPE_CHECKING:
    from portal.membership.importer import RosterLine

CHUNK = 900  # stays under every database's limit on bound parameters


def chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for index in range(0, len(items), CHUNK):
        yield items[index : index + CHUNK]


def _plan(line: RosterLine) -> TermPlan:
    if line.start is None or line.end is None:
        raise ValueError(f"line {line.line} has no planned term")
    return TermPlan(line.start, line.end, line.gap_days)


def _insert_accounts(lines: list[RosterLine]) -> None:
    """New graduates get accounts (no password: they claim them by invitation)."""
    if not lines:
        return
    rows = [{"email": ln.email, "name": ln.name, "role": MEMBER} for ln in lines]
    db.session.execute(insert(User), rows)
    users: dict[str, User] = {}
    for chunk in chunks([line.email for line in lines]):
        users.update(
            (user.email, user)
            for user in db.session.scalars(select(User).where(User.email.in_(chunk)))
        )
    for line in lines:
        line.user = users[line.email]


def _user_id(line: RosterLine) -> int:
    if line.user is None:
        raise ValueError(f"line {line.line} has no account")
    return line.user.id


def _insert_memberships(
    lines: list[RosterLine], residency: Residency, today: date, grace: int
) -> None:
    if not lines:
        return
    rows = []
    for line in lines:
        plan = _plan(line)
        status = derive_status(
            start=plan.start, end=plan.end, today=today, grace_days=grace
        ).status
        rows.append(
            {
                "user_id": _user_id(line),
                "member_since": plan.start,
                "starts_on": plan.start,
                "ends_on": plan.end,
                "first_residency_id": residency.id,
                "last_status": status.value,
            }
        )
    db.session.execute(insert(Membership), rows)
    ids: dict[int, int] = {}
    for chunk in chunks([row["user_id"] for row in rows]):
        ids.update(
            (user_id, membership_id)
            for membership_id, user_id in db.session.execute(
                select(Membership.id, Membership.user_id).where(
                    Membership.user_id.in_(chunk)
                )
            )
        )
    for line in lines:
        line.membership_id = ids[_user_id(line)]


def _extend(
    line: RosterLine, residency: Residency, today: date, grace: int
) -> tuple[date, Status, Status]:
    """Move an existing membership (loaded); (end before, status before, after)."""
    membership = line.membership
    if membership is None:
        raise ValueError(f"line {line.line} has no membership")
    end_before = membership.ends_on
    before = membership.status_on(today, grace).status
    apply_term(membership, _plan(line), residency.id)
    after = membership.status_on(today, grace).status
    membership.last_status = after.value
    line.membership_id = membership.id
    return end_before, before, after


def _insert_profiles(lines: list[RosterLine]) -> None:
    rows: list[dict[str, Any]] = []
    for line in lines:
        if line.profile is not None:
            fill_profile_blanks(
                line.user,  # type: ignore[arg-type]
                organisation=line.organisation,
                title=line.title,
                profile=line.profile,
            )
        elif line.organisation or line.title:
            rows.append(
                {
                    "user_id": _user_id(line),
                    "organisation": line.organisation,
                    "title": line.title,
                    "platforms": [],
                    "directory_opt_in": False,
                }
            )
    if rows:
        db.session.execute(insert(MemberProfile), rows)


def apply_roster(
    lines: list[RosterLine],
    residency: Residency,
    *,
    actor: User | None,
    reason: str,
    today: date,
    notify: bool,
    progress: Callable[[int], None] | None,
) -> None:
    """Write every line's term, membership, account, profile, audit and mail."""
    grace = grace_days()
    _insert_accounts([line for line in lines if line.user is None])
    _insert_memberships(
        [line for line in lines if line.membership is None], residency, today, grace
    )
    terms, entries = [], []
    for line in lines:
        plan, user_id = _plan(line), _user_id(line)
        if line.membership is not None:
            end_before, before, after = _extend(line, residency, today, grace)
            start, end = line.membership.starts_on, line.membership.ends_on
        else:
            end_before, before = None, None
            after = derive_status(
                start=plan.start, end=plan.end, today=today, grace_days=grace
            ).status
            start, end = plan.start, plan.end
        terms.append(
            {
                "membership_id": line.membership_id,
                "starts_on": plan.start,
                "ends_on": plan.end,
                "source": RESIDENCY,
                "residency_id": residency.id,
                "granted_by_id": actor.id if actor else None,
                "reason": reason,
                "gap_days": plan.gap_days,
            }
        )
        entries.append(
            {
                "action": audit.GRANT,
                "actor_id": actor.id if actor else None,
                "membership_id": line.membership_id,
                "user_id": user_id,
                "reason": reason,
                "end_before": end_before,
                "end_after": end,
                "detail": grant_detail(
                    RESIDENCY, plan.start, residency.id, plan.gap_days, before, after
                ),
            }
        )
        if notify and line.user is not None:
            notify_granted(line.user, start, end, today)
        if progress is not None:
            progress(1)
    db.session.execute(insert(Term), terms)
    db.session.execute(insert(AuditEntry), entries)
    _insert_profiles(lines)
    db.session.flush()
