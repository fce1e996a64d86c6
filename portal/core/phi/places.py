"""Places smaller than a state that text can carry: street addresses and ZIP codes.

A street address is a house number, up to four capitalised words and a street
type ("42 Elm Street", "550 W. Harrison St.", "2300 North Lake Shore Blvd, Unit
1204"), or a PO box. A five-digit number is a ZIP code only after a label ("zip
02139") or a state ("Springfield, MA 01103"), or written as ZIP+4.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from portal.core.phi.words import PostText, word_list

Span = tuple[int, int]

STREET_TYPE = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct"
    r"|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy|Square|Sq"
    r"|Trail|Trl|Alley|Plaza|Loop|Pike|Row|Crescent)"
)
DIRECTION = r"(?:North|South|East|West|[NS]\.?[EW]\.?|[NSEW]\.?)"
ADDRESS = re.compile(
    rf"""(?x)
    \d(?<![\w\#$.,/:-]\d)\d{{0,5}}(?:-?[A-Z])?\s{{1,3}}
    (?:{DIRECTION}\s{{1,3}})?
    (?:(?:[A-Z][a-z]{{1,20}}|\d{{1,3}}(?:st|nd|rd|th))\s{{1,3}}){{1,4}}
    {STREET_TYPE}\b\.?
    (?:\s{{1,3}}(?:NE|NW|SE|SW|N|S|E|W)\b)?
    (?:,?\s{{1,3}}(?:Apt|Apartment|Unit|Suite|Ste|\#)\.?\s{{0,3}}[A-Z0-9-]{{1,6}}\b)?
    """
)
PO_BOX = re.compile(r"P\.?\s?O\.?\s{1,3}Box\s{1,3}\d{1,6}\b")


def find_addresses(post: PostText) -> Iterator[Span]:
    for match in ADDRESS.finditer(post.text):
        yield match.span()
    for match in post.matches_at(("p.o.", "p. o.", "p.o", "po"), PO_BOX):
        yield match.span()


STATE_CODES = word_list(
    "AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO "
    "MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR"
)
STATE_NAMES = (
    "Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware"
    "|Florida|Georgia|Hawaii|Idaho|Illinois|Indiana|Iowa|Kansas|Kentucky"
    "|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi"
    "|Missouri|Montana|Nebraska|Nevada|New Hampshire|New Jersey|New Mexico"
    "|New York|North Carolina|North Dakota|Ohio|Oklahoma|Oregon|Pennsylvania"
    "|Rhode Island|South Carolina|South Dakota|Tennessee|Texas|Utah|Vermont"
    "|Virginia|Washington|West Virginia|Wisconsin|Wyoming|Puerto Rico"
)
ZIP_CODE = r"(?P<zip>\d{5}(?:-\d{4})?)(?![\w-])"
ZIP_WORDS = ("zip", "postal")
ZIP_AFTER_LABEL = re.compile(
    r"(?i:zip(?:\s?code)?|postal\s+code)\b(?:\s{1,3}is)?\s{0,3}[:#]?\s{0,3}" + ZIP_CODE
)
FIVE_DIGITS = re.compile(r"\d(?<![\w-]\d)\d{4}(?:-\d{4})?(?![\w-])")
STATES = frozenset(STATE_CODES) | frozenset(STATE_NAMES.split("|"))


def find_zips(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in post.matches_at(ZIP_WORDS, ZIP_AFTER_LABEL):
        yield match.span("zip")
    for match in FIVE_DIGITS.finditer(text):
        if "-" in match.group() or _after_state(text, match.start()):
            yield match.span()


def _after_state(text: str, start: int) -> bool:
    """Springfield, MA 01103; Austin, Texas 78704; New York, NY 10027."""
    before = text[max(0, start - 20) : start]
    if not before[-1:].isspace():
        return False
    words = before.replace(",", " ").replace(".", " ").split()
    return bool(words) and (words[-1] in STATES or " ".join(words[-2:]) in STATES)
