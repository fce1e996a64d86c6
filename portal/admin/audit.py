"""The membership audit log: browse with filters, export as CSV (itself recorded)."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from portal.admin import bp, current_actor
from portal.admin.forms import AuditFilterForm
from portal.auth import services as accounts
from portal.auth.decorators import admin_required
from portal.core.paging import page_arg
from portal.core.spreadsheets import csv_download
from portal.extensions import db
from portal.membership.queries.audit import AuditFilters, audit_page
from portal.membership.services.exports import export_audit_csv


def _filters(form: AuditFilterForm) -> AuditFilters | None:
    """The filters, or None (with field errors) when the form does not hold up."""
    if not form.validate():
        return None
    people: dict[str, int | None] = {}
    for name in ("actor", "member"):
        email = form[name].data
        user = accounts.find_by_email(email) if email else None
        if email and user is None:
            form[name].errors = [f"No account has the email {email}."]
        people[name] = user.id if user else None
    since, until = form.since.data, form.until.data
    if since and until and since > until:
        form.until.errors = ["'Until' is before 'From'."]
    if form.errors:
        return None
    return AuditFilters(
        action=form.action.data or None,
        actor_id=people["actor"],
        user_id=people["member"],
        since=since,
        until=until,
    )


def _form(formdata: Any) -> AuditFilterForm:
    return AuditFilterForm(formdata=formdata)


@bp.get("/audit")
@admin_required
def audit_list() -> ResponseReturnValue:
    form = _form(request.args)
    filters = _filters(form)
    page = audit_page(filters, page=page_arg()) if filters else None
    html = render_template("admin/membership/audit.html", form=form, page=page)
    return html, 200 if filters else 400


@bp.post("/audit/export")
@admin_required
def audit_export() -> ResponseReturnValue:
    filters = _filters(_form(request.form))
    if filters is None:
        flash("Those filters are not valid; nothing was exported.", "error")
        return redirect(url_for("admin.audit_list"))
    text = export_audit_csv(filters, actor=current_actor())
    db.session.commit()
    return csv_download(text, "membership-audit")
