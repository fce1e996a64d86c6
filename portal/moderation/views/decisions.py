"""A moderator's decisions: each a POST with a reason, kept in the audit log.

A problem (a missing reason, a post already public) is flashed on the page the
decision came from; nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import flash
from flask.typing import ResponseReturnValue
from flask_wtf import FlaskForm

from portal.auth.decorators import (
    admin_required,
    fresh_auth_required,
    moderator_required,
)
from portal.board.services.visibility import AnyPost
from portal.core.templating import format_date
from portal.extensions import db
from portal.moderation import bp
from portal.moderation.errors import ModerationError
from portal.moderation.forms import (
    DecisionForm,
    DuplicateForm,
    HideForm,
    SuspendForm,
    question_ref,
)
from portal.moderation.services import decisions, questions
from portal.moderation.views import actor, back, get_post, get_question

POST = "/moderation/<kind>/<int:post_id>"
QUESTION = "/moderation/question/<int:question_id>"


def _decide(
    post: AnyPost, form: FlaskForm, run: Callable[[], str]
) -> ResponseReturnValue:
    """Validate, run one service, commit and say what happened; or say why not."""
    if not form.validate_on_submit():
        problems = [str(error) for errors in form.errors.values() for error in errors]
        flash(" ".join(problems) or "That form was not sent right.", "error")
        return back(post)
    try:
        message = run()
    except ModerationError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(message, "success")
    return back(post)


@bp.post(f"{POST}/dismiss")
@moderator_required
def post_dismiss(kind: str, post_id: int) -> ResponseReturnValue:
    post, form = get_post(kind, post_id), DecisionForm()

    def run() -> str:
        decisions.dismiss(actor(), post, form.reason.data)
        return f"Dismissed: the {kind} is {post.state}."

    return _decide(post, form, run)


@bp.post(f"{POST}/hide")
@moderator_required
def post_hide(kind: str, post_id: int) -> ResponseReturnValue:
    post, form = get_post(kind, post_id), HideForm()

    def run() -> str:
        decisions.hide(actor(), post, form.reason.data)
        return f"Hidden: the {kind}'s author is told why."

    return _decide(post, form, run)


@bp.post(f"{POST}/restore")
@moderator_required
def post_restore(kind: str, post_id: int) -> ResponseReturnValue:
    post, form = get_post(kind, post_id), DecisionForm()

    def run() -> str:
        decisions.restore(actor(), post, form.reason.data)
        return f"Restored: everyone sees the {kind} again."

    return _decide(post, form, run)


@bp.post(f"{POST}/suspend")
@admin_required
@fresh_auth_required("moderation.post_show")
def post_suspend(kind: str, post_id: int) -> ResponseReturnValue:
    post, form = get_post(kind, post_id), SuspendForm()

    def run() -> str:
        until = form.until.data
        assert until is not None  # noqa: S101 - the field is required
        decisions.suspend_author(actor(), post, until, form.reason.data)
        return f"{post.author.name} is suspended until {format_date(until)}."

    return _decide(post, form, run)


@bp.post(f"{QUESTION}/lock")
@moderator_required
def question_lock(question_id: int) -> ResponseReturnValue:
    question, form = get_question(question_id), DecisionForm()

    def run() -> str:
        questions.lock(actor(), question, form.reason.data)
        return "Locked: the question takes no new answers or comments."

    return _decide(question, form, run)


@bp.post(f"{QUESTION}/unlock")
@moderator_required
def question_unlock(question_id: int) -> ResponseReturnValue:
    question, form = get_question(question_id), DecisionForm()

    def run() -> str:
        questions.unlock(actor(), question, form.reason.data)
        return "Unlocked: members can answer and comment again."

    return _decide(question, form, run)


@bp.post(f"{QUESTION}/duplicate")
@moderator_required
def question_duplicate(question_id: int) -> ResponseReturnValue:
    question, form = get_question(question_id), DuplicateForm()

    def run() -> str:
        original_id = question_ref(form.original.data)
        assert original_id is not None  # noqa: S101 - the form checked it
        original = questions.close_as_duplicate(
            actor(), question, original_id, form.reason.data
        )
        return f"Closed as a duplicate of “{original.title}”."

    return _decide(question, form, run)


@bp.post(f"{QUESTION}/reopen")
@moderator_required
def question_reopen(question_id: int) -> ResponseReturnValue:
    question, form = get_question(question_id), DecisionForm()

    def run() -> str:
        questions.reopen(actor(), question, form.reason.data)
        return "Reopened: the question is no longer closed as a duplicate."

    return _decide(question, form, run)
