"""Sign in, sign out, invitations, password reset and the account page."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import (
    current_user,
    fresh_login_required,
    login_required,
    login_user,
    logout_user,
)

from portal.auth import attempts, bp, forms, freshness, services
from portal.auth.models import User
from portal.auth.queries import load_account
from portal.auth.tokens import TokenError
from portal.auth.views import ask_for_second_factor, finish_sign_in
from portal.core.paging import valid_id
from portal.core.urls import is_safe_next
from portal.extensions import db, limiter, login_manager


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Sessions name the user and their stamp; a changed password ends them."""
    ident, _, stamp = user_id.partition(":")
    if not ident.isdigit() or not valid_id(int(ident)):
        return None
    user = load_account(int(ident))
    if user is None or user.security_stamp != stamp:
        return None
    return user


def _configured(key: str) -> Callable[[], str]:
    return lambda: str(current_app.config[key])


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    """The password step; an account with two-factor sign-in goes on to the
    code step (views/two_factor.py) before it is signed in."""
    if current_user.is_authenticated:
        return redirect(url_for("membership.home"))
    form = forms.LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        email = form.email.data or ""
        attempt = attempts.take("login", email)
        user = services.authenticate(email, form.password.data or "")
        if user is not None:
            attempt.give_back()
            remember = bool(form.remember.data)
            if user.has_two_factor:
                return ask_for_second_factor(user, remember, form.next.data)
            return finish_sign_in(user, remember, form.next.data)
        flash("That email and password do not match an account.", "error")
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    logout_user()
    flash("You are signed out.", "info")
    return redirect(url_for("auth.login"))


def _token_problem(error: TokenError, kind: str) -> ResponseReturnValue:
    return render_template(
        "auth/link_problem.html", reason=error.reason, kind=kind
    ), 410


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def invitation_claim(token: str) -> ResponseReturnValue:
    try:
        user = services.check_invitation_token(token)
    except TokenError as error:
        return _token_problem(error, "invitation")
    form = forms.SetPasswordForm()
    if form.validate_on_submit():
        services.claim_invitation(token, form.password.data or "")
        db.session.commit()
        logout_user()
        login_user(user)
        freshness.mark_fresh(user)
        flash(f"Welcome to the network, {user.name}.", "success")
        target = request.args.get("next", "")
        return redirect(target if is_safe_next(target) else url_for("membership.home"))
    return render_template("auth/invitation.html", form=form, user=user)


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(
    _configured("FORGOT_LIMIT_PER_ADDRESS"),
    methods=["POST"],
    scope="forgot-ip",
)
def password_forgot() -> ResponseReturnValue:
    form = forms.ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data or "")
        db.session.commit()
        return render_template("auth/forgot_sent.html", email=form.email.data)
    return render_template("auth/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def password_reset(token: str) -> ResponseReturnValue:
    try:
        user = services.check_reset_token(token)
    except TokenError as error:
        return _token_problem(error, "reset")
    form = forms.SetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(token, form.password.data or "")
        db.session.commit()
        logout_user()
        login_user(user)
        freshness.mark_fresh(user)
        flash("Your password is changed. Other devices are signed out.", "success")
        return redirect(url_for("membership.home"))
    return render_template("auth/reset.html", form=form, user=user)


def _stay_signed_in(user: User) -> None:
    """The new stamp ends every other session, but not this one.

    A device that was signed in as ``user`` with "keep me signed in" gets a
    fresh remember cookie; the old one carries the old stamp and is dead.
    """
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    remembered = cookie in request.cookies
    same_user = current_user.is_authenticated and current_user.id == user.id
    logout_user()
    login_user(user, remember=remembered and same_user)


def _account_page(**forms_given: object) -> str:
    page_forms = {
        "name_form": forms.NameForm(obj=current_user, formdata=None),
        "password_form": forms.ChangePasswordForm(formdata=None),
        "email_form": forms.ChangeEmailForm(formdata=None),
    }
    page_forms.update(forms_given)
    return render_template("auth/account.html", **page_forms)


@bp.get("/account")
@login_required
def account_show() -> ResponseReturnValue:
    return _account_page()


@bp.post("/account/name")
@login_required
def account_name_update() -> ResponseReturnValue:
    form = forms.NameForm()
    if not form.validate_on_submit():
        return _account_page(name_form=form), 400
    try:
        services.change_name(current_user, form.name.data or "")
    except services.AccountError as error:
        form.name.errors = [str(error)]
        return _account_page(name_form=form), 400
    db.session.commit()
    flash("Your name is saved.", "success")
    return redirect(url_for("auth.account_show"))


@bp.post("/account/password")
@fresh_login_required
def account_password_update() -> ResponseReturnValue:
    form = forms.ChangePasswordForm()
    if not form.validate_on_submit():
        return _account_page(password_form=form), 400
    user = current_user._get_current_object()
    try:
        services.change_password(
            user, form.current.data or "", form.password.data or ""
        )
    except services.AccountError as error:
        form.current.errors = [str(error)]
        return _account_page(password_form=form), 400
    db.session.commit()
    _stay_signed_in(user)
    flash("Your password is changed. Other devices are signed out.", "success")
    return redirect(url_for("auth.account_show"))


@bp.post("/account/email")
@fresh_login_required
def account_email_update() -> ResponseReturnValue:
    form = forms.ChangeEmailForm()
    if not form.validate_on_submit():
        return _account_page(email_form=form), 400
    try:
        services.request_email_change(
            current_user, form.email.data or "", form.current.data or ""
        )
    except services.AccountError as error:
        form.current.errors = [str(error)]
        return _account_page(email_form=form), 400
    db.session.commit()
    flash(f"We sent a confirmation link to {form.email.data}.", "info")
    return redirect(url_for("auth.account_show"))


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
def email_confirm(token: str) -> ResponseReturnValue:
    """Opening the link only asks: mail scanners that follow links change nothing."""
    try:
        _, new_email = services.check_email_change_token(token)
    except TokenError as error:
        return _token_problem(error, "email")
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/email_confirm.html", form=form, email=new_email)
    try:
        user = services.confirm_email_change(token)
    except services.AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.account_show"))
    db.session.commit()
    _stay_signed_in(user)
    flash(f"Your sign-in email is now {user.email}.", "success")
    return redirect(url_for("auth.account_show"))
