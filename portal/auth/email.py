"""The account emails, queued in the outbox with links built from the base URL."""

from __future__ import annotations

from typing import Any

from flask import current_app

from portal.auth import tokens
from portal.auth.models import User
from portal.core.mail import queue_email, render_email
from portal.core.outbox_checks import ref
from portal.core.urls import absolute_url

# An invitation names its account, so the outbox worker can cancel it when the
# account was claimed, or the membership revoked, before it went.
INVITATION = "invitation"


def invitation_link(user: User, next_path: str | None = None) -> str:
    """A set-password link; ``next_path`` is where the new member lands after."""
    token = tokens.make_token(tokens.INVITATION, user)
    if next_path is None:
        return absolute_url("auth.invitation_claim", token=token)
    return absolute_url("auth.invitation_claim", token=token, next=next_path)


def invitation_email(user: User, note: str | None = None) -> dict[str, Any]:
    """The rendered invitation (outbox values); ``note`` lets a caller (the
    membership import) say why they were invited."""
    return render_email(
        "invitation",
        to=user.email,
        subject=f"You're invited to the {current_app.config['PORTAL_NAME']}",
        user=user,
        link=invitation_link(user),
        days=current_app.config["INVITATION_MAX_AGE"].days,
        note=note,
        refs=[ref(INVITATION, user.id)],
    )


def send_password_reset(user: User) -> None:
    token = tokens.make_token(tokens.RESET, user)
    queue_email(
        "password_reset",
        to=user.email,
        subject="Reset your password",
        user=user,
        link=absolute_url("auth.password_reset", token=token),
    )


def send_email_change(user: User, new_email: str) -> None:
    token = tokens.make_token(tokens.EMAIL_CHANGE, user, e=new_email)
    queue_email(
        "email_change",
        to=new_email,
        subject="Confirm your new email address",
        user=user,
        link=absolute_url("auth.email_confirm", token=token),
    )


def send_email_changed_notice(user: User, old_email: str) -> None:
    queue_email(
        "email_changed",
        to=old_email,
        subject="Your sign-in email was changed",
        user=user,
        new_email=user.email,
    )
