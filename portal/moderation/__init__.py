"""Moderation: flags, the review queue, the patient-information guard.

The blueprint lives here with its error pages, and the subscription to the
board's ``post_held``: a post its author confirmed despite the guard's findings
opens a review item in the same transaction.
"""

from collections.abc import Sequence

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded

from portal.auth.decorators import second_factor_required
from portal.board.events import post_held
from portal.board.services.visibility import AnyPost
from portal.core.errors import render_error
from portal.core.phi import Finding
from portal.extensions import db
from portal.moderation.errors import Gone, ModerationError, NotAllowed
from portal.moderation.services.reviews import hold_for_guard

bp = Blueprint("moderation", __name__, cli_group="moderation")
# A moderator without a second factor sets it up before any moderation page.
bp.before_request(second_factor_required)


@post_held.connect
def _queue_held_post(post: AnyPost, findings: Sequence[Finding] = ()) -> None:
    hold_for_guard(post, findings)


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(403, str(error))


@bp.errorhandler(Gone)
def gone(error: Gone) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(404)


@bp.errorhandler(ModerationError)
def moderation_error(error: ModerationError) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(400, str(error))


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
