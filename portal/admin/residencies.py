"""Residencies for admins: the list, one residency with its graduates, edits."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from portal.admin import bp, current_actor
from portal.admin.forms import GraduateForm, ResidencyForm
from portal.auth.decorators import admin_required
from portal.core.paging import get_or_404
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import Residency
from portal.membership.queries.residencies import (
    residencies_with_counts,
    residency_graduates,
)
from portal.membership.services import grants, residencies


def _residency_list(form: ResidencyForm, status: int = 200) -> ResponseReturnValue:
    rows = residencies_with_counts()
    page = render_template("admin/membership/residencies.html", rows=rows, form=form)
    return page, status


@bp.get("/residencies")
@admin_required
def residency_list() -> ResponseReturnValue:
    return _residency_list(ResidencyForm(formdata=None))


@bp.post("/residencies")
@admin_required
def residency_create() -> ResponseReturnValue:
    form = ResidencyForm()
    if form.validate_on_submit():
        try:
            residency = residencies.add_residency(
                form.name.data or "",
                form.location.data or "",
                form.held_on.data,
                form.notes.data,
                actor=current_actor(),
            )
        except MembershipError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{residency.name} is added.", "success")
            return redirect(url_for("admin.residency_show", residency_id=residency.id))
    return _residency_list(form, 400)


@bp.route("/residencies/<int:residency_id>/edit", methods=["GET", "POST"])
@admin_required
def residency_edit(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    form = ResidencyForm(obj=residency)
    if form.validate_on_submit():
        try:
            residencies.update_residency(
                residency,
                name=form.name.data or "",
                location=form.location.data or "",
                held_on=form.held_on.data,
                notes=form.notes.data,
                actor=current_actor(),
            )
        except MembershipError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("The residency is saved.", "success")
            return redirect(url_for("admin.residency_show", residency_id=residency_id))
    page = render_template(
        "admin/membership/residency_edit.html", residency=residency, form=form
    )
    return page, 400 if form.is_submitted() else 200


def _residency_page(
    residency: Residency, form: GraduateForm, status: int = 200
) -> ResponseReturnValue:
    graduates = residency_graduates(residency.id)
    page = render_template(
        "admin/membership/residency.html",
        residency=residency,
        graduates=graduates,
        form=form,
    )
    return page, status


@bp.get("/residencies/<int:residency_id>")
@admin_required
def residency_show(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    return _residency_page(residency, GraduateForm(formdata=None))


@bp.post("/residencies/<int:residency_id>/graduates")
@admin_required
def graduate_create(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    form = GraduateForm()
    if form.validate_on_submit():
        try:
            result = grants.add_graduate(
                form.email.data or "",
                form.name.data or "",
                actor=current_actor(),
                residency=residency,
                start=form.start.data,
                reason=form.reason.data,
                organisation=form.organisation.data,
                title=form.title.data,
            )
        except MembershipError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            email, end = result.membership.user.email, result.membership.ends_on
            if result.changed:
                flash(f"{email} is a member through {format_date(end)}.", "success")
            else:
                flash(f"Nothing changed: {email} already graduated from it.", "info")
            return redirect(url_for("admin.residency_show", residency_id=residency_id))
    return _residency_page(residency, form, 400)
