"""Who reaches what: every board page and action for every kind of visitor."""

from __future__ import annotations

import pytest

from tests.factories import (
    answer,
    ask,
    make_admin,
    make_expired_member,
    make_grace_member,
    make_member,
    sign_in,
)

READS = [
    "/questions",
    "/questions?sort=unanswered",
    "/questions/{q}",
    "/questions/{q}/revisions",
    "/answers/{a}/revisions",
    "/tags",
    "/tags/facebook",
]
# (method, url, form data): each a change somebody else's content can receive.
WRITES = [
    ("GET", "/questions/ask", {}),
    (
        "POST",
        "/questions/ask",
        {"title": "A question from the access matrix", "body": "Body.", "tags": "x"},
    ),
    ("POST", "/questions/{q}/answers", {"body": "An answer."}),
    ("POST", "/questions/{q}/comments", {"body": "A comment."}),
    ("POST", "/questions/{q}/vote", {"value": "up"}),
    ("POST", "/answers/{a}/vote", {"value": "down"}),
    ("POST", "/questions/{q}/follow", {}),
    ("POST", "/tags/facebook/follow", {}),
]
ADMIN_ONLY = ["/admin/tags"]

MAKERS = {
    "expired": make_expired_member,
    "grace": make_grace_member,
    "member": lambda: make_member("reader@example.org", "Rita Reader"),
    "admin": make_admin,
}
# role: (read status, write statuses, admin page status)
EXPECTED = {
    "anonymous": ({302}, {302}, 302),
    "expired": ({403}, {403}, 403),
    "grace": ({200}, {403}, 403),
    "member": ({200}, {200, 302}, 403),
    "admin": ({200}, {200, 302}, 200),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_role_reaches_exactly_what_it_may(app, client, other, role):
    # The matrix posts three times in a row; test_posting_limits.py covers the gap.
    app.config["BOARD_LIMIT_GAP_SECONDS"] = 0
    question = ask(other)
    reply = answer(make_member("answerer@example.org", "Ann Answerer"), question)
    if role != "anonymous":
        sign_in(client, MAKERS[role]())
    reads, writes, admin_page = EXPECTED[role]
    ids = {"q": question.id, "a": reply.id}
    for url in READS:
        response = client.get(url.format(**ids))
        assert response.status_code in reads, (role, url)
        if role == "anonymous":
            assert "/login" in response.headers["Location"]
    for method, url, data in WRITES:
        response = client.open(url.format(**ids), method=method, data=data)
        assert response.status_code in writes, (role, method, url)
    for url in ADMIN_ONLY:
        assert client.get(url).status_code == admin_page, (role, url)


def test_refusal_explains_the_membership_problem(client, other):
    question = ask(other)
    sign_in(client, make_grace_member())
    response = client.post(f"/questions/{question.id}/answers", data={"body": "x"})
    assert response.status_code == 403
    assert "membership" in response.get_data(as_text=True).lower()
