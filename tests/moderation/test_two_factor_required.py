"""Moderators set up two-factor sign-in before any moderation page; an admin's
suspension from the queue needs a fresh sign-in.

Most tests add a bare page on the blueprint's endpoint namespace, so only the
blueprint's own hook stands between it and the visitor.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from portal.core import time
from portal.membership.status import Status
from tests.factories import (
    PASSWORD,
    ask,
    make_admin,
    make_member,
    make_moderator,
    make_user,
    prove_identity_long_ago,
    sign_in,
    status_of,
)


@pytest.fixture
def app(make_app):
    application = make_app()
    application.add_url_rule(
        "/moderation/probe", endpoint="moderation.probe", view_func=lambda: "queue"
    )
    with application.app_context():
        yield application


def test_a_moderator_without_a_second_factor_is_sent_to_set_it_up(client):
    sign_in(client, make_moderator(two_factor=False))
    response = client.get("/moderation/probe")
    assert response.headers["Location"] == "/account/two-factor"


def test_a_moderator_with_a_second_factor_gets_in(client):
    sign_in(client, make_moderator())
    assert client.get("/moderation/probe").data == b"queue"


def test_an_admin_without_one_is_sent_too(client):
    sign_in(client, make_admin(two_factor=False))
    assert client.get("/moderation/probe").status_code == 302


def test_members_and_visitors_pass_on_to_the_pages_own_checks(client):
    assert client.get("/moderation/probe").data == b"queue"
    sign_in(client, make_user())
    assert client.get("/moderation/probe").data == b"queue"


def test_the_review_queue_sends_a_moderator_without_one_to_set_it_up(client):
    sign_in(client, make_moderator(two_factor=False))
    response = client.get("/moderation")
    assert response.headers["Location"] == "/account/two-factor"
    sign_in(client, make_moderator("second@example.org", "Sam Second"))
    assert client.get("/moderation").status_code == 200


def test_a_stale_admin_suspends_an_author_only_after_confirming(client):
    author = make_member("author@example.org", "Ada Author")
    question = ask(author)
    sign_in(client, make_admin())
    prove_identity_long_ago(client)
    url = f"/moderation/question/{question.id}/suspend"
    data = {"until": (time.today() + timedelta(days=7)).isoformat(), "reason": "r"}
    response = client.post(url, data=data)
    assert response.headers["Location"] == (
        f"/account/confirm?next=/moderation/question/{question.id}"
    )
    assert status_of(author) is Status.CURRENT
    client.post("/account/confirm", data={"answer": PASSWORD})
    client.post(url, data=data)
    assert status_of(author) is Status.SUSPENDED
