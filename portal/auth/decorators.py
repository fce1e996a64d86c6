"""Access checks for views: the one place that says who is an admin or a
moderator, who must use a second factor, and which actions need a recent
password or code."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.auth.freshness import is_fresh

P = ParamSpec("P")
R = TypeVar("R")
View = Callable[P, ResponseReturnValue]


def admin_required(view: Callable[P, R]) -> Callable[P, R]:
    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def moderator_required(view: Callable[P, R]) -> Callable[P, R]:
    """Moderators and admins: the review queue and its actions."""

    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> R:
        if not current_user.can_moderate:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def second_factor_required() -> ResponseReturnValue | None:
    """Before every page of the admin and moderation blueprints: admins and
    moderators set up two-factor sign-in first (others pass on to the page's
    own checks)."""
    user = current_user
    if user.is_authenticated and user.needs_two_factor and not user.has_two_factor:
        flash(
            "Admins and moderators sign in with a second factor. Set it up to"
            " continue.",
            "info",
        )
        return redirect(url_for("auth.two_factor_show"))
    return None


def confirm_identity_first(back: str) -> ResponseReturnValue:
    """Refuse the action (nothing is done) and ask for a password or code."""
    flash(
        "Nothing was changed. Please confirm it is you with your password or a"
        " code, then do it again.",
        "info",
    )
    return redirect(url_for("auth.identity_confirm", next=back))


def fresh_auth_required(
    back_endpoint: str,
) -> Callable[[View[P]], View[P]]:
    """The signed-in user proved who they are within ``FRESH_AUTH_MINUTES``;
    otherwise they confirm it and come back to ``back_endpoint`` (built with
    the view's arguments)."""

    def decorate(view: View[P]) -> View[P]:
        @wraps(view)
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            if not is_fresh(current_user):
                back = url_for(back_endpoint, **(request.view_args or {}))
                return confirm_identity_first(back)
            return view(*args, **kwargs)

        return wrapped

    return decorate
