"""Admin screens for members: the filtered list, its CSV export, one member's
page, and the actions on it (each a POST with a reason, kept in the audit log).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.admin import bp, confirmation, consequences, current_actor
from portal.admin.forms import (
    BulkMembersForm,
    CorrectEmailForm,
    ExtendForm,
    GrantForm,
    MemberFilterForm,
    ReasonForm,
    ResendInvitationForm,
    RoleForm,
    SuspendForm,
)
from portal.auth.decorators import admin_required, fresh_auth_required
from portal.auth.models import User
from portal.core import time
from portal.core.paging import get_or_404, page_arg
from portal.core.spreadsheets import csv_download
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.queries.audit import AuditFilters, audit_page
from portal.membership.queries.members import (
    MemberFilters,
    member_row,
    members_page,
    membership_of,
    terms_of,
)
from portal.membership.queries.residencies import residency_choices
from portal.membership.services import accounts, exports, grants, standing
from portal.membership.services.residencies import get_residency
from portal.membership.status import Status

F = TypeVar("F", bound=FlaskForm)

# The action forms on a member's page, by the prefix of their fields.
ACTION_FORMS: dict[str, type[FlaskForm]] = {
    "grant": GrantForm,
    "extend": ExtendForm,
    "revoke": ReasonForm,
    "suspend": SuspendForm,
    "reinstate": ReasonForm,
    "invitation": ResendInvitationForm,
    "email": CorrectEmailForm,
    "role": RoleForm,
    "two_factor": ReasonForm,
}


def _filter_form(formdata: Any) -> MemberFilterForm:
    form = MemberFilterForm(formdata=formdata)
    return form.with_residencies(residency_choices())


def _filters(form: MemberFilterForm) -> MemberFilters:
    return MemberFilters(
        status=form.status.data or None,
        residency_id=form.residency.data,
        expiring_within=form.expiring.data,
        search=form.q.data or None,
    )


@bp.get("/members")
@admin_required
def member_list() -> ResponseReturnValue:
    form = _filter_form(request.args)
    valid = form.validate()
    filters = _filters(form) if valid else MemberFilters()
    today = time.today()
    page = members_page(filters, page=page_arg(), today=today)
    rows = [member_row(membership, today) for membership in page.items]
    html = render_template(
        "admin/membership/members.html",
        form=form,
        page=page,
        rows=rows,
        valid=valid,
        bulk_form=BulkMembersForm(formdata=None),
    )
    return html, 200 if valid else 400


@bp.post("/members/export")
@admin_required
def member_export() -> ResponseReturnValue:
    form = _filter_form(request.form)
    if not form.validate():
        flash("Those filters are not valid; nothing was exported.", "error")
        return redirect(url_for("admin.member_list"))
    text = exports.export_members_csv(_filters(form), actor=current_actor())
    db.session.commit()
    return csv_download(text, "members")


def _action_forms(given: dict[str, FlaskForm]) -> dict[str, FlaskForm]:
    forms = {
        name: given.get(name) or form_class(formdata=None, prefix=name)
        for name, form_class in ACTION_FORMS.items()
    }
    forms["grant"].with_residencies(residency_choices())
    return forms


def suggested_actions(user: User, status: str | None) -> list[str]:
    """The one or two actions that fit the member's standing, shown first."""
    names = []
    if status is None:
        names.append("grant")
    elif status in (Status.GRACE, Status.EXPIRED):
        names.append("extend")
    elif status in (Status.REVOKED, Status.SUSPENDED):
        names.append("reinstate")
    if user.claimed_at is None:
        names.append("invitation")
    return names


def _member_page(
    user: User, given: dict[str, FlaskForm] | None = None, status: int = 200
) -> ResponseReturnValue:
    membership = membership_of(user)
    today = time.today()
    history = audit_page(AuditFilters(user_id=user.id), page=page_arg())
    row = member_row(membership, today) if membership else None
    html = render_template(
        "admin/membership/member.html",
        user=user,
        membership=membership,
        row=row,
        suggested=suggested_actions(user, row.status if row else None),
        terms=terms_of(membership) if membership else [],
        history=history,
        forms=_action_forms(given or {}),
        failed=bool(given),
    )
    return html, status


@bp.get("/members/<int:user_id>")
@admin_required
def member_show(user_id: int) -> ResponseReturnValue:
    return _member_page(get_or_404(User, user_id))


Consequences = Callable[[User, Any], list[str]]


def _act(
    user_id: int,
    name: str,
    run: Callable[[User, Any], str],
    confirm: Consequences | None = None,
) -> ResponseReturnValue:
    """Validate the named action's form, run it, commit, or re-show the page
    with the problem (400). A destructive action (``confirm`` says what it will
    do) first shows a confirmation page; only that page's button runs it."""
    user = get_or_404(User, user_id)
    form = ACTION_FORMS[name](prefix=name)
    if name == "grant":
        form.with_residencies(residency_choices())
    if form.validate_on_submit():
        if confirm is not None and not confirmation.confirmed(name, user.id):
            problem = _problem_with(user, form, run)
            if problem is None:
                return _confirm_page(user, name, form, confirm(user, form))
            form.form_errors.append(problem)
            return _member_page(user, {name: form}, 400)
        try:
            message = run(user, form)
        except MembershipError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("admin.member_show", user_id=user_id))
    return _member_page(user, {name: form}, 400)


def _problem_with(
    user: User, form: FlaskForm, run: Callable[[User, Any], str]
) -> str | None:
    """Try the action in a savepoint and undo it: what the rules would refuse
    is said on the member's page, before anyone is asked to confirm."""
    savepoint = db.session.begin_nested()
    try:
        run(user, form)
    except MembershipError as error:
        return str(error)
    finally:
        savepoint.rollback()
    return None


def _confirm_page(
    user: User, name: str, form: FlaskForm, says: list[str]
) -> ResponseReturnValue:
    reason = getattr(form, "reason", None)
    return render_template(
        "admin/membership/confirm.html",
        user=user,
        title=consequences.TITLES[name],
        consequences=says,
        reason=reason.data if reason is not None else None,
        action_url=request.path,
        carried=list(confirmation.carried_fields()),
        token=confirmation.token_for(name, user.id),
    )


@bp.post("/members/<int:user_id>/grant")
@admin_required
def member_grant(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: GrantForm) -> str:
        residency = None
        if form.residency.data is not None:
            residency = get_residency(form.residency.data)
        result = grants.grant_term(
            user,
            actor=current_actor(),
            reason=form.reason.data,
            residency=residency,
            start=form.start.data,
        )
        if not result.changed:
            return f"Nothing changed: {user.email} already has that residency's term."
        return f"Granted: {user.email} is a member through {consequences.ends(user)}."

    return _act(user_id, "grant", run)


@bp.post("/members/<int:user_id>/extend")
@admin_required
def member_extend(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: ExtendForm) -> str:
        grants.extend(
            user,
            actor=current_actor(),
            reason=form.reason.data or "",
            start=form.start.data,
        )
        return f"Extended: {user.email} is a member through {consequences.ends(user)}."

    return _act(user_id, "extend", run)


@bp.post("/members/<int:user_id>/revoke")
@admin_required
@fresh_auth_required("admin.member_show")
def member_revoke(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: ReasonForm) -> str:
        standing.revoke(
            user,
            actor=current_actor(),
            reason=form.reason.data or "",
            tell_reason=form.tell_member.data,
        )
        return f"The membership of {user.email} is revoked; they are notified."

    return _act(user_id, "revoke", run, consequences.revoke_says)


@bp.post("/members/<int:user_id>/suspend")
@admin_required
@fresh_auth_required("admin.member_show")
def member_suspend(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: SuspendForm) -> str:
        until = form.until.data
        assert until is not None  # noqa: S101 - the field is required
        standing.suspend(
            user,
            actor=current_actor(),
            until=until,
            reason=form.reason.data or "",
            tell_reason=form.tell_member.data,
        )
        return (
            f"{user.email} is suspended until {format_date(until)}; they are notified."
        )

    return _act(user_id, "suspend", run, consequences.suspend_says)


@bp.post("/members/<int:user_id>/reinstate")
@admin_required
def member_reinstate(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: ReasonForm) -> str:
        standing.reinstate(
            user,
            actor=current_actor(),
            reason=form.reason.data or "",
            tell_reason=form.tell_member.data,
        )
        return f"The membership of {user.email} is reinstated; they are notified."

    return _act(user_id, "reinstate", run)


@bp.post("/members/<int:user_id>/invitation")
@admin_required
def member_invitation_resend(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: ResendInvitationForm) -> str:
        accounts.resend_invitation(user, actor=current_actor())
        return f"A new invitation is queued for {user.email}."

    return _act(user_id, "invitation", run)


@bp.post("/members/<int:user_id>/email")
@admin_required
@fresh_auth_required("admin.member_show")
def member_email_update(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: CorrectEmailForm) -> str:
        accounts.correct_email(
            user, form.email.data or "", actor=current_actor(), reason=form.reason.data
        )
        return f"The email is now {user.email}."

    return _act(user_id, "email", run, consequences.email_says)


@bp.post("/members/<int:user_id>/role")
@admin_required
@fresh_auth_required("admin.member_show")
def member_role_update(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: RoleForm) -> str:
        accounts.change_role(
            user,
            form.role.data or "",
            actor=current_actor(),
            reason=form.reason.data or "",
        )
        return f"{user.email} is now {consequences.ROLE_NAMES[user.role]}."

    return _act(user_id, "role", run, consequences.role_says)


@bp.post("/members/<int:user_id>/two-factor/reset")
@admin_required
@fresh_auth_required("admin.member_show")
def member_two_factor_reset(user_id: int) -> ResponseReturnValue:
    def run(user: User, form: ReasonForm) -> str:
        accounts.reset_two_factor(
            user, actor=current_actor(), reason=form.reason.data or ""
        )
        return f"Two-factor sign-in is reset for {user.email}."

    return _act(user_id, "two_factor", run, consequences.two_factor_says)
