"""Following questions and tags."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import bp
from portal.board.services import follows
from portal.board.views import back_to, get_question, get_tag
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
)


@bp.post("/questions/<int:question_id>/follow")
@board_poster_required
def question_follow(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    follows.follow_question(current_user, question)
    db.session.commit()
    flash("You will hear about new answers and comments.", "success")
    return back_to(question)


@bp.post("/questions/<int:question_id>/unfollow")
@board_poster_required
def question_unfollow(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    follows.unfollow_question(current_user, question)
    db.session.commit()
    flash("You no longer follow this question.", "info")
    return back_to(question)


@bp.post("/tags/<name>/follow")
@board_poster_required
def tag_follow(name: str) -> ResponseReturnValue:
    tag = get_tag(name)
    follows.follow_tag(current_user, tag)
    db.session.commit()
    flash(f"You follow “{tag.name}”.", "success")
    return redirect(url_for("board.tag_show", name=tag.name))


@bp.post("/tags/<name>/unfollow")
@board_poster_required
def tag_unfollow(name: str) -> ResponseReturnValue:
    tag = get_tag(name)
    follows.unfollow_tag(current_user, tag)
    db.session.commit()
    flash(f"You no longer follow “{tag.name}”.", "info")
    return redirect(url_for("board.tag_show", name=tag.name))
