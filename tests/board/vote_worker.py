"""Runs in a separate OS process: its own app, its own connections, real commits."""

from __future__ import annotations

from typing import Any

from portal import create_app
from portal.auth.models import User
from portal.board.models import Answer, Question
from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.conftest import BASE_CONFIG


def cast_votes(
    database_url: str,
    kind: str,
    post_id: int,
    plan: list[tuple[int, list[int]]],
    barrier: Any,
) -> None:
    """For each (user id, values) cast the values in order, one commit per vote."""
    app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": database_url})
    model = Question if kind == "question" else Answer
    with app.app_context():
        barrier.wait(timeout=60)
        for user_id, values in plan:
            for value in values:
                voter = db.session.get(User, user_id)
                post = db.session.get(model, post_id)
                assert voter is not None and post is not None
                cast_vote(voter, post, value)
                db.session.commit()
        db.session.remove()
        db.engine.dispose()
