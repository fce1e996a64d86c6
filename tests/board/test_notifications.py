"""Notifications: who hears about answers, comments and accepts, in-app and by mail."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.board.email import unsubscribe_token
from portal.board.models import Notification
from portal.board.queries.notifications import preferences_of
from portal.board.services import answers
from portal.board.services.follows import follow_question, unfollow_question
from portal.core.mail import deliver_pending
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    comment,
    make_expired_member,
    make_grace_member,
    make_member,
    outbox,
    path_of,
    sign_in,
)
from tests.mailbox import html_of, link_in, raw_header, text_of
from tests.querycount import statements_for


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.id)
        )
    )


def subject(message) -> str:
    """Long subjects are folded; a mail client shows them unfolded and trimmed."""
    return str(message["Subject"]).strip()


def notification_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Notification)) or 0


def test_new_answer_notifies_the_asker_in_app_and_by_email(
    client, member, other, mailbox
):
    question = ask(member)
    sign_in(client, other)
    client.post(
        f"/questions/{question.id}/answers", data={"body": "Reply once, offline."}
    )

    [note] = notifications_of(member)
    assert (note.kind, note.question_id, note.actor_id) == (
        "answer",
        question.id,
        other.id,
    )
    assert notifications_of(other) == []
    deliver_pending()
    message = mailbox.single(member.email)
    assert subject(message) == f"New answer: {question.title}"
    assert "Olive Other answered a question you follow" in text_of(message)
    assert "Reply once, offline." in html_of(message)
    link = link_in(message, f"/questions/{question.id}")
    assert link.endswith(f"#answer-{note.answer_id}")
    assert mailbox.to(other.email) == []


def test_self_actions_notify_nobody(member, other):
    question = ask(member)
    comment(member, question, "Adding some context myself.")
    mine = answer(member, question, "Answering my own question.")
    answers.accept_answer(member, mine)
    db.session.commit()
    assert notification_count() == 0
    assert outbox() == []


def test_comment_notifies_followers_and_the_answers_author(member, other, mailbox):
    question = ask(member)
    reply = answer(other, question)
    unfollow_question(other, question)
    db.session.commit()
    third = make_member("third@example.org", "Theo Third")

    comment(third, question, "Which template do you use?", on=reply)

    assert [n.kind for n in notifications_of(member)] == ["answer", "comment"]
    [note] = notifications_of(other)
    assert note.comment_id is not None and note.answer_id == reply.id
    assert notifications_of(third) == []
    deliver_pending()
    message = mailbox.single(other.email)
    assert subject(message) == f"New comment: {question.title}"
    assert "Which template do you use?" in text_of(message)
    assert link_in(message, "/questions/").endswith(f"#comment-{note.comment_id}")


def test_unfollowed_question_sends_nothing(member, other):
    question = ask(member)
    unfollow_question(member, question)
    db.session.commit()
    answer(other, question)
    assert notifications_of(member) == []
    assert outbox() == []


def test_accepting_notifies_the_answers_author_once(client, member, other, mailbox):
    question = ask(member)
    reply = answer(other, question)
    sign_in(client, member)
    client.post(f"/answers/{reply.id}/accept")
    client.post(f"/questions/{question.id}/unaccept")
    client.post(f"/answers/{reply.id}/accept")

    accepted = [n for n in notifications_of(other) if n.kind == "accepted"]
    assert len(accepted) == 1 and accepted[0].actor_id == member.id
    deliver_pending()
    message = mailbox.single(other.email)
    assert subject(message) == f"Your answer was accepted: {question.title}"


def test_a_rolled_back_answer_notifies_nobody(member, other):
    question = ask(member)
    answers.post_answer(other, question, "Second thoughts.")
    db.session.rollback()
    assert notification_count() == 0
    assert outbox() == []


def test_expired_members_get_no_email_and_grace_members_no_email(member, mailbox):
    question = ask(member)
    grace, expired = make_grace_member(), make_expired_member()
    follow_question(grace, question)
    follow_question(expired, question)
    db.session.commit()

    answer(make_member("answerer@example.org", "Ann Answerer"), question)

    deliver_pending()
    assert [m["To"] for m in mailbox.messages] == [member.email]
    # Grace members may still read the board, so they see it in-app.
    assert len(notifications_of(grace)) == 1
    assert notifications_of(expired) == []


def test_admins_count_as_current(admin, member, mailbox):
    question = ask(member)
    follow_question(admin, question)
    db.session.commit()
    answer(make_member("answerer@example.org", "Ann Answerer"), question)
    deliver_pending()
    assert len(mailbox.to(admin.email)) == 1


def test_fan_out_statements_do_not_grow_with_followers(member, count_statements):
    def statements_for_an_answer(followers: int, start: int) -> int:
        question = ask(member, title=f"Question number {start:03d} with followers")
        for n in range(start, start + followers):
            follow_question(make_member(f"f{n}@example.org", f"Follower {n}"), question)
        db.session.commit()
        author = make_member(f"author{start}@example.org", "Ann Answerer")
        with count_statements() as seen:
            answers.post_answer(author, question, "An answer for everyone.")
            db.session.flush()
        db.session.commit()
        return len(seen)

    assert statements_for_an_answer(2, 0) == statements_for_an_answer(12, 100)
    # The asker follows too: 3 emails, then 13.
    assert len(outbox("board_answer")) == 3 + 13


def test_unsubscribe_link_asks_then_stops_that_kind_of_email(
    client, member, other, mailbox
):
    question = ask(member)
    answer(other, question)
    deliver_pending()
    message = mailbox.single(member.email)
    url = link_in(message, "/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in html_of(message)

    page = client.get(path_of(url))
    assert page.status_code == 200
    assert b'<button type="submit"' in page.data
    assert "new answers on questions you follow" in page.get_data(as_text=True)
    assert preferences_of(member.id).email_answer is True  # GET changes nothing

    done = client.post(path_of(url))
    assert done.status_code == 200 and b"You are unsubscribed" in done.data
    assert preferences_of(member.id).email_answer is False
    assert preferences_of(member.id).email_comment is True

    mailbox.clear()
    answer(make_member("third@example.org", "Theo Third"), question)
    comment(other, question, "Still relevant?")
    deliver_pending()
    assert [subject(m) for m in mailbox.to(member.email)] == [
        f"New comment: {question.title}"
    ]
    assert len(notifications_of(member)) == 3  # in-app is not affected


def test_raw_headers_carry_a_literal_unsubscribe_url_and_an_unfolded_subject(
    member, other, mailbox
):
    # 72 characters: Python's header folding used to break this subject right
    # after "Subject:", and the long URL into RFC 2047 encoded-words.
    question = ask(
        member, "How do you answer angry reviews on a clinic's Facebook page?"
    )
    answer(other, question)
    deliver_pending()
    [raw] = mailbox.raw
    url = link_in(mailbox.single(member.email), "/unsubscribe/")
    assert len(f"List-Unsubscribe: <{url}>") > 78
    assert raw_header(raw, "List-Unsubscribe") == f"<{url}>"
    assert raw_header(raw, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    assert raw_header(raw, "Subject") == f"New answer: {question.title}"


def test_a_non_ascii_subject_is_encoded_without_leading_whitespace(
    member, other, mailbox
):
    question = ask(member, "Überweisungen: wie antworten Praxen in München auf Kritik?")
    answer(other, question)
    deliver_pending()
    [raw] = mailbox.raw
    subject_line = raw_header(raw, "Subject")
    assert subject_line[:1] not in " \t\r\n" and "=?utf-8?" in subject_line
    assert str(mailbox.single(member.email)["Subject"]) == (
        f"New answer: {question.title}"
    )


def test_one_click_unsubscribe_works_with_csrf_on(make_app, member, other):
    app = make_app(WTF_CSRF_ENABLED=True)
    token = unsubscribe_token(member.id, "digest")
    response = app.test_client().post(
        f"/unsubscribe/{token}",
        data="List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert preferences_of(member.id).digest_frequency == "off"


def test_mark_read_still_needs_a_csrf_token(make_app, member, other):
    app = make_app(WTF_CSRF_ENABLED=True)
    answer(other, ask(member))
    client = app.test_client()
    login_page = client.get("/login").get_data(as_text=True)
    token = login_page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    client.post(
        "/login",
        data={
            "email": member.email,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    assert client.post("/notifications/read").status_code == 400
    assert notifications_of(member)[0].read_at is None


def test_forged_or_foreign_unsubscribe_tokens_get_a_clear_400(client, member):
    token = unsubscribe_token(member.id, "answer")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in (tampered, "nonsense", unsubscribe_token(999_999, "answer")):
        for method in (client.get, client.post):
            response = method(f"/unsubscribe/{bad}")
            assert response.status_code == 400
            assert b"This unsubscribe link does not work" in response.data
    assert preferences_of(member.id).email_answer is True


def test_token_for_another_purpose_is_refused(client, app, member):
    from itsdangerous import URLSafeSerializer

    other_salt = URLSafeSerializer(app.config["SECRET_KEY"], salt="password-reset")
    token = other_salt.dumps({"u": member.id, "k": "answer"})
    assert client.post(f"/unsubscribe/{token}").status_code == 400


def test_settings_page_saves_preferences(client, member, other, mailbox):
    sign_in(client, member)
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="email_answer"', page)
    assert re.search(r'<option selected value="weekly">', page)
    response = client.post(
        "/notifications/settings",
        data={"email_comment": "y", "email_accepted": "y", "digest_frequency": "daily"},
    )
    assert response.status_code == 302
    saved = preferences_of(member.id)
    assert (saved.email_answer, saved.email_comment, saved.digest_frequency) == (
        False,
        True,
        "daily",
    )
    answer(other, ask(member))
    deliver_pending()
    assert mailbox.to(member.email) == []


def test_settings_refuse_an_unknown_frequency(client, member):
    sign_in(client, member)
    response = client.post("/notifications/settings", data={"digest_frequency": "x"})
    assert response.status_code == 400
    assert preferences_of(member.id).digest_frequency == "weekly"


def test_list_shows_unread_count_and_marks_read(client, member, other):
    question = ask(member)
    first = answer(other, question, "First answer.")
    comment(other, question, "A note on my answer.", on=first)
    sign_in(client, member)

    page = client.get("/questions").get_data(as_text=True)
    assert 'Notifications <span class="nav-count">2<' in page
    page = client.get("/notifications").get_data(as_text=True)
    assert "Olive Other" in page and "answered" in page and "commented on" in page
    assert f'href="/questions/{question.id}#answer-{first.id}"' in page
    assert "A note on my answer." in page

    newest, _oldest = (n.id for n in reversed(notifications_of(member)))
    client.post(f"/notifications/{newest}/read")
    page = client.get("/notifications").get_data(as_text=True)
    assert 'Notifications <span class="nav-count">1<' in page
    client.post("/notifications/read")
    page = client.get("/notifications").get_data(as_text=True)
    assert "nav-count" not in page
    assert all(n.read_at is not None for n in notifications_of(member))


def test_nobody_marks_someone_elses_notification(client, member, other):
    answer(other, ask(member))
    [note] = notifications_of(member)
    sign_in(client, other)
    client.post(f"/notifications/{note.id}/read")
    client.post("/notifications/read")
    assert notifications_of(member)[0].read_at is None


def test_expired_members_cannot_open_notifications(client):
    sign_in(client, make_expired_member())
    assert client.get("/notifications").status_code == 403
    assert client.get("/notifications/settings").status_code == 403


def test_notifications_page_runs_the_same_statements_for_3_or_15(
    client, member, other, count_statements
):
    def add(count: int, start: int) -> None:
        # Each question brings the asker two notifications: an answer, a comment.
        for n in range(start, start + count):
            question = ask(member, title=f"Question {n:03d} about notifications")
            reply = answer(other, question)
            if n % 2 == 0 or count > 1:
                comment(other, question, f"Comment {n}", on=reply)

    add(1, 0)
    add(1, 1)  # 3 notifications
    sign_in(client, member)
    assert len(notifications_of(member)) == 3
    few = statements_for(client, count_statements, "/notifications")
    add(6, 10)  # 15
    assert len(notifications_of(member)) == 15
    many = statements_for(client, count_statements, "/notifications")
    assert few == many
    assert many <= 8
