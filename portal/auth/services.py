"""Account rules. Services flush; the caller (view or command) commits once."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value
from werkzeug.security import check_password_hash, generate_password_hash

from portal.auth import email as account_mail
from portal.auth import sessions, tokens
from portal.auth.models import ADMIN, MEMBER, ROLES, User, normalise_email
from portal.core.mail import queue_emails
from portal.core.time import utcnow
from portal.extensions import db

MIN_PASSWORD = 10
MAX_PASSWORD = 200
MAX_EMAIL = 320
MAX_NAME = 120
# Checked when the email is unknown, so a miss costs as long as a hit.
_DUMMY_HASH = generate_password_hash("not-a-real-password")


class AccountError(Exception):
    """A rule was broken; the message is safe to show to the user."""


def find_by_email(email: str) -> User | None:
    email = normalise_email(email)
    # No stored address is this long or holds control characters, and PostgreSQL
    # refuses a NUL byte in a query outright: answer "nobody" without asking.
    if len(email) > MAX_EMAIL or _has_control_characters(email):
        return None
    return db.session.scalar(select(User).where(User.email == email))


def check_email(email: str) -> str:
    """The address as we store it; the same rule as the forms, for every caller."""
    email = normalise_email(email)
    if not email:
        raise AccountError("An email address is required.")
    if len(email) > MAX_EMAIL:
        raise AccountError(f"Use at most {MAX_EMAIL} characters for the email.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as error:
        raise AccountError(f"{email!r} is not a valid email address. {error}") from None
    return email


def _has_control_characters(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def check_name(name: str) -> str:
    name = name.strip()
    if not name:
        raise AccountError("A name is required.")
    if len(name) > MAX_NAME:
        raise AccountError(f"Use at most {MAX_NAME} characters for the name.")
    if _has_control_characters(name):
        raise AccountError("A name cannot contain control characters.")
    return name


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use at most {MAX_PASSWORD} characters.")


def create_user(email: str, name: str, role: str = MEMBER) -> User:
    """A new account without a password; the owner claims it from an invitation."""
    email, name = check_email(email), check_name(name)
    if role not in ROLES:
        raise AccountError(f"Unknown role {role!r}.")
    if find_by_email(email) is not None:
        raise AccountError(f"An account for {email} already exists.")
    user = User(email=email, name=name, role=role)
    db.session.add(user)
    db.session.flush()
    return user


def invite(user: User, note: str | None = None) -> None:
    invite_many([(user, note)])


def invite_many(invitations: Sequence[tuple[User, str | None]]) -> None:
    """Invite unclaimed accounts: one UPDATE and one multi-row outbox INSERT."""
    for user, _note in invitations:
        if user.claimed_at is not None:
            raise AccountError(f"{user.email} has already claimed their account.")
    if not invitations:
        return
    now = utcnow()
    ids = [user.id for user, _note in invitations]
    for first in range(0, len(ids), 900):
        db.session.execute(
            update(User)
            .where(User.id.in_(ids[first : first + 900]))
            .values(invited_at=now)
            .execution_options(synchronize_session=False)
        )
    for user, _note in invitations:
        set_committed_value(user, "invited_at", now)
    queue_emails([account_mail.invitation_email(u, note) for u, note in invitations])


def create_admin(email: str, name: str) -> User:
    email, name = check_email(email), check_name(name)
    existing = find_by_email(email)
    if existing is not None:
        existing.role = ADMIN
        return existing
    return create_user(email, name, role=ADMIN)


def authenticate(email: str, password: str) -> User | None:
    user = find_by_email(email)
    if user is None or user.password_hash is None:
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not user.check_password(password):
        return None
    return user


def record_sign_in(user: User) -> None:
    """Once every step of the sign-in has passed."""
    user.last_login_at = utcnow()


def _set_password(user: User, password: str) -> None:
    """From an emailed link: every session of the account ends."""
    check_new_password(password)
    user.set_password(password)
    sessions.end_sessions(user.id)
    if user.claimed_at is None:
        user.claimed_at = utcnow()


def claim_invitation(token: str, password: str) -> User:
    user, _ = tokens.read_token(
        tokens.INVITATION, token, current_app.config["INVITATION_MAX_AGE"]
    )
    _set_password(user, password)
    return user


def check_reset_token(token: str) -> User:
    user, _ = tokens.read_token(
        tokens.RESET, token, current_app.config["RESET_MAX_AGE"]
    )
    return user


def check_invitation_token(token: str) -> User:
    user, _ = tokens.read_token(
        tokens.INVITATION, token, current_app.config["INVITATION_MAX_AGE"]
    )
    return user


def request_password_reset(email: str) -> None:
    """Queue a reset link if the account exists; the caller answers the same anyway."""
    user = find_by_email(email)
    if user is not None:
        account_mail.send_password_reset(user)


def reset_password(token: str, password: str) -> User:
    user = check_reset_token(token)
    _set_password(user, password)
    return user


def change_password(
    user: User, current: str, new: str, *, keep_session: str | None = None
) -> None:
    """Every other session ends; ``keep_session`` is the one making the change."""
    if not user.check_password(current):
        raise AccountError("Your current password is not right.")
    check_new_password(new)
    user.set_password(new)
    sessions.end_sessions(user.id, except_id=keep_session)


def change_name(user: User, name: str) -> None:
    user.name = check_name(name)


def request_email_change(user: User, new_email: str, password: str) -> None:
    if not user.check_password(password):
        raise AccountError("Your current password is not right.")
    new_email = check_email(new_email)
    if new_email == user.email:
        raise AccountError("That is already your email address.")
    # Say nothing about whether another account uses it: the link will tell
    # the owner of the new address, and confirming re-checks.
    account_mail.send_email_change(user, new_email)


def check_email_change_token(token: str) -> tuple[User, str]:
    """The account and the address it is moving to; raises ``TokenError``."""
    user, payload = tokens.read_token(
        tokens.EMAIL_CHANGE, token, current_app.config["EMAIL_CHANGE_MAX_AGE"]
    )
    return user, normalise_email(str(payload.get("e", "")))


def confirm_email_change(token: str, *, keep_session: str | None = None) -> User:
    """Every session but ``keep_session`` (the member's own browser) ends."""
    user, new_email = check_email_change_token(token)
    if find_by_email(new_email) is not None:
        raise AccountError("Another account already uses that address.")
    old_email, user.email = user.email, new_email
    user.rotate_stamp()
    sessions.end_sessions(user.id, except_id=keep_session)
    account_mail.send_email_changed_notice(user, old_email)
    return user


def correct_email(user: User, new_email: str) -> None:
    """An admin fixes a mistyped address; links sent to the old one stop working."""
    new_email = check_email(new_email)
    if find_by_email(new_email) not in (None, user):
        raise AccountError(f"An account for {new_email} already exists.")
    user.email = new_email
    user.rotate_stamp()
    sessions.end_sessions(user.id)
