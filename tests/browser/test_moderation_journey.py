"""Flag, hide, and hear about it, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_board_journey import (
    code_for,
    notifications_link,
    sign_in,
    sign_out,
)
from tests.factories import answer, ask, deliver, make_member, make_moderator
from tests.mailbox import text_of

pytestmark = pytest.mark.browser

REASON = "It names a patient and their date of birth; please remove both."


def test_a_member_flags_patient_information_and_a_moderator_hides_it(
    app, live_server, page: Page, mailbox
):
    base = live_server.url
    with live_server.app.app_context():
        asker = make_member("asha@example.org", "Asha Asker")
        author = make_member("omar@example.org", "Omar Answerer")
        make_moderator("mika@example.org", "Mika Moderator")
        question = ask(asker)
        reply = answer(
            author, question, "Our patient Jane Roe (DOB 03/04/1950) said so."
        )
        question_url = f"{base}/questions/{question.id}"
        reply_id = reply.id

    sign_in(page, base, "asha@example.org")
    page.goto(question_url)
    page.locator(f"#answer-{reply_id}").get_by_role(
        "link", name="Flag this answer"
    ).click()
    expect(page.get_by_role("heading", name="Flag this answer")).to_be_visible()
    page.get_by_label("Patient information").check()
    page.get_by_label("Anything a moderator should know").fill("A name and a DOB.")
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.get_by_text("It is hidden from members until then.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "mika@example.org", code_for(live_server, "mika@example.org"))
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Moderation"
    ).click()
    item = page.locator(".review-item").first
    expect(item).to_contain_text("Patient information: 1")
    expect(item).to_contain_text("A name and a DOB.")
    expect(item).to_contain_text("Our patient Jane Roe")
    item.get_by_text("Hide with a reason").click()
    item.get_by_label("Reason for hiding").fill(REASON)
    item.get_by_role("button", name="Hide", exact=True).click()
    expect(page.get_by_text("Hidden: the answer's author is told why.")).to_be_visible()
    expect(page.get_by_text("Nothing to review. Thank you.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "omar@example.org")
    expect(notifications_link(page)).to_have_text(re.compile(r"1 unread"))
    notifications_link(page).click()
    notice = page.locator(".notification").first
    expect(notice).to_contain_text("A moderator hid your answer")
    notice.get_by_role("link", name="See why, and ask for a review").click()
    expect(page.get_by_text(REASON)).to_be_visible()
    page.get_by_role("button", name="Ask for a review").click()
    expect(page.get_by_text("a moderator will look at your post again")).to_be_visible()

    with live_server.app.app_context():
        deliver()
    assert REASON in text_of(mailbox.single("omar@example.org"))
