"""Domain errors raised by the board's services; views turn them into responses."""

from __future__ import annotations


class BoardError(Exception):
    """A board rule was broken; the message is safe to show to the member."""


class InvalidInput(BoardError):
    """What was typed breaks a rule (views show it next to ``field``)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class NotAllowed(BoardError):
    """The member may not do this to this post (views answer 403)."""


class Gone(BoardError):
    """The post is deleted, so nothing can be done to it (views answer 404)."""
