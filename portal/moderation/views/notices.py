"""What an author sees about their hidden post, and asking for a review."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.board.models import ANSWER, QUESTION
from portal.board.services.visibility import AnyPost
from portal.extensions import db
from portal.moderation import bp, queries
from portal.moderation.errors import ModerationError
from portal.moderation.services import reviews
from portal.moderation.views import actor, get_post, thread_url


def _own_post(kind: str, post_id: int) -> AnyPost:
    """The signed-in member's own post, or 404 (no one else's is shown here)."""
    post = get_post(kind, post_id)
    if post.author_id != current_user.id:
        abort(404)
    return post


def edit_url(post: AnyPost) -> str | None:
    """Where the author edits the post; comments cannot be edited."""
    if post.kind == QUESTION:
        return url_for("board.question_edit", question_id=post.id)
    if post.kind == ANSWER:
        return url_for("board.answer_edit", answer_id=post.id)
    return None


@bp.get("/moderation/notices/<kind>/<int:post_id>")
@login_required
def notice_show(kind: str, post_id: int) -> ResponseReturnValue:
    post = _own_post(kind, post_id)
    return render_template(
        "moderation/notice.html",
        post=post,
        hidden=queries.last_hidden(post),
        waiting=queries.open_item(post),
        edit_url=edit_url(post),
        thread_url=thread_url(post),
    )


@bp.post("/moderation/notices/<kind>/<int:post_id>/appeal")
@login_required
def appeal_create(kind: str, post_id: int) -> ResponseReturnValue:
    post = _own_post(kind, post_id)
    try:
        reviews.appeal(actor(), post)
    except ModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Thank you: a moderator will look at your post again.", "success")
    return redirect(url_for("moderation.notice_show", kind=kind, post_id=post_id))
