"""Renewal requests on the admin dashboard: approve in one click, or decline
with a message the member receives. The queue itself is on the dashboard."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue

from portal.admin import bp, current_actor
from portal.admin.forms import RenewalApproveForm, RenewalDeclineForm
from portal.auth.decorators import admin_required
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.services import renewals


def _back() -> ResponseReturnValue:
    return redirect(url_for("admin.dashboard", _anchor="renewals"))


@bp.post("/renewals/<int:request_id>/approve")
@admin_required
def renewal_approve(request_id: int) -> ResponseReturnValue:
    if not RenewalApproveForm().validate_on_submit():
        flash("The form expired; reload the dashboard and try again.", "error")
        return _back()
    try:
        result = renewals.approve(request_id, actor=current_actor())
    except MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back()
    db.session.commit()
    user = result.membership.user
    flash(
        f"Renewed: {user.name} is a member through"
        f" {format_date(result.membership.ends_on)}; they are notified.",
        "success",
    )
    return _back()


@bp.post("/renewals/<int:request_id>/decline")
@admin_required
def renewal_decline(request_id: int) -> ResponseReturnValue:
    form = RenewalDeclineForm()
    if not form.validate_on_submit():
        problems = [error for errors in form.errors.values() for error in errors]
        flash(f"Nothing was declined: {' '.join(map(str, problems))}", "error")
        return _back()
    try:
        request = renewals.decline(
            request_id, actor=current_actor(), message=form.message.data or ""
        )
    except MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _back()
    db.session.commit()
    flash(f"Declined: {request.membership.user.name} receives your message.", "success")
    return _back()
