"""Which way a member voted on the posts of a page, in one query."""

from __future__ import annotations

from sqlalchemy import select

from portal.board.models import (
    ANSWER,
    QUESTION,
    Vote,
)
from portal.extensions import db


def votes_by(
    voter_id: int, questions: list[int], answers: list[int]
) -> dict[tuple[str, int], int]:
    """``{("question"|"answer", id): value}`` for the posts on one page; one query."""
    condition = Vote.question_id.in_(questions) | Vote.answer_id.in_(answers)
    rows = db.session.execute(
        select(Vote.question_id, Vote.answer_id, Vote.value).where(
            Vote.user_id == voter_id, condition
        )
    )
    votes: dict[tuple[str, int], int] = {}
    for question_id, answer_id, value in rows:
        if question_id is not None:
            votes[QUESTION, question_id] = value
        elif answer_id is not None:
            votes[ANSWER, answer_id] = value
    return votes
