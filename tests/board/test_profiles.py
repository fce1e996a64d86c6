"""A member's board page: their questions, answers, reputation and top tags."""

from __future__ import annotations

from portal.board.services import answers, posts
from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    make_expired_member,
    make_grace_member,
    sign_in,
)
from tests.querycount import statements_for


def test_profile_lists_posts_reputation_and_top_tags(client, member, other):
    mine = ask(member, "Which LinkedIn posts work for surgeons?", tags="linkedin")
    theirs = ask(other, "How do you moderate Facebook comments?", tags="facebook")
    reply = answer(member, theirs, "We hide, then reply privately.")
    cast_vote(other, reply, 1)
    cast_vote(other, mine, 1)
    answers.accept_answer(other, reply)
    db.session.commit()

    sign_in(client, other)
    page = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "<h1>Morgan Member</h1>" in page
    assert "<strong>30</strong> reputation" in page  # 10 + 5 + 15
    assert mine.title in page
    assert f'href="/questions/{theirs.id}#answer-{reply.id}">{theirs.title}' in page
    assert "✓ accepted" in page
    assert 'href="/tags/linkedin">linkedin</a>' in page
    assert 'href="/tags/facebook">facebook</a>' in page


def test_deleted_posts_are_only_shown_to_admins(client, member, other, admin):
    kept = ask(member, "A question that stays on the board")
    gone = ask(member, "A question that the author deleted")
    posts.delete_post(member, gone)
    db.session.commit()

    sign_in(client, other)
    page = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert kept.title in page and gone.title not in page
    assert "<strong>1</strong> question<" in page
    sign_in(client, admin)
    page = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert kept.title in page and gone.title in page


def test_lists_are_paginated_separately(client, member, other):
    for n in range(12):
        ask(member, f"Question number {n:02d} from the same member")
    sign_in(client, other)
    first = client.get(f"/members/{member.id}").get_data(as_text=True)
    assert "Question number 11" in first and "Question number 01" not in first
    assert f"/members/{member.id}?questions=2&amp;answers=1" in first
    second = client.get(f"/members/{member.id}?questions=2").get_data(as_text=True)
    assert "Question number 01" in second and "Question number 11" not in second


def test_only_board_readers_see_profiles(client, member):
    sign_in(client, make_expired_member())
    assert client.get(f"/members/{member.id}").status_code == 403
    sign_in(client, make_grace_member())
    assert client.get(f"/members/{member.id}").status_code == 200
    assert client.get("/members/999999").status_code == 404


def test_notification_names_link_to_profiles(client, member, other):
    answer(other, ask(member))
    sign_in(client, member)
    page = client.get("/notifications").get_data(as_text=True)
    assert f'href="/members/{other.id}">Olive Other</a>' in page


def test_profile_runs_the_same_statements_for_3_or_15_posts(
    client, member, other, count_statements
):
    tags = ["facebook, crisis", "linkedin", "tiktok, policy, hipaa"]

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            question = ask(
                member, f"Question {n:03d} for the profile", tags=tags[n % 3]
            )
            theirs = ask(other, f"Question {n:03d} the member answers")
            cast_vote(other, answer(member, theirs), 1)
            cast_vote(other, question, -1)
        db.session.commit()

    add(3, 0)
    sign_in(client, other)
    url = f"/members/{member.id}"
    few = statements_for(client, count_statements, url)
    add(12, 3)
    many = statements_for(client, count_statements, url)
    assert few == many
    assert many <= 14
