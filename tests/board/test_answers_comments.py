"""Answering and commenting, and what they do to the question."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.board.models import Answer, Comment, Question, QuestionFollow
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    delete_through,
    fresh,
    make_grace_member,
    sign_in,
)


def test_member_answers_and_the_question_counts_it(client, member, other):
    question = ask(other)
    before = question.last_activity_at
    sign_in(client, member)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": "Take it **offline** fast.", "submit": "Post"},
    )
    reply = db.session.scalars(select(Answer)).one()
    assert response.headers["Location"].endswith(f"#answer-{reply.id}")
    updated = fresh(Question, question.id)
    assert updated.answer_count == 1
    assert updated.last_activity_at > before
    assert db.session.get(QuestionFollow, (member.id, question.id)) is not None
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "<strong>offline</strong>" in page and "1 answer<" in page


def test_answer_preview_shows_rendered_text_and_posts_nothing(client, member, other):
    question = ask(other)
    sign_in(client, member)
    response = client.post(
        f"/questions/{question.id}/answers",
        data={"body": "- one\n- two", "preview": "Preview"},
    )
    assert response.status_code == 200
    assert "<li>one</li>" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_empty_answer_is_refused(client, member, other):
    question = ask(other)
    sign_in(client, member)
    response = client.post(f"/questions/{question.id}/answers", data={"body": "  "})
    assert response.status_code == 400
    assert fresh(Question, question.id).answer_count == 0


def test_grace_member_cannot_answer_or_comment(client, other):
    question = ask(other)
    sign_in(client, make_grace_member())
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Your answer" not in page and "Add a comment" not in page
    assert (
        client.post(f"/questions/{question.id}/answers", data={"body": "x"}).status_code
        == 403
    )
    assert (
        client.post(
            f"/questions/{question.id}/comments", data={"body": "x"}
        ).status_code
        == 403
    )
    assert fresh(Question, question.id).answer_count == 0


def test_comment_on_question_and_on_answer(app, client, member, other):
    app.config["BOARD_LIMIT_GAP_SECONDS"] = 0  # two comments in a row
    question = ask(other)
    reply = answer(other, question)
    sign_in(client, member)
    client.post(
        f"/questions/{question.id}/comments",
        data={"body": "See https://example.org/guide."},
    )
    client.post(
        f"/questions/{question.id}/comments",
        data={"body": "Agreed.", "answer_id": str(reply.id)},
    )
    comments = db.session.scalars(select(Comment).order_by(Comment.id)).all()
    assert [(c.answer_id, c.author_id) for c in comments] == [
        (None, member.id),
        (reply.id, member.id),
    ]
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert '<a href="https://example.org/guide" rel="nofollow ugc noopener">' in page
    assert db.session.get(QuestionFollow, (member.id, question.id)) is not None


def test_comment_longer_than_600_characters_is_refused(client, member, other):
    question = ask(other)
    sign_in(client, member)
    response = client.post(
        f"/questions/{question.id}/comments", data={"body": "x" * 601}
    )
    assert response.status_code == 400
    assert "600" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_comment_bumps_recent_activity(client, member, other):
    question = ask(other)
    before = question.last_activity_at
    sign_in(client, member)
    client.post(f"/questions/{question.id}/comments", data={"body": "Following."})
    assert fresh(Question, question.id).last_activity_at > before


def test_comment_naming_an_answer_of_another_question_is_refused(client, member, other):
    first, second = ask(other), ask(other, title="Which analytics tool do you trust?")
    elsewhere = answer(other, second)
    sign_in(client, member)
    response = client.post(
        f"/questions/{first.id}/comments",
        data={"body": "Sneaky.", "answer_id": str(elsewhere.id)},
    )
    assert response.status_code == 404
    assert db.session.scalar(select(func.count()).select_from(Comment)) == 0


def test_members_delete_their_own_comments_only(client, member, other):
    question = ask(other)
    from tests.factories import comment

    theirs = comment(other, question, "Mine, not yours.")
    mine = comment(member, question, "Oops, wrong thread.")
    sign_in(client, member)
    assert delete_through(client, theirs).status_code == 403
    assert delete_through(client, mine).status_code == 302
    sign_in(client, other)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Mine, not yours." in page and "Oops, wrong thread." not in page


def test_follow_and_unfollow_a_question(client, member, other):
    question = ask(other)
    sign_in(client, member)
    client.post(f"/questions/{question.id}/follow")
    client.post(f"/questions/{question.id}/follow")
    assert db.session.scalar(select(func.count()).select_from(QuestionFollow)) == 2
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Unfollow this question" in page
    client.post(f"/questions/{question.id}/unfollow")
    assert db.session.get(QuestionFollow, (member.id, question.id)) is None
