"""Moderation: flags, the review queue, the patient-information guard.

The blueprint lives here with its error pages, and the subscriptions to the
board's events: a post its author confirmed despite the guard's findings
(``post_held``) opens a review item in the same transaction, and a hidden
post's banner asks why it was hidden (``hidden_reason_asked``).
"""

from collections.abc import Sequence

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded

from portal.auth.decorators import second_factor_required
from portal.board.events import hidden_reason_asked, post_held
from portal.board.services.visibility import AnyPost
from portal.core.errors import answer_domain_errors
from portal.core.phi import Finding
from portal.moderation.errors import Gone, ModerationError, NotAllowed
from portal.moderation.queries import last_hidden
from portal.moderation.services.reviews import hold_for_guard

bp = Blueprint("moderation", __name__, cli_group="moderation")
# A moderator without a second factor sets it up before any moderation page.
bp.before_request(second_factor_required)


@post_held.connect
def _queue_held_post(post: AnyPost, findings: Sequence[Finding] = ()) -> None:
    hold_for_guard(post, findings)


@hidden_reason_asked.connect
def _why_hidden(post: AnyPost) -> str | None:
    """For the board's banner on a hidden post (its author and moderators)."""
    hidden = last_hidden(post)
    return hidden.reason if hidden else None


answer_domain_errors(bp, {NotAllowed: 403, Gone: 404, ModerationError: 400})


@bp.errorhandler(RateLimitExceeded)
def too_many_flags(error: RateLimitExceeded) -> ResponseReturnValue:
    page = render_template(
        "errors/error.html",
        code=429,
        title="Too many flags for now",
        message=(
            "You have flagged a lot of posts in the last hour. Thank you: the "
            "moderators will get to them. Please wait a while before flagging more."
        ),
    )
    return page, 429


from portal.moderation import cli  # noqa: E402,F401 - registers the commands on bp
from portal.moderation.views import (  # noqa: E402,F401 - routes
    decisions,
    flags,
    notices,
    queue,
)
