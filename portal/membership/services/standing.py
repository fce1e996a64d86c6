"""A member's standing: revoke, suspend and reinstate.

Plain arguments, flush only, ``MembershipError`` on a broken rule, and an audit
entry for every change. The member gets a short notice of each change (queued
in the same transaction); the reason goes in it only when the admin chose to
tell them (``tell_reason``), and the audit entry records both.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from portal.auth.models import User
from portal.core import time
from portal.core.time import utcnow
from portal.extensions import db
from portal.membership import email as membership_mail
from portal.membership.access import forget_standing
from portal.membership.errors import MembershipError
from portal.membership.models import Membership
from portal.membership.services import audit
from portal.membership.services.grants import (
    checked_text,
    require_membership,
    status_of,
)
from portal.membership.status import Status


def required_reason(reason: str | None) -> str:
    return checked_text(reason, "A reason", 500, required=True, multiline=True)


def _record(
    action: str,
    membership: Membership,
    actor: User | None,
    reason: str,
    before: Status,
    today: date,
    told: tuple[bool, bool],
    **detail: object,
) -> None:
    """The audit entry, and the member's notice; ``told`` is (notify, with reason)."""
    after = status_of(membership, today)
    membership.last_status = after.value
    forget_standing(membership.user_id)
    notify, tell_reason = told
    audit.record(
        action,
        actor=actor,
        membership=membership,
        reason=reason,
        end_before=membership.ends_on,
        end_after=membership.ends_on,
        detail={
            "status_before": before.value,
            "status_after": after.value,
            **detail,
            "member_notified": notify,
            "reason_told": notify and tell_reason,
        },
    )
    if notify:
        membership_mail.send_standing_notice(
            membership,
            action,
            status=after,
            reason=reason if tell_reason else None,
            today=today,
        )


def revoke(
    user: User,
    *,
    actor: User | None,
    reason: str,
    today: date | None = None,
    tell_reason: bool = False,
    notify: bool = True,
) -> Membership:
    """Withdraw membership; the member keeps their account and past posts."""
    today, reason = today or time.today(), required_reason(reason)
    membership = require_membership(user)
    if membership.is_revoked:
        raise MembershipError(f"The membership of {user.email} is already revoked.")
    before = status_of(membership, today)
    membership.revoked_at, membership.revoked_reason = utcnow(), reason
    told = (notify, tell_reason)
    _record(audit.REVOKE, membership, actor, reason, before, today, told)
    db.session.flush()
    return membership


def suspend(
    user: User,
    *,
    actor: User | None,
    until: date,
    reason: str,
    today: date | None = None,
    tell_reason: bool = False,
    notify: bool = True,
    detail: Mapping[str, object] | None = None,
) -> Membership:
    """Suspend up to and including ``until``; the term keeps running meanwhile.

    ``detail``: more for the audit entry (moderation names the post concerned).
    """
    today, reason = today or time.today(), required_reason(reason)
    membership = require_membership(user)
    if membership.is_revoked:
        raise MembershipError(f"The membership of {user.email} is revoked.")
    if until < today:
        raise MembershipError("A suspension must last until today or later.")
    before = status_of(membership, today)
    membership.suspended_until, membership.suspended_reason = until, reason
    told = (notify, tell_reason)
    _record(audit.SUSPEND, membership, actor, reason, before, today, told,
            until=until.isoformat(), **(detail or {}))  # fmt: skip
    db.session.flush()
    return membership


def reinstate(
    user: User,
    *,
    actor: User | None,
    reason: str,
    today: date | None = None,
    tell_reason: bool = False,
    notify: bool = True,
) -> Membership:
    """Lift a revocation or a suspension in force."""
    today, reason = today or time.today(), required_reason(reason)
    membership = require_membership(user)
    before = status_of(membership, today)
    if before not in (Status.REVOKED, Status.SUSPENDED):
        raise MembershipError(
            f"The membership of {user.email} is neither revoked nor suspended."
        )
    membership.revoked_at = membership.revoked_reason = None
    membership.suspended_until = membership.suspended_reason = None
    told = (notify, tell_reason)
    _record(audit.REINSTATE, membership, actor, reason, before, today, told)
    db.session.flush()
    return membership
