"""A member's one profile page: board activity, reputation, class and profile."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import bp
from portal.board.queries import reputation
from portal.core.paging import page_arg
from portal.membership.access import board_reader_or_author_required
from portal.membership.queries.directory import member_card


@bp.get("/members/<int:user_id>")
@board_reader_or_author_required(lambda user, user_id: user.id == user_id)
def member_show(user_id: int) -> ResponseReturnValue:
    """Their questions and answers, and standing. Deleted posts only for
    admins; held and hidden ones for the member themselves and moderators.
    A member whose board is closed still opens their own page: "your posts".

    Profile fields show only when the member listed themselves in the directory
    (they and admins always see their own).
    """
    card = member_card(user_id, current_user)
    if card is None:
        abort(404)
    user = card.user
    viewer = reputation.profile_viewer(user.id, current_user)
    return render_template(
        "board/member.html",
        card=card,
        user=user,
        summary=reputation.member_summary(user.id, viewer),
        questions=reputation.questions_by(user.id, viewer, page_arg("questions")),
        answers=reputation.answers_by(user.id, viewer, page_arg("answers")),
    )
