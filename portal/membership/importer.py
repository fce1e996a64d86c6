"""Roster import: a residency's graduates from CSV, previewed, then all or nothing.

The file is UTF-8 (a byte-order mark is fine) with a header row naming the
columns ``email,name[,organization,title]``. Every line is classified as new,
extends, already granted or error before anything is written; an import with
any error line writes nothing, and re-importing the same file changes nothing.
Existing accounts and memberships are loaded in a few queries (not one per
line), so a 10,000-line roster takes seconds.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from portal.auth.models import User, normalise_email
from portal.core import time
from portal.extensions import db
from portal.membership import audit
from portal.membership.bulk import apply_roster, chunks
from portal.membership.errors import MembershipError
from portal.membership.models import (
    MemberProfile,
    Membership,
    Residency,
    Term,
)
from portal.membership.planning import grace_days, plan_term
from portal.membership.validation import clean_text, email_problem

NEW, EXTENDS, ALREADY, ERROR = "new", "extends", "already granted", "error"
OUTCOMES = (NEW, EXTENDS, ALREADY, ERROR)
COLUMNS = {
    "email": "email",
    "name": "name",
    "organization": "organisation",
    "organisation": "organisation",
    "title": "title",
}
HEADER_HELP = "email,name and optionally organization,title"


@dataclass
class RosterLine:
    """One graduate line of the file and what importing it would do."""

    line: int
    email: str
    name: str
    organisation: str | None = None
    title: str | None = None
    outcome: str = NEW
    problem: str | None = None
    start: date | None = None
    end: date | None = None
    gap_days: int | None = None
    user: User | None = field(default=None, repr=False)
    membership: Membership | None = field(default=None, repr=False)
    membership_id: int | None = None
    profile: MemberProfile | None = field(default=None, repr=False)

    def fail(self, problem: str) -> None:
        self.outcome, self.problem = ERROR, problem


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


def _text_of(data: bytes | str) -> str:
    if isinstance(data, bytes):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"The file is not UTF-8 text (bad byte at position {error.start}); "
                "save it as 'CSV UTF-8' and try again."
            ) from error
    return data.removeprefix("\ufeff")


def _header_problems(header: list[str]) -> list[str]:
    problems = []
    for position, name in enumerate(header, start=1):
        if not name:
            problems.append(f"Column {position} has no name in the header row.")
    unknown = [name for name in header if name and name not in COLUMNS]
    if unknown:
        problems.append(
            f"Unknown columns: {', '.join(unknown)}. The columns are {HEADER_HELP}."
        )
    fields = [COLUMNS.get(name) for name in header]
    missing = [name for name in ("email", "name") if name not in fields]
    if missing:
        problems.append(
            f"The header row must name the columns {HEADER_HELP} "
            f"(missing: {', '.join(missing)})."
        )
    repeated = {f for f in fields if f and fields.count(f) > 1}
    if repeated:
        problems.append(f"Columns named twice: {', '.join(sorted(repeated))}.")
    return problems


def _read_line(line_no: int, header: list[str], record: list[str]) -> RosterLine:
    values = {
        COLUMNS.get(name): value for name, value in zip(header, record, strict=False)
    }
    line = RosterLine(line_no, (values.get("email") or "").strip(), "")
    if len(record) > len(header):
        line.fail(f"it has {len(record)} values but the header has {len(header)}.")
        return line
    problem = email_problem(line.email)
    if problem:
        line.fail(problem)
        return line
    line.email = normalise_email(line.email)
    try:
        line.name = clean_text(values.get("name"), "The name", 120, required=True) or ""
        line.organisation = clean_text(
            values.get("organisation"), "The organization", 200
        )
        line.title = clean_text(values.get("title"), "The title", 200)
    except ValueError as error:
        line.fail(str(error))
    return line


def read_roster(data: bytes | str) -> tuple[list[RosterLine], list[str]]:
    """Parse and check each line on its own (no database): (lines, file errors)."""
    try:
        text = _text_of(data)
    except ValueError as error:
        return [], [str(error)]
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if not any(header):
        return [], [f"The file is empty: it needs a header row ({HEADER_HELP})."]
    problems = _header_problems(header)
    if problems:
        return [], problems
    lines: list[RosterLine] = []
    first_line: dict[str, int] = {}
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        line = _read_line(reader.line_num, header, record)
        if line.outcome != ERROR:
            if line.email in first_line:
                line.fail(f"{line.email} is also on line {first_line[line.email]}.")
            else:
                first_line[line.email] = line.line
        lines.append(line)
    if not lines:
        return [], ["The file has a header row but no graduates."]
    return lines, []


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
        plan = plan_term(
            membership, today=today, requested=start, residency=residency,
            grace=grace_days(),
        )  # fmt: skip
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
