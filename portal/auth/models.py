"""Accounts: members and admins of the network."""

from __future__ import annotations

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
    # Rotated whenever the password or email changes: signs tokens and sessions,
    # so a used link, or a remember cookie from before the change, stops working.
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
