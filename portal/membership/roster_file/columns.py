"""The header row: which character separates the values, and which column is which.

Column names are matched ignoring case, spaces and punctuation, so ``E-mail``,
``Email Address`` and ``email_address`` are all the email. A name can come from
one column or from ``First Name`` and ``Last Name``. Columns the import does not
use are listed as a warning and ignored, except those the member export adds
(``residency``, ``start`` …), so an export imports back without a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

EMAIL, NAME, FIRST, LAST = "email", "name", "first name", "last name"
ORGANISATION, TITLE = "organisation", "title"
ALIASES = {
    "email": EMAIL,
    "emailaddress": EMAIL,
    "name": NAME,
    "fullname": NAME,
    "firstname": FIRST,
    "givenname": FIRST,
    "lastname": LAST,
    "surname": LAST,
    "familyname": LAST,
    "organisation": ORGANISATION,
    "organization": ORGANISATION,
    "hospital": ORGANISATION,
    "title": TITLE,
    "jobtitle": TITLE,
}
# What the member export writes besides the imported columns.
EXPORT_ONLY = frozenset(
    {"residency", "membersince", "start", "end", "status", "expiring", "claimed"}
)
HEADER_HELP = "email,name and optionally organization,title"
DELIMITERS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def sniff_delimiter(text: str) -> str:
    """The delimiter used most in the first line outside quotes (comma on a tie).

    ``csv.Sniffer`` guesses from the whole sample and is often wrong on short
    files; the header row names every column, so it shows the delimiter best.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            break
        elif char in counts and not quoted:
            counts[char] += 1
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def column_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


@dataclass
class Columns:
    """Where each field is in a record, and what the header row got wrong."""

    positions: dict[str, int] = field(default_factory=dict)
    unnamed: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    width: int = 0  # cells in the header row, named or not

    def value(self, record: list[str], name: str) -> str:
        position = self.positions.get(name)
        if position is None or position >= len(record):
            return ""
        return record[position].strip()


def _missing(columns: Columns, header: list[str]) -> None:
    wanted = [EMAIL] if EMAIL not in columns.positions else []
    if not {NAME, FIRST, LAST} & set(columns.positions):
        wanted.append(NAME)
    if not wanted:
        return
    columns.errors.append(
        f"The header row must name the columns {HEADER_HELP} "
        f"(missing: {', '.join(wanted)})."
    )
    if any("@" in name for name in header):
        columns.errors.append(
            "The first line looks like a graduate, not a header row: add a first "
            "line that names the columns."
        )


def _ignored(columns: Columns, header: list[str], unknown: list[str]) -> None:
    if NAME in columns.positions:
        for part in (FIRST, LAST):
            position = columns.positions.pop(part, None)
            if position is not None:
                unknown.append(header[position])
    if unknown:
        columns.warnings.append(
            f"Columns not imported: {', '.join(unknown)}. "
            f"The columns are {HEADER_HELP}."
        )


def read_header(header: list[str]) -> Columns:
    """Map the header's cells to fields; empty cells are columns to skip."""
    header = [cell.strip() for cell in header]
    columns = Columns(width=len(header))
    unknown: list[str] = []
    repeated: list[str] = []
    for position, name in enumerate(header):
        key = column_key(name)
        if not key:
            columns.unnamed.append(position)
            continue
        known = ALIASES.get(key)
        if known is None:
            if key not in EXPORT_ONLY:
                unknown.append(name)
        elif known in columns.positions:
            repeated.append(known)
        else:
            columns.positions[known] = position
    if repeated:
        columns.errors.append(
            f"Columns named twice: {', '.join(sorted(set(repeated)))}."
        )
    _missing(columns, header)
    _ignored(columns, header, unknown)
    return columns
