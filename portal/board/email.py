"""Links in the board's mail: one-click unsubscribe, signed per member and kind."""

from __future__ import annotations

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from portal.board.models import EMAIL_KINDS
from portal.core.urls import absolute_url

UNSUBSCRIBE_SALT = "board-unsubscribe"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id: int, kind: str) -> str:
    """Signed, without expiry: an old email's link must keep working."""
    return str(_serializer().dumps({"u": user_id, "k": kind}))


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` from a genuine token, else None."""
    try:
        payload = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(payload, dict):
        return None
    user_id, kind = payload.get("u"), payload.get("k")
    if not isinstance(user_id, int) or kind not in EMAIL_KINDS:
        return None
    return user_id, kind


def unsubscribe_headers(user_id: int, kind: str) -> tuple[str, dict[str, str]]:
    """The link for the footer, and RFC 8058 one-click headers for mail clients."""
    url = absolute_url("board.unsubscribe", token=unsubscribe_token(user_id, kind))
    headers = {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "X-Portal-Notification": kind,
    }
    return url, headers
