"""Accounts for admins: everyone who can sign in, and inviting someone."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from portal.admin import bp, current_actor
from portal.auth import services as accounts
from portal.auth.decorators import admin_required, confirm_identity_first
from portal.auth.forms import InviteForm
from portal.auth.freshness import is_fresh
from portal.auth.models import ADMIN, MEMBER, User
from portal.core.paging import page_arg
from portal.extensions import db


@bp.get("/users")
@admin_required
def user_list() -> ResponseReturnValue:
    page = db.paginate(
        select(User).order_by(User.name, User.id), page=page_arg(), per_page=50
    )
    return render_template("admin/users.html", page=page, form=InviteForm())


@bp.post("/users")
@admin_required
def user_create() -> ResponseReturnValue:
    form = InviteForm()
    if form.validate_on_submit():
        # Inviting an admin gives a role: it needs a recent password or code.
        if form.admin.data and not is_fresh(current_actor()):
            return confirm_identity_first(url_for("admin.user_list"))
        role = ADMIN if form.admin.data else MEMBER
        try:
            user = accounts.create_user(
                form.email.data or "", form.name.data or "", role
            )
            accounts.invite(user)
        except accounts.AccountError as error:
            form.email.errors = [str(error)]
        else:
            db.session.commit()
            flash(f"Invitation queued for {user.email}.", "success")
            return redirect(url_for("admin.user_list"))
    page = db.paginate(
        select(User).order_by(User.name, User.id), page=page_arg(), per_page=50
    )
    return render_template("admin/users.html", page=page, form=form), 400
