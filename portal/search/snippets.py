"""Highlighted text that is safe to show, whatever the stored text contains.

Engines mark matches with two control characters that stored text never holds
(``clean`` removes them before indexing). ``marked`` escapes everything, then
turns the markers into ``<mark>`` tags, so a post containing ``<script>`` shows
as text and no query can add markup.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

START, STOP = "\x02", "\x03"
ELLIPSIS = "…"

# C0 controls other than tab and newlines: the markers among them, and NUL,
# which PostgreSQL cannot store.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Text as the index stores it: no control characters, so no stray markers."""
    return _CONTROLS.sub(" ", text)


def marked(text: str) -> Markup:
    """Escape ``text`` and show the engine's matches as ``<mark>``."""
    escaped = str(escape(text))
    opened = False
    parts: list[str] = []
    for piece in re.split(f"([{START}{STOP}])", escaped):
        if piece == START and not opened:
            parts.append("<mark>")
            opened = True
        elif piece == STOP and opened:
            parts.append("</mark>")
            opened = False
        elif piece not in (START, STOP):
            parts.append(piece)
    if opened:
        parts.append("</mark>")
    # Safe: every character came through escape(); only balanced tags were added.
    return Markup("".join(parts))  # noqa: S704


def has_mark(text: str) -> bool:
    return START in text


def lead(text: str, words: int = 30) -> Markup:
    """The start of ``text`` as an escaped snippet, when nothing is highlighted."""
    parts = clean(text).split()
    head = " ".join(parts[:words])
    return escape(head + (" " + ELLIPSIS if len(parts) > words else ""))
