"""Accepting an answer: only the asker, one at a time, shown first."""

from __future__ import annotations

import re

from portal.board.models import Question
from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.factories import answer, ask, fresh, make_member, sign_in


def answer_order(page: str) -> list[int]:
    return [
        int(n)
        for n in re.findall(
            r'<article class="post answer[^"]*" id="answer-(\d+)"', page
        )
    ]


def test_asker_accepts_changes_and_unaccepts(client, member, other):
    question = ask(member)
    first, second = (
        answer(other, question, "First idea."),
        answer(other, question, "Second."),
    )
    sign_in(client, member)
    client.post(f"/answers/{first.id}/accept")
    assert fresh(Question, question.id).accepted_answer_id == first.id
    client.post(f"/answers/{second.id}/accept")
    assert fresh(Question, question.id).accepted_answer_id == second.id
    client.post(f"/questions/{question.id}/unaccept")
    assert fresh(Question, question.id).accepted_answer_id is None


def test_accepted_answer_comes_first_then_by_score(client, member, other, admin):
    question = ask(member)
    low = answer(other, question, "Low.")
    high = answer(other, question, "High.")
    accepted = answer(admin, question, "Accepted.")
    voter = make_member("voter@example.org", "Val Voter")
    cast_vote(voter, high, 1)
    cast_vote(voter, low, -1)
    db.session.commit()
    sign_in(client, member)
    client.post(f"/answers/{accepted.id}/accept")
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert answer_order(page) == [accepted.id, high.id, low.id]
    assert "✓ Accepted" in page


def test_someone_else_cannot_accept_by_crafted_post(client, member, other):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, other)
    assert client.post(f"/answers/{reply.id}/accept").status_code == 403
    assert client.post(f"/questions/{question.id}/unaccept").status_code == 403
    assert fresh(Question, question.id).accepted_answer_id is None


def test_admin_cannot_accept_for_the_asker(client, member, other, admin):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, admin)
    assert client.post(f"/answers/{reply.id}/accept").status_code == 403


def test_list_marks_questions_with_an_accepted_answer(client, member, other):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, member)
    assert "accepted answer" not in client.get("/questions").get_data(as_text=True)
    client.post(f"/answers/{reply.id}/accept")
    assert "accepted answer" in client.get("/questions").get_data(as_text=True)
