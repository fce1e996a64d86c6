"""Routing: new questions reach the members best placed to answer them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.board.models import AnswerRequest, Notification
from portal.board.queries.notifications import preferences_of
from portal.board.queries.routing import best_placed
from portal.board.services import routing
from portal.board.services.answers import accept_answer
from portal.board.services.digest import send_digests
from portal.board.services.follows import follow_tag
from portal.board.services.notifications import save_preferences
from portal.board.services.routing import follow_up_unanswered, route_question
from portal.board.services.tags import find_tag
from portal.board.services.votes import cast_vote
from portal.core.time import utcnow
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    deliver,
    last_audit,
    make_admin,
    make_expired_member,
    make_grace_member,
    make_member,
    outbox,
    page,
    path_of,
    sign_in,
)
from tests.mailbox import html_of, link_in, text_of
from tests.querycount import statements_for

TIKTOK = "Should residents film TikToks on the ward at all?"
LATER = timedelta(hours=49)


@contextmanager
def routing_off(app) -> Iterator[None]:
    """Build a track record without the set-up questions asking anyone."""
    app.config["BOARD_ROUTING_ENABLED"] = False
    try:
        yield
    finally:
        app.config["BOARD_ROUTING_ENABLED"] = True


@pytest.fixture
def oldtimer(app):
    """Asks the earlier questions the experts answered."""
    return make_member("oldtimer@example.org", "Opal Oldtimer")


def earn(app, expert, asker, tag="tiktok", accepted=1, upvoted=0) -> None:
    """``expert`` answers earlier questions in ``tag``: some accepted, some
    up-voted, each worth a place in the routing order."""
    with routing_off(app):
        for n in range(accepted + upvoted):
            question = ask(
                asker, f"Earlier {tag} question {n} for {expert.name}", tags=tag
            )
            reply = answer(expert, question, f"Here is what worked for me ({n}).")
            if n < accepted:
                accept_answer(asker, reply)
            else:
                cast_vote(asker, reply, 1)
            db.session.commit()


def asked(question) -> list[tuple[int, int]]:
    """(user id, round) of everyone asked about ``question``, in order."""
    db.session.expire_all()
    rows = db.session.execute(
        select(AnswerRequest.user_id, AnswerRequest.round)
        .where(AnswerRequest.question_id == question.id)
        .order_by(AnswerRequest.round, AnswerRequest.id)
    )
    return [tuple(row) for row in rows]


def requests_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification).where(
                Notification.user_id == user.id, Notification.kind == "request"
            )
        )
    )


def request_mail(mailbox, user):
    """The one request mail the SMTP server received for ``user``."""
    [message] = [
        m
        for m in mailbox.to(user.email)
        if str(m["Subject"]).strip().startswith("Can you answer this?")
    ]
    return message


def experts(app, asker, count: int) -> list:
    """``count`` members, each with a better record than the next."""
    people = [
        make_member(f"expert{n}@example.org", f"Expert {n}") for n in range(count)
    ]
    for n, person in enumerate(people):
        earn(app, person, asker, accepted=0, upvoted=count - n)
    return people


def test_the_best_placed_three_are_asked_and_told(app, member, oldtimer):
    first, second, third, fourth = experts(app, oldtimer, 4)
    elsewhere = make_member("elsewhere@example.org", "Elsa Elsewhere")
    earn(app, elsewhere, oldtimer, tag="linkedin", accepted=3)
    earn(app, fourth, oldtimer, accepted=2)  # 1 + 2 x 3: now the best placed

    question = ask(member, TIKTOK, tags="tiktok, policy")

    assert asked(question) == [(fourth.id, 1), (first.id, 1), (second.id, 1)]
    for person in (fourth, first, second):
        [note] = requests_of(person)
        assert (note.question_id, note.actor_id) == (question.id, member.id)
    assert requests_of(third) == requests_of(elsewhere) == []
    assert len(outbox("board_request")) == 3


def test_choosing_is_one_statement(app, member, oldtimer, count_statements):
    experts(app, oldtimer, 2)
    with routing_off(app):
        question = ask(member, TIKTOK, tags="tiktok")
    question_id, asker_id = question.id, member.id
    with count_statements() as seen:
        chosen = best_placed(question_id, asker_id, utcnow())
    assert len(seen) == 1 and len(chosen) == 2


def test_expired_grace_opted_out_members_and_the_asker_are_not_asked(
    app, member, oldtimer
):
    expired, grace = make_expired_member(), make_grace_member()
    opted_out = make_member("busy@example.org", "Bea Busy")
    admin, current = make_admin(), make_member("cur@example.org", "Cy Current")
    for person in (expired, grace, opted_out, member, admin, current):
        earn(app, person, oldtimer, accepted=2)
    save_preferences(opted_out.id, answer_requests=False)
    db.session.commit()

    question = ask(member, TIKTOK, tags="tiktok")

    # Admins count as current, like everywhere on the board.
    assert {user_id for user_id, _ in asked(question)} == {admin.id, current.id}


def test_a_member_is_asked_at_most_three_times_a_week(app, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    questions = [
        ask(member, f"TikTok question number {n} this week", tags="tiktok")
        for n in range(4)
    ]
    assert [asked(q) for q in questions] == [[(expert.id, 1)]] * 3 + [[]]

    route_question(questions[3], utcnow() + timedelta(days=7, minutes=1))
    db.session.commit()
    assert asked(questions[3]) == [(expert.id, 1)]
    assert len(requests_of(expert)) == 4


def test_email_off_still_asks_in_app(app, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    save_preferences(expert.id, email_request=False)
    db.session.commit()
    ask(member, TIKTOK, tags="tiktok")
    assert len(requests_of(expert)) == 1
    assert outbox("board_request") == []


def test_request_mail_says_why_and_unsubscribes_from_requests_mail(
    app, client, member, oldtimer, mailbox
):
    expert = make_member("lopez@example.org", "Dr Lopez")
    earn(app, expert, oldtimer, tag="tiktok", accepted=3)
    earn(app, expert, oldtimer, tag="policy", accepted=1)
    question = ask(member, TIKTOK, tags="tiktok, policy")

    deliver()
    message = request_mail(mailbox, expert)
    assert str(message["Subject"]).strip() == f"Can you answer this? {TIKTOK}"
    text = " ".join(text_of(message).split())
    assert (
        "You answered 3 questions about tiktok and 1 about policy in the past year;"
        " Morgan Member asks: “" + TIKTOK + "”"
    ) in text
    assert link_in(message, "/questions/").endswith(f"/questions/{question.id}")
    assert TIKTOK in html_of(message)
    url = link_in(message, "/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<{url}>"

    confirm = page(client.get(path_of(url)))
    assert "questions you are asked to answer" in confirm
    client.post(path_of(url))
    saved = preferences_of(expert.id)
    assert (saved.email_request, saved.answer_requests) == (False, True)


def test_admin_switches_routing_off_and_on(app, client, admin, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    sign_in(client, admin)
    screen = page(client.get("/admin/settings"))
    assert re.search(r'<input checked[^>]*name="routing"', screen)

    response = client.post("/admin/settings", data={"reason": "Exam week"})
    assert response.status_code == 302
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.reason) == (
        "setting_change",
        admin.id,
        "Exam week",
    )
    assert entry.detail == {"setting": "BOARD_ROUTING_ENABLED", "value": False}
    quiet = ask(member, TIKTOK, tags="tiktok")
    assert asked(quiet) == []
    assert str(follow_up_unanswered(utcnow() + LATER)) == (
        "Routing is switched off: nothing followed up."
    )

    client.post("/admin/settings", data={"routing": "y"})
    assert asked(ask(member, "Another TikTok question to route", tags="tiktok")) == [
        (expert.id, 1)
    ]


def test_the_saved_setting_overrides_the_config_default(app, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    app.config["BOARD_ROUTING_ENABLED"] = False
    assert asked(ask(member, TIKTOK, tags="tiktok")) == []
    routing.set_routing(True, make_admin())
    db.session.commit()
    question = ask(member, "Routed once an admin says so", tags="tiktok")
    assert asked(question) == [(expert.id, 1)]


def test_members_cannot_change_settings(client, member):
    sign_in(client, member)
    assert client.get("/admin/settings").status_code == 403
    assert client.post("/admin/settings", data={}).status_code == 403
    assert routing.routing_enabled()


def test_the_follow_up_asks_the_next_best_placed_once(
    app, runner, member, oldtimer, mailbox
):
    first, second, third, fourth, fifth = experts(app, oldtimer, 5)
    question = ask(member, TIKTOK, tags="tiktok")
    answered = ask(member, "A TikTok question someone answers", tags="tiktok")
    answer(fifth, answered)
    assert [user_id for user_id, _ in asked(question)] == [
        first.id,
        second.id,
        third.id,
    ]
    now = utcnow()
    too_soon = runner.invoke(args=["board", "follow-up", "--now", now.isoformat()])
    assert "0 unanswered questions followed up" in too_soon.output

    later = (now + LATER).isoformat()
    result = runner.invoke(args=["board", "follow-up", "--now", later])
    assert result.exit_code == 0, result.output
    assert "1 unanswered question followed up, 2 members asked" in result.output
    again = runner.invoke(args=["board", "follow-up", "--now", later])
    assert "0 unanswered questions followed up" in again.output

    assert asked(question)[3:] == [(fourth.id, 2), (fifth.id, 2)]
    assert len(requests_of(fourth)) == 1
    deliver()
    text = " ".join(text_of(request_mail(mailbox, fourth)).split())
    assert "It has waited two days without an answer." in text


def test_a_run_that_read_the_same_questions_follows_up_once(app, member, oldtimer):
    experts(app, oldtimer, 4)
    ask(member, TIKTOK, tags="tiktok")
    later = utcnow() + LATER
    due = routing._due(later)
    assert follow_up_unanswered(later).questions == 1
    # A second run that listed the question before the first one committed.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(routing, "_due", lambda now: due)
        report = follow_up_unanswered(later + timedelta(seconds=5))
    assert (report.questions, report.asked) == (0, 0)
    db.session.commit()
    assert len(outbox("board_request")) == 3 + 1


def test_old_questions_are_left_to_the_digest(app, member, oldtimer):
    experts(app, oldtimer, 4)
    ask(member, TIKTOK, tags="tiktok")
    report = follow_up_unanswered(utcnow() + timedelta(days=10))
    assert report.questions == 0


def test_the_digest_lists_a_followed_up_question_first(app, member, other, oldtimer):
    experts(app, oldtimer, 1)
    follow_tag(other, find_tag("tiktok"))
    db.session.commit()
    waiting = ask(member, TIKTOK, tags="tiktok")
    now = utcnow()
    assert send_digests("weekly", now).sent == 1  # new: an ordinary digest
    # New since the last digest, and answered, so not followed up.
    answer(oldtimer, ask(member, "A brand new TikTok question", tags="tiktok"))
    follow_up_unanswered(now + LATER)

    assert send_digests("weekly", now + timedelta(days=8)).sent == 1
    db.session.commit()
    digest = outbox("board_digest")[-1]
    top, rest = digest.text_body.split("New in the tags you follow:")
    assert "Still unanswered after 2 days" in top and waiting.title in top
    assert waiting.title not in rest
    assert "A brand new TikTok question" in rest
    assert "Still unanswered after 2 days" in (digest.html_body or "")


def test_a_follow_up_alone_makes_a_digest_once(app, member, other, oldtimer):
    experts(app, oldtimer, 1)
    follow_tag(other, find_tag("tiktok"))
    save_preferences(other.id, digest_frequency="daily")
    db.session.commit()
    ask(member, TIKTOK, tags="tiktok")
    now = utcnow()
    assert send_digests("daily", now).sent == 1
    follow_up_unanswered(now + LATER)

    assert send_digests("daily", now + timedelta(days=3)).sent == 1
    assert send_digests("daily", now + timedelta(days=4)).sent == 0
    db.session.commit()
    digest = outbox("board_digest")[-1]
    assert digest.subject == "Your daily digest: 1 question needs an answer"
    assert TIKTOK in digest.text_body.split("Still unanswered after 2 days")[1]


def test_asked_to_is_shown_to_the_asker_and_admins_only(
    app, client, member, admin, oldtimer, count_statements
):
    first, _ = experts(app, oldtimer, 2)
    question = ask(member, TIKTOK, tags="tiktok")
    url = f"/questions/{question.id}"

    sign_in(client, member)
    assert "Asked to: Expert 0, Expert 1" in re.sub(
        r"<[^>]+>", "", page(client.get(url))
    )
    assert statements_for(client, count_statements, url) <= 8
    sign_in(client, admin)
    assert "Asked to:" in page(client.get(url))
    for reader in (first, oldtimer):
        sign_in(client, reader)
        assert "Asked to:" not in page(client.get(url))


def test_the_notifications_page_shows_requests(app, client, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    question = ask(member, TIKTOK, tags="tiktok")
    sign_in(client, expert)
    listing = re.sub(
        r"\s+", " ", re.sub(r"<[^>]+>", "", page(client.get("/notifications")))
    )
    assert f"Morgan Member asks you to answer {TIKTOK}" in listing
    assert f'href="/questions/{question.id}"' in page(client.get("/notifications"))


def test_members_opt_out_on_the_settings_page(app, client, member, oldtimer):
    [expert] = experts(app, oldtimer, 1)
    sign_in(client, expert)
    form = page(client.get("/notifications/settings"))
    assert re.search(r'<input checked[^>]*name="answer_requests"', form)
    assert re.search(r'<input checked[^>]*name="email_request"', form)
    client.post("/notifications/settings", data={"digest_frequency": "weekly"})
    saved = preferences_of(expert.id)
    assert (saved.answer_requests, saved.email_request) == (False, False)
    assert asked(ask(member, TIKTOK, tags="tiktok")) == []


def test_a_rolled_back_question_asks_nobody(app, member, oldtimer):
    from portal.board.services.questions import ask_question

    [expert] = experts(app, oldtimer, 1)
    ask_question(member, TIKTOK, "Second thoughts.", "tiktok")
    db.session.rollback()
    assert requests_of(expert) == []
    assert outbox("board_request") == []
