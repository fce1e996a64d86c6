"""The board's blueprint and what its view modules share: lookups and errors."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.orm import joinedload

from portal.board.cli import tags_seed_command
from portal.board.errors import BoardError, Gone, InvalidInput, NotAllowed
from portal.board.models import Answer, Question
from portal.core.errors import render_error
from portal.extensions import db
from portal.membership.access import can_post_board, can_read_board

bp = Blueprint("board", __name__, cli_group="board")
bp.cli.add_command(tags_seed_command)


@bp.app_context_processor
def board_access() -> dict[str, Any]:
    """For the navigation: which board links the signed-in user may follow."""
    return {"can_read_board": can_read_board, "can_post_board": can_post_board}


@bp.errorhandler(NotAllowed)
def not_allowed(error: NotAllowed) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(403, str(error))


@bp.errorhandler(Gone)
def gone(error: Gone) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(404)


@bp.errorhandler(BoardError)
def board_error(error: BoardError) -> ResponseReturnValue:
    db.session.rollback()
    return render_error(400, str(error))


def show_error(form: FlaskForm, error: InvalidInput, fallback: str) -> None:
    """Put a service's complaint next to the field it is about."""
    name = error.field if error.field in form else fallback
    form[name].errors = [*form[name].errors, str(error)]


def get_question(question_id: int) -> Question:
    """The question, or 404; deleted ones exist only for admins."""
    question = db.get_or_404(Question, question_id)
    if question.is_deleted and not current_user.is_admin:
        abort(404)
    return question


def get_answer(answer_id: int) -> Answer:
    """The answer, or 404 when it (or its question) is deleted, except for admins."""
    answer = db.session.get(Answer, answer_id, options=[joinedload(Answer.question)])
    if answer is None:
        abort(404)
    hidden = answer.is_deleted or answer.question.is_deleted
    if hidden and not current_user.is_admin:
        abort(404)
    return answer


def get_post(kind: str, post_id: int) -> Question | Answer:
    return get_question(post_id) if kind == "question" else get_answer(post_id)
