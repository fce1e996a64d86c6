"""Writing a post: the live preview's endpoint, and the forms that use it.

The browser side (toolbar, preview as you type, starter tags) is in
tests/browser/test_writing.py; these check the server's half and the path
without JavaScript.
"""

from __future__ import annotations

from sqlalchemy import select

from portal.board.models import BODY_MAX, Answer, Question
from portal.core.markdown import render_markdown
from portal.extensions import db
from tests.factories import (
    answer,
    ask,
    count,
    csrf_token,
    make_expired_member,
    make_grace_member,
    make_member,
    make_moderator,
    page,
    sign_in,
)

PREVIEW = "/posts/preview"
HOSTILE = (
    "**Reply** offline.\r\n\r\n<script>alert(1)</script>\r\n\r\n"
    '[click](javascript:alert(2)) <img src=x onerror="alert(3)">\r\n\r\n- one\r\n- two'
)


def test_preview_is_the_html_saving_stores(client, member, other):
    sign_in(client, member)
    response = client.post(PREVIEW, data={"body": HOSTILE})
    assert response.status_code == 200
    html = response.get_json()["html"]
    assert "<strong>Reply</strong>" in html
    assert "<li>one</li>" in html
    # Raw HTML is shown as text, never as tags; a javascript: link is no link.
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "<img" not in html
    assert 'href="javascript' not in html
    # The same text saved as an answer stores exactly the previewed HTML.
    question = ask(other)
    client.post(f"/questions/{question.id}/answers", data={"body": HOSTILE})
    assert db.session.scalars(select(Answer.body_html)).one() == html


def test_empty_text_previews_as_nothing(client, member):
    sign_in(client, member)
    for body in ("", "   \r\n  "):
        assert client.post(PREVIEW, data={"body": body}).get_json() == {"html": ""}
    assert client.post(PREVIEW).get_json() == {"html": ""}


def test_preview_is_capped_at_the_longest_post(client, member):
    sign_in(client, member)
    too_long = client.post(PREVIEW, data={"body": "x" * (BODY_MAX + 1)})
    assert too_long.status_code == 413
    assert too_long.get_json() == {"error": f"Keep it under {BODY_MAX:,} characters."}
    # Counted as saving counts: line breaks as one character, ends trimmed.
    lines = ("y" * 99 + "\r\n") * (BODY_MAX // 100)
    assert client.post(PREVIEW, data={"body": f"  {lines}  "}).status_code == 200


def test_preview_needs_the_csrf_header(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        member = make_member()
        client = app.test_client()
        sign_in(client, member)
        refused = client.post(PREVIEW, data={"body": "**hi**"})
        assert refused.status_code == 400
        token = csrf_token(client, "/questions/ask")
        sent = client.post(
            PREVIEW, data={"body": "**hi**"}, headers={"X-CSRFToken": token}
        )
        assert sent.status_code == 200
        assert sent.get_json() == {"html": "<p><strong>hi</strong></p>\n"}


def test_only_people_who_may_post_can_preview(app, client):
    signed_out = client.post(PREVIEW, data={"body": "hi"})
    assert signed_out.status_code == 302
    assert "/login" in signed_out.headers["Location"]
    for reader in (make_grace_member(), make_expired_member()):
        sign_in(client, reader)
        refused = client.post(PREVIEW, data={"body": "hi"})
        assert refused.status_code == 403
        assert refused.get_json(silent=True) is None
    sign_in(client, make_moderator())  # no membership; may post
    assert client.post(PREVIEW, data={"body": "hi"}).status_code == 200


def test_previews_are_limited_per_member(make_app):
    app = make_app(BOARD_PREVIEW_LIMIT="3 per minute")
    with app.app_context():
        first, second = make_member(), make_member("o@example.org", "Olive Other")
        client = app.test_client()
        sign_in(client, first)
        codes = [client.post(PREVIEW, data={"body": "hi"}).status_code for _ in "1234"]
        assert codes == [200, 200, 200, 429]
        sign_in(client, second)
        assert client.post(PREVIEW, data={"body": "hi"}).status_code == 200


def test_forms_offer_the_live_preview_and_keep_the_preview_button(
    client, member, other
):
    sign_in(client, member)
    question = ask(other)
    mine = answer(member, question)
    for path in (
        "/questions/ask",
        f"/questions/{question.id}",
        f"/answers/{mine.id}/edit",
    ):
        html = page(client.get(path))
        assert f'data-preview-url="{PREVIEW}"' in html, path
        assert "js/writing.js" in html, path
        assert 'name="preview" type="submit" value="Preview"' in html, path


def test_the_preview_button_still_works_without_javascript(client, member):
    sign_in(client, member)
    shown = client.post(
        "/questions/ask",
        data={
            "title": "Should residents have their own TikTok accounts?",
            "body": HOSTILE,
            "tags": "tiktok",
            "preview": "Preview",
        },
    )
    assert shown.status_code == 200
    html = page(shown)
    assert str(render_markdown(HOSTILE.replace("\r\n", "\n"))) in html
    assert "<script>alert" not in html
    assert count(Question) == 0
