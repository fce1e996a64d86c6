"""Flags raised at the same moment: one item, an exact count, one hold."""

from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy import select

from portal.auth.models import User
from portal.board.models import HELD, Question
from portal.extensions import db
from portal.moderation.errors import AlreadyFlagged
from portal.moderation.models import Flag, ReviewItem
from portal.moderation.services import flags
from tests.factories import ask, count, fresh, make_member

THREADS = 6


def flag_at_once(app: Flask, pairs: list[tuple[int, int]]) -> list[str]:
    """Each (member id, question id) flags in its own thread and session."""
    barrier = threading.Barrier(len(pairs))
    outcomes: list[str] = []

    def run(user_id: int, question_id: int) -> None:
        with app.app_context():
            member = db.session.get_one(User, user_id)
            question = db.session.get_one(Question, question_id)
            barrier.wait()
            try:
                held = flags.flag_post(member, question, "spam")
                db.session.commit()
                outcomes.append("held" if held else "flagged")
            except AlreadyFlagged:
                db.session.rollback()
                outcomes.append("already")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


def test_members_flagging_together_open_one_item_and_hold_once(app):
    question = ask(make_member("author@example.org", "Ada Author"))
    members = [make_member(f"m{n}@example.org", f"Member {n}") for n in range(THREADS)]
    outcomes = flag_at_once(app, [(m.id, question.id) for m in members])
    assert outcomes.count("held") == 1
    assert outcomes.count("flagged") == THREADS - 1
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert item.flag_count == THREADS
    assert fresh(Question, question.id).state == HELD


def test_a_double_submitted_flag_is_recorded_once(app):
    question = ask(make_member("author@example.org", "Ada Author"))
    member = make_member()
    outcomes = flag_at_once(app, [(member.id, question.id)] * 3)
    assert outcomes == ["already", "already", "flagged"]
    assert count(Flag) == 1
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert item.flag_count == 1
