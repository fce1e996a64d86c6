"""The membership domain error."""


class MembershipError(Exception):
    """A rule was broken; the message is safe to show to the user."""
