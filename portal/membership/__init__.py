"""Membership: residencies, graduates, terms, reminders, directory."""

from typing import Any

from flask import Blueprint
from flask_login import current_user

from portal.auth.email import INVITATION
from portal.auth.queries import MISSING, user_extra
from portal.core.outbox_checks import register_check
from portal.membership.queries import renewals

# cli_group=None: its command groups (``members``, ``residencies``) sit at the top.
bp = Blueprint("membership", __name__, cli_group=None)


def open_renewal_count() -> int:
    """For the admin's navigation badge; 0 for everyone else."""
    if not current_user.is_authenticated or not current_user.is_admin:
        return 0
    loaded = user_extra(current_user.id, renewals.OPEN_COUNT_EXTRA)
    return int(renewals.open_count() if loaded is MISSING else loaded)


@bp.app_context_processor
def membership_globals() -> dict[str, Any]:
    """A function, not a value: pages without the navigation never run it."""
    return {"open_renewal_count": open_renewal_count}


from portal.membership import history, views  # noqa: E402, F401 - filter, routes
from portal.membership.email import PROMISE  # noqa: E402
from portal.membership.queries.members import revoked_members  # noqa: E402

# Mail that promises membership is cancelled if the member is revoked first.
register_check(PROMISE, revoked_members, name="membership")
register_check(INVITATION, revoked_members, name="membership")
from portal.membership.cli import (  # noqa: E402, F401 - commands
    members,
    residencies,
    roster,
)
