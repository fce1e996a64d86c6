"""Who may use the network today, worked out from the membership's dates.

Status is derived on every call from the stored dates and flags (never from a
stored status); the dates are read at most once per request and user.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps
from typing import Any, ParamSpec

from flask import g, has_request_context, request
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from portal.auth.models import User
from portal.auth.queries import MISSING, add_user_extra, user_extra
from portal.core import time
from portal.core.errors import render_error
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.email import membership_page_path
from portal.membership.models import Membership
from portal.membership.status import Status, StatusInfo, may_post, may_read, status_on

P = ParamSpec("P")


@dataclass(frozen=True)
class Standing:
    """The dates and flags a status is derived from (a snapshot, safe to cache)."""

    starts_on: date | None = None
    ends_on: date | None = None
    is_revoked: bool = False
    suspended_until: date | None = None


NO_MEMBERSHIP = Standing()


STANDING_COLUMNS = ("starts_on", "ends_on", "revoked_at", "suspended_until")


def _standing_column(name: str) -> Callable[[], Any]:
    def column() -> Any:
        return (
            select(getattr(Membership, name))
            .where(Membership.user_id == User.id)
            .correlate(User)
            .scalar_subquery()
        )

    return column


# The signed-in member's standing comes with their account: no extra statement.
for _name in STANDING_COLUMNS:
    add_user_extra(f"membership_{_name}", _standing_column(_name))


def _standing(starts_on: Any, ends_on: Any, revoked_at: Any, until: Any) -> Standing:
    if starts_on is None:
        return NO_MEMBERSHIP
    return Standing(starts_on, ends_on, revoked_at is not None, until)


def _request_cache() -> dict[int, Standing] | None:
    """Per-request cache on ``g`` (tied to the request: tests share app contexts)."""
    if not has_request_context():
        return None
    current = request._get_current_object()  # type: ignore[attr-defined]
    holder: tuple[Any, dict[int, Standing]] | None = g.get("membership_standing")
    if holder is None or holder[0] is not current:
        holder = (current, {})
        g.membership_standing = holder
    return holder[1]


def _load_standing(user_id: int) -> Standing:
    values = [user_extra(user_id, f"membership_{n}") for n in STANDING_COLUMNS]
    if MISSING not in values:
        return _standing(*values)
    row = db.session.execute(
        select(*(getattr(Membership, n) for n in STANDING_COLUMNS)).where(
            Membership.user_id == user_id
        )
    ).one_or_none()
    return NO_MEMBERSHIP if row is None else _standing(*row)


def standing_of(user: User) -> Standing:
    cache = _request_cache()
    if cache is None:
        return _load_standing(user.id)
    if user.id not in cache:
        cache[user.id] = _load_standing(user.id)
    return cache[user.id]


def forget_standing(user_id: int) -> None:
    """Services call this after a change, so the same request sees it."""
    cache = _request_cache()
    if cache is not None:
        cache.pop(user_id, None)
    if has_request_context() and g.get("account_extras", (None,))[0] == user_id:
        g.pop("account_extras")


def membership_status(user: User, today: date | None = None) -> StatusInfo:
    """The member's status today (in ``PORTAL_TIMEZONE``); admins count as current."""
    if user.is_admin:
        return StatusInfo(Status.CURRENT)
    return status_on(standing_of(user), today or time.today())


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def can_read_board(user: User, today: date | None = None) -> bool:
    """Current and grace members, moderators and admins.

    Moderators (faculty, trusted alumni) may have no membership at all: their
    role is what lets them onto the board, as an admin's is (docs/moderation.md).
    """
    if not _signed_in(user):
        return False
    return user.can_moderate or may_read(membership_status(user, today).status)


def can_post_board(user: User, today: date | None = None) -> bool:
    """Current members, moderators and admins."""
    if not _signed_in(user):
        return False
    return user.can_moderate or may_post(membership_status(user, today).status)


def why_not(user: User, today: date | None = None) -> str:
    """Plain words for why the board is closed to ``user`` today."""
    status = membership_status(user, today).status
    standing = standing_of(user)
    if status is Status.REVOKED:
        return "Your membership has been revoked."
    if status is Status.SUSPENDED and standing.suspended_until:
        return (
            "Your membership is suspended until "
            f"{format_date(standing.suspended_until)}."
        )
    if status is Status.UPCOMING:
        return f"Your membership starts on {format_date(standing.starts_on)}."
    if status is Status.GRACE:
        return (
            f"Your membership ended on {format_date(standing.ends_on)}; renew to post."
        )
    if status is Status.EXPIRED and standing.ends_on:
        return f"Your membership expired on {format_date(standing.ends_on)}."
    if status is Status.CURRENT:
        return "Your membership allows this."
    return "You do not have a membership of the network."


def denial_message(user: User) -> Markup:
    """``why_not`` plus a link to the member's own membership page."""
    return Markup('{} <a href="{}">See your membership</a>.').format(
        why_not(user), membership_page_path()
    )


def _guard(
    view: Callable[P, ResponseReturnValue], allowed: Callable[[User], bool]
) -> Callable[P, ResponseReturnValue]:
    @wraps(view)
    @login_required
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
        user = current_user._get_current_object()
        if not allowed(user):
            return render_error(403, denial_message(user))
        return view(*args, **kwargs)

    return wrapped


def board_reader_required(
    view: Callable[P, ResponseReturnValue],
) -> Callable[P, ResponseReturnValue]:
    """Signed in, and current, in grace or an admin; otherwise a 403 saying why."""
    return _guard(view, can_read_board)


def board_poster_required(
    view: Callable[P, ResponseReturnValue],
) -> Callable[P, ResponseReturnValue]:
    """Signed in, and current or an admin; otherwise a 403 saying why."""
    return _guard(view, can_post_board)


def board_reader_or_author_required(
    wrote: Callable[..., bool],
) -> Callable[[Callable[P, ResponseReturnValue]], Callable[P, ResponseReturnValue]]:
    """``board_reader_required``, except that a page about the member's own posts
    (``wrote(user, **view_args)``) opens whatever their status: an expired,
    revoked or suspended member still reads what they wrote (read-only)."""

    def decorate(
        view: Callable[P, ResponseReturnValue],
    ) -> Callable[P, ResponseReturnValue]:
        @wraps(view)
        @login_required
        def wrapped(*args: P.args, **kwargs: P.kwargs) -> ResponseReturnValue:
            user = current_user._get_current_object()
            if not can_read_board(user) and not wrote(user, *args, **kwargs):
                return render_error(403, denial_message(user))
            return view(*args, **kwargs)

        return wrapped

    return decorate
