"""Signed, expiring, single-use links.

A token carries the user's id and security stamp. Using it changes the stamp
(setting a password, confirming an email), so the same link works only once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from portal.auth.models import User
from portal.extensions import db

INVITATION, RESET, EMAIL_CHANGE = "invitation", "password-reset", "email-change"
# The password was right; the sign-in waits for the second factor.
SIGN_IN_PENDING = "sign-in-pending"


class TokenError(Exception):
    """A link that cannot be used; ``reason`` is one of expired, used, invalid."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    """One per app and purpose: a roster import signs 10,000 links at once."""
    cache = current_app.extensions.setdefault("auth_token_serializers", {})
    key = (purpose, current_app.config["SECRET_KEY"])
    if key not in cache:
        cache[key] = URLSafeTimedSerializer(key[1], salt=purpose)
    serializer: URLSafeTimedSerializer = cache[key]
    return serializer


def make_token(purpose: str, user: User, **extra: Any) -> str:
    payload = {"u": user.id, "s": user.security_stamp, **extra}
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: timedelta) -> tuple[User, dict]:
    """The user a token was made for, and its payload; raises ``TokenError``."""
    try:
        payload = _serializer(purpose).loads(
            token, max_age=int(max_age.total_seconds())
        )
    except SignatureExpired as error:
        raise TokenError("expired") from error
    except BadSignature as error:
        raise TokenError("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), int):
        raise TokenError("invalid")
    user = db.session.get(User, payload["u"])
    if user is None:
        raise TokenError("invalid")
    if user.security_stamp != payload.get("s"):
        raise TokenError("used")
    return user, payload
