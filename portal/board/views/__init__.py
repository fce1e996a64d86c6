"""The board's pages, one module per thing a member acts on.

This module holds what the view modules share: finding a post (or a 404),
putting a service's complaint next to a form field, and the question page and
question form, which several views re-show with a form's errors.
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from portal.board.errors import InvalidInput
from portal.board.forms import AnswerForm, CommentForm, GuardMixin, QuestionForm
from portal.board.models import Answer, Comment, Question, Tag
from portal.board.queries import questions as queries
from portal.board.queries.routing import asked_about
from portal.board.queries.tags import starter_tag_names
from portal.board.queries.visibility import Viewer
from portal.board.services import guard, limits
from portal.board.services.posts import RESTORE_WINDOW
from portal.board.services.tags import find_tag
from portal.core import time
from portal.core.paging import valid_id
from portal.core.phi import Finding
from portal.extensions import db
from portal.membership.access import can_post_board, can_read_board, why_not


def show_error(form: FlaskForm, error: InvalidInput, fallback: str) -> None:
    """Put a service's complaint next to the field it is about."""
    name = error.field if error.field in form else fallback
    form[name].errors = [*form[name].errors, str(error)]


# The guard stopped a post: shown again, nothing saved, the author decides.
GUARD_STATUS = 422
HELD_MESSAGE = (
    "Saved and held for review: only you and the moderators can see it until a "
    "moderator has checked it. Nobody is notified before then."
)


def run_guard(
    form: GuardMixin, fields: dict[str, str]
) -> tuple[guard.Check | None, list[Finding]]:
    """Scan a post's fields before saving: (what to show the author, or None
    to go ahead; the findings the author confirmed, to hold the post for)."""
    result = guard.check(fields)
    if result.clean:
        return None, []
    if guard.confirmed(result, form.guard_ack.data, bool(form.post_anyway.data)):
        if form.guard_confirm.data:
            return None, result.findings
        form.guard_confirm.errors = [
            "Tick the box to confirm, or edit your text to remove what is marked."
        ]
    return result, []


def over_limit(form: QuestionForm | AnswerForm | CommentForm, kind: str) -> bool:
    """Put a posting-limit refusal, if any, under the text the member typed
    (the page is shown again with everything kept, status 429)."""
    refusal = limits.refusal(current_user, kind, form.body.data or "")
    if refusal is not None:
        form.body.errors = [*form.body.errors, refusal.message]
    return refusal is not None


def viewer() -> Viewer:
    """The signed-in reader; on board pages they also see what they deleted
    themselves while they may still restore it."""
    return Viewer.of(current_user, time.utcnow() - RESTORE_WINDOW)


def get_question(question_id: int) -> Question:
    """The question, or 404 unless the reader may see it: deleted ones exist
    only for admins, held and hidden ones for their author and moderators."""
    if not valid_id(question_id):
        abort(404)
    question = db.get_or_404(Question, question_id)
    if not viewer().may_see(question):
        abort(404)
    return question


def get_answer(answer_id: int) -> Answer:
    """The answer, or 404 unless the reader may see it and its question."""
    if not valid_id(answer_id):
        abort(404)
    answer = db.session.get(Answer, answer_id, options=[joinedload(Answer.question)])
    if answer is None or not viewer().may_read(answer):
        abort(404)
    return answer


def get_post(kind: str, post_id: int) -> Question | Answer:
    return get_question(post_id) if kind == "question" else get_answer(post_id)


CONFIRM_FIELD, CONFIRMED = "confirm", "yes"


def confirmed() -> bool:
    return request.form.get(CONFIRM_FIELD) == CONFIRMED


def confirm_page(post: Question | Answer | Comment, action: str) -> ResponseReturnValue:
    """Delete's second step, for a request without it (a crafted form, no details
    element): what will happen, and the one button that does it."""
    return render_template(
        "board/delete_confirm.html",
        post=post,
        action=action,
        confirm={CONFIRM_FIELD: CONFIRMED},
        back=url_for(
            "board.question_show",
            question_id=post.id if isinstance(post, Question) else post.question_id,
            _anchor=None if isinstance(post, Question) else f"{post.kind}-{post.id}",
        ),
    )


def get_tag(name: str) -> Tag:
    tag = find_tag(name)
    if tag is None:
        abort(404)
    return tag


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


def sort_arg() -> str:
    sort = request.args.get("sort", queries.DEFAULT_SORT)
    return sort if sort in queries.SORTS else queries.DEFAULT_SORT


def question_page(
    question_id: int,
    *,
    answer_form: AnswerForm | None = None,
    preview: str | None = None,
    comment_form: CommentForm | None = None,
    status: int = 200,
    guard_check: guard.Check | None = None,
) -> ResponseReturnValue:
    """The question page, optionally re-shown with a form's errors or preview."""
    reader = viewer()
    question = queries.question_for_reader(question_id, reader)
    if question is None:
        abort(404)
    thread = queries.thread(question, reader)
    # Who routing asked to answer: for the asker and admins only.
    mine = current_user.is_admin or question.author_id == current_user.id
    can_post = can_post_board(current_user)
    # What the services would refuse, the page does not offer (posts.check_*).
    can_comment = can_post and takes_posts(question)
    page = render_template(
        "board/question.html",
        question=question,
        thread=thread,
        answer_form=answer_form or AnswerForm(formdata=None),
        preview=preview,
        comment_form=comment_form,
        guard=guard_check,
        can_post=can_post,
        can_comment=can_comment,
        can_answer=can_comment and question.duplicate_of_id is None,
        asked_to=asked_about(question.id) if mine else [],
        # An author whose board is closed reads their own thread: say why.
        closed=None if can_read_board(current_user) else why_not(current_user),
    )
    return page, status


def takes_posts(question: Question) -> bool:
    """Comments (and answers, unless it is a duplicate) may be added."""
    return question.is_public and not question.is_deleted and not question.is_locked


def question_form_page(
    form: QuestionForm,
    question: Question | None,
    guard_check: guard.Check | None = None,
    status: int | None = None,
) -> ResponseReturnValue:
    submitted = request.method == "POST"
    preview = form.body.data if submitted and form.wants_preview else None
    status = status or (400 if submitted and form.errors else 200)
    return render_template(
        "board/question_form.html",
        form=form,
        question=question,
        preview=preview,
        guard=guard_check,
        starter_tags=starter_tag_names(),
    ), (GUARD_STATUS if guard_check else status)
