"""Acting on many members at once, from the members list's checkboxes:
extend them (one reason, an audit entry each), resend invitations, or export
the selection."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue

from portal.admin import bp, current_actor
from portal.admin.forms import BULK_EXPORT, BULK_EXTEND, BulkMembersForm
from portal.auth.decorators import admin_required
from portal.core.spreadsheets import csv_download
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.queries.members import MemberFilters
from portal.membership.services import bulk, exports


def _selected() -> list[int]:
    return sorted({int(v) for v in request.form.getlist("member") if v.isdigit()})


@bp.post("/members/bulk")
@admin_required
def member_bulk() -> ResponseReturnValue:
    """One action for the members ticked on the list, each audited on its own."""
    form = BulkMembersForm()
    ids = _selected()
    back = redirect(request.referrer or url_for("admin.member_list"))
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(errors), "error")
        return back
    if not ids:
        flash("Tick at least one member first.", "error")
        return back
    if form.action.data == BULK_EXPORT:
        filters = MemberFilters(user_ids=tuple(ids))
        text = exports.export_members_csv(filters, actor=current_actor())
        db.session.commit()
        return csv_download(text, "members-selected")
    try:
        if form.action.data == BULK_EXTEND:
            report = bulk.extend_many(
                ids, actor=current_actor(), reason=form.reason.data or ""
            )
        else:
            report = bulk.resend_many(ids, actor=current_actor())
    except MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return back
    db.session.commit()
    flash(str(report), "success")
    for email, why in report.skipped:
        flash(f"Skipped {email}: {why}", "info")
    return back
