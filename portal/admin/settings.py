"""Portal settings for admins: routing questions to the best-placed members.

A saved setting overrides its config default (``core/settings.py``) and is
recorded in the audit log.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.admin import bp, current_actor
from portal.admin.forms import SettingsForm
from portal.auth.decorators import admin_required
from portal.board.services.routing import routing_enabled, set_routing
from portal.extensions import db


@bp.route("/settings", methods=["GET", "POST"])
@admin_required
def settings_edit() -> ResponseReturnValue:
    enabled = routing_enabled()
    form = SettingsForm(data={"routing": enabled})
    if form.validate_on_submit():
        changed = set_routing(
            bool(form.routing.data), current_actor(), form.reason.data or None
        )
        db.session.commit()
        flash("Settings saved." if changed else "Nothing changed.", "success")
        return redirect(url_for("admin.settings_edit"))
    status = 400 if form.errors else 200
    return render_template("admin/settings.html", form=form, enabled=enabled), status
