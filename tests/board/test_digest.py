"""``flask board digest``: new and unanswered questions in followed tags."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from portal.board.models import Question
from portal.board.queries.notifications import preferences_of
from portal.board.services.digest import period_start, send_digests
from portal.board.services.follows import follow_tag
from portal.board.services.notifications import save_preferences
from portal.board.services.tags import find_tag
from portal.core.mail import deliver_pending
from portal.core.time import utcnow
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    make_admin,
    make_expired_member,
    make_member,
    outbox,
    path_of,
)
from tests.mailbox import html_of, link_in, text_of

FACEBOOK = "How should a clinic reply to reviews on Facebook?"
LINKEDIN = "Do department chairs need LinkedIn articles at all?"


def follows(user, *names: str) -> None:
    for name in names:
        tag = find_tag(name)
        assert tag is not None
        follow_tag(user, tag)
    db.session.commit()


def run(runner, *args: str) -> str:
    result = runner.invoke(args=["board", "digest", *args])
    assert result.exit_code == 0, result.output
    return result.output


def at(when: datetime) -> list[str]:
    return ["--now", when.isoformat()]


def test_weekly_digest_lists_new_questions_in_followed_tags(
    runner, member, other, mailbox
):
    ask(other, FACEBOOK, tags="facebook, crisis")
    ask(other, LINKEDIN, tags="linkedin")
    follows(member, "facebook")
    ask(member, "My own question about Facebook pages", tags="facebook")

    assert "1 digests queued" in run(runner, "--frequency", "weekly")

    deliver_pending()
    message = mailbox.single(member.email)
    assert str(message["Subject"]).strip() == "Your weekly digest: 1 new question"
    text = text_of(message)
    assert FACEBOOK in text and LINKEDIN not in text
    assert "My own question" not in text
    assert FACEBOOK in html_of(message)
    assert "/questions/" in link_in(message, "/questions/")
    url = link_in(message, "/unsubscribe/")
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mailbox.to(other.email) == []  # follows no tag


def test_running_twice_in_a_period_sends_once(runner, member, other):
    ask(other, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    run(runner)
    run(runner)
    assert len(outbox("board_digest")) == 1


def test_concurrent_claims_send_once(app, member, other):
    ask(other, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    now = utcnow()
    assert send_digests("weekly", now).sent == 1
    # A second run that found the same recipients before the first committed.
    assert send_digests("weekly", now + timedelta(seconds=5)).sent == 0
    db.session.commit()
    assert len(outbox("board_digest")) == 1


def test_nothing_new_sends_nothing(runner, member, other):
    ask(other, LINKEDIN, tags="linkedin, facebook")
    follows(member, "facebook")
    run(runner)
    assert len(outbox("board_digest")) == 1
    ask(other, "Another LinkedIn question, not in a followed tag", tags="linkedin")
    run(runner, *at(utcnow() + timedelta(days=8)))
    assert len(outbox("board_digest")) == 1


def test_own_questions_alone_send_nothing(runner, member):
    ask(member, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    run(runner)
    assert outbox("board_digest") == []


def test_next_period_sends_what_is_new_and_what_still_waits(runner, member, other):
    first = ask(other, FACEBOOK, tags="facebook")
    answered = ask(other, "Which Facebook metrics matter to leadership?", "x")
    answer(make_member("third@example.org", "Theo Third"), answered)
    follows(member, "facebook")
    now = utcnow()
    run(runner, *at(now))
    run(runner, *at(now + timedelta(seconds=1)))  # the same period: nothing
    newer = ask(other, "Is Facebook Live worth it for a grand rounds?", tags="facebook")

    run(runner, *at(now + timedelta(days=8)))

    digests = outbox("board_digest")
    assert len(digests) == 2
    body = digests[-1].text_body
    new_part, waiting_part = body.split("Still waiting for an answer:")
    assert newer.title in new_part and first.title not in new_part
    assert first.title in waiting_part and answered.title not in body


def test_daily_members_are_left_out_of_the_weekly_run(runner, member, other):
    ask(other, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    save_preferences(member.id, digest_frequency="daily")
    db.session.commit()
    run(runner, "--frequency", "weekly")
    assert outbox("board_digest") == []
    run(runner, "--frequency", "daily")
    assert len(outbox("board_digest")) == 1
    assert "daily digest" in outbox("board_digest")[0].subject


def test_digest_off_sends_nothing(runner, member, other):
    ask(other, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    save_preferences(member.id, digest_frequency="off")
    db.session.commit()
    run(runner)
    assert outbox("board_digest") == []


def test_expired_members_get_no_digest_and_admins_do(runner, other):
    ask(other, FACEBOOK, tags="facebook")
    expired, admin = make_expired_member(), make_admin()
    follows(expired, "facebook")
    follows(admin, "facebook")
    run(runner)
    assert [m.recipient for m in outbox("board_digest")] == [admin.email]


def test_digest_unsubscribe_link_switches_the_digest_off(
    runner, client, member, other, mailbox
):
    ask(other, FACEBOOK, tags="facebook")
    follows(member, "facebook")
    now = utcnow()
    run(runner, *at(now))
    deliver_pending()
    url = link_in(mailbox.single(member.email), "/unsubscribe/")
    page = client.get(path_of(url)).get_data(as_text=True)
    assert "the digest of new questions" in page
    client.post(path_of(url))
    assert preferences_of(member.id).digest_frequency == "off"
    ask(other, "A brand new question about Facebook groups", tags="facebook")
    run(runner, *at(now + timedelta(days=8)))
    assert len(outbox("board_digest")) == 1


def test_statements_do_not_grow_with_recipients(app, other, count_statements):
    """Recipients are handled a batch at a time: a few statements a batch."""
    ask(other, FACEBOOK, tags="facebook")

    def statements_for(count: int, start: int) -> int:
        for n in range(start, start + count):
            follows(make_member(f"reader{n}@example.org", f"Reader {n}"), "facebook")
        db.session.commit()
        with count_statements() as seen:
            report = send_digests("weekly")
            db.session.commit()
        assert report.sent == count
        return len(seen)

    two = statements_for(2, 0)
    six = statements_for(6, 10)
    assert two == six <= 8


def test_rejects_a_bad_now(runner):
    result = runner.invoke(args=["board", "digest", "--now", "last tuesday"])
    assert result.exit_code != 0
    assert "not an ISO date and time" in result.output


def test_periods_are_calendar_days_and_weeks_in_the_portal_zone(app):
    app.config["PORTAL_TIMEZONE"] = "America/Toronto"
    # Wednesday 2 April 2025, 03:30 UTC is still Tuesday evening in Toronto.
    now = datetime(2025, 4, 2, 3, 30, tzinfo=UTC)
    assert period_start("daily", now) == datetime(2025, 4, 1, 4, 0, tzinfo=UTC)
    assert period_start("weekly", now) == datetime(2025, 3, 31, 4, 0, tzinfo=UTC)


def test_deleted_questions_are_left_out(runner, member, other, admin):
    from portal.board.services import posts

    question = ask(other, FACEBOOK, tags="facebook")
    posts.delete_post(admin, db.session.get(Question, question.id))
    db.session.commit()
    follows(member, "facebook")
    run(runner)
    assert outbox("board_digest") == []
