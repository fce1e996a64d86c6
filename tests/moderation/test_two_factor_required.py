"""Moderators set up two-factor sign-in before any moderation page.

The moderation blueprint has no pages yet on this branch: the test adds one
on the blueprint's endpoint namespace, so the blueprint's own hook guards it.
"""

from __future__ import annotations

import pytest

from tests.factories import make_admin, make_moderator, make_user, sign_in


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
