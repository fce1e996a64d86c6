"""Question lists: orderings, unanswered, tag filter, stable pages, row contents."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import update

from portal.board.models import Question
from portal.board.services.votes import cast_vote
from portal.core.time import utcnow
from portal.extensions import db
from tests.factories import answer, ask, comment, make_member, sign_in


def listed(client, url: str) -> list[int]:
    page = client.get(url).get_data(as_text=True)
    return [int(n) for n in re.findall(r'<li class="question-row" id="q-(\d+)">', page)]


def make_questions(author, count: int, **extra) -> list[Question]:
    return [
        ask(author, title=f"Question number {n:03d} about social media", **extra)
        for n in range(count)
    ]


def test_newest_first(client, member):
    first, second, third = make_questions(member, 3)
    sign_in(client, member)
    assert listed(client, "/questions") == [third.id, second.id, first.id]


def test_recently_active_moves_answered_and_commented_questions_up(
    client, member, other
):
    first, second, third = make_questions(member, 3)
    answer(other, first)
    sign_in(client, member)
    assert listed(client, "/questions?sort=active") == [first.id, third.id, second.id]
    comment(other, second)
    assert listed(client, "/questions?sort=active") == [second.id, first.id, third.id]


def test_top_orders_by_score(client, member, other):
    low, high, middle = make_questions(member, 3)
    cast_vote(other, high, 1)
    cast_vote(other, low, -1)
    db.session.commit()
    sign_in(client, member)
    assert listed(client, "/questions?sort=top") == [high.id, middle.id, low.id]


def test_unanswered_lists_only_questions_without_answers(client, member, other):
    answered, open_one = make_questions(member, 2)
    answer(other, answered)
    sign_in(client, member)
    assert listed(client, "/questions?sort=unanswered") == [open_one.id]


def test_filter_by_tag_and_tag_page(client, member):
    facebook = ask(member, tags="facebook")
    linkedin = ask(
        member, title="LinkedIn articles or posts for physicians?", tags="linkedin"
    )
    sign_in(client, member)
    assert listed(client, "/questions?tag=linkedin") == [linkedin.id]
    assert listed(client, "/tags/facebook") == [facebook.id]
    assert client.get("/questions?tag=nope").status_code == 404
    assert client.get("/tags/nope").status_code == 404


def test_pages_hold_20_and_ties_break_by_newest_id(client, member):
    questions = make_questions(member, 45)
    same_moment = utcnow() - timedelta(days=1)
    db.session.execute(update(Question).values(created_at=same_moment))
    db.session.commit()
    sign_in(client, member)
    pages = [listed(client, f"/questions?page={n}") for n in (1, 2, 3)]
    assert [len(p) for p in pages] == [20, 20, 5]
    everything = [id_ for p in pages for id_ in p]
    assert everything == sorted((q.id for q in questions), reverse=True)
    assert listed(client, "/questions?page=4") == []
    middle = client.get("/questions?page=2").get_data(as_text=True)
    assert 'rel="prev" href="/questions?page=1' in middle
    assert 'rel="next" href="/questions?page=3' in middle and "Page 2</span>" in middle
    last = client.get("/questions?page=3").get_data(as_text=True)
    assert 'rel="next"' not in last


def test_row_shows_title_tags_score_answers_asker_and_age(client, member, other):
    question = ask(member, tags="podcasts, strategy")
    answer(other, question)
    cast_vote(other, question, 1)
    db.session.commit()
    sign_in(client, other)
    page = client.get("/questions").get_data(as_text=True)
    row = page[page.index(f'id="q-{question.id}"') :]
    assert question.title in row
    assert ">podcasts</a>" in row and ">strategy</a>" in row
    assert "<strong>1</strong> vote" in row and "<strong>1</strong> answer" in row
    asker_link = f'Asked by <a href="/members/{member.id}">Morgan Member</a>'
    assert asker_link in row and "just now" in row


def test_unknown_sort_falls_back_to_newest(client, member):
    first, second = make_questions(member, 2)
    sign_in(client, member)
    assert listed(client, "/questions?sort=evil") == [second.id, first.id]


def test_member_without_posting_rights_sees_no_ask_button(client, member):
    from tests.factories import make_grace_member

    ask(member)
    sign_in(client, make_member("fresh@example.org", "Fresh Member"))
    assert "Ask a question" in client.get("/questions").get_data(as_text=True)
    sign_in(client, make_grace_member())
    page = client.get("/questions").get_data(as_text=True)
    assert "Ask a question" not in page and ">Questions</a>" in page
