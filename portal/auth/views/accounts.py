"""Sign in, sign out, invitations, password reset and the account page."""

from __future__ import annotations

from collections.abc import Callable

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import (
    current_user,
    fresh_login_required,
    login_required,
)

from portal.auth import attempts, bp, forms, freshness, services, sessions
from portal.auth.models import User, session_key_hash
from portal.auth.queries import active_sessions, current_session, load_account
from portal.auth.tokens import TokenError
from portal.auth.views import (
    ask_for_second_factor,
    end_session,
    finish_sign_in,
    start_session,
)
from portal.core import time
from portal.core.urls import is_safe_next
from portal.extensions import db, limiter, login_manager

# Longer than any key we issue (43 characters); anything longer is not ours.
MAX_SESSION_KEY = 64


@login_manager.user_loader
def load_user(key: str) -> User | None:
    """The session and remember cookies carry a session key: the account is
    signed in while that session lives (docs/sessions.md)."""
    if not key or len(key) > MAX_SESSION_KEY:
        return None
    now = time.utcnow()
    found = load_account(session_key_hash(key), now)
    if found is None:
        return None
    user, current = found
    if now - current.last_seen_at >= sessions.TOUCH_EVERY:
        sessions.record_activity(current.id, request.remote_addr, now)
    return user


@bp.before_app_request
def load_signed_in_user() -> None:
    """Check the session before the view runs, so the view never writes first:
    on SQLite, ``record_activity`` would then wait for the view's own lock."""
    if request.endpoint != "static":
        current_user._get_current_object()


@bp.after_app_request
def no_store_when_signed_in(response: Response) -> Response:
    """A signed-in page must not come back from the browser's cache (the back
    button of a shared computer after sign-out). Static files stay cacheable."""
    if request.endpoint != "static" and "_user_id" in session:
        response.headers["Cache-Control"] = "no-store"
        response.headers["Pragma"] = "no-cache"
    return response


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
    end_session()
    db.session.commit()
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
        end_session()
        start_session(user)
        db.session.commit()
        freshness.mark_fresh(user)
        db.session.commit()
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
        end_session()
        if user.has_two_factor:
            # A reset link proves the mailbox, not the phone: the code still asks.
            db.session.commit()
            flash("Your password is changed. Other devices are signed out.", "success")
            return ask_for_second_factor(user, False, None)
        start_session(user)
        freshness.mark_fresh(user)
        db.session.commit()
        flash("Your password is changed. Other devices are signed out.", "success")
        return redirect(url_for("membership.home"))
    return render_template("auth/reset.html", form=form, user=user)


def _own_session(user: User) -> str | None:
    """This browser's session, when it is signed in as ``user``."""
    if not current_user.is_authenticated or current_user.id != user.id:
        return None
    current = current_session()
    return current.id if current else None


def _account_page(**forms_given: object) -> str:
    page_forms = {
        "name_form": forms.NameForm(obj=current_user, formdata=None),
        "password_form": forms.ChangePasswordForm(formdata=None),
        "email_form": forms.ChangeEmailForm(formdata=None),
    }
    page_forms.update(forms_given)
    current = current_session()
    return render_template(
        "auth/account.html",
        devices=active_sessions(current_user.id, time.utcnow()),
        this_device=current.public_id if current else None,
        **page_forms,
    )


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
            user,
            form.current.data or "",
            form.password.data or "",
            keep_session=_own_session(user),
        )
    except services.AccountError as error:
        form.current.errors = [str(error)]
        return _account_page(password_form=form), 400
    db.session.commit()
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
        user, new_email = services.check_email_change_token(token)
    except TokenError as error:
        return _token_problem(error, "email")
    form = forms.ConfirmForm()
    if not form.validate_on_submit():
        return render_template("auth/email_confirm.html", form=form, email=new_email)
    kept = _own_session(user)
    try:
        services.confirm_email_change(token, keep_session=kept)
    except services.AccountError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.account_show"))
    if kept is None:
        # The link was opened in another browser: it proves the mailbox, and
        # signs that browser in (every other session has ended).
        end_session()
        start_session(user)
    db.session.commit()
    flash(f"Your sign-in email is now {user.email}.", "success")
    return redirect(url_for("auth.account_show"))


@bp.post("/account/sessions/<public_id>/end")
@login_required
def session_end(public_id: str) -> ResponseReturnValue:
    """Sign out one of the member's own devices; any other id is a 404."""
    current = current_session()
    if current is not None and public_id == current.public_id:
        return logout()
    if not sessions.end_session(current_user.id, public_id):
        abort(404)
    db.session.commit()
    flash("That device is signed out.", "success")
    return redirect(url_for("auth.account_show"))


@bp.post("/account/sessions/end-others")
@login_required
def sessions_end_others() -> ResponseReturnValue:
    current = current_session()
    sessions.end_sessions(current_user.id, except_id=current.id if current else None)
    db.session.commit()
    flash("Your other devices are signed out.", "success")
    return redirect(url_for("auth.account_show"))
