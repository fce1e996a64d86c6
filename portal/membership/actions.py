"""Admin actions on a member: revoke, suspend, reinstate, role, invitation, email.

Like ``services``: plain arguments, flush only, ``MembershipError`` on a broken
rule, and an audit entry for every change.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth import services as accounts
from portal.auth.models import ADMIN, ROLES, User
from portal.core import time
from portal.core.time import utcnow
from portal.extensions import db
from portal.membership import audit
from portal.membership import email as membership_mail
from portal.membership.access import forget_standing
from portal.membership.errors import MembershipError
from portal.membership.models import Membership
from portal.membership.services import (
    checked_text,
    find_membership,
    require_membership,
    status_of,
)
from portal.membership.terms import Status
from portal.membership.validation import email_problem


def _reason(reason: str | None) -> str:
    return checked_text(reason, "A reason", 500, required=True, multiline=True)


def _record(
    action: str,
    membership: Membership,
    actor: User | None,
    reason: str,
    before: Status,
    today: date,
    **detail: object,
) -> None:
    after = status_of(membership, today)
    membership.last_status = after.value
    forget_standing(membership.user_id)
    audit.record(
        action,
        actor=actor,
        membership=membership,
        reason=reason,
        end_before=membership.ends_on,
        end_after=membership.ends_on,
        detail={"status_before": before.value, "status_after": after.value, **detail},
    )


def revoke(
    user: User, *, actor: User | None, reason: str, today: date | None = None
) -> Membership:
    """Withdraw membership; the member keeps their account and past posts."""
    today, reason = today or time.today(), _reason(reason)
    membership = require_membership(user)
    if membership.is_revoked:
        raise MembershipError(f"The membership of {user.email} is already revoked.")
    before = status_of(membership, today)
    membership.revoked_at, membership.revoked_reason = utcnow(), reason
    _record(audit.REVOKE, membership, actor, reason, before, today)
    db.session.flush()
    return membership


def suspend(
    user: User,
    *,
    actor: User | None,
    until: date,
    reason: str,
    today: date | None = None,
) -> Membership:
    """Suspend up to and including ``until``; the term keeps running meanwhile."""
    today, reason = today or time.today(), _reason(reason)
    membership = require_membership(user)
    if membership.is_revoked:
        raise MembershipError(f"The membership of {user.email} is revoked.")
    if until < today:
        raise MembershipError("A suspension must last until today or later.")
    before = status_of(membership, today)
    membership.suspended_until, membership.suspended_reason = until, reason
    _record(
        audit.SUSPEND, membership, actor, reason, before, today, until=until.isoformat()
    )
    db.session.flush()
    return membership


def reinstate(
    user: User, *, actor: User | None, reason: str, today: date | None = None
) -> Membership:
    """Lift a revocation or a suspension in force."""
    today, reason = today or time.today(), _reason(reason)
    membership = require_membership(user)
    before = status_of(membership, today)
    if before not in (Status.REVOKED, Status.SUSPENDED):
        raise MembershipError(
            f"The membership of {user.email} is neither revoked nor suspended."
        )
    membership.revoked_at = membership.revoked_reason = None
    membership.suspended_until = membership.suspended_reason = None
    _record(audit.REINSTATE, membership, actor, reason, before, today)
    db.session.flush()
    return membership


def _admin_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.role == ADMIN)
        )
        or 0
    )


def change_role(user: User, role: str, *, actor: User | None, reason: str) -> None:
    """Make an account an admin or a member again."""
    reason = _reason(reason)
    if role not in ROLES:
        raise MembershipError(f"Unknown role {role!r}; use one of {', '.join(ROLES)}.")
    if user.role == role:
        raise MembershipError(f"{user.email} already has the role {role}.")
    if user.role == ADMIN and _admin_count() <= 1:
        raise MembershipError(
            "The network needs at least one admin; promote another first."
        )
    before, user.role = user.role, role
    forget_standing(user.id)
    audit.record(
        audit.ROLE_CHANGE,
        actor=actor,
        user=user,
        reason=reason,
        detail={"from": before, "to": role},
    )


def resend_invitation(
    user: User, *, actor: User | None, today: date | None = None
) -> None:
    """A fresh set-password link for a graduate who has not claimed the account."""
    today = today or time.today()
    if user.claimed_at is not None:
        raise MembershipError(f"{user.email} has already claimed their account.")
    membership = find_membership(user)
    note = None
    if membership is not None:
        note = membership_mail.invitation_note(
            membership.starts_on, membership.ends_on, today
        )
    accounts.invite(user, note)
    audit.record(audit.INVITATION_RESEND, actor=actor, user=user)


def correct_email(
    user: User,
    new_email: str,
    *,
    actor: User | None,
    reason: str | None = None,
    today: date | None = None,
) -> None:
    """Fix a mistyped address; an unclaimed account is invited again at the new one."""
    problem = email_problem(new_email)
    if problem:
        raise MembershipError(problem)
    old_email = user.email
    try:
        accounts.correct_email(user, new_email)
    except accounts.AccountError as error:
        raise MembershipError(str(error)) from error
    audit.record(
        audit.EMAIL_CORRECT,
        actor=actor,
        user=user,
        reason=reason,
        detail={"from": old_email, "to": user.email},
    )
    if user.claimed_at is None:
        resend_invitation(user, actor=actor, today=today)
