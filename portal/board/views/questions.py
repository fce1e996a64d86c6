"""Question pages: the lists, a question with its answers, asking, editing, history."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import bp
from portal.board.errors import InvalidInput
from portal.board.forms import QuestionForm
from portal.board.models import QUESTION, Question
from portal.board.queries import questions as question_lists
from portal.board.queries.checklist import Checklist, open_checklist
from portal.board.queries.revisions import history, revisions
from portal.board.services import checklist, limits, posts, questions
from portal.board.services.guard import normalise
from portal.board.services.tags import find_tag
from portal.board.views import (
    HELD_MESSAGE,
    get_post,
    get_question,
    over_limit,
    question_form_page,
    question_page,
    run_guard,
    show_error,
    sort_arg,
)
from portal.core.paging import page_arg
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
    board_reader_or_author_required,
    board_reader_required,
)


@bp.get("/questions")
@board_reader_required
def question_list() -> ResponseReturnValue:
    tag_name = request.args.get("tag", "")
    tag = find_tag(tag_name) if tag_name else None
    if tag_name and tag is None:
        abort(404)
    sort = sort_arg()
    page = question_lists.question_page(
        sort, page_arg(), tag.id if tag else None, tag.question_count if tag else None
    )
    return render_template(
        "board/list.html",
        page=page,
        sort=sort,
        sorts=question_lists.SORTS,
        tag=tag,
        checklist=None if tag or page.page != 1 else first_run_checklist(),
    )


def first_run_checklist() -> Checklist | None:
    """The new member's checklist, until every step is done (then it closes
    for good: one idempotent write, and the home page never asks again)."""
    found = open_checklist(current_user)
    if found is not None and found.done:
        checklist.complete(current_user)
        db.session.commit()
        return None
    return found


@bp.route("/questions/ask", methods=["GET", "POST"])
@board_poster_required
def question_create() -> ResponseReturnValue:
    form = QuestionForm()
    shown = None
    if form.validate_on_submit() and not form.wants_preview:
        if over_limit(form, QUESTION):
            return question_form_page(form, question=None, status=429)
        shown, held_for = run_guard(form, _texts(form))
        if shown is None:
            try:
                question = questions.ask_question(
                    current_user,
                    form.title.data or "",
                    form.body.data or "",
                    form.tags.data or "",
                    held_for=held_for,
                )
            except InvalidInput as error:
                show_error(form, error, "body")
            else:
                db.session.commit()
                limits.count(current_user, QUESTION)
                flash(
                    HELD_MESSAGE if held_for else "Your question is posted.", "success"
                )
                return redirect(url_for("board.question_show", question_id=question.id))
    return question_form_page(form, question=None, guard_check=shown)


def _texts(form: QuestionForm) -> dict[str, str]:
    """What the guard reads, as the question will be stored."""
    return {
        "Title": normalise(form.title.data, one_line=True),
        "Details": normalise(form.body.data),
    }


@bp.get("/questions/<int:question_id>")
@board_reader_or_author_required(
    lambda user, question_id: question_lists.took_part(user.id, question_id)
)
def question_show(question_id: int) -> ResponseReturnValue:
    return question_page(question_id)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@board_poster_required
def question_edit(question_id: int) -> ResponseReturnValue:
    question = get_question(question_id)
    posts.check_may_change(current_user, question)
    form = QuestionForm(
        data={
            "title": question.title,
            "body": question.body,
            "tags": ", ".join(tag.name for tag in question.tags),
        }
    )
    shown = None
    if form.validate_on_submit() and not form.wants_preview:
        shown, held_for = run_guard(form, _texts(form))
        if shown is None:
            try:
                revision = questions.edit_question(
                    current_user,
                    question,
                    form.title.data or "",
                    form.body.data or "",
                    form.tags.data or "",
                    held_for=held_for,
                )
            except InvalidInput as error:
                show_error(form, error, "body")
            else:
                db.session.commit()
                saved = "Saved." if revision else "Nothing changed."
                flash(HELD_MESSAGE if held_for else saved, "success")
                return redirect(url_for("board.question_show", question_id=question.id))
    return question_form_page(form, question=question, guard_check=shown)


@bp.get("/questions/<int:post_id>/revisions", defaults={"kind": "question"})
@bp.get("/answers/<int:post_id>/revisions", defaults={"kind": "answer"})
@board_reader_or_author_required(
    lambda user, kind, post_id: question_lists.wrote(user.id, kind, post_id)
)
def revision_list(kind: str, post_id: int) -> ResponseReturnValue:
    post = get_post(kind, post_id)
    question = post if isinstance(post, Question) else post.question
    return render_template(
        "board/revisions.html",
        post=post,
        question=question,
        history=history(revisions(post)),
    )
