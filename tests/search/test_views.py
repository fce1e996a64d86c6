"""The search page, the header box and the similar-questions list, as members
use them (both engines, like every search test)."""

from __future__ import annotations

import pytest

from portal.board.services import questions
from portal.extensions import db
from tests.core.test_csrf import token_from
from tests.factories import make_expired_member, make_grace_member, sign_in


@pytest.fixture
def asked(app, member):
    question = questions.ask_question(
        member,
        "How do we answer negative Google reviews?",
        "Our <b>clinic</b> gets angry reviews every week.",
        "google-reviews",
    )
    db.session.commit()
    return question


def test_search_page_finds_a_question_with_escaped_highlights(client, member, asked):
    sign_in(client, member)
    page = client.get("/search", query_string={"q": "negative reviews"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'href="/questions/{asked.id}"' in html
    assert "<mark>" in html and "<b>clinic</b>" not in html
    assert 'role="search"' in html  # the header box is on every board page


@pytest.mark.parametrize(
    "query",
    ['"unbalanced', "NEAR(a b)", "*", "^", ":", "OR", "x" * 5000, "the and of",
     "🙂", "отзывы", "tag:", "is:nothing", "-", "a AND (b"],
)  # fmt: skip
def test_hostile_queries_answer_results_or_no_results(client, member, asked, query):
    sign_in(client, member)
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_grace_members_search_and_expired_members_do_not(client, asked):
    sign_in(client, make_grace_member())
    assert client.get("/search?q=reviews").status_code == 200
    sign_in(client, make_expired_member())
    assert client.get("/search?q=reviews").status_code == 403


def test_deleted_questions_never_appear(client, member, asked):
    from portal.board.services import posts

    posts.delete_post(member, asked)
    db.session.commit()
    sign_in(client, member)
    html = client.get("/search?q=negative reviews").get_data(as_text=True)
    assert f"/questions/{asked.id}" not in html and "No results" in html


def test_similar_questions_need_the_csrf_token_and_come_as_json(
    make_app, member, asked
):
    app = make_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    form = client.get("/login").data
    client.post(
        "/login",
        data={
            "email": member.email,
            "password": "correct horse battery",
            "csrf_token": token_from(form),
        },
    )
    title = {"title": "negative google reviews"}
    assert client.post("/search/similar", data=title).status_code == 400
    token = token_from(client.get("/questions/ask").data)
    found = client.post("/search/similar", data=title, headers={"X-CSRFToken": token})
    assert found.status_code == 200
    assert found.json[0]["id"] == asked.id and found.json[0]["answers"] == 0


def test_preview_step_lists_similar_questions_without_javascript(client, member, asked):
    sign_in(client, member)
    page = client.post(
        "/questions/ask",
        data={
            "title": "Negative reviews on Google: what works?",
            "body": "Asking before I write a policy.",
            "tags": "google-reviews",
            "preview": "Preview",
        },
    ).get_data(as_text=True)
    assert "Similar questions already asked" in page
    assert f'href="/questions/{asked.id}"' in page
