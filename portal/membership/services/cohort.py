"""Writing a roster's graduates: a cohort in a few multi-row INSERTs.

``services.roster`` has already classified every line (new or extends, with its
planned term). New accounts, memberships, terms, audit entries and mail are
written in bulk by the same functions a single grant uses
(``grants.term_values``, ``grants.grant_entry``, ``grants.notify_granted``), so
a 10,000-line roster takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import insert, select

from portal.auth.models import MEMBER, User
from portal.extensions import db
from portal.membership.models import (
    RESIDENCY,
    AuditEntry,
    MemberProfile,
    Membership,
    Residency,
    Term,
)
from portal.membership.roster_file.records import RosterLine
from portal.membership.services import audit
from portal.membership.services.grants import (
    GrantNotice,
    TermPlan,
    apply_term,
    grant_entry,
    notify_granted,
    term_values,
)
from portal.membership.services.profiles import fill_profile_blanks, profile_of
from portal.membership.status import Status, derive_status, grace_days, status_on


@dataclass(frozen=True)
class CohortMail:
    """Which mail an import sends: ``invite`` for terms still running (an
    invitation or a 'now runs through'), ``ended`` for back-dated terms that
    are already over (otherwise they are recorded silently)."""

    invite: bool = True
    ended: bool = False


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


def _new_status(plan: TermPlan, today: date) -> Status:
    return derive_status(
        start=plan.start, end=plan.end, today=today, grace_days=grace_days()
    ).status


def _insert_memberships(
    lines: list[RosterLine], residency: Residency, today: date
) -> None:
    if not lines:
        return
    rows = []
    for line in lines:
        plan = _plan(line)
        rows.append(
            {
                "user_id": _user_id(line),
                "member_since": plan.start,
                "starts_on": plan.start,
                "ends_on": plan.end,
                "first_residency_id": residency.id,
                "last_status": _new_status(plan, today).value,
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
    line: RosterLine, residency: Residency, today: date
) -> tuple[date, Status, Status]:
    """Move an existing membership (loaded); (end before, status before, after)."""
    membership = line.membership
    if membership is None:
        raise ValueError(f"line {line.line} has no membership")
    end_before = membership.ends_on
    before = status_on(membership, today).status
    apply_term(membership, _plan(line), residency.id)
    after = status_on(membership, today).status
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


def write_cohort(
    lines: list[RosterLine],
    residency: Residency,
    *,
    actor: User | None,
    reason: str,
    today: date,
    mail: CohortMail,
    progress: Callable[[int], None] | None,
) -> None:
    """Write every line's term, membership, account, profile, audit and mail."""
    _insert_accounts([line for line in lines if line.user is None])
    _insert_memberships(
        [line for line in lines if line.membership is None], residency, today
    )
    terms, entries, notices = [], [], []
    for line in lines:
        plan, user_id = _plan(line), _user_id(line)
        if line.membership is not None:
            end_before, before, after = _extend(line, residency, today)
            start, end = line.membership.starts_on, line.membership.ends_on
        else:
            end_before, before = None, None
            after = _new_status(plan, today)
            start, end = plan.start, plan.end
        term = term_values(
            line.membership_id, plan, source=RESIDENCY, residency_id=residency.id,
            actor=actor, reason=reason,
        )  # fmt: skip
        terms.append(term)
        entries.append(
            grant_entry(term, user_id, end_before=end_before, end_after=end,
                        before=before, after=after)
        )  # fmt: skip
        if line.user is not None:
            notices.append(GrantNotice(line.user, start, end, plan))
        if progress is not None:
            progress(1)
    db.session.execute(insert(Term), terms)
    db.session.execute(insert(AuditEntry), entries)
    notify_granted(notices, today, current=mail.invite, ended=mail.ended)
    _insert_profiles(lines)
    db.session.flush()


def update_profiles(
    lines: list[RosterLine], *, actor: User | None, reason: str
) -> None:
    """Overwrite names and profile fields with the file's (``line.updates``);
    each member's change is audited with what it was."""
    for line in lines:
        user = line.user
        if user is None or not line.updates:
            continue
        profile = line.profile
        for name, (_stored, value) in line.updates.items():
            if name == "name":
                user.name = value
            else:
                profile = profile or profile_of(user)
                setattr(profile, name, value)
        audit.record(
            audit.PROFILE_UPDATE,
            actor=actor,
            user=user,
            reason=reason,
            detail={
                name: {"from": stored, "to": value}
                for name, (stored, value) in line.updates.items()
            },
        )
    db.session.flush()
