"""What a destructive action on a member will do, said before it is done.

The member page's second step (``confirmation.py``) shows these sentences, so
an admin reads the consequences of a revocation, a suspension, a role change,
an email correction or a two-factor reset before confirming it.
"""

from __future__ import annotations

from portal.admin.forms import CorrectEmailForm, ReasonForm, RoleForm, SuspendForm
from portal.auth.models import ADMIN, MEMBER, MODERATOR, User
from portal.core.templating import format_date
from portal.membership.services import grants

ROLE_NAMES = {MEMBER: "a member", MODERATOR: "a moderator", ADMIN: "an admin"}


TITLES = {
    "revoke": "Revoke the membership",
    "suspend": "Suspend the member",
    "role": "Change the role",
    "email": "Correct the email",
    "two_factor": "Reset two-factor sign-in",
}


def _notice(form: ReasonForm | SuspendForm) -> str:
    if form.tell_member.data:
        return "They get a short email notice that gives your reason."
    return "They get a short email notice, without the reason."


def _who(user: User) -> str:
    return f"{user.name} ({user.email})"


def revoke_says(user: User, form: ReasonForm) -> list[str]:
    return [
        f"{_who(user)} loses access to the board at once; the account and past "
        "posts stay, and their sessions end.",
        _notice(form),
        "You can reinstate the membership later; the term's dates are kept.",
    ]


def suspend_says(user: User, form: SuspendForm) -> list[str]:
    last_day = ends(user)
    return [
        f"{_who(user)} cannot read or post until {format_date(form.until.data)}, "
        "that day included.",
        f"The term keeps running: it still ends on {last_day}."
        if last_day
        else "The term keeps running.",
        _notice(form),
    ]


ROLE_POWERS = {
    MEMBER: "Members read and post while their membership allows it.",
    MODERATOR: "Moderators work the moderation queue (hide, restore, lock, close as "
    "a duplicate) and read and post without a membership; no admin screens.",
    ADMIN: "Admins manage residencies, memberships and accounts, moderate, and "
    "see every admin screen, including the outbox and the audit log.",
}


def role_says(user: User, form: RoleForm) -> list[str]:
    new = form.role.data or ""
    return [
        f"{_who(user)} becomes {ROLE_NAMES.get(new, new)} "
        f"(now {ROLE_NAMES.get(user.role, user.role)}).",
        ROLE_POWERS.get(new, ""),
    ]


def email_says(user: User, form: CorrectEmailForm) -> list[str]:
    new = (form.email.data or "").strip().lower()
    after = (
        "They sign in with the new address from now on."
        if user.claimed_at
        else f"The account is not claimed yet: a new invitation goes to {new}."
    )
    return [f"{user.name}'s email changes from {user.email} to {new}.", after]


def two_factor_says(user: User, form: ReasonForm) -> list[str]:
    return [
        f"{_who(user)}'s authenticator app and recovery codes stop working.",
        "They sign in with their password alone until they set it up again"
        + (
            "; as staff, they are asked to set it up before any admin or "
            "moderation page."
            if user.can_moderate
            else "."
        ),
    ]


def ends(user: User) -> str:
    membership = grants.find_membership(user)
    return format_date(membership.ends_on) if membership else ""
