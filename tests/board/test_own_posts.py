"""A member whose board is closed (expired, revoked, suspended) still reads
what they wrote, read-only; every other board page says why not and where to go."""

from __future__ import annotations

import pytest

from tests.factories import (
    answer,
    ask,
    delete_post,
    make_expired_member,
    make_revoked_member,
    make_suspended_member,
    moving_clock,
    page,
    sign_in,
)

CLOSED = {
    "expired": make_expired_member,
    "revoked": make_revoked_member,
    "suspended": make_suspended_member,
}


@pytest.fixture(params=list(CLOSED))
def closed(request, app):
    return CLOSED[request.param]()


def test_closed_member_opens_their_own_question_read_only(client, closed, other):
    mine = ask(closed, title="How do we moderate comments on a live stream?")
    answer(other, mine, "Two moderators, one script.")
    sign_in(client, closed)
    response = client.get(f"/questions/{mine.id}")
    assert response.status_code == 200
    html = page(response)
    assert "How do we moderate comments on a live stream?" in html
    assert "Two moderators, one script." in html
    assert "You can still read your own questions and answers" in html
    assert 'id="answer-form"' not in html and "Add a comment" not in html
    assert "Vote up" not in html and "Yes, delete" not in html
    assert ">Flag<" not in html  # flagging is for board readers
    assert f'href="/members/{closed.id}">← Your posts' in html


def test_closed_member_opens_a_question_they_answered(client, closed, other):
    theirs = ask(other, title="Which scheduler do you use for Instagram?")
    answer(closed, theirs, "We use the built-in one.")
    sign_in(client, closed)
    assert client.get(f"/questions/{theirs.id}").status_code == 200


def test_closed_member_cannot_open_someone_elses_question(client, closed, other):
    theirs = ask(other, title="A question they never took part in")
    sign_in(client, closed)
    response = client.get(f"/questions/{theirs.id}")
    assert response.status_code == 403
    html = page(response)
    assert "A question they never took part in" not in html
    # The refusal says why and offers real next steps, never this page again.
    assert "What you can do" in html
    assert 'href="/membership">See your membership: why, and how to renew' in html
    assert f'href="/members/{closed.id}">Read your own questions and answers' in html
    assert f'href="/questions/{theirs.id}"' not in html


def test_closed_member_reads_their_own_posts_list(client, closed, other):
    mine = ask(closed, title="My own question about YouTube Shorts")
    theirs = ask(other, title="Somebody else's question")
    answer(closed, theirs, "My answer there.")
    sign_in(client, closed)
    html = page(client.get(f"/members/{closed.id}"))
    assert "My own question about YouTube Shorts" in html
    assert "Somebody else&#x27;s question" in html or "Somebody else's question" in html
    assert client.get(f"/questions/{mine.id}/revisions").status_code == 200
    assert client.get(f"/members/{other.id}").status_code == 403
    assert client.get(f"/questions/{theirs.id}/revisions").status_code == 403


def test_the_membership_page_links_to_their_own_posts(client, closed):
    sign_in(client, closed)
    html = page(client.get("/membership"))
    assert f'href="/members/{closed.id}">read your own questions and answers' in html


def test_the_refusal_never_links_back_to_itself(client, closed):
    sign_in(client, closed)
    html = page(client.get(f"/members/{closed.id + 1000}"))
    assert "What you can do" in html
    assert f'href="/members/{closed.id + 1000}"' not in html


def test_members_see_the_questions_as_the_next_step(client, member):
    sign_in(client, member)
    response = client.get("/admin/")
    assert response.status_code == 403
    html = page(response)
    assert 'href="/questions">Go to the questions' in html
    html = page(client.get("/questions?tag=no-such-tag"))
    assert 'href="/questions">Go to the questions' in html


def test_the_next_steps_leave_out_the_page_itself(client, member):
    sign_in(client, member)
    response = client.post("/questions")
    assert response.status_code == 405
    html = page(response)
    assert 'href="/questions">Go to the questions' not in html
    assert 'href="/membership">See your membership' in html


def test_signed_out_visitors_are_offered_sign_in(client):
    html = page(client.get("/no-such-page"))
    assert 'href="/login">Sign in' in html


def test_deleted_own_question_stays_closed_after_the_restore_window(
    client, closed, other
):
    """Reading one's own posts does not widen what a post's state allows."""
    mine = ask(closed)
    delete_post(closed, mine)
    with moving_clock() as advance:
        advance(days=2)
        sign_in(client, closed)
        assert client.get(f"/questions/{mine.id}").status_code == 404
