"""The admin dashboard: renewal requests to answer, memberships at a glance,
the board's health, how much waits in the moderation queue, and whether the
daily jobs ran."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from portal.admin import bp
from portal.auth.decorators import admin_required
from portal.board.queries.health import board_health
from portal.core import time
from portal.membership.queries.dashboard import dashboard_counts
from portal.membership.queries.renewals import open_requests
from portal.membership.status import status_on
from portal.moderation.queries import queue_summary


@bp.get("/")
@admin_required
def dashboard() -> ResponseReturnValue:
    today = time.today()
    queue = [(r, status_on(r.membership, today)) for r in open_requests()]
    return render_template(
        "admin/membership/dashboard.html",
        d=dashboard_counts(today),
        queue=queue,
        health=board_health(today=today),
        moderation=queue_summary(),
    )
