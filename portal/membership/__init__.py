"""Membership: residencies, graduates, terms, reminders, directory."""

from flask import Blueprint

# cli_group=None: its command groups (``members``, ``residencies``) sit at the top.
bp = Blueprint("membership", __name__, cli_group=None)

from portal.membership import history, views  # noqa: E402, F401 - filter, routes
from portal.membership.cli import (  # noqa: E402, F401 - commands
    members,
    residencies,
    roster,
)
