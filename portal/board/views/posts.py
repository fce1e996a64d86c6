"""Deleting and undeleting questions and answers."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.auth.decorators import admin_required
from portal.board import (
    bp,
)
from portal.board.models import Question
from portal.board.services import posts
from portal.board.views import back_to, get_post
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
)


@bp.post("/questions/<int:post_id>/delete", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/delete", defaults={"kind": "answer"})
@board_poster_required
def post_delete(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    posts.delete_post(current_user, post)
    db.session.commit()
    if isinstance(post, Question):
        flash("The question is deleted.", "info")
        if not current_user.is_admin:
            return redirect(url_for("board.question_list"))
    else:
        flash("The answer is deleted.", "info")
    return back_to(post)


@bp.post("/questions/<int:post_id>/undelete", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/undelete", defaults={"kind": "answer"})
@admin_required
def post_undelete(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    posts.undelete_post(current_user, post)
    db.session.commit()
    flash("Restored.", "success")
    return back_to(post)
