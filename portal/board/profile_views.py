"""A member's board page, and the "top contributors this month" box."""

from __future__ import annotations

from flask import render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.auth.models import User
from portal.board import reputation
from portal.board.blueprint import bp
from portal.extensions import db
from portal.membership.access import board_reader_required, can_read_board


def _page(name: str) -> int:
    return max(request.args.get(name, 1, type=int) or 1, 1)


@bp.get("/members/<int:user_id>")
@board_reader_required
def user_show(user_id: int) -> ResponseReturnValue:
    """Their questions and answers (deleted ones only for admins), and standing."""
    user = db.get_or_404(User, user_id)
    admin = current_user.is_admin
    return render_template(
        "board/user.html",
        user=user,
        reputation=reputation.reputation_of(user.id),
        top_tags=reputation.top_tags(user.id),
        questions=reputation.questions_by(user.id, admin, _page("questions")),
        answers=reputation.answers_by(user.id, admin, _page("answers")),
    )


@bp.app_template_global()
def board_top_contributors() -> list[reputation.Contributor]:
    """For the question list: empty for anyone who may not read the board."""
    if not can_read_board(current_user):
        return []
    return reputation.top_contributors(reputation.month_start())
