"""Each graduate of the roster, checked on its own (without the database).

A record is numbered by the physical line it starts on, so a name that spans
lines (Alt+Enter in Excel) does not shift the numbers of the records after it;
its line breaks become spaces. ``services.roster`` decides what importing each
record would do.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from portal.auth.models import User, normalise_email
from portal.core.spreadsheets import cell_value
from portal.core.validation import clean_text, email_problem
from portal.membership.models import MemberProfile, Membership
from portal.membership.roster_file.columns import (
    DELIMITERS,
    EMAIL,
    FIRST,
    HEADER_HELP,
    LAST,
    NAME,
    ORGANISATION,
    TITLE,
    Columns,
    read_header,
    sniff_delimiter,
)
from portal.membership.roster_file.text import NotText, decode_roster

NEW, EXTENDS, ALREADY, ERROR = "new", "extends", "already granted", "error"
OUTCOMES = (NEW, EXTENDS, ALREADY, ERROR)
FIELD_LIMIT_KB = csv.field_size_limit() // 1024


@dataclass
class RosterLine:
    """One graduate of the file and what importing it would do."""

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
    # Profile fields the file would change: field -> (stored, in the file).
    updates: dict[str, tuple[str | None, str]] = field(default_factory=dict)
    user: User | None = field(default=None, repr=False)
    membership: Membership | None = field(default=None, repr=False)
    membership_id: int | None = None
    profile: MemberProfile | None = field(default=None, repr=False)

    def fail(self, problem: str) -> None:
        self.outcome, self.problem = ERROR, problem


@dataclass
class RosterFile:
    """What the file holds: its lines, and what is wrong with it as a whole."""

    lines: list[RosterLine] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""
    encoding: str | None = None
    delimiter: str | None = None

    def describe(self) -> str:
        """'Read as UTF-8, values separated by semicolons.'"""
        if self.encoding is None or self.delimiter is None:
            return ""
        encoding = "" if self.encoding == "text" else f" as {self.encoding}"
        return f"Read{encoding}, values separated by {DELIMITERS[self.delimiter]}."


def _cell(record: list[str], columns: Columns, name: str) -> str:
    """A value with runs of spaces and line breaks made one space."""
    return " ".join(cell_value(columns.value(record, name)).split())


def _name(record: list[str], columns: Columns) -> str:
    if NAME in columns.positions:
        return _cell(record, columns, NAME)
    return f"{_cell(record, columns, FIRST)} {_cell(record, columns, LAST)}".strip()


def _too_wide(record: list[str], columns: Columns) -> str | None:
    """Excel pads rows with empty cells; a value beyond the header is an error."""
    used = len(record)
    while used and not record[used - 1].strip():
        used -= 1
    if used <= columns.width:
        return None
    return f"it has {used} values but the header has {columns.width}."


def _read_line(line_no: int, columns: Columns, record: list[str]) -> RosterLine:
    line = RosterLine(line_no, columns.value(record, EMAIL), "")
    problem = _too_wide(record, columns) or email_problem(line.email)
    if problem:
        line.fail(problem)
        return line
    line.email = normalise_email(line.email)
    try:
        name = clean_text(_name(record, columns), "The name", 120, required=True)
        line.name = name or ""
        line.organisation = clean_text(
            _cell(record, columns, ORGANISATION), "The organization", 200
        )
        line.title = clean_text(_cell(record, columns, TITLE), "The title", 200)
    except ValueError as error:
        line.fail(str(error))
    return line


def _unnamed_with_values(columns: Columns, record: list[str]) -> bool:
    return any(
        position < len(record) and record[position].strip()
        for position in columns.unnamed
    )


def _read_records(reader: Any, columns: Columns, roster: RosterFile) -> None:
    first_line: dict[str, int] = {}
    unnamed_values = False
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # the rest cannot be read: nothing is shown
            roster.lines, roster.errors = [], [f"line {start}: {_explain(error)}"]
            return
        if not any(cell.strip() for cell in record):
            continue
        unnamed_values = unnamed_values or _unnamed_with_values(columns, record)
        line = _read_line(start, columns, record)
        if line.outcome != ERROR:
            if line.email in first_line:
                line.fail(f"{line.email} is also on line {first_line[line.email]}.")
            else:
                first_line[line.email] = line.line
        roster.lines.append(line)
    if unnamed_values:
        roster.warnings.append(
            "A column without a name in the header row has values; they are not "
            "imported."
        )


def _explain(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return (
            f"a value is longer than {FIELD_LIMIT_KB} KB, so this is not a roster "
            "(or a quotation mark that opens a value is never closed)."
        )
    return f"the file cannot be read as CSV here ({error})."


def read_roster(data: bytes | str) -> RosterFile:
    """Decode, find the delimiter and the columns, and check every record."""
    try:
        decoded = decode_roster(data)
    except NotText as error:
        return RosterFile(errors=[str(error)])
    roster = RosterFile(text=decoded.text, encoding=decoded.encoding)
    roster.delimiter = sniff_delimiter(decoded.text)
    reader = csv.reader(io.StringIO(decoded.text), delimiter=roster.delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        return RosterFile(errors=[f"line 1: {_explain(error)}"])
    if not any(cell.strip() for cell in header):
        roster.errors.append(
            f"The file is empty: it needs a header row ({HEADER_HELP})."
        )
        return roster
    columns = read_header(header)
    roster.errors, roster.warnings = columns.errors, columns.warnings
    if roster.errors:
        return roster
    _read_records(reader, columns, roster)
    if not roster.lines and not roster.errors:
        roster.errors.append("The file has a header row but no graduates.")
    return roster
