"""Soft delete: posts vanish for members, admins see and restore them."""

from __future__ import annotations

from portal.board.models import Answer, Question
from portal.extensions import db
from tests.factories import answer, ask, fresh, sign_in


def test_author_deletes_question_and_members_no_longer_see_it(client, member, other):
    question = ask(member, title="A question that will be deleted soon")
    sign_in(client, member)
    response = client.post(f"/questions/{question.id}/delete")
    assert response.headers["Location"].endswith("/questions")
    deleted = fresh(Question, question.id)
    assert deleted.deleted_at is not None and deleted.deleted_by_id == member.id
    assert client.get(f"/questions/{question.id}").status_code == 404
    sign_in(client, other)
    assert client.get(f"/questions/{question.id}").status_code == 404
    assert client.get(f"/questions/{question.id}/revisions").status_code == 404
    for url in ("/questions", "/questions?sort=unanswered", "/tags/facebook"):
        assert "will be deleted soon" not in client.get(url).get_data(as_text=True)
    assert "0 questions" in client.get("/tags/facebook").get_data(as_text=True)


def test_someone_else_cannot_delete(client, member, other):
    question = ask(member)
    reply = answer(member, question)
    sign_in(client, other)
    assert client.post(f"/questions/{question.id}/delete").status_code == 403
    assert client.post(f"/answers/{reply.id}/delete").status_code == 403
    assert fresh(Question, question.id).deleted_at is None
    assert fresh(Answer, reply.id).deleted_at is None


def test_admin_sees_deleted_question_with_banner_and_restores_it(client, member, admin):
    question = ask(member)
    sign_in(client, member)
    client.post(f"/questions/{question.id}/delete")
    sign_in(client, admin)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "This question was deleted" in page and "Morgan Member" in page
    client.post(f"/questions/{question.id}/undelete")
    assert fresh(Question, question.id).deleted_at is None
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}").status_code == 200


def test_members_cannot_undelete(client, member):
    question = ask(member)
    sign_in(client, member)
    client.post(f"/questions/{question.id}/delete")
    assert client.post(f"/questions/{question.id}/undelete").status_code == 403


def test_deleting_an_answer_keeps_counts_right(client, member, other, admin):
    question = ask(member)
    kept, doomed = answer(other, question, "Kept."), answer(other, question, "Doomed.")
    sign_in(client, member)
    client.post(f"/answers/{doomed.id}/accept")
    sign_in(client, other)
    client.post(f"/answers/{doomed.id}/delete")
    client.post(f"/answers/{doomed.id}/delete")  # a second click changes nothing
    updated = fresh(Question, question.id)
    assert updated.answer_count == 1
    assert updated.accepted_answer_id is None
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Kept." in page and "Doomed." not in page
    sign_in(client, admin)
    page = client.get(f"/questions/{question.id}").get_data(as_text=True)
    assert "Doomed." in page and "This answer was deleted" in page
    client.post(f"/answers/{doomed.id}/undelete")
    client.post(f"/answers/{doomed.id}/undelete")
    assert fresh(Question, question.id).answer_count == 2
    assert fresh(Answer, kept.id).deleted_at is None


def test_question_with_only_deleted_answers_is_unanswered(client, member, other):
    question = ask(member, title="Is anyone using Threads for hospitals?")
    reply = answer(other, question)
    sign_in(client, other)
    assert "Threads" not in client.get("/questions?sort=unanswered").get_data(
        as_text=True
    )
    client.post(f"/answers/{reply.id}/delete")
    assert "Threads" in client.get("/questions?sort=unanswered").get_data(as_text=True)


def test_nothing_is_lost(member, other):
    question = ask(member)
    reply = answer(other, question)
    from portal.board.services.posts import delete_post

    delete_post(member, question)
    db.session.commit()
    assert fresh(Question, question.id).body == question.body
    assert fresh(Answer, reply.id) is not None
