"""Accounts for admins: everyone who can sign in, and inviting someone.

One invite path: a graduate is invited through the same grant service as on a
residency's page (``grants.add_graduate``: a membership from a residency or a
start date, and the invitation that says so); a staff account (moderator or
admin) gets its role and no membership, and reads the board by its role.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from portal.admin import bp, current_actor
from portal.admin.forms import STAFF_ADMIN, InviteForm
from portal.auth import services as accounts
from portal.auth.decorators import admin_required, confirm_identity_first
from portal.auth.freshness import is_fresh
from portal.auth.models import ADMIN, MODERATOR, User
from portal.core import time
from portal.core.paging import page_arg
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.queries.residencies import residency_choices
from portal.membership.services import grants
from portal.membership.services.residencies import get_residency


def _invite_form() -> InviteForm:
    form = InviteForm()
    form.with_residencies(residency_choices())
    return form


def _accounts_page(form: InviteForm, status: int = 200) -> ResponseReturnValue:
    page = db.paginate(
        select(User).order_by(User.name, User.id), page=page_arg(), per_page=50
    )
    return render_template("admin/users.html", page=page, form=form), status


@bp.get("/users")
@admin_required
def user_list() -> ResponseReturnValue:
    return _accounts_page(_invite_form())


@bp.post("/users")
@admin_required
def user_create() -> ResponseReturnValue:
    form = _invite_form()
    if not form.validate_on_submit():
        return _accounts_page(form, 400)
    # A staff account gives a role: it needs a recent password or code.
    if form.is_staff and not is_fresh(current_actor()):
        return confirm_identity_first(url_for("admin.user_list"))
    try:
        said = _invite_staff(form) if form.is_staff else _invite_graduate(form)
    except (accounts.AccountError, MembershipError) as error:
        db.session.rollback()
        form.email.errors = [str(error)]
        return _accounts_page(form, 400)
    db.session.commit()
    flash(said, "success")
    return redirect(url_for("admin.user_list"))


def _check_new(email: str) -> None:
    """ "Invite someone" on Accounts is for people without an account; a known graduate
    gets another term on their member page or a residency's page instead."""
    known = accounts.find_by_email(email)
    if known is not None:
        raise accounts.AccountError(
            f"An account for {known.email} already exists: grant or extend "
            "their membership on their member page."
        )


def _invite_graduate(form: InviteForm) -> str:
    _check_new(form.email.data or "")
    result = grants.add_graduate(
        form.email.data or "",
        form.name.data or "",
        actor=current_actor(),
        residency=get_residency(form.residency.data) if form.residency.data else None,
        start=form.start.data,
        reason=form.reason.data,
    )
    member = result.membership
    if member.ends_on < time.today():
        raise MembershipError(
            f"That membership would have ended on {format_date(member.ends_on)}: "
            "nothing to invite them to. Choose a later residency or start date."
        )
    start, end = format_date(member.starts_on), format_date(member.ends_on)
    return f"Invitation queued for {member.user.email}: a member {start} to {end}."


def _invite_staff(form: InviteForm) -> str:
    _check_new(form.email.data or "")
    role = ADMIN if form.kind.data == STAFF_ADMIN else MODERATOR
    user = accounts.create_user(form.email.data or "", form.name.data or "", role)
    accounts.invite(user)
    return (
        f"Invitation queued for {user.email}: a staff account ({role}), no membership."
    )
