"""One-button actions on a question page: vote, accept, follow, comment, delete.

Each is a POST carrying the CSRF token, calls one service and redirects back to
the question; the services refuse anything done to someone else's post.
"""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.decorators import admin_required
from portal.board import follows, services
from portal.board.blueprint import bp, get_answer, get_post, get_question, show_error
from portal.board.forms import CommentForm
from portal.board.models import DOWN, UP, Answer, Comment, Question
from portal.board.pages import question_page
from portal.board.votes import RETRACT, cast_vote
from portal.extensions import db
from portal.membership.access import board_poster_required

VOTE_VALUES = {"up": UP, "down": DOWN, "none": RETRACT}


def back_to(post: Question | Answer) -> Response:
    """Redirect to the question page, at the post that was acted on."""
    if isinstance(post, Question):
        return redirect(url_for("board.question_show", question_id=post.id))
    return redirect(
        url_for(
            "board.question_show",
            question_id=post.question_id,
            _anchor=f"answer-{post.id}",
        )
    )


@bp.post("/questions/<int:post_id>/vote", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/vote", defaults={"kind": "answer"})
@board_poster_required
def vote_create(kind: str, post_id: int) -> ResponseReturnValue:
    value = VOTE_VALUES.get(request.form.get("value", ""))
    if value is None:
        abort(400)
    post = get_post(kind, post_id)
    cast_vote(current_user, post, value)
    db.session.commit()
    return back_to(post)


@bp.post("/answers/<int:answer_id>/accept")
@board_poster_required
def answer_accept(answer_id: int) -> ResponseReturnValue:
    answer = get_answer(answer_id)
    services.accept_answer(current_user, answer)
    db.session.commit()
    flash("Answer accepted. Thank you for closing the loop.", "success")
    return back_to(answer)


@bp.post("/questions/<int:question_id>/unaccept")
@board_poster_required
def answer_unaccept(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    services.unaccept_answer(current_user, question)
    db.session.commit()
    flash("No answer is marked as accepted now.", "info")
    return back_to(question)


@bp.post("/questions/<int:post_id>/delete", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/delete", defaults={"kind": "answer"})
@board_poster_required
def post_delete(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    services.delete_post(current_user, post)
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
    services.undelete_post(current_user, post)
    db.session.commit()
    flash("Restored.", "success")
    return back_to(post)


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


@bp.post("/questions/<int:question_id>/comments")
@board_poster_required
def comment_create(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    form = CommentForm()
    answer = _comment_target(form, question)
    if form.validate_on_submit():
        try:
            comment = services.add_comment(
                current_user, question, form.body.data or "", answer
            )
        except services.InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            return redirect(
                url_for(
                    "board.question_show",
                    question_id=question.id,
                    _anchor=f"comment-{comment.id}",
                )
            )
    return question_page(question.id, comment_form=form, status=400)


def _comment_target(form: CommentForm, question: Question) -> Answer | None:
    raw = (form.answer_id.data or "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        abort(400)
    answer = get_answer(int(raw))
    if answer.question_id != question.id:
        abort(404)
    return answer


@bp.post("/comments/<int:comment_id>/delete")
@board_poster_required
def comment_delete(comment_id: int) -> ResponseReturnValue:
    comment = db.get_or_404(Comment, comment_id)
    question = get_question(comment.question_id)
    services.delete_comment(current_user, comment)
    db.session.commit()
    flash("The comment is deleted.", "info")
    return back_to(question)
