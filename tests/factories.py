"""Builders for test data, through the same services the app uses."""

from __future__ import annotations

from flask.testing import FlaskClient

from portal.auth import services as accounts
from portal.auth.models import MEMBER, User
from portal.core.mail import deliver_pending
from portal.core.time import utcnow
from portal.extensions import db

PASSWORD = "correct horse battery"


def make_user(
    email: str = "member@example.org",
    name: str = "Morgan Member",
    role: str = MEMBER,
    password: str | None = PASSWORD,
) -> User:
    user = accounts.create_user(email, name, role)
    if password is not None:
        user.set_password(password)
        user.claimed_at = utcnow()
    db.session.commit()
    return user


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def deliver() -> None:
    """Run the mail worker once, as cron or the --loop worker would."""
    deliver_pending()
