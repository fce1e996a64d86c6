"""What the benchmark data set is: its sizes and the fixtures the load test finds.

Shared by the generator (``bench.seed``) and the load test (``bench.load``), so
the two agree on the accounts, the well-known question and the tag names.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import pyotp
from sqlalchemy import make_url

from portal.config import normalise_database_url

SEED = 20240229
PASSWORD = "bench-password-2024"  # noqa: S105 - a throw-away benchmark account
# The cheap method the test suite uses: seeding hashes once, signing in is fast.
PASSWORD_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name
ADMIN_EMAIL = "admin@bench.example.org"
# The bench admin's authenticator app (admins must sign in with a second factor).
ADMIN_TOTP_SECRET = "BENCHADMINAUTHENTICATORAPPSECRET"  # noqa: S105 - throw-away
MEMBER_EMAIL = "member@bench.example.org"
TEN_ANSWERS_TITLE = "Benchmark: ten answers on residents posting from the clinic"
SANDBOX_TITLE = "Benchmark sandbox: where the load test posts its answers and votes"
BUSIEST_TAG = "policy"
RARE_TAG = "mastodon"


@dataclass(frozen=True)
class Size:
    name: str
    members: int
    residencies: int
    questions: int
    answers: int
    comments: int
    votes: int
    # Notifications are written for answers and comments of the last N days.
    notification_days: int


SIZES = {
    "small": Size("small", 200, 40, 2_000, 10_000, 2_000, 20_000, 60),
    "large": Size("large", 10_000, 40, 100_000, 500_000, 100_000, 1_000_000, 60),
}


def default_url(size: str) -> str:
    return f"sqlite:///instance/bench-{size}.db"


def database_url(raw: str) -> str:
    """psycopg for PostgreSQL; a SQLite path made absolute from the working folder.

    Flask-SQLAlchemy reads a relative SQLite path from the instance folder, the
    generator and gunicorn from where they run: an absolute path means one file.
    """
    url = make_url(normalise_database_url(raw))
    if url.get_backend_name() == "sqlite" and url.database not in (
        None,
        "",
        ":memory:",
    ):
        url = url.set(database=os.path.abspath(url.database or ""))
    return url.render_as_string(hide_password=False)


def backend(url: str) -> str:
    """``sqlite`` or ``postgresql``: the name the report uses."""
    return make_url(url).get_backend_name()


def admin_code() -> str:
    """The code the bench admin's authenticator app shows now."""
    return pyotp.TOTP(ADMIN_TOTP_SECRET).now()


def seconds_to_next_code() -> float:
    """A code works once: a second sign-in within 30 seconds waits for the next."""
    return 30 - time.time() % 30 + 0.2
