"""Roster import: a residency's graduates, previewed, then all or nothing.

Every line of the file (``roster_file``) is classified as new, extends, already
granted or error before anything is written; an import with any error line
writes nothing, and re-importing the same file changes nothing. Existing
accounts and memberships are loaded in a few queries (not one per line), and the
writes are a few multi-row INSERTs built by the same functions a single grant
uses (``grants.term_values``, ``grants.grant_entry``, ``grants.notify_granted``),
so a 10,000-line roster takes seconds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from portal.auth.models import MEMBER, User
from portal.core import time
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import (
    RESIDENCY,
    AuditEntry,
    MemberProfile,
    Membership,
    Residency,
    Term,
)
from portal.membership.roster_file import (
    ALREADY,
    ERROR,
    EXTENDS,
    NEW,
    RosterLine,
    read_roster,
)
from portal.membership.services import audit
from portal.membership.services.grants import (
    GrantNotice,
    TermPlan,
    apply_term,
    grant_entry,
    notify_granted,
    plan_term,
    term_values,
)
from portal.membership.services.profiles import fill_profile_blanks
from portal.membership.status import Status, derive_status, grace_days, status_on

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
        if notify and line.user is not None:
            notices.append(GrantNotice(line.user, start, end))
        if progress is not None:
            progress(1)
    db.session.execute(insert(Term), terms)
    db.session.execute(insert(AuditEntry), entries)
    notify_granted(notices, today)
    _insert_profiles(lines)
    db.session.flush()


@dataclass
class RosterPreview:
    residency: Residency
    lines: list[RosterLine] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        """Every problem, file-level first, then 'line N: ...' in file order."""
        line_errors = [
            f"line {ln.line}: {ln.problem}" for ln in self.lines if ln.outcome == ERROR
        ]
        return self.file_errors + line_errors

    @property
    def ok(self) -> bool:
        return not self.errors

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} new, {self.count(EXTENDS)} extended, "
            f"{self.count(ALREADY)} already granted, {self.count(ERROR)} with errors"
        )


class RosterError(MembershipError):
    """The roster has errors; ``preview.errors`` lists every one."""

    def __init__(self, preview: RosterPreview) -> None:
        count = len(preview.errors)
        super().__init__(
            f"The roster has {count} error{'s' if count != 1 else ''};"
            " nothing was imported."
        )
        self.preview = preview


Known = tuple[User, Membership | None, MemberProfile | None]


def _known(emails: list[str]) -> dict[str, Known]:
    """Accounts, memberships and profiles for these emails, a few queries in all."""
    found: dict[str, Known] = {}
    for chunk in chunks(emails):
        rows = db.session.execute(
            select(User, Membership, MemberProfile)
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(MemberProfile, MemberProfile.user_id == User.id)
            .where(User.email.in_(chunk))
            # The account is already in this row (no second join for it).
            .options(lazyload(Membership.user))
        ).all()
        found.update({user.email: (user, m, p) for user, m, p in rows})
    return found


def _classify(
    line: RosterLine,
    known: Known | None,
    granted: set[int],
    residency: Residency,
    start: date | None,
    today: date,
) -> None:
    line.user, line.membership, line.profile = known or (None, None, None)
    membership = line.membership
    if membership is not None and membership.is_revoked:
        line.fail(f"the membership of {line.email} is revoked; reinstate it first.")
        return
    if membership is not None and membership.id in granted:
        line.outcome = ALREADY
        return
    try:
        plan = plan_term(membership, today=today, requested=start, residency=residency)
    except MembershipError as error:
        line.fail(str(error))
        return
    line.outcome = NEW if membership is None else EXTENDS
    line.start, line.end, line.gap_days = plan.start, plan.end, plan.gap_days


def preview_roster(
    data: bytes | str,
    residency: Residency,
    *,
    start: date | None = None,
    today: date | None = None,
) -> RosterPreview:
    """What importing ``data`` would do, line by line; writes nothing."""
    today = today or time.today()
    lines, file_errors = read_roster(data)
    preview = RosterPreview(residency, lines, file_errors)
    if file_errors:
        return preview
    valid = [line for line in lines if line.outcome != ERROR]
    known = _known([line.email for line in valid])
    granted = set(
        db.session.scalars(
            select(Term.membership_id).where(Term.residency_id == residency.id)
        )
    )
    for line in valid:
        _classify(line, known.get(line.email), granted, residency, start, today)
    return preview


def import_roster(
    data: bytes | str,
    residency: Residency,
    *,
    actor: User | None,
    start: date | None = None,
    reason: str | None = None,
    today: date | None = None,
    notify: bool = True,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> RosterPreview:
    """Import the whole roster or nothing (``RosterError`` lists every problem).

    ``on_start`` is told how many lines will change (for a progress bar).
    """
    today = today or time.today()
    preview = preview_roster(data, residency, start=start, today=today)
    if not preview.ok:
        raise RosterError(preview)
    changing = [line for line in preview.lines if line.outcome in (NEW, EXTENDS)]
    if not changing:
        return preview
    if on_start is not None:
        on_start(len(changing))
    reason = reason or f"Graduated from {residency.name}"
    try:
        with db.session.begin_nested():
            apply_roster(
                changing, residency, actor=actor, reason=reason, today=today,
                notify=notify, progress=progress,
            )  # fmt: skip
            audit.record(
                audit.IMPORT,
                actor=actor,
                reason=reason,
                detail={"residency_id": residency.id, "lines": len(preview.lines),
                        "new": preview.count(NEW), "extends": preview.count(EXTENDS),
                        "already": preview.count(ALREADY)},
            )  # fmt: skip
    except IntegrityError as error:
        raise MembershipError(
            "Someone changed these memberships while the roster was importing; "
            "nothing was imported. Please import it again."
        ) from error
    return preview
