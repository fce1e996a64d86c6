"""The patient-information guard's detector: likely PHI in a post's text.

`scan(text)` returns what looks like a HIPAA Safe Harbor identifier, as far as
text can carry one: phone numbers, email addresses, SSNs, labelled record and
account numbers, dates tied to a person, ages over 89, street addresses and ZIP
codes, URLs and IP addresses that point at a person, device and vehicle
identifiers, and names beside clinical or family words.

It is a guard, not a guarantee: it warns the author before a post is saved and
misses what needs understanding (a town, a rare diagnosis, a face in a photo).
A pure function of the text, linear in its length: every rule is a regular
expression with bounded repetition anchored at token starts, plus fixed-size
context windows. docs/phi-guard.md lists the rules and their measured accuracy.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from portal.core.phi import numbers, online, people, places
from portal.core.phi.words import PostText

Span = tuple[int, int]

KIND_EXPLANATIONS: dict[str, str] = {
    "phone": (
        "This looks like a phone number. Phone numbers can identify a patient or "
        "their family; remove it, or keep it only if it is your hospital's public "
        "number and that is what you mean."
    ),
    "email": (
        "This looks like an email address. An address can identify a patient or "
        "their family; remove it, or keep it only if it is a public address of "
        "your organisation."
    ),
    "ssn": ("This looks like a Social Security number. Never post one; remove it."),
    "record_number": (
        "This looks like a medical record, account, insurance or licence number. "
        "These identify a patient directly; remove it."
    ),
    "date": (
        "This looks like a date in a person's care or life (birth, admission, "
        "discharge, death, a visit). Remove it, or keep only the year."
    ),
    "age": (
        "This is an age over 89. Ages that high are rare enough to identify a "
        'patient; say "90 or older" instead.'
    ),
    "address": (
        "This looks like a street address. Addresses identify a patient's home; "
        "remove it, or keep it only if it is your hospital's public address."
    ),
    "zip": (
        "This looks like a ZIP code. With other details it can identify a "
        "patient; remove it."
    ),
    "url": (
        "This link seems to point at one person (a profile, a fundraiser, an "
        "obituary or a patient record). Remove it, or describe the page instead."
    ),
    "ip": (
        "This looks like an IP address. It can trace a post or a review back to "
        "one person; remove it."
    ),
    "device_id": (
        "This looks like a device serial number or a vehicle identifier (licence "
        "plate, VIN). These can identify a patient; remove it."
    ),
    "name": (
        "This looks like a person's name next to a clinical or family word. "
        "Don't name patients or their relatives; remove the name."
    ),
}


@dataclass(frozen=True)
class Finding:
    """One likely identifier: `text == source[start:end]`."""

    kind: str
    start: int
    end: int
    text: str

    @property
    def explanation(self) -> str:
        return KIND_EXPLANATIONS[self.kind]


Finder = Callable[[PostText], Iterable[Span]]

# When two matches overlap, the more specific kind wins: a labelled MRN beats
# the phone number its digits resemble, an email beats the name inside it.
RULES: tuple[tuple[str, Finder], ...] = (
    ("ssn", numbers.find_ssns),
    ("record_number", numbers.find_record_numbers),
    ("device_id", numbers.find_device_ids),
    ("email", online.find_emails),
    ("url", online.find_urls),
    ("ip", online.find_ips),
    ("phone", numbers.find_phones),
    ("date", people.find_dates),
    ("age", people.find_ages),
    ("zip", places.find_zips),
    ("address", places.find_addresses),
    ("name", people.find_names),
)
KINDS = tuple(kind for kind, _ in RULES)


def scan(text: str) -> list[Finding]:
    """Likely identifiers in `text`, sorted by start and never overlapping."""
    post = PostText(text)
    candidates = [
        (rank, kind, start, end)
        for rank, (kind, finder) in enumerate(RULES)
        for start, end in finder(post)
        if end > start
    ]
    candidates.sort(key=lambda c: (c[0], c[2] - c[3], c[2]))
    return [
        Finding(kind, start, end, text[start:end])
        for kind, start, end in _without_overlaps(candidates)
    ]


def _without_overlaps(
    candidates: Iterable[tuple[int, str, int, int]],
) -> list[tuple[str, int, int]]:
    """Keep each candidate unless it overlaps one kept before it (best first)."""
    starts: list[int] = []
    kept: list[tuple[str, int, int]] = []
    for _, kind, start, end in candidates:
        index = bisect.bisect_right(starts, start)
        if index and kept[index - 1][2] > start:
            continue
        if index < len(kept) and kept[index][1] < end:
            continue
        starts.insert(index, start)
        kept.insert(index, (kind, start, end))
    return kept
