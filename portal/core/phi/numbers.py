"""Numbers that identify a person: phones, SSNs, labelled record and device numbers.

Every pattern repeats a bounded number of times and starts at a token start, so
one match attempt does bounded work and a scan is linear in the text. Patterns
that start with a digit check the character before it with a lookbehind placed
after the digit (`\\d(?<![\\w-]\\d)`, not `(?<![\\w-])\\d`): written that way the
regex engine can skip ahead to the next digit instead of trying every position.
Each finder yields (start, end) spans of the identifier itself, not its label.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import phonenumbers

from portal.core.phi.words import PostText, word_list

Span = tuple[int, int]

# Characters that, just before a digit, mean it is inside a longer token.
_INSIDE_NUMBER = r"[\w+/.@#$%-]"
PHONE = re.compile(
    rf"""
    (?: \+(?<!{_INSIDE_NUMBER}\+)
          (?:\d{{7,15}}
            | \d{{1,3}}[ .-]?(?:\(\d{{1,4}}\)[ .-]?)?\d{{1,4}}(?:[ .-]\d{{1,4}}){{1,4}})
      | \((?<!{_INSIDE_NUMBER}\()\d{{3}}\)[ .-]?\d{{3}}[ .-]?\d{{4}}
      | \d(?<!{_INSIDE_NUMBER}\d)
          (?:[ .-]?(?:\(\d{{3}}\)[ .-]?|\d{{3}}[ .-]?)\d{{3}}[ .-]?\d{{4}}
            | \d{{2}}[ .-]?\d{{3}}[ .-]?\d{{4}}
            | \d{{2}}[ .-]\d{{4}})
    )
    (?P<extension>\s{{0,2}}(?i:ext\.?|x|extension)\s{{0,2}}\d{{1,6}})?
    (?![\w@/-]|[.-]\d)
    """,
    re.VERBOSE,
)
# Words that, just before a seven-digit number, say it is a phone number.
PHONE_CUE = re.compile(
    r"(?i)\b(?:call|calls|called|text|phone|number|cell|mobile|reach|fax|tel"
    r"|dial|contact|line|voicemail|whatsapp)\b"
)


def find_phones(post: PostText) -> Iterator[Span]:
    text = post.text
    for match in PHONE.finditer(text):
        start, end = match.start(), match.start("extension")
        number = text[start : end if end >= 0 else match.end()]
        if sum(char.isdigit() for char in number) == 7:
            if number[0] not in "01" and _cued(text, start):
                yield match.span()
        elif is_phone_number(number):
            yield match.span()


@lru_cache(maxsize=4096)
def is_phone_number(candidate: str) -> bool:
    """Google's libphonenumber finds the number valid for its region.

    Numbers without a leading + are read as North American (the board's users
    are US hospitals); validation rejects area codes that do not exist.
    """
    if candidate.startswith("+"):
        try:
            number = phonenumbers.parse(candidate)
        except phonenumbers.NumberParseException:
            return False
    else:
        digits = "".join(char for char in candidate if char.isdigit())
        if len(digits) == 11 and digits.startswith("1"):
            digits = digits[1:]
        if len(digits) != 10:
            return False
        # Built directly: parse() would re-read the text we already matched,
        # at three times the cost.
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(digits))
    return phonenumbers.is_valid_number(number)


def _cued(text: str, start: int) -> bool:
    """A bare 555-0148 is a phone number only when the words before say so."""
    return PHONE_CUE.search(text[max(0, start - 30) : start]) is not None


SSN = re.compile(
    r"(?P<area>\d(?<![\w/.-]\d)\d{2})(?P<sep>[- ])(?P<group>\d{2})(?P=sep)"
    r"(?P<serial>\d{4})(?![\w-]|\.\d)"
)
SSN_WORDS = ("ssn", "ss", "social")
SSN_LABELLED = re.compile(
    r"(?i:\b(?:ssn|ss\s?\#|social\s+security(?:\s+(?:number|no\.?|\#))?|social)"
    r"(?:\s{0,3}[:#]|\s{1,3}is|\s{1,3}no\.?)?\s{0,3})"
    r"(?P<number>\d{9})(?![\w-])"
)


def find_ssns(post: PostText) -> Iterator[Span]:
    for match in SSN.finditer(post.text):
        if _is_ssn(match["area"], match["group"], match["serial"]):
            yield match.span()
    for match in post.matches_at(SSN_WORDS, SSN_LABELLED):
        digits = match["number"]
        if _is_ssn(digits[:3], digits[3:5], digits[5:]):
            yield match.span("number")


def _is_ssn(area: str, group: str, serial: str) -> bool:
    """The Social Security Administration never issues these blocks."""
    return (
        area not in ("000", "666")
        and area[0] != "9"
        and group != "00"
        and serial != "0000"
    )


# After its label, an identifier: capitals and digits, with single hyphens,
# slashes or dots between them; it must hold at least three digits.
_GAP = r"(?:\s{0,3}[:#]|\s{1,3}is|\s{1,3}of)?\s{0,3}"
_NUMBER_WORD = r"(?:number|no\.?|num\.?|\#|ID)"
RECORD_WORDS = (
    *word_list("mrn medical record chart account acct encounter visit claim policy"),
    *word_list("certificate case patient member subscriber beneficiary insurance"),
    *word_list("plan medicare medicaid group driver drivers license licence dl"),
)
RECORD = re.compile(
    rf"""(?ix:\b(?:
        mrn | medical\s+record(?:\s+{_NUMBER_WORD})?
      | (?:record|chart|account|encounter|visit|claim|policy|certificate|case)
        \s{{0,2}}{_NUMBER_WORD}
      | acct\.?(?:\s{{0,2}}{_NUMBER_WORD})?
      | (?:patient|member|subscriber|beneficiary|insurance|plan|medicare|medicaid
          |group)\s{{1,3}}{_NUMBER_WORD}
      | (?:driver['\u2019]?s\s+)?licen[cs]e\s+(?:number|no\.?|\#) | DL\s?\#
    ))"""
    + _GAP
    + r"(?P<value>[A-Z0-9](?:[A-Z0-9]|[-/.](?=[A-Z0-9])){2,29})(?![\w-])"
)
DEVICE_WORDS = (
    *word_list("serial sn s/n device imei udi vin mac license licence plate tag"),
    "registration",
)
DEVICE = re.compile(
    r"""(?ix:\b(?:
        serial(?:\s{1,3}(?:number|no\.?|\#))?(?:\s{1,3}(?:SN|S/N))?
      | device\s{1,3}(?:ID|number|no\.?|serial) | IMEI | UDI | VIN
      | MAC(?:\s+address)? | (?:licen[cs]e\s+)?plate(?:\s{1,3}(?:number|no\.?|\#))?
      | tag\s{1,3}(?:number|no\.?|\#) | registration\s{1,3}(?:number|no\.?)
    )|\bS/?N)"""
    + _GAP
    + r"(?P<value>[A-Z0-9](?:[A-Z0-9]|[-/.:](?=[A-Z0-9])| (?=\d)){2,29})(?![\w-])"
)
MAC = re.compile(
    r"[0-9A-Fa-f](?<![\w:-].)[0-9A-Fa-f]([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}"
    r"(?![\w:-])"
)
VIN = re.compile(r"[A-HJ-NPR-Z0-9](?<![\w-].)[A-HJ-NPR-Z0-9]{16}(?![\w-])")


def find_record_numbers(post: PostText) -> Iterator[Span]:
    return _labelled_values(post, RECORD_WORDS, RECORD)


def find_device_ids(post: PostText) -> Iterator[Span]:
    yield from _labelled_values(post, DEVICE_WORDS, DEVICE)
    for match in MAC.finditer(post.text):
        yield match.span()
    for match in VIN.finditer(post.text):
        if _is_vin(match.group()):
            yield match.span()


def _labelled_values(
    post: PostText, words: tuple[str, ...], pattern: re.Pattern[str]
) -> Iterator[Span]:
    for match in post.matches_at(words, pattern):
        if sum(char.isdigit() for char in match["value"]) >= 3:
            yield match.span("value")


_VIN_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_LETTER_VALUES = (
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    1,
    2,
    3,
    4,
    5,
    7,
    9,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9,
)
VIN_VALUES = dict(zip(_VIN_LETTERS, _VIN_LETTER_VALUES, strict=True))
VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def _is_vin(candidate: str) -> bool:
    """North American VINs carry a check digit in position 9 (49 CFR 565)."""
    if candidate.isdigit() or candidate.isalpha():
        return False
    total = sum(
        (int(char) if char.isdigit() else VIN_VALUES[char]) * weight
        for char, weight in zip(candidate, VIN_WEIGHTS, strict=True)
    )
    check = total % 11
    return candidate[8] == ("X" if check == 10 else str(check))
