"""The admin dashboard: memberships at a glance, whether the daily jobs ran, and
how much waits in the moderation queue."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from portal.admin import bp
from portal.auth.decorators import admin_required
from portal.membership.queries.dashboard import dashboard_counts
from portal.moderation.queries import queue_summary


@bp.get("/")
@admin_required
def dashboard() -> ResponseReturnValue:
    return render_template(
        "admin/membership/dashboard.html", d=dashboard_counts(), queue=queue_summary()
    )
