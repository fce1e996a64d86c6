"""Error pages in the site's layout (and JSON for the health check's callers)."""

from __future__ import annotations

from collections.abc import Mapping

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.extensions import db

MESSAGES = {
    400: (
        "Something in that request was not right",
        "Go back, check the form and try again.",
    ),
    403: ("You can't do that", "Your account does not have access to this page."),
    404: ("Page not found", "The link may be old, or the page was removed."),
    405: ("Not allowed", "That page does not accept this kind of request."),
    410: ("This link no longer works", "Ask for a new one."),
    413: ("That upload is too large", "Send a smaller file or shorter text."),
    429: (
        "Too many attempts",
        "Please wait a few minutes before trying again. If you forgot your password,"
        " use the reset link on the sign-in page.",
    ),
    500: ("Something went wrong on our side", "It has been logged. Please try again."),
}


def render_error(code: int, detail: str | None = None) -> ResponseReturnValue:
    title, message = MESSAGES.get(code, MESSAGES[500])
    page = render_template(
        "errors/error.html", code=code, title=title, message=detail or message
    )
    return page, code


def answer_domain_errors(bp: Blueprint, codes: Mapping[type[Exception], int]) -> None:
    """A feature's domain errors as error pages: the request's changes are rolled
    back and the page says the error's message (a 404 says only "not found").
    Flask picks the most specific class registered, so a base class catches the rest.
    """
    for error_class, code in codes.items():

        def answer(error: Exception, code: int = code) -> ResponseReturnValue:
            db.session.rollback()
            return render_error(code, None if code == 404 else str(error))

        bp.register_error_handler(error_class, answer)


def init_app(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return render_error(
            400, "The form expired or was sent from elsewhere. Reload it and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code is None or error.code not in MESSAGES:
            return error
        # Our own abort(400, "...") explains itself; other descriptions are
        # werkzeug's or an extension's wording, not written for members.
        custom = error.code == 400 and error.description != type(error).description
        return render_error(error.code, error.description if custom else None)

    @app.errorhandler(InternalServerError)
    def server_error(error: InternalServerError) -> ResponseReturnValue:
        db.session.rollback()
        return render_error(500)
