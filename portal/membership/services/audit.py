"""The membership audit log: what happened, appended in the caller's transaction.

Nothing updates or deletes it. ``queries.audit`` browses it; ``services.exports``
writes it out as CSV.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from portal.auth.models import User
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership

GRANT, EXTEND, REVOKE, SUSPEND, REINSTATE = (
    "grant",
    "extend",
    "revoke",
    "suspend",
    "reinstate",
)
IMPORT, ROLE_CHANGE, STATUS_CHANGE, EXPORT = (
    "import",
    "role_change",
    "status_change",
    "export",
)
RESIDENCY_ADD, RESIDENCY_EDIT, INVITATION_RESEND, EMAIL_CORRECT = (
    "residency_add",
    "residency_edit",
    "invitation_resend",
    "email_correct",
)
# An admin changed a portal setting (routing on or off).
SETTING_CHANGE = "setting_change"
# A roster import overwrote a member's name or profile fields (when asked to).
PROFILE_UPDATE = "profile_update"
# An admin declined a member's renewal request (an approval is an "extend").
RENEWAL_DECLINE = "renewal_decline"
# An admin reset a member's second factor (a lost phone).
TWO_FACTOR_RESET = "two_factor_reset"
ACTIONS = (
    GRANT,
    EXTEND,
    REVOKE,
    SUSPEND,
    REINSTATE,
    IMPORT,
    ROLE_CHANGE,
    STATUS_CHANGE,
    EXPORT,
    RESIDENCY_ADD,
    RESIDENCY_EDIT,
    INVITATION_RESEND,
    EMAIL_CORRECT,
    SETTING_CHANGE,
    PROFILE_UPDATE,
    RENEWAL_DECLINE,
    TWO_FACTOR_RESET,
)


def record(
    action: str,
    *,
    actor: User | None,
    membership: Membership | None = None,
    user: User | None = None,
    reason: str | None = None,
    end_before: date | None = None,
    end_after: date | None = None,
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry to the session; the caller's commit keeps it with the change."""
    if user is None and membership is not None:
        user = membership.user
    entry = AuditEntry(
        action=action,
        actor=actor,
        membership=membership,
        user=user,
        reason=reason,
        end_before=end_before,
        end_after=end_after,
        detail=detail or {},
    )
    db.session.add(entry)
    return entry
