"""Board pages: the lists, a question with its answers, asking, editing, history.

One-button actions (vote, accept, follow, delete) are in ``action_views`` and
tags in ``tag_views``; all of them hang off the one ``board`` blueprint.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import action_views, queries, revisions, services, tag_views
from portal.board.blueprint import bp, get_answer, get_post, get_question, show_error
from portal.board.forms import AnswerEditForm, AnswerForm, QuestionForm
from portal.board.models import Question
from portal.board.pages import page_arg, question_form_page, question_page, sort_arg
from portal.board.tags import find_tag
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
    board_reader_required,
)

__all__ = ["action_views", "bp", "tag_views"]


@bp.get("/questions")
@board_reader_required
def question_list() -> ResponseReturnValue:
    tag_name = request.args.get("tag", "")
    tag = find_tag(tag_name) if tag_name else None
    if tag_name and tag is None:
        abort(404)
    sort = sort_arg()
    page = queries.question_page(sort, page_arg(), tag.id if tag else None)
    return render_template(
        "board/list.html", page=page, sort=sort, sorts=queries.SORTS, tag=tag
    )


@bp.route("/questions/ask", methods=["GET", "POST"])
@board_poster_required
def question_create() -> ResponseReturnValue:
    form = QuestionForm()
    if form.validate_on_submit() and not form.wants_preview:
        try:
            question = services.ask_question(
                current_user,
                form.title.data or "",
                form.body.data or "",
                form.tags.data or "",
            )
        except services.InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            flash("Your question is posted.", "success")
            return redirect(url_for("board.question_show", question_id=question.id))
    return question_form_page(form, question=None)


@bp.get("/questions/<int:question_id>")
@board_reader_required
def question_show(question_id: int) -> ResponseReturnValue:
    return question_page(question_id)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@board_poster_required
def question_edit(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    services.check_may_change(current_user, question)
    form = QuestionForm(
        data={
            "title": question.title,
            "body": question.body,
            "tags": ", ".join(tag.name for tag in question.tags),
        }
    )
    if form.validate_on_submit() and not form.wants_preview:
        try:
            revision = services.edit_question(
                current_user,
                question,
                form.title.data or "",
                form.body.data or "",
                form.tags.data or "",
            )
        except services.InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            flash("Saved." if revision else "Nothing changed.", "success")
            return redirect(url_for("board.question_show", question_id=question.id))
    return question_form_page(form, question=question)


@bp.post("/questions/<int:question_id>/answers")
@board_poster_required
def answer_create(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    form = AnswerForm()
    if not form.validate_on_submit():
        return question_page(question_id, answer_form=form, status=400)
    if form.wants_preview:
        return question_page(question_id, answer_form=form, preview=form.body.data)
    try:
        answer = services.post_answer(current_user, question, form.body.data or "")
    except services.InvalidInput as error:
        show_error(form, error, "body")
        return question_page(question_id, answer_form=form, status=400)
    db.session.commit()
    flash("Your answer is posted.", "success")
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
    services.check_may_change(current_user, answer)
    form = AnswerEditForm(data={"body": answer.body})
    if form.validate_on_submit() and not form.wants_preview:
        try:
            revision = services.edit_answer(current_user, answer, form.body.data or "")
        except services.InvalidInput as error:
            show_error(form, error, "body")
        else:
            db.session.commit()
            flash("Saved." if revision else "Nothing changed.", "success")
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
        "board/answer_form.html", form=form, answer=answer, preview=preview
    )
    return page, (400 if submitted and form.errors else 200)


@bp.get("/questions/<int:post_id>/revisions", defaults={"kind": "question"})
@bp.get("/answers/<int:post_id>/revisions", defaults={"kind": "answer"})
@board_reader_required
def revision_list(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    question = post if isinstance(post, Question) else post.question
    return render_template(
        "board/revisions.html",
        post=post,
        question=question,
        history=revisions.history(queries.revisions(post)),
    )
