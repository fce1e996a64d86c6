"""Domain errors raised by moderation's services; views turn them into responses."""

from __future__ import annotations


class ModerationError(Exception):
    """A moderation rule was broken; the message is safe to show (views: 400)."""


class AlreadyFlagged(ModerationError):
    """One flag per member per post, ever."""


class NotAllowed(ModerationError):
    """This person may not do this to this post (views: 403)."""


class Gone(ModerationError):
    """The post is deleted (views: 404)."""
