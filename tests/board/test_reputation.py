"""Reputation: points from votes and accepts, never below 1, deleted posts excluded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from portal.board.models import Vote
from portal.board.queries.reputation import month_start, reputation_of, top_contributors
from portal.board.services import answers, posts
from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.factories import answer, ask, make_member, sign_in


def voters(count: int, start: int = 0):
    return [
        make_member(f"voter{n}@example.org", f"Voter {n}")
        for n in range(start, start + count)
    ]


def test_a_new_member_has_1(member):
    assert reputation_of(member.id) == 1


def test_points_for_votes_and_accepts(member, other):
    question = ask(member)
    reply = answer(other, question)
    up1, up2, down = voters(3)
    cast_vote(up1, reply, 1)
    cast_vote(up2, reply, 1)
    cast_vote(down, reply, -1)
    cast_vote(up1, question, 1)
    cast_vote(down, question, -1)
    answers.accept_answer(member, reply)
    db.session.commit()

    assert reputation_of(other.id) == 10 + 10 - 2 + 15
    assert reputation_of(member.id) == 5 - 2
    assert reputation_of(up1.id) == 1  # voting earns nothing


def test_never_below_1(member, other):
    question = ask(member)
    for voter in voters(4):
        cast_vote(voter, question, -1)
    db.session.commit()
    assert reputation_of(member.id) == 1


def test_accepting_your_own_answer_earns_nothing(member):
    question = ask(member)
    mine = answer(member, question)
    answers.accept_answer(member, mine)
    db.session.commit()
    assert reputation_of(member.id) == 1


def test_deleted_posts_do_not_count(member, other, admin):
    question = ask(member)
    kept, deleted = answer(other, question, "Kept."), answer(other, question, "Gone.")
    [voter] = voters(1)
    for post in (question, kept, deleted):
        cast_vote(voter, post, 1)
    db.session.commit()
    assert reputation_of(other.id) == 20
    posts.delete_post(admin, deleted)
    db.session.commit()
    assert reputation_of(other.id) == 10
    posts.delete_post(admin, question)
    db.session.commit()
    # Answers on a deleted question are hidden too.
    assert reputation_of(other.id) == 1 and reputation_of(member.id) == 1


def test_reputation_is_one_statement(member, other, count_statements):
    question = ask(member)
    for voter in voters(5):
        cast_vote(voter, answer(other, question, f"From {voter.name}."), 1)
    db.session.commit()
    other_id = other.id
    with count_statements() as seen:
        assert reputation_of(other_id) == 50
    assert len(seen) == 1


def test_top_contributors_this_month(member, other, count_statements):
    question = ask(member)
    people = voters(7)
    replies = []
    for n, person in enumerate(people):
        replies.append(answer(person, question, f"Answer {n}."))
        for voter in people[:n]:
            cast_vote(voter, replies[-1], 1)
    db.session.commit()
    # Voter 6's six votes were cast last month.
    db.session.execute(
        update(Vote)
        .where(Vote.answer_id == replies[6].id)
        .values(created_at=month_start() - timedelta(days=2))
    )
    db.session.commit()

    with count_statements() as seen:
        top = top_contributors(month_start())
    assert len(seen) == 1
    assert [(c.name, c.earned) for c in top] == [
        ("Voter 5", 50),
        ("Voter 4", 40),
        ("Voter 3", 30),
        ("Voter 2", 20),
        ("Voter 1", 10),
    ]


def test_month_start_is_local_midnight_on_the_first(app):
    app.config["PORTAL_TIMEZONE"] = "Europe/Lisbon"
    now = datetime(2025, 7, 1, 0, 30, tzinfo=UTC)  # 01:30 in Lisbon (summer)
    assert month_start(now) == datetime(2025, 6, 30, 23, 0, tzinfo=UTC)


def test_question_list_shows_top_contributors(client, member, other):
    question = ask(member)
    cast_vote(member, answer(other, question), 1)
    db.session.commit()
    sign_in(client, member)
    page = client.get("/questions").get_data(as_text=True)
    assert "Top contributors this month" in page
    assert f'href="/members/{other.id}">Olive Other</a>' in page
    assert "+10" in page
    assert "Top contributors" not in client.get("/questions?tag=facebook").get_data(
        as_text=True
    )


def test_top_contributors_box_is_cached_for_every_reader(
    client, member, other, count_statements
):
    """The box is the same for everyone: computed once per cache period."""
    client.application.config["BOARD_CONTRIBUTORS_CACHE_SECONDS"] = 300
    question = ask(member)
    cast_vote(member, answer(other, question), 1)
    db.session.commit()
    sign_in(client, member)
    first = client.get("/questions").get_data(as_text=True)
    assert f'href="/members/{other.id}">Olive Other</a>' in first
    third = make_member("third@example.org", "Theo Third")
    cast_vote(member, answer(third, question, "Another."), 1)
    db.session.commit()
    with count_statements() as cached:
        again = client.get("/questions").get_data(as_text=True)
    assert "Theo Third" not in again  # still the cached list
    assert not any("sum(points.points)" in s for s in cached)
    client.application.config["BOARD_CONTRIBUTORS_CACHE_SECONDS"] = 0
    assert "Theo Third" in client.get("/questions").get_data(as_text=True)
