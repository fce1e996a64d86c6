"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, jsonify, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db, limiter

# cli_group=None: its ``mail`` command group sits at the top of ``flask``.
bp = Blueprint("core", __name__, cli_group=None)


@bp.get("/")
def home() -> ResponseReturnValue:
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    # Imported here: core sits below the features in the import order.
    from portal.membership.access import can_read_board

    if can_read_board(current_user):
        return redirect(url_for("board.question_list"))
    return redirect(url_for("membership.my_membership"))


@bp.get("/healthz")
@limiter.exempt
def healthz() -> ResponseReturnValue:
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")


from portal.core import cli  # noqa: E402, F401 - the ``flask mail`` commands
