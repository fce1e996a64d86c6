"""The patient-information guard on the way in: scan a post before it is saved.

The author sees each finding highlighted and explained (``Check``), then either
edits the text or posts it anyway with a confirmation. The confirmation names
the exact text it was given for (``digest``): an edited text is scanned afresh.
A post confirmed despite findings is saved held for review (``held_for`` on the
board services), so nobody else reads it and no mail goes out until a moderator
releases it. docs/phi-guard.md says what the detector catches and misses.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from portal.board.services.posts import plain_newlines
from portal.core.phi import KIND_EXPLANATIONS, Finding, scan

KIND_NAMES = {
    "phone": "Phone number",
    "email": "Email address",
    "ssn": "Social Security number",
    "record_number": "Record or account number",
    "date": "Date tied to a person",
    "age": "Age over 89",
    "address": "Street address",
    "zip": "ZIP code",
    "url": "Link to one person",
    "ip": "IP address",
    "device_id": "Device or vehicle identifier",
    "name": "Name next to a clinical word",
}


@dataclass(frozen=True)
class Marked:
    """One field's text cut into plain pieces and numbered findings."""

    label: str
    pieces: list[tuple[str, int | None]]


@dataclass(frozen=True)
class Note:
    number: int
    label: str
    kind: str
    text: str

    @property
    def name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def explanation(self) -> str:
        return KIND_EXPLANATIONS[self.kind]


@dataclass(frozen=True)
class Check:
    """What the guard found in a post's fields, ready to show."""

    digest: str
    findings: list[Finding] = field(default_factory=list)
    fields: list[Marked] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings


def normalise(text: str | None, *, one_line: bool = False) -> str:
    """The text as the services will store it, so offsets match what is shown."""
    text = plain_newlines(text or "")
    return " ".join(text.split()) if one_line else text.strip()


def digest(texts: list[str]) -> str:
    return hashlib.sha256("\x00".join(texts).encode()).hexdigest()[:32]


def check(fields: dict[str, str]) -> Check:
    """Scan each field (label → normalised text) and number the findings."""
    findings: list[Finding] = []
    marked: list[Marked] = []
    notes: list[Note] = []
    for label, text in fields.items():
        found = scan(text)
        if not found:
            continue
        pieces: list[tuple[str, int | None]] = []
        at = 0
        for finding in found:
            number = len(notes) + 1
            pieces.append((text[at : finding.start], None))
            pieces.append((finding.text, number))
            notes.append(Note(number, label, finding.kind, finding.text))
            at = finding.end
        pieces.append((text[at:], None))
        marked.append(Marked(label, [p for p in pieces if p[0]]))
        findings.extend(found)
    return Check(digest(list(fields.values())), findings, marked, notes)


def confirmed(result: Check, acknowledged: str | None, post_anyway: bool) -> bool:
    """The author chose to post this very text despite its findings."""
    return post_anyway and acknowledged == result.digest
