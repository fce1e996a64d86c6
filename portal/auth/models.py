"""Accounts: members and admins of the network."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from portal.core.db import Base
from portal.core.time import utcnow

MEMBER, MODERATOR, ADMIN = "member", "moderator", "admin"
ROLES = (MEMBER, MODERATOR, ADMIN)


def new_stamp() -> str:
    return secrets.token_urlsafe(16)


def normalise_email(email: str) -> str:
    """Emails compare case-insensitively: we store them trimmed and lower-cased."""
    return email.strip().lower()


class User(UserMixin, Base):
    __tablename__ = "user_account"
    # Member lists are sorted by name: walked in order instead of sorted whole.
    __table_args__ = (Index("ix_user_account_name", "name", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(10), default=MEMBER)
    # Rotated whenever the password or email changes: signs emailed links, so a
    # used link stops working. (Sign-ins are ``UserSession`` rows, ended apart.)
    security_stamp: Mapped[str] = mapped_column(String(40), default=new_stamp)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    invited_at: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # Two-factor sign-in (docs/two-factor.md): the authenticator app's shared
    # secret once confirmed, and the last time step a code was accepted for, so
    # a code works once.
    totp_secret: Mapped[str | None] = mapped_column(String(32))
    totp_enabled_at: Mapped[datetime | None]
    totp_last_step: Mapped[int | None]

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN

    @property
    def can_moderate(self) -> bool:
        """Moderators work the review queue; admins can do all they can."""
        return self.role in (MODERATOR, ADMIN)

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None

    @property
    def needs_two_factor(self) -> bool:
        """Admins and moderators must sign in with a second factor."""
        return self.can_moderate

    @property
    def has_password(self) -> bool:
        return self.password_hash is not None

    def get_id(self) -> str:
        """Flask-Login compares users by this. The cookies do not carry it: they
        carry the key of a ``UserSession`` (``auth.views.start_session``)."""
        return f"{self.id}:{self.security_stamp}"

    def set_password(self, password: str) -> None:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_stamp()

    def check_password(self, password: str) -> bool:
        if self.password_hash is None:
            return False
        return check_password_hash(self.password_hash, password)

    def rotate_stamp(self) -> None:
        self.security_stamp = new_stamp()


def new_session_key() -> str:
    """The secret a session cookie carries: 256 random bits."""
    return secrets.token_urlsafe(32)


def session_key_hash(key: str) -> str:
    """Only this is stored, so a copy of the table opens no session."""
    return hashlib.sha256(key.encode()).hexdigest()


def new_public_id() -> str:
    return secrets.token_urlsafe(9)


class UserSession(Base):
    """One sign-in on one device (docs/sessions.md): the session cookie carries
    its key, and the loader accepts the cookie only while this row is alive."""

    __tablename__ = "user_session"
    # "Your devices" and ending a member's sessions look them up by member.
    __table_args__ = (Index("ix_user_session_user_id", "user_id"),)

    # sha256 of the key in the cookie.
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Names the session in "Your devices" and its sign-out button; opens nothing.
    public_id: Mapped[str] = mapped_column(
        String(16), unique=True, default=new_public_id
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Written at most once a minute, not on every request.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    # "Keep me signed in": SESSION_REMEMBER_DAYS instead of the idle and
    # working-day limits.
    remember: Mapped[bool] = mapped_column(default=False)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    # "Firefox on Windows": worked out once, at sign-in.
    device: Mapped[str] = mapped_column(String(120), default="")

    def __repr__(self) -> str:
        return f"<UserSession {self.public_id} of user {self.user_id}>"


class RecoveryCode(Base):
    """A single-use code for signing in without the authenticator app.

    Only a SHA-256 of the code is kept: codes are 80 random bits, so the hash
    needs no salt or slow function, and it can be looked up in one statement.
    """

    __tablename__ = "recovery_code"
    __table_args__ = (UniqueConstraint("user_id", "code_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE")
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    used_at: Mapped[datetime | None]
