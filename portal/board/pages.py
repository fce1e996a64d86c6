"""Page renderers shared by the board's view modules (forms re-shown with errors)."""

from __future__ import annotations

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import queries
from portal.board.forms import AnswerForm, CommentForm, QuestionForm
from portal.board.models import Question
from portal.membership.access import can_post_board


def sort_arg() -> str:
    sort = request.args.get("sort", queries.DEFAULT_SORT)
    return sort if sort in queries.SORTS else queries.DEFAULT_SORT


def page_arg() -> int:
    return max(request.args.get("page", 1, type=int) or 1, 1)


def question_page(
    question_id: int,
    *,
    answer_form: AnswerForm | None = None,
    preview: str | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> ResponseReturnValue:
    """The question page, optionally re-shown with a form's errors or preview."""
    admin = current_user.is_admin
    question = queries.question_for_reader(question_id, include_deleted=admin)
    if question is None:
        abort(404)
    thread = queries.thread(question, current_user.id, include_deleted=admin)
    page = render_template(
        "board/question.html",
        question=question,
        thread=thread,
        answer_form=answer_form or AnswerForm(formdata=None),
        preview=preview,
        comment_form=comment_form,
        can_post=can_post_board(current_user),
    )
    return page, status


def question_form_page(
    form: QuestionForm, question: Question | None
) -> ResponseReturnValue:
    submitted = request.method == "POST"
    preview = form.body.data if submitted and form.wants_preview else None
    return render_template(
        "board/question_form.html",
        form=form,
        question=question,
        preview=preview,
        starter_tags=queries.starter_tag_names(),
    ), (400 if submitted and form.errors else 200)
