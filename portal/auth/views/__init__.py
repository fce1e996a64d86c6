"""The account pages, one module per part: ``accounts`` (sign-in's password
step, invitations, resets, the account page) and ``two_factor`` (the code
step, confirming it is you, setting up the authenticator app).

This module holds what both steps of a sign-in share: waiting for the second
factor, and signing in once every step has passed.
"""

from __future__ import annotations

from datetime import timedelta

from flask import redirect, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import attempts, freshness, services, sessions, tokens
from portal.auth.models import User
from portal.auth.queries import current_session
from portal.core.urls import is_safe_next
from portal.extensions import db

# The password was right; the code must follow within this time.
PENDING = "sign_in_pending"
PENDING_MAX_AGE = timedelta(minutes=5)


def start_session(user: User, remember: bool = False) -> None:
    """Sign ``user`` in on this browser with a new server-side session.

    Flask-Login keeps ``user.get_id()`` in the cookies; ours keep the session's
    key instead, so a copy of either cookie is worth nothing once the session
    ends (docs/sessions.md). Commit afterwards, as after any service.
    """
    key = sessions.start_session(
        user.id,
        remember=remember,
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string,
    )
    login_user(user, remember=remember)
    session["_user_id"] = key


def end_session() -> None:
    """Sign this browser out, and end its session for every copy of the cookie."""
    current = current_session()
    if current is not None:
        sessions.end_session(current_user.id, current.public_id)
    logout_user()


def ask_for_second_factor(user: User, remember: bool, target: str | None) -> Response:
    """Nobody is signed in yet: the session holds a short-lived signed marker
    naming the account (and its stamp, so a password change voids it)."""
    session[PENDING] = tokens.make_token(
        tokens.SIGN_IN_PENDING, user, r=remember, n=target or ""
    )
    return redirect(url_for("auth.login_code"))


def pending_sign_in() -> tuple[User, bool, str] | None:
    """The account waiting for its second factor, "keep me signed in", and
    where to go next; None when there is none or it expired."""
    token = session.get(PENDING)
    if not isinstance(token, str):
        return None
    try:
        user, payload = tokens.read_token(
            tokens.SIGN_IN_PENDING, token, PENDING_MAX_AGE
        )
    except tokens.TokenError:
        session.pop(PENDING, None)
        return None
    return user, bool(payload.get("r")), str(payload.get("n", ""))


def landing(user: User) -> str:
    """Where a sign-in leads without a ``next``: admins to their dashboard,
    everyone else to the start page (the board, or their membership)."""
    return url_for("admin.dashboard" if user.is_admin else "membership.home")


def finish_sign_in(user: User, remember: bool, target: str | None) -> Response:
    """Every step passed: sign in, note when the user proved who they are,
    and remember this browser as a known device for the account."""
    session.pop(PENDING, None)
    services.record_sign_in(user)
    start_session(user, remember)
    freshness.mark_fresh(user)
    db.session.commit()
    where = target if target and is_safe_next(target) else None
    response = redirect(where or landing(user))
    attempts.remember_device(response, user.email)
    return response
