"""Admin changes to a member's account: role, invitation, email address."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.auth import second_factor, sessions
from portal.auth import services as accounts
from portal.auth.models import ADMIN, ROLES, User
from portal.core import time
from portal.core.mail import cancel_pending_to
from portal.core.validation import email_problem
from portal.extensions import db
from portal.membership import email as membership_mail
from portal.membership.access import forget_standing
from portal.membership.errors import MembershipError
from portal.membership.services import audit
from portal.membership.services.grants import find_membership
from portal.membership.services.standing import required_reason


def _admin_count() -> int:
    return (
        db.session.scalar(
            select(func.count()).select_from(User).where(User.role == ADMIN)
        )
        or 0
    )


def change_role(user: User, role: str, *, actor: User | None, reason: str) -> None:
    """Make an account a member, a moderator or an admin (audited as role_change).
    Taking a role away signs the account out everywhere, so no open page keeps
    its powers."""
    reason = required_reason(reason)
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
    if ROLES.index(role) < ROLES.index(before):
        sessions.end_sessions(user.id)
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
    cancel_pending_to(old_email)
    if user.claimed_at is None:
        resend_invitation(user, actor=actor, today=today)


def reset_two_factor(user: User, *, actor: User | None, reason: str) -> None:
    """A member lost their phone and their recovery codes: they sign in with
    the password alone (admins and moderators are then asked to set it up)."""
    reason = required_reason(reason)
    if not user.has_two_factor:
        raise MembershipError(f"{user.email} does not use two-factor sign-in.")
    second_factor.reset(user)
    audit.record(audit.TWO_FACTOR_RESET, actor=actor, user=user, reason=reason)
