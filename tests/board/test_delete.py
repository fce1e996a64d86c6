"""Soft delete: two steps, the author may restore for a day, admins any time."""

from __future__ import annotations

import pytest

from portal.board.errors import NotAllowed
from portal.board.models import Answer, Comment, Question
from portal.board.services.posts import undelete_post
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    comment,
    delete_post,
    delete_through,
    fresh,
    moving_clock,
    page,
    restore_through,
    sign_in,
)


@pytest.fixture
def thread(member, other):
    """A question by ``member`` with an answer and a comment of theirs."""
    question = ask(member, title="A question that will be deleted soon")
    reply = answer(member, question, "An answer that will be deleted soon.")
    note = comment(member, question, "A comment that will be deleted soon.")
    return {"question": question, "answer": reply, "comment": note}


MODELS = {"question": Question, "answer": Answer, "comment": Comment}


@pytest.mark.parametrize("kind", list(MODELS))
def test_delete_without_the_confirmation_step_changes_nothing(
    client, member, thread, kind
):
    post = thread[kind]
    sign_in(client, member)
    response = delete_through(client, post, confirm="")
    assert response.status_code == 200
    html = page(response)
    assert f"Delete this {kind}?" in html and "What will happen" in html
    assert "You can restore it from its page for 24 hours" in html
    assert 'name="confirm" value="yes"' in html
    assert fresh(MODELS[kind], post.id).deleted_at is None


@pytest.mark.parametrize("kind", list(MODELS))
def test_the_confirmation_page_opens_by_its_address_too(client, member, thread, kind):
    post = thread[kind]
    sign_in(client, member)
    response = client.get(f"/{kind}s/{post.id}/delete")
    assert response.status_code == 200
    assert f"Delete this {kind}?" in page(response)
    assert fresh(MODELS[kind], post.id).deleted_at is None


def test_the_question_page_offers_delete_behind_a_second_button(client, member, thread):
    sign_in(client, member)
    html = page(client.get(f"/questions/{thread['question'].id}"))
    assert html.count('<details class="confirm-delete">') == 3
    assert "Delete your question? You can restore it for 24 hours." in html
    assert "Yes, delete this answer" in html and "Yes, delete this comment" in html


def test_author_deletes_question_and_members_no_longer_see_it(client, member, other):
    question = ask(member, title="A question that will be deleted soon")
    sign_in(client, member)
    response = delete_through(client, question)
    assert response.headers["Location"] == f"/questions/{question.id}"
    deleted = fresh(Question, question.id)
    assert deleted.deleted_at is not None and deleted.deleted_by_id == member.id
    sign_in(client, other)
    assert client.get(f"/questions/{question.id}").status_code == 404
    assert client.get(f"/questions/{question.id}/revisions").status_code == 404
    for url in ("/questions", "/questions?sort=unanswered", "/tags/facebook"):
        assert "will be deleted soon" not in client.get(url).get_data(as_text=True)
    assert "0 questions" in client.get("/tags/facebook").get_data(as_text=True)


@pytest.mark.parametrize("kind", list(MODELS))
def test_author_sees_what_they_deleted_and_restores_it(
    client, member, other, thread, kind
):
    post = thread[kind]
    sign_in(client, member)
    delete_through(client, post)
    html = page(client.get(f"/questions/{thread['question'].id}"))
    assert f"{kind.capitalize()} that will be deleted soon" in html or (
        f"{kind} that will be deleted soon" in html
    )
    assert "Restore (until " in html
    if kind != "comment":
        assert f"You deleted this {kind}" in html
    sign_in(client, other)
    other_view = client.get(f"/questions/{thread['question'].id}")
    assert f"{kind} that will be deleted soon" not in page(other_view)

    sign_in(client, member)
    assert restore_through(client, post).status_code == 302
    assert fresh(MODELS[kind], post.id).deleted_at is None
    sign_in(client, other)
    assert f"{kind} that will be deleted soon" in page(
        client.get(f"/questions/{thread['question'].id}")
    )


@pytest.mark.parametrize("kind", list(MODELS))
def test_restoring_is_refused_after_a_day(client, member, thread, kind):
    post = thread[kind]
    sign_in(client, member)
    delete_through(client, post)
    with moving_clock() as advance:
        advance(hours=23, minutes=59)
        sign_in(client, member)  # the first sign-in has timed out meanwhile
        assert "Restore (until " in page(
            client.get(f"/questions/{thread['question'].id}")
        )
        advance(minutes=2)
        response = restore_through(client, post)
        # Past the window the author no longer sees it: as if it were gone.
        assert response.status_code == 404
        if kind != "question":
            html = page(client.get(f"/questions/{thread['question'].id}"))
            assert f"{kind} that will be deleted soon" not in html
    assert fresh(MODELS[kind], post.id).deleted_at is not None


def test_the_window_is_checked_by_the_service_too(member, thread):
    delete_post(member, thread["answer"])
    with moving_clock() as advance:
        advance(hours=25)
        with pytest.raises(NotAllowed, match="24 hours after deleting it"):
            undelete_post(member, fresh(Answer, thread["answer"].id))


@pytest.mark.parametrize("kind", list(MODELS))
def test_someone_else_cannot_delete_or_restore(client, member, other, thread, kind):
    post = thread[kind]
    sign_in(client, other)
    assert delete_through(client, post, confirm="").status_code == 403
    assert delete_through(client, post).status_code == 403
    assert fresh(MODELS[kind], post.id).deleted_at is None
    sign_in(client, member)
    delete_through(client, post)
    sign_in(client, other)
    assert restore_through(client, post).status_code == 404
    assert fresh(MODELS[kind], post.id).deleted_at is not None


def test_the_author_cannot_restore_what_an_admin_deleted(client, member, admin, thread):
    sign_in(client, admin)
    delete_through(client, thread["answer"])
    sign_in(client, member)
    html = page(client.get(f"/questions/{thread['question'].id}"))
    assert "answer that will be deleted soon" not in html
    assert restore_through(client, thread["answer"]).status_code == 404


def test_admin_sees_deleted_question_with_banner_and_restores_it(client, member, admin):
    question = ask(member)
    sign_in(client, member)
    delete_through(client, question)
    sign_in(client, admin)
    html = page(client.get(f"/questions/{question.id}"))
    assert "This question was deleted" in html and "Morgan Member" in html
    restore_through(client, question)
    assert fresh(Question, question.id).deleted_at is None
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}").status_code == 200


def test_admins_restore_deleted_comments_any_time(client, member, admin, thread):
    note = thread["comment"]
    sign_in(client, member)
    delete_through(client, note)
    with moving_clock() as advance:
        advance(days=30)
        sign_in(client, admin)
        html = page(client.get(f"/questions/{thread['question'].id}"))
        assert "comment that will be deleted soon" in html and "Undelete" in html
        assert restore_through(client, note).status_code == 302
    assert fresh(Comment, note.id).deleted_at is None


def test_deleting_an_answer_keeps_counts_right(client, member, other, admin):
    question = ask(member)
    kept, doomed = answer(other, question, "Kept."), answer(other, question, "Doomed.")
    sign_in(client, member)
    client.post(f"/answers/{doomed.id}/accept")
    sign_in(client, other)
    delete_through(client, doomed)
    delete_through(client, doomed)  # a second click changes nothing
    updated = fresh(Question, question.id)
    assert updated.answer_count == 1
    assert updated.accepted_answer_id is None
    sign_in(client, member)
    html = page(client.get(f"/questions/{question.id}"))
    assert "Kept." in html and "Doomed." not in html
    sign_in(client, admin)
    html = page(client.get(f"/questions/{question.id}"))
    assert "Doomed." in html and "This answer was deleted" in html
    restore_through(client, doomed)
    restore_through(client, doomed)
    assert fresh(Question, question.id).answer_count == 2
    assert fresh(Answer, kept.id).deleted_at is None


def test_restoring_an_answer_counts_it_again(client, other, member):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, other)
    delete_through(client, reply)
    assert fresh(Question, question.id).answer_count == 0
    restore_through(client, reply)
    restore_through(client, reply)  # a second click changes nothing
    assert fresh(Question, question.id).answer_count == 1


def test_question_with_only_deleted_answers_is_unanswered(client, member, other):
    question = ask(member, title="Is anyone using Threads for hospitals?")
    reply = answer(other, question)
    sign_in(client, other)
    assert "Threads" not in client.get("/questions?sort=unanswered").get_data(
        as_text=True
    )
    delete_through(client, reply)
    assert "Threads" in client.get("/questions?sort=unanswered").get_data(as_text=True)


def test_nothing_is_lost(member, other):
    question = ask(member)
    reply = answer(other, question)
    from portal.board.services.posts import delete_post

    delete_post(member, question)
    db.session.commit()
    assert fresh(Question, question.id).body == question.body
    assert fresh(Answer, reply.id) is not None
