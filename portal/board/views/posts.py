"""Deleting and restoring questions and answers.

Delete is two steps: the button beside Edit opens a second one that says what
will happen, and only that one (``confirm=yes``) deletes; a GET, or a POST
without it, shows the confirmation page and changes nothing. What the author
deleted they may restore for a day (``posts.RESTORE_WINDOW``); admins any time.
"""

from __future__ import annotations

from flask import flash, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import bp
from portal.board.services import posts
from portal.board.views import back_to, confirm_page, confirmed, get_post
from portal.extensions import db
from portal.membership.access import board_poster_required


@bp.route(
    "/questions/<int:post_id>/delete",
    methods=["GET", "POST"],
    defaults={"kind": "question"},
)
@bp.route(
    "/answers/<int:post_id>/delete",
    methods=["GET", "POST"],
    defaults={"kind": "answer"},
)
@board_poster_required
def post_delete(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    if not confirmed():
        posts.check_may_change(current_user, post)
        return confirm_page(post, request.path)
    posts.delete_post(current_user, post)
    db.session.commit()
    flash(f"The {kind} is deleted.", "info")
    # Back to the question: its banner offers the author's Restore.
    return back_to(post)


@bp.post("/questions/<int:post_id>/undelete", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/undelete", defaults={"kind": "answer"})
@board_poster_required
def post_undelete(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    posts.undelete_post(current_user, post)
    db.session.commit()
    flash("Restored.", "success")
    return back_to(post)
