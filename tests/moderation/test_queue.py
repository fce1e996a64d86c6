"""The moderation queue: what waits, with its context, in a fixed number of
statements; and posts the patient-information guard held."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.board.models import HELD, PUBLIC, Answer
from portal.board.services import answers
from portal.core.phi import scan
from portal.extensions import db
from portal.moderation.models import FLAGGED, GUARD, OFFENSIVE, ReviewItem
from portal.moderation.queries import PER_PAGE, queue_summary
from tests.factories import (
    answer,
    ask,
    comment,
    deliver,
    flag,
    fresh,
    make_member,
    page,
    sign_in,
)
from tests.mailbox import text_of
from tests.querycount import statements_for

MRN_TEXT = "Patient MRN 00482913 called our switchboard about the post."


def flaggers(n: int, start: int = 0) -> list:
    return [
        make_member(f"flagger{i}@example.org", f"Flagger {i}")
        for i in range(start, start + n)
    ]


def test_the_queue_is_for_moderators_and_admins(client, member, moderator, admin):
    assert client.get("/moderation").status_code == 302  # to sign in
    sign_in(client, member)
    assert client.get("/moderation").status_code == 403
    assert ">Moderation</a>" not in page(client.get("/questions"))
    for user in (moderator, admin):
        sign_in(client, user)
        assert client.get("/moderation").status_code == 200
        assert ">Moderation</a>" in page(client.get("/questions"))


def test_queue_shows_context_most_flagged_first_then_newest(
    client, member, other, moderator
):
    first = ask(member, title="Is a <script> tag in a title escaped here?")
    reply = answer(other, first, "Buy cheap followers <b>now</b> at spam.example")
    note = comment(other, first, "You are all idiots.")
    two, one = flaggers(2), flaggers(1, start=2)
    flag(two[0], reply, note="An advert.")
    flag(two[1], reply, OFFENSIVE)
    flag(one[0], note, OFFENSIVE, note="Rude <i>words</i>.")
    sign_in(client, moderator)
    html = page(client.get("/moderation"))
    items = re.findall(r'id="item-(\d+)"', html)
    assert len(items) == 2
    answer_item, comment_item = html.index("Buy cheap"), html.index("You are all")
    assert answer_item < comment_item  # two flags before one
    # Text is escaped, never rendered.
    assert "&lt;b&gt;now&lt;/b&gt;" in html and "<b>now</b>" not in html
    assert "&lt;script&gt;" in html and "&lt;i&gt;words&lt;/i&gt;" in html
    assert f'href="/questions/{first.id}#answer-{reply.id}"' in html
    assert "Olive Other" in html  # the author
    assert "Flagged</strong> 2 times" in html
    assert "Spam: 1" in html and "Offensive or abusive: 1" in html
    assert "“An advert.”" in html and "Flagger 0" in html
    assert "2 waiting" in html


def test_a_newer_item_comes_first_among_equally_flagged(
    client, member, other, moderator
):
    older = ask(member, title="The older flagged question, asked first")
    newer = ask(member, title="The newer flagged question, asked later")
    [first, second] = flaggers(2)
    flag(first, older)
    flag(second, newer)
    sign_in(client, moderator)
    html = page(client.get("/moderation"))
    assert html.index("The newer flagged") < html.index("The older flagged")


def test_the_queue_pages_without_losing_items(client, member, moderator):
    [flagger] = flaggers(1)
    for n in range(PER_PAGE + 1):
        flag(flagger, ask(member, title=f"Question {n:02d} waiting for review"))
    sign_in(client, moderator)
    first = page(client.get("/moderation"))
    second = page(client.get("/moderation?page=2"))
    assert len(re.findall(r'id="item-', first)) == PER_PAGE
    assert len(re.findall(r'id="item-', second)) == 1
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_a_queue_page_runs_the_same_statements_for_3_or_15_items(
    client, member, moderator, count_statements
):
    people = flaggers(3)

    def add_items(n: int) -> None:
        for i in range(n):
            question = ask(member, title=f"Thread {n}-{i} for the queue test")
            reply = answer(people[0], question)
            note = comment(people[1], question, "A comment to flag.")
            for post in (question, reply, note):
                flag(people[2], post, note="Why")
            answers.post_answer(people[0], question, MRN_TEXT, held_for=scan(MRN_TEXT))
            db.session.commit()

    add_items(1)
    sign_in(client, moderator)
    few = statements_for(client, count_statements, "/moderation")
    add_items(4)
    many = statements_for(client, count_statements, "/moderation")
    assert few == many
    # Account, items, flags, three kinds of post, the queue's size.
    assert many == 7


def test_a_post_the_guard_held_is_queued_with_its_findings(
    client, member, other, moderator
):
    question = ask(member)
    held = answers.post_answer(other, question, MRN_TEXT, held_for=scan(MRN_TEXT))
    db.session.commit()
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert (item.cause, item.post_kind, item.post_id) == (GUARD, "answer", held.id)
    assert item.findings == [
        {"kind": "record_number", "text": "00482913", "start": 12, "end": 20}
    ]
    sign_in(client, moderator)
    html = page(client.get("/moderation"))
    assert "Held by the patient-information guard" in html
    assert "record number" in html and "<code>00482913</code>" in html
    assert "Dismiss and publish" in html


def test_releasing_a_guard_held_answer_sends_its_notification(
    client, member, other, moderator, mailbox
):
    question = ask(member)  # the asker follows their question
    held = answers.post_answer(other, question, MRN_TEXT, held_for=scan(MRN_TEXT))
    db.session.commit()
    deliver()
    assert mailbox.to(member.email) == []
    sign_in(client, moderator)
    response = client.post(
        f"/moderation/answer/{held.id}/dismiss", data={"next": "/moderation"}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/moderation"
    assert fresh(Answer, held.id).state == PUBLIC
    deliver()
    message = mailbox.single(member.email)
    assert "answered" in text_of(message) or "answer" in str(message["Subject"])
    assert queue_summary().size == 0


def test_mail_queued_before_an_edit_was_held_waits_for_the_release(
    client, member, other, moderator, mailbox
):
    question = ask(member)
    reply = answer(other, question, "A clean first version of the answer.")
    # The notification to the asker is queued, not yet delivered, when the
    # author edits in an identifier and confirms it despite the guard.
    answers.edit_answer(other, reply, MRN_TEXT, held_for=scan(MRN_TEXT))
    db.session.commit()
    assert fresh(Answer, reply.id).state == HELD
    deliver()
    assert mailbox.to(member.email) == []
    sign_in(client, moderator)
    client.post(f"/moderation/answer/{reply.id}/dismiss")
    deliver()
    assert len(mailbox.to(member.email)) == 1


def test_a_flagged_post_then_held_by_the_guard_stays_one_item_with_findings(
    member, other
):
    question = ask(member)
    reply = answer(other, question)
    [flagger] = flaggers(1)
    flag(flagger, reply)
    answers.edit_answer(other, reply, MRN_TEXT, held_for=scan(MRN_TEXT))
    db.session.commit()
    db.session.expire_all()
    [item] = db.session.scalars(select(ReviewItem)).all()
    assert item.flag_count == 1 and item.cause == FLAGGED
    assert [finding["kind"] for finding in item.findings] == ["record_number"]
    assert fresh(Answer, reply.id).state == HELD
    assert queue_summary().size == 1
