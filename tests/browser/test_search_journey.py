"""Similar questions appear while a member types a title, then search finds it."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.board.services import questions
from portal.extensions import db
from tests.browser.test_board_journey import sign_in
from tests.factories import make_member

pytestmark = pytest.mark.browser

EARLIER = "How should residents handle TikTok videos filmed in the clinic?"


def test_similar_questions_appear_while_typing_and_search_finds_them(
    app, live_server, page: Page
):
    with live_server.app.app_context():
        asker = make_member("asha@example.org", "Asha Asker")
        questions.ask_question(asker, EARLIER, "Our residents film a lot.", "tiktok")
        db.session.commit()
        make_member("omar@example.org", "Omar Member")

    sign_in(page, live_server.url, "omar@example.org")
    page.goto(f"{live_server.url}/questions/ask")
    page.get_by_label("Title").press_sequentially(
        "TikTok videos by residents", delay=20
    )
    similar = page.locator("#similar-questions")
    expect(similar.get_by_role("link", name=EARLIER)).to_be_visible()
    expect(similar).to_contain_text("0 answers")

    page.get_by_role("searchbox", name="Search questions").fill('"TikTok videos"')
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=EARLIER)).to_be_visible()
    expect(page.locator("mark").first).to_be_visible()
