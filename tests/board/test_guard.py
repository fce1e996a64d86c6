"""The patient-information guard in the post forms: stop, explain, let the author
edit or post anyway (held for review), and keep held posts out of everyone's mail."""

from __future__ import annotations

import re

import pytest

from portal.board.models import HELD, PUBLIC, Answer, Comment, Question, Tag
from portal.board.services.follows import follow_question
from portal.board.services.visibility import set_state
from portal.core.models import CANCELLED, PENDING, SENT
from portal.core.models import HELD as MAIL_HELD
from portal.extensions import db
from portal.moderation.models import ReviewItem
from tests.factories import (
    answer,
    ask,
    count,
    deliver,
    fresh,
    outbox,
    page,
    sign_in,
)

PHI_BODY = (
    "Our patient John Smith, DOB 03/04/1950, MRN 00482913, posted a review. "
    "How should we reply without confirming he was seen?"
)
TITLE = "How do we reply to a review that names a patient?"


def ask_form(**extra: str) -> dict[str, str]:
    return {"title": TITLE, "body": PHI_BODY, "tags": "facebook, reviews", **extra}


def ack_of(html: str) -> str:
    match = re.search(r'name="guard_ack" value="([0-9a-f]+)"', html)
    assert match, "the guard panel carries the digest of the text it checked"
    return match.group(1)


def test_a_question_with_patient_details_is_stopped_and_explained(client, member):
    sign_in(client, member)

    response = client.post("/questions/ask", data=ask_form())

    assert response.status_code == 422
    html = page(response)
    assert "it may identify a patient" in html
    for found in ("John Smith", "03/04/1950", "00482913"):
        assert re.search(rf'<mark id="guard-finding-\d" class="phi">[^<]*{found}', html)
    assert "medical record, account, insurance or licence number" in html
    # Nothing typed is lost, and nothing is saved.
    assert "DOB 03/04/1950" in html and TITLE in html and "facebook, reviews" in html
    assert count(Question) == 0


def test_ordinary_text_posts_without_a_word(client, member):
    sign_in(client, member)
    response = client.post(
        "/questions/ask",
        data={
            "title": "What share of our posts should be video in 2024?",
            "body": "About 20% of patients follow us on Instagram, ads cost $5 a "
            "day; @StMarysHealth and #MedTwitter do well.",
            "tags": "instagram",
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(db.select(Question.state)).one() == PUBLIC


def test_post_anyway_needs_the_tick_and_holds_the_question(client, member, other):
    sign_in(client, member)
    ack = ack_of(page(client.post("/questions/ask", data=ask_form())))

    unticked = client.post(
        "/questions/ask", data=ask_form(guard_ack=ack, post_anyway="y")
    )
    assert unticked.status_code == 422
    assert "Tick the box to confirm" in page(unticked)
    assert count(Question) == 0

    posted = client.post(
        "/questions/ask",
        data=ask_form(guard_ack=ack, post_anyway="y", guard_confirm="y"),
        follow_redirects=True,
    )
    assert "held for review" in page(posted)
    question = db.session.scalars(db.select(Question)).one()
    assert (question.state, question.announced) == (HELD, False)
    # It waits in the moderation queue with what the guard found.
    [item] = db.session.scalars(db.select(ReviewItem)).all()
    assert (item.post_kind, item.post_id, item.cause) == (
        "question",
        question.id,
        "guard",
    )
    assert {f["kind"] for f in item.findings} >= {"name", "date", "record_number"}
    # Held questions do not count in their tags until released.
    assert {t.name: t.question_count for t in db.session.scalars(db.select(Tag))} == {
        "facebook": 0,
        "reviews": 0,
    }


def test_a_confirmation_covers_only_the_text_it_was_given_for(client, member):
    sign_in(client, member)
    ack = ack_of(page(client.post("/questions/ask", data=ask_form())))
    edited = PHI_BODY + " Call his daughter on 617-555-0134."

    response = client.post(
        "/questions/ask",
        data=ask_form(body=edited, guard_ack=ack, post_anyway="y", guard_confirm="y"),
    )

    assert response.status_code == 422
    assert '<mark id="guard-finding-' in page(response) and "617-555-0134" in page(
        response
    )
    assert count(Question) == 0


def test_editing_the_finding_out_posts_normally(client, member):
    sign_in(client, member)
    client.post("/questions/ask", data=ask_form())
    response = client.post(
        "/questions/ask",
        data=ask_form(body="A patient posted a review. How do we reply safely?"),
    )
    assert response.status_code == 302
    assert db.session.scalars(db.select(Question.state)).one() == PUBLIC


def test_markup_in_a_stopped_post_is_shown_as_text(client, member):
    sign_in(client, member)
    body = '<script>alert("x")</script> patient Jane Doe, MRN 12345678 <b>bold</b>'
    html = page(client.post("/questions/ask", data=ask_form(body=body)))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html


def test_a_held_answer_mails_nobody_until_a_moderator_releases_it(
    client, member, other, mailbox
):
    question = ask(member)
    sign_in(client, other)
    body = "Ask the patient, Maria Lopez (MRN 55512345), to call us first."
    ack = ack_of(
        page(client.post(f"/questions/{question.id}/answers", data={"body": body}))
    )
    client.post(
        f"/questions/{question.id}/answers",
        data={"body": body, "guard_ack": ack, "post_anyway": "y", "guard_confirm": "y"},
    )
    held = db.session.scalars(db.select(Answer)).one()
    assert held.state == HELD
    assert fresh(Question, question.id).answer_count == 0
    deliver()
    assert mailbox.to(member.email) == []
    assert outbox() == []

    set_state(fresh(Answer, held.id), PUBLIC)
    db.session.commit()
    deliver()

    [message] = mailbox.to(member.email)
    assert "Maria Lopez" in message.get_body(("plain",)).get_content()
    assert fresh(Question, question.id).answer_count == 1


def test_a_held_comment_is_stopped_and_held_the_same_way(
    client, member, other, mailbox
):
    question = ask(member)
    sign_in(client, other)
    body = "Her husband Tom Baker called from 617-555-0199 about it."
    first = client.post(f"/questions/{question.id}/comments", data={"body": body})
    assert first.status_code == 422
    assert "617-555-0199" in page(first)
    client.post(
        f"/questions/{question.id}/comments",
        data={
            "body": body,
            "guard_ack": ack_of(page(first)),
            "post_anyway": "y",
            "guard_confirm": "y",
        },
    )
    assert db.session.scalars(db.select(Comment)).one().state == HELD
    deliver()
    assert mailbox.to(member.email) == []


def test_an_edit_confirmed_despite_a_finding_holds_the_question(client, member):
    question = ask(member)
    sign_in(client, member)
    url = f"/questions/{question.id}/edit"
    data = {"title": question.title, "body": PHI_BODY, "tags": "facebook, crisis"}
    ack = ack_of(page(client.post(url, data=data)))
    client.post(
        url, data={**data, "guard_ack": ack, "post_anyway": "y", "guard_confirm": "y"}
    )
    assert fresh(Question, question.id).state == HELD
    assert db.session.scalars(db.select(Tag.question_count)).all() == [0, 0]


@pytest.mark.parametrize("later", [HELD, "hidden"])
def test_mail_queued_before_a_post_was_held_waits_for_its_release(
    member, other, mailbox, later
):
    question = ask(member)
    posted = answer(other, question, "Reply once, offline.")
    [queued] = outbox()
    set_state(fresh(Answer, posted.id), later)
    db.session.commit()

    deliver()
    assert mailbox.to(member.email) == []
    assert fresh(type(queued), queued.id).status == MAIL_HELD

    set_state(fresh(Answer, posted.id), PUBLIC)
    db.session.commit()
    deliver()
    assert len(mailbox.to(member.email)) == 1
    assert fresh(type(queued), queued.id).status == SENT


def test_mail_about_a_deleted_post_is_cancelled(member, other, mailbox):
    from portal.board.services.posts import delete_post

    question = ask(member)
    posted = answer(other, question)
    [queued] = outbox()
    delete_post(other, fresh(Answer, posted.id))
    db.session.commit()
    deliver()
    assert mailbox.to(member.email) == []
    assert fresh(type(queued), queued.id).status == CANCELLED


def test_a_question_held_from_the_start_asks_and_tells_nobody_until_released(
    member, other, mailbox
):
    from portal.board.services import questions
    from portal.core.phi import scan

    follow = other
    question = questions.ask_question(
        member, TITLE, PHI_BODY, "facebook", held_for=scan(PHI_BODY)
    )
    db.session.commit()
    follow_question(follow, question)
    db.session.commit()
    assert fresh(Question, question.id).announced is False

    set_state(fresh(Question, question.id), PUBLIC)
    db.session.commit()
    released = fresh(Question, question.id)
    assert released.announced is True
    assert db.session.scalar(db.select(Tag.question_count)) == 1
    assert all(m.status in (PENDING, SENT) for m in outbox())


def test_the_digest_leaves_out_held_questions(runner, member, other, mailbox):
    from portal.board.services.follows import follow_tag
    from portal.board.services.tags import find_tag

    ask(other, "A public question about Facebook reviews", tags="facebook")
    held = ask(other, "A held question about Facebook reviews", tags="facebook")
    set_state(fresh(Question, held.id), HELD)
    follow_tag(member, find_tag("facebook"))
    db.session.commit()

    result = runner.invoke(args=["board", "digest", "--frequency", "weekly"])
    assert result.exit_code == 0, result.output
    deliver()

    text = mailbox.single(member.email).get_body(("plain",)).get_content()
    assert "A public question about Facebook reviews" in text
    assert "A held question" not in text
