"""Accounts: users, sign-in, invitations, password reset, the account page."""

from flask import Blueprint

# cli_group=None: its ``users`` command group sits at the top of ``flask``.
bp = Blueprint("auth", __name__, cli_group=None)

from portal.auth import cli  # noqa: E402, F401 - commands
from portal.auth.email import INVITATION  # noqa: E402
from portal.auth.queries import unsendable_invitations  # noqa: E402
from portal.auth.views import accounts, two_factor  # noqa: E402, F401 - routes
from portal.core.outbox_checks import register_check  # noqa: E402

register_check(INVITATION, unsendable_invitations, name="auth")
