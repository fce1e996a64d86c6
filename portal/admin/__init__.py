"""Screens for admins, one module per thing managed; they own no models.

Every screen calls the features' services and queries. The blueprint lives here,
with the one helper all of them need: the signed-in admin, for the audit log.
"""

from flask import Blueprint
from flask_login import current_user

from portal.auth.decorators import second_factor_required
from portal.auth.models import User

bp = Blueprint("admin", __name__, url_prefix="/admin")
# An admin without a second factor sets it up before any admin page.
bp.before_request(second_factor_required)


def current_actor() -> User:
    """The signed-in admin as a real ``User`` (not the proxy) for the audit log."""
    user: User = current_user._get_current_object()
    return user


from portal.admin import (  # noqa: E402, F401 - routes
    audit,
    bulk,
    dashboard,
    members,
    outbox,
    renewals,
    residencies,
    roster,
    settings,
    tags,
    users,
)
