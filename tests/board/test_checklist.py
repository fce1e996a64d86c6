"""A new member's first-run checklist on the board home, ticked from real data,
and the "How the network works" page it points to."""

from __future__ import annotations

import re

import pytest

from portal.board.models import MemberChecklist
from portal.board.services.tags import ensure_starter_tags
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    count,
    delete_post,
    dismiss_checklist,
    fresh,
    make_admin,
    make_grace_member,
    make_moderator,
    page,
    sign_in,
)

STEPS = {
    "profile": "Complete your profile",
    "tags": "Follow 3 tags",
    "guide": "Read how the network works",
    "post": "Ask a question or answer one",
}


def steps_done(html: str) -> set[str]:
    """The steps shown struck through (done) on the board home."""
    return {key for key, title in STEPS.items() if f"<s>{title}</s>" in html}


def home(client) -> str:
    return page(client.get("/questions"))


@pytest.fixture
def starter_tags(app):
    tags = ensure_starter_tags()
    db.session.commit()
    return [tag.name for tag in tags]


def test_a_new_member_sees_four_steps_to_do(client, member):
    sign_in(client, member)
    html = home(client)
    assert "Getting started" in html
    for title in STEPS.values():
        assert title in html
    assert steps_done(html) == set()
    assert 'href="/profile">Complete your profile' in html
    assert "(0 of 3)" in html


def test_each_step_ticks_from_real_data_and_the_list_then_goes(
    client, member, other, starter_tags
):
    sign_in(client, member)
    client.post(
        "/profile",
        data={"title": "Communications lead", "organisation": "Hospital Faro"},
    )
    assert steps_done(home(client)) == set()  # no line about themselves yet
    client.post(
        "/profile",
        data={
            "title": "Communications lead",
            "organisation": "Hospital Faro",
            "bio": "Runs the hospital's Instagram.",
        },
    )
    assert steps_done(home(client)) == {"profile"}

    for name in starter_tags[:2]:
        client.post(f"/tags/{name}/follow")
    html = home(client)
    assert "(2 of 3)" in html and "tags" not in steps_done(html)
    client.post(f"/tags/{starter_tags[2]}/follow")
    assert steps_done(home(client)) == {"profile", "tags"}

    assert client.get("/how-it-works").status_code == 200
    assert fresh(MemberChecklist, member.id).guide_read_at is not None
    assert steps_done(home(client)) == {"profile", "tags", "guide"}

    answer(member, ask(other))
    html = home(client)
    assert "Getting started" not in html
    assert fresh(MemberChecklist, member.id).completed_at is not None
    # Closed for good: undoing a step later does not bring it back.
    client.post(f"/tags/{starter_tags[0]}/unfollow")
    assert "Getting started" not in home(client)


def test_opening_the_guide_twice_keeps_the_first_time(client, member):
    sign_in(client, member)
    client.get("/how-it-works")
    first = fresh(MemberChecklist, member.id).guide_read_at
    client.get("/how-it-works")
    assert fresh(MemberChecklist, member.id).guide_read_at == first


def test_a_member_may_hide_the_list(client, member):
    sign_in(client, member)
    response = client.post("/checklist/dismiss")
    assert response.headers["Location"] == "/questions"
    html = home(client)
    assert "Getting started" not in html
    assert "The checklist is hidden." in html


def test_a_deleted_post_does_not_count(client, member):
    delete_post(member, ask(member))
    sign_in(client, member)
    assert "post" not in steps_done(home(client))


def test_only_on_the_first_page_of_the_whole_list(client, member, starter_tags):
    sign_in(client, member)
    assert "Getting started" not in page(
        client.get(f"/questions?tag={starter_tags[0]}")
    )
    assert "Getting started" not in page(client.get("/questions?page=2"))
    assert "Getting started" in page(client.get("/questions?sort=top"))


@pytest.mark.parametrize("make", [make_admin, make_moderator, make_grace_member])
def test_staff_and_members_who_cannot_post_never_see_it(client, make):
    sign_in(client, make())
    assert "Getting started" not in home(client)


def test_the_closed_list_costs_nothing_after_dismissal(client, member):
    dismiss_checklist(member)
    sign_in(client, member)
    assert "Getting started" not in home(client)


def test_how_the_network_works_is_open_to_everyone(client):
    response = client.get("/how-it-works")
    assert response.status_code == 200
    html = page(response)
    for heading in (
        "How the network works",
        "Your membership",
        "Asking",
        "Answering, voting and accepting",
        "Moderation",
        "The patient-information guard",
    ):
        assert re.search(rf"<h[12][^>]*>{re.escape(heading)}</h[12]>", html), heading
    assert "30 days" in html  # the grace period, from the configuration
    assert count(MemberChecklist) == 0


def test_every_page_links_to_the_guide(client, member):
    assert 'href="/how-it-works">How the network works' in page(client.get("/login"))
    sign_in(client, member)
    assert 'href="/how-it-works">How the network works' in home(client)
