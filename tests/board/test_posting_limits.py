"""Posting limits: questions and replies an hour, the gap between posts, the same
text twice; a refused member gets the page back with everything they typed."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
import redis
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select

from portal.auth.models import MODERATOR
from portal.board.models import Answer, Comment, Question
from portal.board.services import limits
from portal.config import load_environment
from portal.core.time import local, utcnow
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    backdate,
    comment,
    count,
    delete_through,
    deliver,
    make_member,
    outbox,
    page,
    sign_in,
)

HOUR = timedelta(hours=1)
REDIS_URL = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def question_form(n: int, **changes: str) -> dict[str, str]:
    return {
        "title": f"How do you schedule the posts of clinic number {n}?",
        "body": f"We post by hand for clinic {n} every morning.",
        "tags": "scheduling, tools",
        **changes,
    }


def ask_through(client, n: int, **changes: str):
    return client.post("/questions/ask", data=question_form(n, **changes))


def answer_through(client, question: Question, body: str):
    return client.post(f"/questions/{question.id}/answers", data={"body": body})


def comment_through(client, question: Question, body: str, on: Answer | None = None):
    data = {"body": body, "answer_id": str(on.id) if on else ""}
    return client.post(f"/questions/{question.id}/comments", data=data)


def clock_times(start: datetime, end: datetime) -> set[str]:
    """Every HH:MM (portal time) a moment between ``start`` and ``end`` can show."""
    seconds = int((end - start).total_seconds()) + 1
    return {f"{local(start + timedelta(seconds=s)):%H:%M}" for s in range(seconds)}


@pytest.fixture
def no_gap(app):
    """Posts in quick succession, to reach the hourly caps."""
    app.config["BOARD_LIMIT_GAP_SECONDS"] = 0


def test_sixth_question_in_an_hour_is_refused_and_the_form_keeps_the_text(
    app, client, member, no_gap
):
    app.config["PORTAL_TIMEZONE"] = "America/Chicago"
    sign_in(client, member)
    started = utcnow()
    for n in range(5):
        assert ask_through(client, n).status_code == 302
    response = ask_through(
        client,
        6,
        title="Is there a good tool for Instagram scheduling?",
        body="We tried three & none worked <well>.",
        tags="instagram, tools",
    )
    html = page(response)
    assert response.status_code == 429
    assert "You have posted 5 questions in the last hour" in html
    shown = re.search(r"You can post again in 60 minutes \(at (\d\d:\d\d)\)\.", html)
    assert shown, html
    # When the first of the five leaves the hour, in the portal's time zone.
    assert shown[1] in clock_times(
        started + HOUR, utcnow() + HOUR + timedelta(seconds=60)
    )
    assert 'value="Is there a good tool for Instagram scheduling?"' in html
    assert "We tried three &amp; none worked &lt;well&gt;.</textarea>" in html
    assert 'value="instagram, tools"' in html
    assert count(Question) == 5


def test_answers_and_comments_share_one_hourly_budget(
    app, client, member, other, no_gap
):
    app.config["BOARD_LIMIT_REPLIES"] = "3 per hour"
    question = ask(other)
    reply = answer(other, question, "The asker's own answer.")
    sign_in(client, member)
    assert answer_through(client, question, "First answer from me.").status_code == 302
    assert comment_through(client, question, "On the question.").status_code == 302
    assert comment_through(client, question, "On the answer.", reply).status_code == 302

    refused_comment = comment_through(client, question, "One too many.", reply)
    refused_answer = answer_through(client, question, "One answer too many.")
    assert refused_comment.status_code == refused_answer.status_code == 429
    html = page(refused_comment)
    assert "You have posted 3 answers and comments in the last hour" in html
    # Back in the comment box of the answer it was written under.
    assert (
        f'aria-describedby="add-comment-{reply.id}-hint">One too many.</textarea>'
        in html
    )
    assert "One answer too many.</textarea>" in page(refused_answer)
    assert (count(Answer), count(Comment)) == (2, 2)
    assert ask_through(client, 1).status_code == 302, "questions have their own"


def test_posts_are_at_least_thirty_seconds_apart(client, member, other):
    question = ask(other)
    sign_in(client, member)
    assert ask_through(client, 1).status_code == 302
    response = answer_through(client, question, "A quick answer right after.")
    html = page(response)
    assert response.status_code == 429
    assert re.search(
        r"Please leave 30 seconds between posts\."
        r" You can post again in (29|30) seconds\.",
        html,
    )
    assert "A quick answer right after.</textarea>" in html
    assert count(Answer) == 0


def test_once_the_gap_has_passed_the_member_posts_again(app, client, member, other):
    app.config["BOARD_LIMIT_GAP_SECONDS"] = 1
    question = ask(other)
    sign_in(client, member)
    assert answer_through(client, question, "An answer.").status_code == 302
    # A refused attempt does not start the gap again.
    assert comment_through(client, question, "A comment.").status_code == 429
    time.sleep(1.05)
    assert comment_through(client, question, "A comment.").status_code == 302


def test_the_same_text_twice_within_five_minutes_is_refused(
    client, member, other, no_gap
):
    first = ask(other)
    second = ask(other, title="What goes into a TikTok policy for residents?")
    sign_in(client, member)
    assert answer_through(
        client, first, "Post it  at 9am on weekdays."
    ).status_code == (302)
    # Any kind, whatever the case and spacing.
    response = comment_through(client, second, "post it at 9AM\r\non weekdays.")
    assert response.status_code == 429
    assert (
        "You already posted this text in the last 5 minutes."
        " Change it, or post it again in 5 minutes (at "
    ) in page(response)
    assert count(Comment) == 0
    assert comment_through(client, second, "Post it at 10am.").status_code == 302

    backdate(db.session.scalars(select(Answer)).one(), timedelta(minutes=5, seconds=1))
    assert comment_through(
        client, second, "post it at 9AM on weekdays."
    ).status_code == (302)


def test_text_of_a_deleted_post_may_be_posted_again(client, member, other, no_gap):
    question = ask(other)
    mistake = comment(member, question, "See the guide on page 4.")
    sign_in(client, member)
    delete_through(client, mistake)
    assert comment_through(
        client, question, "See the guide on page 4."
    ).status_code == (302)


def test_admins_skip_the_counters_but_not_the_duplicate_rule(client, admin):
    sign_in(client, admin)
    for n in range(6):
        assert ask_through(client, n).status_code == 302
    again = ask_through(client, 9, body=question_form(0)["body"])
    assert again.status_code == 429
    assert "You already posted this text" in page(again)


def test_moderators_are_limited_like_members(client):
    moderator = make_member("moderator@example.org", "Mo Moderator")
    moderator.role = MODERATOR
    db.session.commit()
    sign_in(client, moderator)
    assert ask_through(client, 1).status_code == 302
    assert ask_through(client, 2).status_code == 429


def test_a_refused_post_saves_nothing_and_mails_nothing(client, member, other, mailbox):
    question = ask(other)
    sign_in(client, member)
    assert answer_through(client, question, "Reply once, offline.").status_code == 302
    queued = len(outbox())
    assert answer_through(client, question, "A second thought.").status_code == 429
    assert comment_through(client, question, "And a comment.").status_code == 429
    assert (count(Answer), count(Comment), len(outbox())) == (1, 0, queued)
    deliver()
    [mail] = mailbox.to(other.email)
    assert "New answer" in str(mail["Subject"])


def test_form_errors_and_refused_posts_spend_nothing(make_app):
    app = make_app(BOARD_LIMIT_QUESTIONS="2 per hour", BOARD_LIMIT_GAP_SECONDS=0)
    with app.app_context():
        client = sign_in(app.test_client(), make_member())
        assert ask_through(client, 1, title="Too short?").status_code == 400
        assert ask_through(client, 1).status_code == 302
        assert ask_through(client, 1).status_code == 429  # the same text
        assert ask_through(client, 2).status_code == 302
        refused = ask_through(client, 3)
        assert refused.status_code == 429
        assert "You have posted 2 questions in the last hour" in page(refused)


def test_limits_are_configurable(make_app):
    app = make_app(BOARD_LIMIT_QUESTIONS="1 per 10 minutes", BOARD_LIMIT_GAP_SECONDS=0)
    with app.app_context():
        client = sign_in(app.test_client(), make_member())
        assert ask_through(client, 1).status_code == 302
        html = page(ask_through(client, 2))
        assert "You have posted 1 question in the last 10 minutes" in html
        assert "You can post again in 10 minutes (at " in html


def test_each_limit_can_be_switched_off(make_app):
    app = make_app(
        BOARD_LIMIT_QUESTIONS="off",
        BOARD_LIMIT_GAP_SECONDS=0,
        BOARD_LIMIT_DUPLICATE_SECONDS=0,
    )
    with app.app_context():
        client = sign_in(app.test_client(), make_member())
        for n in range(7):
            assert (
                ask_through(client, n, body="Same text each time.").status_code == 302
            )


def test_limits_are_read_from_the_environment():
    config: dict[str, object] = {}
    load_environment(
        config,
        {
            "BOARD_LIMIT_QUESTIONS": "2 per hour",
            "BOARD_LIMIT_REPLIES": "off",
            "BOARD_LIMIT_GAP_SECONDS": "0",
            "BOARD_LIMIT_DUPLICATE_SECONDS": "60",
            "BOARD_LIMIT_KEY_PREFIX": "staging",
        },
    )
    assert config == {
        "BOARD_LIMIT_QUESTIONS": "2 per hour",
        "BOARD_LIMIT_REPLIES": "off",
        "BOARD_LIMIT_GAP_SECONDS": 0,
        "BOARD_LIMIT_DUPLICATE_SECONDS": 60,
        "BOARD_LIMIT_KEY_PREFIX": "staging",
    }


def test_a_limit_that_does_not_parse_stops_the_app(make_app):
    with pytest.raises(ValueError, match="lots per hour"):
        make_app(BOARD_LIMIT_QUESTIONS="lots per hour")


def test_edits_are_neither_checked_nor_counted(client, member):
    sign_in(client, member)
    assert ask_through(client, 1).status_code == 302
    question = db.session.scalars(select(Question)).one()
    edited = question_form(1, body="We post by hand, and soon with a tool.")
    response = client.post(f"/questions/{question.id}/edit", data=edited)
    assert response.status_code == 302


def test_a_limited_member_is_refused_before_the_guard_asks(client, member, other):
    question = ask(other)
    sign_in(client, member)
    assert answer_through(client, question, "An answer.").status_code == 302
    response = answer_through(
        client, question, "Our patient John Smith, MRN 00482913, wrote a review."
    )
    assert response.status_code == 429
    assert "Please leave 30 seconds between posts" in page(response)
    assert "MRN 00482913, wrote a review.</textarea>" in page(response)


def test_posts_go_through_when_the_limit_storage_is_down(app, client, member, caplog):
    # Nothing listens on port 1: every storage call fails at once.
    unreachable = storage_from_string("redis://127.0.0.1:1", wrap_exceptions=True)
    app.extensions[limits.EXTENSION] = MovingWindowRateLimiter(unreachable)
    sign_in(client, member)
    assert ask_through(client, 1).status_code == 302
    assert ask_through(client, 2).status_code == 302
    assert "storage unavailable" in caplog.text


# Several servers


@dataclass
class SharedRedis:
    url: str
    prefix: str
    server: redis.Redis

    def keys(self) -> list[bytes]:
        return list(self.server.scan_iter(match=f"LIMITS:LIMITER/{self.prefix}/*"))


@pytest.fixture
def shared_redis() -> Iterator[SharedRedis]:
    """The test Redis, with a key prefix of this test's own, flushed afterwards.

    Unreachable, the test fails in CI (``CI`` set) and is skipped elsewhere: a
    fresh machine has no Redis, and memory storage is the default there.
    """
    server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        server.ping()
    except redis.RedisError as error:
        reason = f"Redis at {REDIS_URL} is unreachable ({error})"
        server.close()
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run the multi-server test")
        pytest.skip(f"{reason}; start it or set PORTAL_TEST_REDIS_URL to run this")
    shared = SharedRedis(REDIS_URL, f"test-{uuid.uuid4().hex}", server)
    yield shared
    if stored := shared.keys():
        server.delete(*stored)
    server.close()


def two_servers(make_app, **config: object):
    """Two app instances on the same database, as two servers would be."""
    settings = {"BOARD_LIMIT_QUESTIONS": "2 per hour", "BOARD_LIMIT_GAP_SECONDS": 0}
    return make_app(**settings, **config), make_app(**settings, **config)


def test_two_servers_on_one_redis_share_the_limits(make_app, shared_redis):
    first, second = two_servers(
        make_app,
        RATELIMIT_STORAGE_URI=shared_redis.url,
        BOARD_LIMIT_KEY_PREFIX=shared_redis.prefix,
    )
    with first.app_context():
        member = make_member()
        on_first = sign_in(first.test_client(), member)
        on_second = sign_in(second.test_client(), member)
    assert ask_through(on_first, 1).status_code == 302
    assert ask_through(on_first, 2).status_code == 302
    refused = ask_through(on_second, 3)
    assert refused.status_code == 429
    assert "You have posted 2 questions in the last hour" in page(refused)
    assert shared_redis.keys(), "the counters are in Redis"


def test_two_servers_on_memory_storage_count_apart(make_app):
    """Why several servers need Redis; the duplicate rule, in the database,
    holds anyway."""
    first, second = two_servers(make_app)
    with first.app_context():
        member = make_member()
        on_first = sign_in(first.test_client(), member)
        on_second = sign_in(second.test_client(), member)
    assert ask_through(on_first, 1).status_code == 302
    assert ask_through(on_first, 2).status_code == 302
    assert ask_through(on_second, 3).status_code == 302
    assert ask_through(on_second, 1).status_code == 429
