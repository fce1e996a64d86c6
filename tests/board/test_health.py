"""The board's health on the admin dashboard, from a small board built to known
times: every figure checked, the median on both sides of an even count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from portal.board.models import Answer, Question
from portal.board.queries.health import board_health
from portal.board.services.posts import delete_post
from portal.core import time
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    comment,
    make_expired_member,
    make_member,
)

NOW = datetime(2026, 6, 20, 12, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def at(model, row, when: datetime) -> None:
    db.session.execute(update(model).where(model.id == row.id).values(created_at=when))
    db.session.commit()


def question(author, n: int, when: datetime, tags: str) -> Question:
    asked = ask(author, title=f"Health check question number {n}", tags=tags)
    at(Question, asked, when)
    return asked


def reply(author, to: Question, after: timedelta) -> Answer:
    posted = answer(author, to, f"An answer after {after}.")
    at(Answer, posted, to.created_at + after)
    return posted


def june(day: int, hour: int = 0) -> datetime:
    return datetime(2026, 6, day, hour, tzinfo=UTC)


def test_the_health_panel_counts_a_small_board(app, admin):
    asker = make_member("asker@example.org", "Asha Asker")
    helper = make_member("helper@example.org", "Omar Helper")
    make_member("quiet1@example.org", "Quinn Quiet")
    make_member("quiet2@example.org", "Quentin Quiet")
    commenter = make_member("commenter@example.org", "Cora Commenter")
    make_expired_member()  # never posted, but not a current member
    regretful = make_member("regret@example.org", "Rui Regret")

    q1 = question(asker, 1, june(10, 10), "facebook, crisis")
    reply(helper, q1, HOUR)
    reply(asker, q1, 5 * HOUR)
    q2 = question(asker, 2, june(12, 8), "facebook")
    early = reply(helper, q2, HOUR / 2)
    reply(helper, q2, 3 * HOUR)
    delete_post(admin, early)  # a deleted answer is not the first answer
    q3 = question(asker, 3, june(15), "tiktok")
    reply(helper, q3, 10 * HOUR)
    question(asker, 4, june(19), "facebook, policy")  # unanswered, < 48 hours
    question(asker, 5, june(2), "crisis")  # unanswered for weeks
    q6 = question(asker, 6, june(5), "linkedin")
    delete_post(admin, reply(helper, q6, HOUR))  # only a deleted answer
    comment(commenter, q6)  # a comment is not a post
    last_month = question(asker, 7, datetime(2026, 5, 20, tzinfo=UTC), "facebook")
    reply(helper, last_month, 2 * HOUR)
    question(asker, 8, datetime(2026, 5, 25, tzinfo=UTC), "tiktok")  # unanswered
    gone = question(regretful, 9, june(8), "linkedin")
    delete_post(admin, gone)
    db.session.commit()

    health = board_health(now=NOW, today=time.today())
    assert health.questions == 6  # 1-6: not May's, not the deleted one
    assert health.answered == 3  # 1, 2 and 3
    assert health.answered_percent == 50
    assert health.median_first_answer == 3 * HOUR  # of 1 h, 3 h and 10 h
    assert health.unanswered_48h == 3  # 5, 6 and May's 8
    # Quinn, Quentin and Cora (comments only); not the expired member, nor
    # Rui, whose one question was deleted.
    assert health.never_posted == 3
    assert [(t.name, t.questions) for t in health.tags] == [
        ("facebook", 3),
        ("crisis", 2),
        ("linkedin", 1),
        ("policy", 1),
        ("tiktok", 1),
    ]

    q10 = question(asker, 10, june(16), "tiktok")
    reply(helper, q10, 4 * HOUR)
    health = board_health(now=NOW, today=time.today())
    # An even count: the mean of the two middle delays (3 h and 4 h).
    assert health.median_first_answer == 3.5 * HOUR
    assert (health.questions, health.answered, health.answered_percent) == (7, 4, 57)
    # Equal counts go by name: crisis before tiktok.
    assert [(t.name, t.questions) for t in health.tags[:3]] == [
        ("facebook", 3),
        ("crisis", 2),
        ("tiktok", 2),
    ]


def test_an_empty_board_has_nothing_to_say(app):
    health = board_health(now=NOW, today=time.today())
    assert (health.questions, health.answered, health.answered_percent) == (0, 0, None)
    assert health.median_first_answer is None
    assert (health.unanswered_48h, health.never_posted, health.tags) == (0, 0, [])
