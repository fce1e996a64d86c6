"""Voting on questions and answers: one POST that says the vote wanted."""

from __future__ import annotations

from flask import abort, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import (
    bp,
)
from portal.board.models import DOWN, UP
from portal.board.services.votes import RETRACT, cast_vote
from portal.board.views import back_to, get_post
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
)

VOTE_VALUES = {"up": UP, "down": DOWN, "none": RETRACT}


@bp.post("/questions/<int:post_id>/vote", defaults={"kind": "question"})
@bp.post("/answers/<int:post_id>/vote", defaults={"kind": "answer"})
@board_poster_required
def vote_create(kind: str, post_id: int) -> ResponseReturnValue:
    value = VOTE_VALUES.get(request.form.get("value", ""))
    if value is None:
        abort(400)
    post = get_post(kind, post_id)
    cast_vote(current_user, post, value)
    db.session.commit()
    return back_to(post)
