"""Voting: one vote per member per post, changeable, retractable, never on your own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.board.errors import NotAllowed
from portal.board.models import Answer, Question, Vote
from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.factories import answer, ask, fresh, make_grace_member, sign_in


def vote_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Vote)) or 0


def test_member_votes_up_changes_to_down_and_retracts(client, member, other):
    question = ask(other)
    sign_in(client, member)
    url = f"/questions/{question.id}/vote"
    client.post(url, data={"value": "up"})
    assert fresh(Question, question.id).score == 1
    client.post(url, data={"value": "down"})
    assert fresh(Question, question.id).score == -1
    client.post(url, data={"value": "none"})
    assert fresh(Question, question.id).score == 0
    assert vote_rows() == 0


def test_votes_on_answers_count_separately(client, member, other, admin):
    question = ask(admin)
    reply = answer(other, question)
    sign_in(client, member)
    response = client.post(f"/answers/{reply.id}/vote", data={"value": "up"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/questions/{question.id}#answer-{reply.id}"
    )
    assert fresh(Answer, reply.id).score == 1
    assert fresh(Question, question.id).score == 0


def test_double_submitted_vote_is_counted_once(client, member, other):
    question = ask(other)
    sign_in(client, member)
    for _ in range(3):
        client.post(f"/questions/{question.id}/vote", data={"value": "up"})
    assert fresh(Question, question.id).score == 1
    assert vote_rows() == 1


def test_vote_on_own_post_is_refused(client, member):
    question = ask(member)
    reply = answer(member, question)
    sign_in(client, member)
    assert (
        client.post(f"/questions/{question.id}/vote", data={"value": "up"}).status_code
        == 403
    )
    assert (
        client.post(f"/answers/{reply.id}/vote", data={"value": "up"}).status_code
        == 403
    )
    assert fresh(Question, question.id).score == 0
    assert fresh(Answer, reply.id).score == 0
    assert vote_rows() == 0


def test_own_post_shows_no_vote_buttons(client, member):
    question = ask(member)
    sign_in(client, member)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Vote up" not in page


def test_service_refuses_own_post_too(member):
    question = ask(member)
    with pytest.raises(NotAllowed):
        cast_vote(member, question, 1)


def test_unknown_vote_value_is_a_bad_request(client, member, other):
    question = ask(other)
    sign_in(client, member)
    assert (
        client.post(f"/questions/{question.id}/vote", data={"value": "2"}).status_code
        == 400
    )
    assert vote_rows() == 0


def test_many_members_votes_add_up(app, admin):
    from tests.factories import make_member

    question = ask(admin)
    voters = [make_member(f"v{i}@example.org", f"Voter {i}") for i in range(4)]
    for voter, value in zip(voters, (1, 1, 1, -1), strict=True):
        cast_vote(voter, question, value)
    db.session.commit()
    assert fresh(Question, question.id).score == 2


def test_grace_member_cannot_vote(client, other):
    question = ask(other)
    sign_in(client, make_grace_member())
    assert (
        client.post(f"/questions/{question.id}/vote", data={"value": "up"}).status_code
        == 403
    )
    assert vote_rows() == 0


def test_vote_on_deleted_answer_is_not_found(client, member, other, admin):
    question = ask(admin)
    reply = answer(other, question)
    from portal.board.services.posts import delete_post

    delete_post(other, reply)
    db.session.commit()
    sign_in(client, member)
    assert (
        client.post(f"/answers/{reply.id}/vote", data={"value": "up"}).status_code
        == 404
    )
    assert vote_rows() == 0


def test_current_vote_is_shown_as_undo(client, member, other):
    question = ask(other)
    sign_in(client, member)
    client.post(f"/questions/{question.id}/vote", data={"value": "down"})
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Undo down-vote" in page and "Vote up" in page


def test_vote_without_csrf_token_is_refused(make_app, admin, member):
    app = make_app(WTF_CSRF_ENABLED=True)
    question = ask(admin)
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    signed_in = client.post(
        "/login",
        data={
            "email": member.email,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    assert signed_in.status_code == 302
    refused = client.post(f"/questions/{question.id}/vote", data={"value": "up"})
    assert refused.status_code == 400
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    token = page.split('name="csrf_token" value="')[1].split('"')[0]
    accepted = client.post(
        f"/questions/{question.id}/vote", data={"value": "up", "csrf_token": token}
    )
    assert accepted.status_code == 302
    assert fresh(Question, question.id).score == 1
