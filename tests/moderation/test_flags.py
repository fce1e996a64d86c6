"""Members flag posts: one flag each, never their own, enough flags hold a post."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.board.models import HELD, PUBLIC, Answer, Question
from portal.board.services import posts
from portal.core.time import utcnow
from portal.extensions import db
from portal.moderation.errors import AlreadyFlagged
from portal.moderation.models import FLAGGED, PATIENT_INFO, Flag, ReviewItem
from portal.moderation.services import flags
from portal.moderation.services.reviews import close_item, open_item_id
from tests.factories import (
    answer,
    ask,
    comment,
    count,
    flag,
    fresh,
    make_expired_member,
    make_member,
    page,
    sign_in,
)


def open_items() -> list[ReviewItem]:
    db.session.expire_all()
    return list(
        db.session.scalars(select(ReviewItem).where(ReviewItem.closed_at.is_(None)))
    )


def test_a_member_flags_an_answer_with_a_note_and_it_is_queued(client, member, other):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, member)
    form = page(client.get(f"/flag/answer/{reply.id}"))
    for label in ("Spam", "Offensive or abusive", "Off-topic", "Patient information"):
        assert f"{label}</label>" in form
    response = client.post(
        f"/flag/answer/{reply.id}", data={"reason": "spam", "note": "  An advert.  "}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/questions/{question.id}#answer-{reply.id}"
    )
    [saved] = db.session.scalars(select(Flag)).all()
    assert (saved.post_kind, saved.post_id, saved.user_id) == (
        "answer",
        reply.id,
        member.id,
    )
    assert (saved.reason, saved.note, saved.question_id) == (
        "spam",
        "An advert.",
        question.id,
    )
    [item] = open_items()
    assert (item.post_kind, item.post_id, item.cause, item.flag_count) == (
        "answer",
        reply.id,
        FLAGGED,
        1,
    )
    assert item.author_id == other.id and item.last_flag_at is not None
    assert fresh(Answer, reply.id).state == PUBLIC


def test_the_question_page_has_a_flag_link_on_every_post_but_your_own(
    client, member, other
):
    question = ask(member)
    reply = answer(other, question)
    note = comment(other, question, "A comment.", on=reply)
    mine = comment(member, question, "My own comment.")
    sign_in(client, member)
    html = page(client.get(f"/questions/{question.id}"))
    assert f"/flag/answer/{reply.id}" in html
    assert f"/flag/comment/{note.id}" in html
    assert f"/flag/question/{question.id}" not in html
    assert f"/flag/comment/{mine.id}" not in html


def test_one_flag_per_member_per_post(client, member, other):
    question = ask(member)
    sign_in(client, other)
    url = f"/flag/question/{question.id}"
    assert client.post(url, data={"reason": "off_topic"}).status_code == 302
    again = client.post(url, data={"reason": "spam"})
    assert again.status_code == 200
    assert "You already flagged this" in page(again)
    assert "You already flagged this" in page(client.get(url))
    assert count(Flag) == 1
    [item] = open_items()
    assert item.flag_count == 1
    with pytest.raises(AlreadyFlagged, match="You already flagged this"):
        flags.flag_post(other, question, "spam")


def test_a_member_cannot_flag_their_own_post(client, member):
    question = ask(member)
    sign_in(client, member)
    for method in (client.get, client.post):
        response = method(f"/flag/question/{question.id}", data={"reason": "spam"})
        assert response.status_code == 403
        assert "You cannot flag your own post." in page(response)
    assert count(Flag) == 0


def test_flags_on_deleted_or_unknown_posts_are_404(client, member, other):
    question = ask(member)
    reply = answer(member, question)
    posts.delete_post(member, reply)
    db.session.commit()
    sign_in(client, other)
    for url in (
        f"/flag/answer/{reply.id}",
        "/flag/answer/4242",
        f"/flag/vote/{question.id}",
        "/flag/question/99999999999",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"reason": "spam"}).status_code == 404, url
    assert count(Flag) == 0


def test_three_flags_from_different_members_hold_the_post(client, member, other):
    question = ask(member)
    third = make_member("third@example.org", "Thea Third")
    assert flag(other, question) is False
    assert flag(third, question, "offensive") is False
    assert fresh(Question, question.id).state == PUBLIC
    fourth = make_member("fourth@example.org", "Fred Fourth")
    assert flag(fourth, question) is True
    assert fresh(Question, question.id).state == HELD
    [item] = open_items()
    assert item.flag_count == 3
    # Members no longer see it at its URL; its author still does.
    sign_in(client, third)
    assert client.get(f"/questions/{question.id}").status_code == 404
    assert client.get(f"/questions/{question.id}/revisions").status_code == 404
    sign_in(client, member)
    assert client.get(f"/questions/{question.id}").status_code == 200


def test_one_patient_information_flag_holds_the_post(client, member, other, moderator):
    question = ask(member)
    reply = answer(member, question, "Our patient John Smith, MRN 00482913.")
    sign_in(client, other)
    response = client.post(
        f"/flag/answer/{reply.id}", data={"reason": PATIENT_INFO, "note": "A name."}
    )
    assert response.status_code == 302
    assert fresh(Answer, reply.id).state == HELD
    assert fresh(Question, question.id).answer_count == 0
    # A held answer is out of members' reach, not out of its author's or a
    # moderator's.
    assert client.get(f"/answers/{reply.id}/revisions").status_code == 404
    sign_in(client, moderator)
    assert client.get(f"/answers/{reply.id}/revisions").status_code == 200


def test_a_held_question_sends_the_flagger_back_to_the_list(client, member, other):
    question = ask(member)
    sign_in(client, other)
    response = client.post(
        f"/flag/question/{question.id}", data={"reason": PATIENT_INFO}
    )
    assert response.headers["Location"].endswith("/questions")
    assert "It is hidden from members until then." in page(client.get("/questions"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a reason."),
        ({"reason": "boring"}, "Not a valid choice"),
        ({"reason": "spam", "note": "x" * 501}, "under 500 characters"),
        ({"reason": "spam", "note": "bad\x07bell"}, "control characters"),
    ],
)
def test_bad_flags_are_explained_and_not_recorded(client, member, other, data, message):
    question = ask(member)
    sign_in(client, other)
    response = client.post(f"/flag/question/{question.id}", data=data)
    assert response.status_code == 400
    assert message in page(response)
    assert count(Flag) == 0 and count(ReviewItem) == 0


def test_members_who_cannot_read_the_board_cannot_flag(client, member):
    question = ask(member)
    sign_in(client, make_expired_member())
    response = client.post(f"/flag/question/{question.id}", data={"reason": "spam"})
    assert response.status_code == 403
    assert count(Flag) == 0


def test_flagging_is_rate_limited_per_member(make_app):
    app = make_app(MODERATION_FLAG_LIMIT="2 per hour")
    with app.app_context():
        author = make_member("author@example.org", "Ada Author")
        flagger = make_member()
        questions = [
            ask(author, title=f"Question number {n} about reviews") for n in range(3)
        ]
        client = sign_in(app.test_client(), flagger)
        # Mistakes do not count against the limit.
        bad = client.post(f"/flag/question/{questions[0].id}", data={})
        assert bad.status_code == 400
        for question in questions[:2]:
            url = f"/flag/question/{question.id}"
            assert client.post(url, data={"reason": "spam"}).status_code == 302
        response = client.post(
            f"/flag/question/{questions[2].id}", data={"reason": "spam"}
        )
        assert response.status_code == 429
        assert "You have flagged a lot of posts in the last hour" in page(response)
        assert count(Flag) == 2
        db.session.remove()


def test_one_open_item_per_post_and_a_new_one_after_closing(member, other, moderator):
    question = ask(member)
    now = utcnow()
    first = open_item_id(question, FLAGGED, now)
    assert open_item_id(question, FLAGGED, now) == first
    assert count(ReviewItem) == 1
    close_item(question, moderator, "dismissed")
    second = open_item_id(question, FLAGGED, now)
    assert second != first
    db.session.commit()
    assert count(ReviewItem) == 2
