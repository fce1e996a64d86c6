"""Two-factor sign-in: the code step after the password, confirming it is you
before sensitive actions, and setting up (or turning off) the app."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.auth import attempts, bp, forms, freshness
from portal.auth import second_factor as factors
from portal.auth.decorators import fresh_auth_required
from portal.auth.models import User
from portal.auth.views import finish_sign_in, pending_sign_in
from portal.core.urls import is_safe_next
from portal.extensions import db

# The secret being set up, with the account it is for, until a code confirms it.
SETUP = "two_factor_setup"
WRONG_CODE = "That code is not right, or it was used already."
WRONG_ANSWER = "That password or code is not right."


def _me() -> User:
    user: User = current_user._get_current_object()
    return user


@bp.route("/login/code", methods=["GET", "POST"])
def login_code() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("membership.home"))
    pending = pending_sign_in()
    if pending is None:
        flash("Please sign in again.", "info")
        return redirect(url_for("auth.login"))
    user, remember, target = pending
    form = forms.CodeForm()
    if form.validate_on_submit():
        answer = form.code.data or ""
        attempt = attempts.take("code", user.email)
        if factors.second_factor_passes(user, answer):
            attempt.give_back()
            if not factors.is_totp_code(factors.normalise_code(answer)):
                left = factors.recovery_codes_left(user)
                flash(f"You used a recovery code; {left} left.", "info")
            return finish_sign_in(user, remember, target)
        form.code.errors = [WRONG_CODE]
    return render_template("auth/login_code.html", form=form)


@bp.route("/account/confirm", methods=["GET", "POST"])
@login_required
def identity_confirm() -> ResponseReturnValue:
    """Re-enter a password or a code; then back to the page that asked."""
    form = forms.ConfirmIdentityForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        user = _me()
        attempt = attempts.take("confirm", user.email)
        if factors.proves_identity(user, form.answer.data or ""):
            attempt.give_back()
            freshness.mark_fresh(user)
            db.session.commit()
            flash("Thank you. Now you can go ahead.", "success")
            target = form.next.data
            return redirect(
                target if is_safe_next(target) else url_for("auth.account_show")
            )
        form.answer.errors = [WRONG_ANSWER]
    return render_template("auth/confirm.html", form=form)


def _setup_secret(user: User) -> str:
    """The secret being set up; the same one until confirmed, so a reloaded
    page shows the QR code already scanned."""
    stored = session.get(SETUP)
    if isinstance(stored, list) and len(stored) == 2 and stored[0] == user.id:
        return str(stored[1])
    secret = factors.new_secret()
    session[SETUP] = [user.id, secret]
    return secret


def _setup_page(
    form: forms.TwoFactorSetupForm | None = None, status: int = 200
) -> ResponseReturnValue:
    user = _me()
    secret = _setup_secret(user)
    html = render_template(
        "auth/two_factor_setup.html",
        form=form or forms.TwoFactorSetupForm(formdata=None),
        secret=secret,
        qr=factors.qr_data_uri(factors.setup_uri(user, secret)),
    )
    return html, status


@bp.get("/account/two-factor")
@login_required
def two_factor_show() -> ResponseReturnValue:
    user = _me()
    if not user.has_two_factor:
        return _setup_page()
    return render_template(
        "auth/two_factor.html",
        codes_left=factors.recovery_codes_left(user),
        codes_form=forms.IdentityForm(formdata=None, prefix="codes"),
        off_form=forms.IdentityForm(formdata=None, prefix="off"),
    )


@bp.get("/account/two-factor/new")
@login_required
def two_factor_new() -> ResponseReturnValue:
    """Moving to a new phone: the old app works until the new one is confirmed."""
    return _setup_page()


@bp.post("/account/two-factor")
@login_required
@fresh_auth_required("auth.two_factor_show")
def two_factor_enable() -> ResponseReturnValue:
    form = forms.TwoFactorSetupForm()
    if not form.validate_on_submit():
        return _setup_page(form, 400)
    user = _me()
    try:
        codes = factors.enable(user, _setup_secret(user), form.code.data or "")
    except factors.TwoFactorError as error:
        form.code.errors = [str(error)]
        return _setup_page(form, 400)
    db.session.commit()
    session.pop(SETUP, None)
    flash("Two-factor sign-in is on.", "success")
    return render_template("auth/recovery_codes.html", codes=codes)


def _identity_checked(form: forms.IdentityForm) -> bool:
    """The form is valid and its answer proves who the user is (counted)."""
    if not form.validate_on_submit():
        return False
    user = _me()
    attempt = attempts.take("confirm", user.email)
    if factors.proves_identity(user, form.answer.data or ""):
        attempt.give_back()
        return True
    form.answer.errors = [WRONG_ANSWER]
    return False


@bp.post("/account/two-factor/recovery-codes")
@login_required
def two_factor_codes_renew() -> ResponseReturnValue:
    form = forms.IdentityForm(prefix="codes")
    user = _me()
    if not user.has_two_factor or not _identity_checked(form):
        flash(form.answer.errors[0] if form.answer.errors else WRONG_ANSWER, "error")
        return redirect(url_for("auth.two_factor_show"))
    codes = factors.new_recovery_codes(user)
    db.session.commit()
    flash("New recovery codes: the old ones no longer work.", "success")
    return render_template("auth/recovery_codes.html", codes=codes)


@bp.post("/account/two-factor/off")
@login_required
def two_factor_disable() -> ResponseReturnValue:
    form = forms.IdentityForm(prefix="off")
    user = _me()
    if not form.validate_on_submit():
        flash(WRONG_ANSWER, "error")
        return redirect(url_for("auth.two_factor_show"))
    attempt = attempts.take("confirm", user.email)
    try:
        factors.disable(user, form.answer.data or "")
    except factors.TwoFactorError as error:
        flash(str(error), "error")
        return redirect(url_for("auth.two_factor_show"))
    attempt.give_back()
    db.session.commit()
    flash("Two-factor sign-in is off.", "success")
    return redirect(url_for("auth.account_show"))
