"""The health check (and, through ``core.cli``, the mail worker commands)."""

from __future__ import annotations

from flask import Blueprint, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from portal.core.cli import analyze_command, mail_cli
from portal.extensions import db, limiter

# cli_group=None: its ``mail`` command group sits at the top of ``flask``.
bp = Blueprint("core", __name__, cli_group=None)
bp.cli.add_command(mail_cli)
bp.cli.add_command(analyze_command)


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
