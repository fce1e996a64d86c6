"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, abort, request
from werkzeug.datastructures import MultiDict

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def _has_nul(values: MultiDict[str, str]) -> bool:
    return any("\x00" in value for _, value in values.items(multi=True))


def refuse_nul_bytes() -> None:
    """A NUL in a link is never real (and PostgreSQL refuses it in queries).

    Forms are left to each feature's validation, which re-shows the form with
    a message, so the member's text is not lost.
    """
    if _has_nul(request.args):
        abort(400, "The link contains a character that cannot be used (NUL).")
    # No name, tag or token of ours holds one: a page that cannot exist.
    if any("\x00" in str(value) for value in (request.view_args or {}).values()):
        abort(404)


def init_app(app: Flask) -> None:
    production = app.config["PORTAL_ENV"] == "production"
    app.before_request(refuse_nul_bytes)

    @app.after_request
    def set_security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if production:
            headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response
