"""Flagging a post: the reasons as radio buttons, an optional note."""

from __future__ import annotations

from flask import current_app, flash, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.extensions import db, limiter
from portal.membership.access import board_reader_required
from portal.moderation import bp
from portal.moderation.errors import AlreadyFlagged, ModerationError
from portal.moderation.forms import FlagForm
from portal.moderation.queries import has_flagged
from portal.moderation.services import flags
from portal.moderation.views import back_to_post, get_post, thread_url


def _flag_limit() -> str:
    return str(current_app.config["MODERATION_FLAG_LIMIT"])


def _flagger() -> str:
    return f"flag:{current_user.id}"


def _flagged(response: Response) -> bool:
    """Only flags that were recorded count (they redirect); mistakes do not."""
    return response.status_code == 302


@bp.route("/flag/<kind>/<int:post_id>", methods=["GET", "POST"])
@board_reader_required
@limiter.limit(
    _flag_limit, key_func=_flagger, methods=["POST"], deduct_when=_flagged, scope="flag"
)
def flag_create(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    flags.check_flaggable(current_user, post)
    form = FlagForm()
    already = has_flagged(current_user.id, post)
    if not already and form.validate_on_submit():
        try:
            held = flags.flag_post(
                current_user, post, form.reason.data or "", form.note.data
            )
        except AlreadyFlagged:
            db.session.rollback()
            already = True
        except ModerationError as error:
            db.session.rollback()
            form.reason.errors = [*form.reason.errors, str(error)]
        else:
            db.session.commit()
            flash(
                "Thank you: a moderator will look at it."
                + (" It is hidden from members until then." if held else ""),
                "success",
            )
            return back_to_post(post)
    page = render_template(
        "moderation/flag.html",
        form=form,
        post=post,
        already=already,
        thread_url=thread_url(post),
    )
    return page, 400 if form.errors else 200
