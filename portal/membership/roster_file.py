"""Reading a roster file: a residency's graduates, one line each.

The file is UTF-8 (a byte-order mark is fine) with a header row naming the
columns ``email,name[,organization,title]``. Each line is checked on its own,
without the database; ``services.roster`` decides what importing it would do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date

from portal.auth.models import User, normalise_email
from portal.core.validation import clean_text, email_problem
from portal.membership.models import MemberProfile, Membership

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
