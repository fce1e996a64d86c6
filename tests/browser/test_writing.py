"""The writing tools in a real Chromium: toolbar, live preview, starter tags."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.board.services.tags import ensure_starter_tags
from portal.extensions import db
from tests.browser.test_board_journey import sign_in
from tests.factories import answer, ask, make_member

pytestmark = pytest.mark.browser


def select(page: Page, text: str) -> None:
    """Select the first ``text`` in the Markdown text area, as a mouse would."""
    page.locator("textarea[name=body]").evaluate(
        """(area, text) => {
            const at = area.value.indexOf(text);
            area.focus();
            area.setSelectionRange(at, at + text.length);
        }""",
        text,
    )


def test_toolbar_formats_and_the_preview_renders_as_you_type(
    app, live_server, page: Page
):
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
    sign_in(page, live_server.url, "asha@example.org")
    page.goto(f"{live_server.url}/questions/ask")
    details = page.get_by_label("Details")
    toolbar = page.get_by_role("toolbar", name="Formatting")

    details.fill("Reply offline please")
    select(page, "offline")
    toolbar.get_by_role("button", name="Bold").click()
    expect(details).to_have_value("Reply **offline** please")
    select(page, "please")
    page.keyboard.press("Control+i")
    expect(details).to_have_value("Reply **offline** _please_")

    # One Tab stop: the arrow keys move along the toolbar.
    toolbar.get_by_role("button", name="Bold").focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Link")).to_be_focused()
    expect(toolbar.get_by_role("button", name="Link")).to_have_attribute(
        "tabindex", "0"
    )

    details.fill("First step\nSecond step")
    select(page, "First step\nSecond step")
    toolbar.get_by_role("button", name="Numbered list").click()
    expect(details).to_have_value("1. First step\n2. Second step")

    preview = page.locator("section.live-preview")
    expect(preview.locator("ol li")).to_have_count(2)
    details.fill("**Never** confirm.\n\n<script>window.hacked = 1</script>")
    expect(preview.locator("strong")).to_have_text("Never")
    expect(preview).to_contain_text("<script>window.hacked = 1</script>")
    expect(preview.locator("script")).to_have_count(0)
    assert page.evaluate("window.hacked") is None


def test_starter_tags_add_themselves_and_the_question_posts(
    app, live_server, page: Page
):
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
        ensure_starter_tags()
        db.session.commit()
    sign_in(page, live_server.url, "asha@example.org")
    page.goto(f"{live_server.url}/questions/ask")
    starter = page.locator("aside")
    tags = page.get_by_label("Tags")

    starter.get_by_role("button", name="facebook").click()
    starter.get_by_role("button", name="crisis").click()
    expect(tags).to_have_value("facebook, crisis")
    expect(starter.get_by_role("button", name="facebook")).to_have_attribute(
        "aria-pressed", "true"
    )
    starter.get_by_role("button", name="facebook").click()
    expect(tags).to_have_value("crisis")
    tags.fill("crisis, TikTok")  # typed tags count too
    expect(starter.get_by_role("button", name="tiktok")).to_have_attribute(
        "aria-pressed", "true"
    )

    page.get_by_label("Title").fill("How fast should we answer an angry TikTok?")
    page.get_by_label("Details").fill("Within the hour, or the next morning?")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("link", name="tiktok", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="crisis", exact=True)).to_be_visible()


def test_answer_forms_have_the_tools(app, live_server, page: Page):
    with live_server.app.app_context():
        asker = make_member("asha@example.org", "Asha Asker")
        question = ask(asker)
        mine = answer(make_member("lena@example.org", "Lena Leader"), question)
        question_id, answer_id = question.id, mine.id
    sign_in(page, live_server.url, "lena@example.org")
    page.goto(f"{live_server.url}/answers/{answer_id}/edit")
    # The text being edited is previewed at once; the toolbar edits it.
    preview = page.locator("section.live-preview")
    expect(preview).to_contain_text("Reply once, offline.")
    page.get_by_role("button", name="Quote").click()
    expect(page.get_by_label("Answer")).to_have_value("> Reply once, offline.")
    expect(preview.locator("blockquote")).to_have_text(re.compile("Reply once"))

    page.goto(f"{live_server.url}/questions/{question_id}")
    form = page.locator("#answer-form")
    form.get_by_role("button", name="Code").click()
    expect(form.get_by_role("textbox")).to_have_value("`code`")
    expect(form.locator("section.live-preview code")).to_have_text("code")
