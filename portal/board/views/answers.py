"""Answering, editing an answer, and accepting one."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import (
    bp,
)
from portal.board.errors import InvalidInput
from portal.board.forms import AnswerEditForm, AnswerForm
from portal.board.models import ANSWER
from portal.board.services import answers, limits, posts
from portal.board.services.guard import normalise
from portal.board.views import (
    GUARD_STATUS,
    HELD_MESSAGE,
    back_to,
    get_answer,
    get_question,
    over_limit,
    question_page,
    run_guard,
    show_error,
)
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
)


@bp.post("/questions/<int:question_id>/answers")
@board_poster_required
def answer_create(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return question_page(question_id, answer_form=form, status=400)
    if form.wants_preview:
        return question_page(question_id, answer_form=form, preview=form.body.data)
    if over_limit(form, ANSWER):
        return question_page(question_id, answer_form=form, status=429)
    shown, held_for = run_guard(form, {"Answer": normalise(form.body.data)})
    if shown is not None:
        return question_page(
            question_id, answer_form=form, guard_check=shown, status=GUARD_STATUS
        )
    try:
        answer = answers.post_answer(
            current_user, question, form.body.data or "", held_for=held_for
        )
    except InvalidInput as error:
        show_error(form, error, "body")
        return question_page(question_id, answer_form=form, status=400)
    db.session.commit()
    limits.count(current_user, ANSWER)
    flash(HELD_MESSAGE if held_for else "Your answer is posted.", "success")
    return redirect(
        url_for(
            "board.question_show",
            question_id=question_id,
            _anchor=f"answer-{answer.id}",
        )
    )


@bp.route("/answers/<int:answer_id>/edit", methods=["GET", "POST"])
@board_poster_required
def answer_edit(answer_id: int) -> ResponseReturnValue:
    answer = get_answer(answer_id)
    posts.check_may_change(current_user, answer)
    form = AnswerEditForm(data={"body": answer.body})
    shown = None
    saving = form.validate_on_submit() and not form.wants_preview
    if saving:
        shown, held_for = run_guard(form, {"Answer": normalise(form.body.data)})
    if saving and shown is None:
        try:
            revision = answers.edit_answer(
                current_user, answer, form.body.data or "", held_for=held_for
            )
        except InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            saved = "Saved." if revision else "Nothing changed."
            flash(HELD_MESSAGE if held_for else saved, "success")
            return redirect(
                url_for(
                    "board.question_show",
                    question_id=answer.question_id,
                    _anchor=f"answer-{answer.id}",
                )
            )
    submitted = request.method == "POST"
    preview = form.body.data if submitted and form.wants_preview else None
    page = render_template(
        "board/answer_form.html",
        form=form,
        answer=answer,
        preview=preview,
        guard=shown,
    )
    if shown is not None:
        return page, GUARD_STATUS
    return page, (400 if submitted and form.errors else 200)


@bp.post("/answers/<int:answer_id>/accept")
@board_poster_required
def answer_accept(answer_id: int) -> ResponseReturnValue:
    answer = get_answer(answer_id)
    answers.accept_answer(current_user, answer)
    db.session.commit()
    flash("Answer accepted. Thank you for closing the loop.", "success")
    return back_to(answer)


@bp.post("/questions/<int:question_id>/unaccept")
@board_poster_required
def answer_unaccept(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    answers.unaccept_answer(current_user, question)
    db.session.commit()
    flash("No answer is marked as accepted now.", "info")
    return back_to(question)
