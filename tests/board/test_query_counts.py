"""Pages run a fixed number of SQL statements, however many rows they show."""

from __future__ import annotations

from portal.board.services.votes import cast_vote
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    comment,
    dismiss_checklist,
    make_member,
    sign_in,
)
from tests.querycount import statements_for

TAGS = ["facebook, crisis", "linkedin", "tiktok, policy, hipaa"]


def add_questions(author, voter, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        question = ask(
            author,
            title=f"Question {n:03d} about hospital social media",
            tags=TAGS[n % len(TAGS)],
        )
        answer(voter, question)
        cast_vote(voter, question, 1)
    db.session.commit()


def test_question_list_runs_the_same_statements_for_5_or_25_questions(
    client, member, other, count_statements
):
    add_questions(member, other, 5)
    dismiss_checklist(other)  # an established member: the list's cost is below
    sign_in(client, other)
    urls = [
        "/questions",
        "/questions?sort=top",
        "/questions?tag=linkedin",
        "/tags/crisis",
    ]
    few = [statements_for(client, count_statements, url) for url in urls]
    add_questions(member, other, 20, start=5)
    many = [statements_for(client, count_statements, url) for url in urls]
    assert few == many
    # The account, its standing and unread count are one statement; lists run
    # no COUNT (the pager only asks for one row more than it shows).
    assert max(many) <= 4


def test_the_first_run_checklist_costs_one_statement_while_it_shows(
    client, member, other, count_statements
):
    add_questions(member, other, 5)
    sign_in(client, other)
    shown = statements_for(client, count_statements, "/questions")
    assert "Getting started" in client.get("/questions").get_data(as_text=True)
    dismiss_checklist(other)
    closed = statements_for(client, count_statements, "/questions")
    assert "Getting started" not in client.get("/questions").get_data(as_text=True)
    assert shown == closed + 1


def test_question_page_runs_the_same_statements_for_1_or_10_answers(
    client, member, other, count_statements
):
    question = ask(member)
    voters = [make_member(f"voter{n}@example.org", f"Voter {n}") for n in range(10)]

    def add_answers(authors):
        for author in authors:
            reply = answer(author, question, f"Answer from {author.name}.")
            comment(member, question, "Thanks!", on=reply)
            comment(other, question, "+1", on=reply)
            cast_vote(other, reply, 1)
        comment(author, question, "Question comment.")
        db.session.commit()

    add_answers(voters[:1])
    sign_in(client, other)
    url = f"/questions/{question.id}"
    one = statements_for(client, count_statements, url)
    add_answers(voters[1:])
    ten = statements_for(client, count_statements, url)
    assert one == ten
    assert ten <= 8


def test_tag_list_runs_the_same_statements_for_few_or_many_tags(
    client, member, other, count_statements
):
    ask(member, tags="facebook")
    sign_in(client, other)
    few = statements_for(client, count_statements, "/tags")
    for n in range(15):
        ask(
            member,
            title=f"Another question {n:02d} on tags",
            tags=f"tag-{n}, extra-{n}",
        )
    many = statements_for(client, count_statements, "/tags")
    assert few == many


def test_profile_notifications_and_membership_pages_stay_within_8_statements(
    client, member, other, count_statements
):
    urls = [f"/members/{member.id}", "/notifications", "/membership"]
    add_questions(member, other, 3)
    sign_in(client, other)
    few = [statements_for(client, count_statements, url) for url in urls]
    add_questions(member, other, 12, start=3)
    many = [statements_for(client, count_statements, url) for url in urls]
    assert few == many
    assert max(many) <= 8
