"""Locking a question and closing it as a duplicate of another."""

from __future__ import annotations

import pytest

from portal.board.errors import NotAllowed
from portal.board.models import Answer, Question
from portal.board.services import answers, posts
from portal.extensions import db
from portal.moderation import services
from portal.moderation.errors import ModerationError
from portal.moderation.forms import question_ref
from portal.moderation.services import decisions, questions
from tests.factories import (
    answer,
    ask,
    audit_count,
    count,
    fresh,
    last_audit,
    page,
    sign_in,
)


def test_a_locked_question_refuses_answers_and_comments(
    client, member, other, moderator
):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, moderator)
    client.post(f"/moderation/question/{question.id}/lock", data={"reason": "Heated."})
    assert fresh(Question, question.id).is_locked
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.user_id, entry.reason) == (
        services.QUESTION_LOCK,
        moderator.id,
        member.id,
        "Heated.",
    )
    sign_in(client, other)
    html = page(client.get(f"/questions/{question.id}"))
    assert "Locked by a moderator" in html and 'id="answer-form"' not in html
    url = f"/questions/{question.id}"
    response = client.post(f"{url}/answers", data={"body": "One more thing."})
    assert response.status_code == 403
    assert "locked by a moderator" in page(response)
    response = client.post(
        f"{url}/comments", data={"body": "Me too.", "answer_id": str(reply.id)}
    )
    assert response.status_code == 403
    assert count(Answer) == 1


def test_unlocking_opens_the_question_again(client, member, other, moderator):
    question = ask(member)
    questions.lock(moderator, question, None)
    db.session.commit()
    with pytest.raises(NotAllowed):
        answers.post_answer(other, question, "Refused.")
    db.session.rollback()
    sign_in(client, moderator)
    client.post(f"/moderation/question/{question.id}/unlock")
    assert not fresh(Question, question.id).is_locked
    assert last_audit().action == services.QUESTION_UNLOCK
    sign_in(client, other)
    response = client.post(
        f"/questions/{question.id}/answers", data={"body": "Now it works."}
    )
    assert response.status_code == 302


def test_locking_twice_or_unlocking_an_open_question_is_refused(member, moderator):
    question = ask(member)
    with pytest.raises(ModerationError, match="not locked"):
        questions.unlock(moderator, question, None)
    questions.lock(moderator, question, None)
    with pytest.raises(ModerationError, match="locked already"):
        questions.lock(moderator, question, None)


def test_closing_as_a_duplicate_links_to_the_original(client, member, other, moderator):
    original = ask(member, title="How do we reply to a one-star Google review?")
    copy = ask(other, title="Replying to bad Google reviews: what do you do?")
    sign_in(client, moderator)
    response = client.post(
        f"/moderation/question/{copy.id}/duplicate",
        data={
            "original": f"http://portal.test/questions/{original.id}#answers",
            "reason": "Same question.",
        },
    )
    assert response.status_code == 302
    assert fresh(Question, copy.id).duplicate_of_id == original.id
    entry = last_audit()
    assert entry.action == services.QUESTION_DUPLICATE
    assert entry.detail["original"] == original.id
    assert entry.user_id == other.id
    sign_in(client, member)
    html = page(client.get(f"/questions/{copy.id}"))
    assert "Closed as a duplicate of" in html
    assert (
        f'<a href="/questions/{original.id}">How do we reply to a one-star'
        " Google review?</a>" in html
    )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "cannot be a duplicate of itself"),
        ("4242", "There is no public question #4242"),
        ("hidden", "There is no public question"),
        ("deleted", "There is no public question"),
        ("duplicate", "is itself closed as a duplicate of"),
        ("nonsense", "Give the original's number"),
    ],
)
def test_a_bad_original_is_refused(client, member, other, moderator, target, message):
    question = ask(member, title="The question a moderator is closing")
    original = ask(other, title="A question that could be the original")
    if target == "hidden":
        decisions.hide(moderator, original, "Spam.")
    elif target == "deleted":
        posts.delete_post(other, original)
    elif target == "duplicate":
        third = ask(other, title="The original of the would-be original")
        questions.close_as_duplicate(moderator, original, third.id, None)
    db.session.commit()
    before = audit_count(services.QUESTION_DUPLICATE)
    ref = {"self": str(question.id), "4242": "#4242", "nonsense": "see above"}.get(
        target, str(original.id)
    )
    sign_in(client, moderator)
    client.post(f"/moderation/question/{question.id}/duplicate", data={"original": ref})
    assert message in page(client.get(f"/moderation/question/{question.id}"))
    assert fresh(Question, question.id).duplicate_of_id is None
    assert audit_count(services.QUESTION_DUPLICATE) == before


def test_closing_an_original_hands_its_duplicates_on(member, moderator):
    first = ask(member, title="The first question about review replies")
    second = ask(member, title="The second question about review replies")
    third = ask(member, title="The third question about review replies")
    questions.close_as_duplicate(moderator, first, second.id, None)
    questions.close_as_duplicate(moderator, second, third.id, None)
    db.session.commit()
    assert fresh(Question, first.id).duplicate_of_id == third.id
    assert fresh(Question, second.id).duplicate_of_id == third.id
    # No loop can form: the original is never itself a duplicate.
    with pytest.raises(ModerationError, match="itself closed as a duplicate"):
        questions.close_as_duplicate(moderator, third, first.id, None)


def test_reopening_a_duplicate(client, member, moderator):
    original = ask(member, title="The original question about reviews")
    copy = ask(member, title="A copy of the question about reviews")
    questions.close_as_duplicate(moderator, copy, original.id, None)
    db.session.commit()
    sign_in(client, moderator)
    client.post(f"/moderation/question/{copy.id}/reopen", data={"reason": "Differs."})
    assert fresh(Question, copy.id).duplicate_of_id is None
    assert last_audit().action == services.QUESTION_REOPEN
    assert "Closed as a duplicate" not in page(client.get(f"/questions/{copy.id}"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("42", 42),
        ("#42", 42),
        (" 42 ", 42),
        ("https://portal.example/questions/42", 42),
        ("/questions/42?sort=top#answer-3", 42),
        ("/questions/42/edit", 42),
        ("42 and 43", None),
        ("/answers/42", None),
        ("9" * 12, None),
        ("", None),
    ],
)
def test_the_original_is_given_by_number_or_link(text, expected):
    assert question_ref(text) == expected
