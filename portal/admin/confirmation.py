"""A second page before a destructive action: it says what will happen, and
only its own button carries the token that lets the action run.

The token is signed, names the action, the member and the exact values the
admin submitted, and expires after ten minutes; a request without it (a crafted
form, a double-click on the first page) shows the confirmation again and
changes nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

CONFIRM_FIELD = "confirmation"
MAX_AGE_SECONDS = 600
# Fields that are not the admin's choice, so the token does not cover them.
_NOT_VALUES = {"csrf_token", CONFIRM_FIELD}


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"], salt="admin-confirmation"
    )


def _values() -> str:
    items = sorted(
        (key, value)
        for key, values in request.form.lists()
        if key not in _NOT_VALUES
        for value in values
    )
    return hashlib.sha256(repr(items).encode()).hexdigest()


def token_for(action: str, subject_id: int) -> str:
    """For the confirmation page's button: this action on these values."""
    return _serializer().dumps([action, subject_id, _values()])


def confirmed(action: str, subject_id: int) -> bool:
    """True when the request carries a fresh token for exactly this action."""
    token = request.form.get(CONFIRM_FIELD, "")
    try:
        said = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except BadSignature:
        return False
    return bool(said == [action, subject_id, _values()])


def carried_fields() -> Iterable[tuple[str, str]]:
    """The submitted values, for the confirmation page to send again."""
    for key, values in request.form.lists():
        if key not in _NOT_VALUES:
            for value in values:
                yield key, value
