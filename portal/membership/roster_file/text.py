"""The roster's bytes as text: which encoding the spreadsheet saved it in.

Excel writes "CSV UTF-8" with a byte-order mark, "CSV (Comma delimited)" in
Windows-1252 (without one) and "Unicode Text" in UTF-16 with a byte-order mark.
A mark decides; otherwise text that is valid UTF-8 is UTF-8 (Windows-1252 text
with accents almost never is), and anything else is read as Windows-1252.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The first bytes of the files admins upload by mistake.
WORKBOOKS = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")
SAVE_AS = "in Excel, use Save As with the type 'CSV UTF-8' and upload that file"


class NotText(ValueError):
    """The upload is not a text file; the message says what to do instead."""


@dataclass(frozen=True)
class RosterText:
    text: str
    encoding: str  # as people call it: "UTF-8", "Windows-1252" …


def _decode(data: bytes, codec: str, encoding: str) -> RosterText:
    try:
        return RosterText(data.decode(codec), encoding)
    except UnicodeDecodeError as error:
        raise NotText(
            f"The file is not readable {encoding} text (bad byte at position "
            f"{error.start}); {SAVE_AS}."
        ) from error


def decode_roster(data: bytes | str) -> RosterText:
    """The text of an upload (``NotText`` when it is a workbook or binary)."""
    if isinstance(data, str):
        return RosterText(data.removeprefix("\ufeff"), "text")
    for mark, codec, encoding in MARKS:
        if data.startswith(mark):
            return _decode(data, codec, encoding)
    if data.startswith(WORKBOOKS):
        raise NotText(f"This is an Excel workbook, not a CSV file: {SAVE_AS}.")
    if b"\x00" in data:
        raise NotText(f"This is not a text file: {SAVE_AS}.")
    try:
        return RosterText(data.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        return _decode(data, "cp1252", "Windows-1252")
