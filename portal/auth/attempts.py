"""Sign-in attempts: counted before anything is checked, and known devices.

Every try at a password or a code first takes one hit from its budgets, and is
refused (429) without being checked when a budget is spent. The hit is one
atomic increment in the limits store (Redis when several processes serve the
portal), so N tries at once get exactly the limit, never more. A try that
succeeds gives its hits back: sign-ins that work are not counted, and the
failures before them still are.

Known devices (OWASP's device cookies): a successful sign-in leaves a signed
cookie naming the account. A try for that account carrying the cookie is
counted on that browser's own budget instead of the account's and the
address's, so strangers who lock an account out do not lock out its owner.
docs/two-factor.md says more.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from limits import RateLimitItem, parse
from limits.strategies import FixedWindowRateLimiter
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from portal.auth.models import normalise_email
from portal.extensions import limiter

DEVICE_COOKIE = "portal_device"
# Only the sign-in pages read it.
DEVICE_PATH = "/login"
DEVICE_MAX_AGE = timedelta(days=365)
# Accounts one browser is known for (a computer shared on a ward).
DEVICES_PER_BROWSER = 5

Budget = tuple[RateLimitItem, tuple[str, ...]]


@dataclass
class Attempt:
    """The hits one try took, to give back if it succeeds."""

    hits: list[Budget] = field(default_factory=list)

    def give_back(self) -> None:
        for item, identifiers in self.hits:
            _counter().hit(item, *identifiers, cost=-1)
        self.hits.clear()


def _counter() -> FixedWindowRateLimiter:
    """Fixed windows over the limiter's store (the same Redis or memory)."""
    return FixedWindowRateLimiter(limiter.storage)


def take(scope: str, email: str) -> Attempt:
    """Count one try at ``email``'s account; raise 429 when a budget is spent.

    ``scope`` keeps the password step, the code step and re-confirming apart.
    """
    attempt = Attempt()
    if not current_app.config["RATELIMIT_ENABLED"]:
        return attempt
    account = normalise_email(email)[:320]
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    for setting, kind, ident in _budgets(account):
        item = parse(current_app.config[setting])
        identifiers = (prefix, f"{scope}-{kind}", ident)
        if not _counter().hit(item, *identifiers):
            raise TooManyRequests()
        attempt.hits.append((item, identifiers))
    return attempt


def _budgets(account: str) -> list[tuple[str, str, str]]:
    device = known_device(account)
    if device is not None:
        return [("LOGIN_LIMIT_PER_DEVICE", "device", f"{account}/{device}")]
    return [
        ("LOGIN_LIMIT_PER_ADDRESS", "address", request.remote_addr or "unknown"),
        ("LOGIN_LIMIT_PER_ACCOUNT", "account", account),
    ]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _known_devices() -> list[tuple[str, str]]:
    """(account, device id) pairs from this browser's signed cookie."""
    raw = request.cookies.get(DEVICE_COOKIE)
    if not raw:
        return []
    try:
        entries = _serializer().loads(raw, max_age=int(DEVICE_MAX_AGE.total_seconds()))
    except BadSignature:
        return []
    if not isinstance(entries, list):
        return []
    return [
        (entry[0], entry[1])
        for entry in entries
        if isinstance(entry, list)
        and len(entry) == 2
        and all(isinstance(part, str) for part in entry)
    ]


def known_device(email: str) -> str | None:
    """This browser's device id for the account, if it signed in here before."""
    account = normalise_email(email)
    for known, device in _known_devices():
        if known == account:
            return device
    return None


def remember_device(response: Response, email: str) -> None:
    """After a successful sign-in: this browser is known for the account, with
    a new device id (and so a fresh budget)."""
    account = normalise_email(email)
    others = [list(pair) for pair in _known_devices() if pair[0] != account]
    entries = [[account, secrets.token_urlsafe(12)], *others][:DEVICES_PER_BROWSER]
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps(entries),
        max_age=DEVICE_MAX_AGE,
        path=DEVICE_PATH,
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
