"""The signed-in home page leads to the board, and the demo data seeds it."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.board.models import Answer, Question, Tag, Vote
from portal.demo import seed_demo
from portal.extensions import db
from tests.factories import make_expired_member, sign_in


def test_home_sends_board_readers_to_the_questions(client, member):
    sign_in(client, member)
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/questions")


def test_home_does_not_send_others_to_the_board(client, app):
    sign_in(client, make_expired_member())
    response = client.get("/")
    assert "/questions" not in response.headers.get("Location", "")


def test_navigation_shows_board_links_only_to_readers(client, member):
    sign_in(client, member)
    page = client.get("/tags").get_data(as_text=True)
    assert ">Questions</a>" in page and ">Ask</a>" in page and ">Tags</a>" in page
    sign_in(client, make_expired_member())
    page = client.get("/account").get_data(as_text=True)
    assert ">Questions</a>" not in page and ">Ask</a>" not in page


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_seeds_board_content_once(app):
    seed_demo()
    db.session.commit()
    seen = (count(Question), count(Answer), count(Vote), count(Tag))
    assert seen[0] >= 5 and seen[1] >= 5 and seen[2] >= 10 and seen[3] >= 16
    accepted = db.session.scalar(
        select(func.count()).where(Question.accepted_answer_id.is_not(None))
    )
    assert accepted >= 2
    unanswered = db.session.scalar(
        select(func.count()).where(Question.answer_count == 0)
    )
    assert unanswered >= 1
    seed_demo()
    db.session.commit()
    assert (count(Question), count(Answer), count(Vote), count(Tag)) == seen
    for question in db.session.scalars(select(Question)):
        votes = db.session.scalar(
            select(func.coalesce(func.sum(Vote.value), 0)).where(
                Vote.question_id == question.id
            )
        )
        assert question.score == votes
