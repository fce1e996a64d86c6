"""Comments on a question or one of its answers."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import (
    bp,
)
from portal.board.errors import InvalidInput, NotAllowed
from portal.board.forms import CommentForm
from portal.board.models import COMMENT, Answer, Comment, Question
from portal.board.services import comments, limits
from portal.board.services.guard import normalise
from portal.board.views import (
    GUARD_STATUS,
    HELD_MESSAGE,
    confirm_page,
    confirmed,
    get_answer,
    get_question,
    over_limit,
    question_page,
    run_guard,
    show_error,
    viewer,
)
from portal.core.paging import valid_id
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
)


@bp.post("/questions/<int:question_id>/comments")
@board_poster_required
def comment_create(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    form = CommentForm()
    answer = _comment_target(form, question)
    if form.validate_on_submit():
        if over_limit(form, COMMENT):
            return question_page(question.id, comment_form=form, status=429)
        shown, held_for = run_guard(form, {"Comment": normalise(form.body.data)})
        if shown is not None:
            return question_page(
                question.id, comment_form=form, guard_check=shown, status=GUARD_STATUS
            )
        try:
            comment = comments.add_comment(
                current_user, question, form.body.data or "", answer, held_for
            )
        except InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            limits.count(current_user, COMMENT)
            if held_for:
                flash(HELD_MESSAGE, "success")
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


def get_comment(comment_id: int) -> Comment:
    """The comment, or 404 unless the reader may see it and its question."""
    if not valid_id(comment_id):
        abort(404)
    comment = db.get_or_404(Comment, comment_id)
    get_question(comment.question_id)
    if not viewer().may_see(comment):
        abort(404)
    return comment


def at_comment(comment: Comment) -> ResponseReturnValue:
    return redirect(
        url_for(
            "board.question_show",
            question_id=comment.question_id,
            _anchor=f"comment-{comment.id}",
        )
    )


@bp.route("/comments/<int:comment_id>/delete", methods=["GET", "POST"])
@board_poster_required
def comment_delete(comment_id: int) -> ResponseReturnValue:
    """Two steps, as for questions and answers (``views/posts.py``)."""
    comment = get_comment(comment_id)
    if not confirmed():
        if comment.author_id != current_user.id and not current_user.is_admin:
            raise NotAllowed("You can only delete your own comments.")
        return confirm_page(comment, request.path)
    comments.delete_comment(current_user, comment)
    db.session.commit()
    flash("The comment is deleted.", "info")
    return at_comment(comment)


@bp.post("/comments/<int:comment_id>/undelete")
@board_poster_required
def comment_undelete(comment_id: int) -> ResponseReturnValue:
    comment = get_comment(comment_id)
    comments.undelete_comment(current_user, comment)
    db.session.commit()
    flash("Restored.", "success")
    return at_comment(comment)
