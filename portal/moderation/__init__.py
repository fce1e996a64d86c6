"""Moderation: flags, the review queue, the patient-information guard.

The blueprint lives here with its error pages.
"""

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_limiter.errors import RateLimitExceeded

from portal.core.errors import render_error
from portal.extensions import db
from portal.moderation.errors import Gone, ModerationError, NotAllowed

bp = Blueprint("moderation", __name__, cli_group="moderation")


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
from portal.moderation.views import flags  # noqa: E402,F401 - routes
