"""Roster import: a residency's graduates, previewed, then all or nothing.

Every line of the file (``roster_file``) is classified as new, extends, already
granted or error before anything is written; an import with any error line
writes nothing, and re-importing the same file changes nothing unless the admin
asks to overwrite the names and profiles that differ. Existing accounts and
memberships are loaded in a few queries (not one per line); ``cohort`` writes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from portal.auth.models import User
from portal.core import time
from portal.core.templating import counted
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import MemberProfile, Membership, Residency, Term
from portal.membership.roster_file.records import (
    ALREADY,
    ERROR,
    EXTENDS,
    NEW,
    RosterFile,
    RosterLine,
    read_roster,
)
from portal.membership.services import audit
from portal.membership.services.cohort import (
    CohortMail,
    chunks,
    update_profiles,
    write_cohort,
)
from portal.membership.services.grants import plan_term


@dataclass
class RosterPreview:
    residency: Residency
    today: date
    file: RosterFile = field(default_factory=RosterFile)

    @property
    def lines(self) -> list[RosterLine]:
        return self.file.lines

    @property
    def file_errors(self) -> list[str]:
        return self.file.errors

    @property
    def warnings(self) -> list[str]:
        return self.file.warnings

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

    @property
    def changes(self) -> int:
        """Lines that get a term."""
        return self.count(NEW) + self.count(EXTENDS)

    @property
    def updates(self) -> int:
        """Members whose name or profile the file would overwrite, if asked."""
        return sum(1 for line in self.lines if line.updates)

    def ended(self, line: RosterLine) -> bool:
        """The line's new term is already over (a back-dated cohort)."""
        return (
            line.outcome in (NEW, EXTENDS)
            and line.end is not None
            and (line.end < self.today)
        )

    @property
    def ended_count(self) -> int:
        return sum(1 for line in self.lines if self.ended(line))

    def summary(self) -> str:
        return (
            f"{self.count(NEW)} new, {self.count(EXTENDS)} extended, "
            f"{self.count(ALREADY)} already granted, {self.count(ERROR)} with errors"
        )


class RosterError(MembershipError):
    """The roster has errors; ``preview.errors`` lists every one."""

    def __init__(self, preview: RosterPreview) -> None:
        super().__init__(
            f"The roster has {counted(len(preview.errors), 'error')};"
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


def _updates(line: RosterLine) -> dict[str, tuple[str | None, str]]:
    """What the file would overwrite. An empty cell never erases; an empty
    profile field of a line that gets a term is filled anyway (not an update)."""
    if line.user is None:
        return {}
    profile = line.profile
    fills = line.outcome in (NEW, EXTENDS)
    found: dict[str, tuple[str | None, str]] = {}
    for name, value, stored in (
        ("name", line.name, line.user.name),
        ("organisation", line.organisation, profile.organisation if profile else None),
        ("title", line.title, profile.title if profile else None),
    ):
        if value and value != stored and (stored or not fills):
            found[name] = (stored or None, value)
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
        line.updates = _updates(line)
        return
    try:
        plan = plan_term(membership, today=today, requested=start, residency=residency)
    except MembershipError as error:
        line.fail(str(error))
        return
    line.outcome = NEW if membership is None else EXTENDS
    line.start, line.end, line.gap_days = plan.start, plan.end, plan.gap_days
    line.updates = _updates(line)


def preview_roster(
    data: bytes | str,
    residency: Residency,
    *,
    start: date | None = None,
    today: date | None = None,
) -> RosterPreview:
    """What importing ``data`` would do, line by line; writes nothing."""
    today = today or time.today()
    preview = RosterPreview(residency, today, read_roster(data))
    if preview.file_errors:
        return preview
    valid = [line for line in preview.lines if line.outcome != ERROR]
    known = _known([line.email for line in valid])
    granted = set(
        db.session.scalars(
            select(Term.membership_id).where(Term.residency_id == residency.id)
        )
    )
    for line in valid:
        _classify(line, known.get(line.email), granted, residency, start, today)
    return preview


def _audit_import(
    preview: RosterPreview, actor: User | None, reason: str, profiles: int
) -> None:
    detail = {
        "residency_id": preview.residency.id,
        "lines": len(preview.lines),
        "new": preview.count(NEW),
        "extends": preview.count(EXTENDS),
        "already": preview.count(ALREADY),
    }
    if profiles:
        detail["profiles_updated"] = profiles
    audit.record(audit.IMPORT, actor=actor, reason=reason, detail=detail)


def import_roster(
    data: bytes | str,
    residency: Residency,
    *,
    actor: User | None,
    start: date | None = None,
    reason: str | None = None,
    today: date | None = None,
    mail: CohortMail | None = None,
    overwrite_profiles: bool = False,
    on_start: Callable[[int], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> RosterPreview:
    """Import the whole roster or nothing (``RosterError`` lists every problem).

    ``mail`` says which mail goes out (default: invitations, nothing for terms
    already over); ``overwrite_profiles`` replaces names and profile fields that
    differ from the file's. ``on_start`` is told how many lines get a term.
    """
    today = today or time.today()
    preview = preview_roster(data, residency, start=start, today=today)
    if not preview.ok:
        raise RosterError(preview)
    changing = [line for line in preview.lines if line.outcome in (NEW, EXTENDS)]
    profiles = preview.updates if overwrite_profiles else 0
    if not changing and not profiles:
        return preview
    if on_start is not None:
        on_start(len(changing))
    reason = reason or f"Graduated from {residency.name}"
    try:
        with db.session.begin_nested():
            if changing:
                write_cohort(
                    changing, residency, actor=actor, reason=reason, today=today,
                    mail=mail or CohortMail(), progress=progress,
                )  # fmt: skip
            if profiles:
                update_profiles(preview.lines, actor=actor, reason=reason)
            _audit_import(preview, actor, reason, profiles)
    except IntegrityError as error:
        raise MembershipError(
            "Someone changed these memberships while the roster was importing; "
            "nothing was imported. Please import it again."
        ) from error
    return preview
