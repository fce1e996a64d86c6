"""Builders for test data, through the same services the app uses."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import select

from portal.auth import services as accounts
from portal.auth.models import ADMIN, MEMBER, User
from portal.core.mail import deliver_pending
from portal.core.models import OutboxMessage
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


def make_admin(email: str = "admin@example.org", name: str = "Avery Admin") -> User:
    return make_user(email, name, role=ADMIN)


def login_as(client: FlaskClient, user: User, password: str = PASSWORD, **extra):
    """Sign ``user`` in through the form; fails the test if that did not work."""
    response = login(client, user.email, password, **extra)
    assert response.status_code == 302, "sign-in failed"
    return response


def path_of(url: str) -> str:
    """A link from a mail, as a path the test client can request."""
    base = "http://portal.test"
    assert url.startswith(base + "/"), f"{url} is not on {base}"
    return url[len(base) :]


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    """The queued mail, oldest first, read fresh from the database."""
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


@contextmanager
def issued_ago(age: timedelta) -> Iterator[None]:
    """Links signed inside this block carry a timestamp ``age`` in the past."""
    stamp = int(time.time() - age.total_seconds())
    original = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: stamp  # type: ignore[method-assign]
    try:
        yield
    finally:
        TimestampSigner.get_timestamp = original  # type: ignore[method-assign]
