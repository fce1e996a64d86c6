"""Delete is two steps and the author restores it, in a real Chromium with
JavaScript switched off (the disclosure is plain HTML)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.test_board_journey import sign_in
from tests.factories import answer, ask, make_member

pytestmark = pytest.mark.browser

TITLE = "Should residents link their personal TikTok to the hospital?"
ANSWER = "Only with a disclaimer, and never during shifts."


@pytest.fixture
def page_without_js(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(java_script_enabled=False)
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()


def test_delete_needs_its_second_button_and_the_author_restores_it(
    app, live_server, page_without_js: Page
):
    page = page_without_js
    base = live_server.url
    with live_server.app.app_context():
        asker = make_member("asha@example.org", "Asha Asker")
        author = make_member("omar@example.org", "Omar Answerer")
        question = ask(asker, title=TITLE, tags="tiktok, policy")
        answer(author, question, ANSWER)
        url = f"{base}/questions/{question.id}"

    sign_in(page, base, "omar@example.org")
    page.goto(url)
    post = page.locator("article.answer")
    confirm = post.get_by_role("button", name="Yes, delete this answer")
    expect(confirm).to_be_hidden()

    # The first step only opens the disclosure: nothing is deleted yet.
    post.locator("summary", has_text="Delete this answer").click()
    expect(post.get_by_text("Delete your answer? You can restore it")).to_be_visible()
    page.reload()
    expect(page.get_by_text(ANSWER)).to_be_visible()
    expect(page.locator(".deleted-banner")).to_have_count(0)

    post.locator("summary", has_text="Delete this answer").click()
    confirm.click()
    expect(page.get_by_text("The answer is deleted.")).to_be_visible()
    banner = page.locator(".deleted-banner")
    expect(banner).to_contain_text("You deleted this answer")
    restore = banner.get_by_role("button", name=re.compile(r"^Restore \(until "))
    expect(restore).to_be_visible()
    expect(page.get_by_role("heading", name="0 answers")).to_be_visible()

    restore.click()
    expect(page.get_by_text("Restored.")).to_be_visible()
    expect(page.locator(".deleted-banner")).to_have_count(0)
    expect(page.get_by_role("heading", name="1 answer")).to_be_visible()
    expect(page.get_by_text(ANSWER)).to_be_visible()
