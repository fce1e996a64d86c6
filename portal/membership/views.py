"""The member's screens: their membership, their profile, and the directory.

Every signed-in account may see its own membership page and edit its profile
(that is where expired, revoked, suspended and upcoming members are sent); the
directory is for those who may read the board.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.core.paging import page_arg
from portal.extensions import db
from portal.membership import bp
from portal.membership.access import board_reader_required, can_read_board
from portal.membership.errors import MembershipError
from portal.membership.forms import (
    DirectorySearchForm,
    ProfileForm,
    RenewalRequestForm,
    split_platforms,
)
from portal.membership.queries.directory import (
    directory_entry,
    directory_page,
    profile_or_none,
)
from portal.membership.queries.members import membership_summary
from portal.membership.services import profiles, renewals
from portal.membership.terms import FIRST_REMINDER_DAYS


@bp.get("/")
def home() -> ResponseReturnValue:
    """Where a person starts: the board if they may read it, else their membership."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login"))
    if can_read_board(current_user):
        return redirect(url_for("board.question_list"))
    return redirect(url_for("membership.my_membership"))


def _membership_page(form: RenewalRequestForm | None = None) -> str:
    return render_template(
        "membership/my_membership.html",
        summary=membership_summary(current_user),
        form=form or RenewalRequestForm(formdata=None),
        renewal_window=FIRST_REMINDER_DAYS,
    )


@bp.get("/membership")
@login_required
def my_membership() -> ResponseReturnValue:
    return _membership_page()


@bp.post("/membership/renewal")
@login_required
def renewal_create() -> ResponseReturnValue:
    """The member asks for another year; a second ask says when the first was."""
    form = RenewalRequestForm()
    if not form.validate_on_submit():
        return _membership_page(form), 400
    try:
        renewals.request_renewal(current_user, form.note.data)
    except MembershipError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("membership.my_membership"))
    db.session.commit()
    flash("Your renewal request is sent. An admin will answer by email.", "success")
    return redirect(url_for("membership.my_membership"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile_edit() -> ResponseReturnValue:
    form = ProfileForm.of(profile_or_none(current_user))
    if not form.validate_on_submit():
        status = 400 if form.is_submitted() else 200
        return render_template("membership/profile.html", form=form), status
    try:
        profiles.update_profile(
            current_user,
            title=form.title.data,
            organisation=form.organisation.data,
            specialty=form.specialty.data,
            platforms=split_platforms(form.platforms.data),
            bio=form.bio.data,
            directory_opt_in=form.directory_opt_in.data,
        )
    except MembershipError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return render_template("membership/profile.html", form=form), 400
    db.session.commit()
    flash("Your profile is saved.", "success")
    return redirect(url_for("membership.profile_edit"))


@bp.get("/directory")
@board_reader_required
def directory() -> ResponseReturnValue:
    form = DirectorySearchForm(request.args)
    if not form.validate():
        html = render_template("membership/directory.html", form=form, page=None)
        return html, 400
    page = directory_page(form.q.data, form.platform.data, page=page_arg())
    listed = directory_entry(current_user.id) is not None
    return render_template(
        "membership/directory.html", form=form, page=page, listed=listed
    )


@bp.get("/directory/<int:user_id>")
def member_show(user_id: int) -> ResponseReturnValue:
    """The old directory card: the member's one profile page is on the board."""
    return redirect(url_for("board.member_show", user_id=user_id), 301)
