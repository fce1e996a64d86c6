"""Ask, answer, accept and hear about it, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.auth.services import find_by_email
from portal.core.mail import deliver_pending
from tests.factories import PASSWORD, fresh_code, make_member

pytestmark = pytest.mark.browser

TITLE = "How do you answer a negative review that names a doctor?"


def sign_in(page: Page, base: str, email: str, code: str | None = None) -> None:
    """Password, then the authenticator's ``code`` for accounts that have one."""
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if code is not None:
        page.get_by_label("Code", exact=True).fill(code)
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def code_for(server, email: str) -> str:
    """The code the account's authenticator app shows now (a new one)."""
    with server.app.app_context():
        user = find_by_email(email)
        assert user is not None
        return fresh_code(user)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def notifications_link(page: Page):
    nav = page.get_by_role("navigation", name="Main")
    return nav.get_by_role("link", name=re.compile(r"^Notifications"))


def test_ask_answer_accept_and_see_notifications(app, live_server, page: Page, mailbox):
    base = live_server.url
    with live_server.app.app_context():
        # Current members, through the membership services.
        make_member("asha@example.org", "Asha Asker")
        make_member("omar@example.org", "Omar Answerer")

    sign_in(page, base, "asha@example.org")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ask", exact=True
    ).click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("A reviewer named our ER doctor. Reply or not?")
    page.get_by_label("Tags").fill("facebook, Crisis")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="crisis", exact=True)).to_be_visible()
    expect(notifications_link(page)).to_have_text("Notifications")
    question_url = page.url
    sign_out(page)

    sign_in(page, base, "omar@example.org")
    page.goto(question_url)
    page.locator("#answer-form").get_by_role("textbox").fill(
        "Never confirm they were a patient."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "asha@example.org")
    expect(notifications_link(page)).to_have_text("Notifications 1 unread")
    page.goto(question_url)
    page.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("✓ Accepted")).to_be_visible()

    notifications_link(page).click()
    expect(page.get_by_role("heading", name="Notifications")).to_be_visible()
    item = page.locator(".notification").first
    expect(item).to_contain_text("Omar Answerer")
    expect(item).to_contain_text("answered")
    expect(item.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("Marked 1 notification as read.")).to_be_visible()
    expect(notifications_link(page)).to_have_text("Notifications")
    sign_out(page)

    sign_in(page, base, "omar@example.org")
    expect(notifications_link(page)).to_have_text("Notifications 1 unread")
    notifications_link(page).click()
    expect(page.locator(".notification").first).to_contain_text(
        "Asha Asker accepted your answer to"
    )
    page.locator(".notification").first.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(r"/questions/\d+#answer-\d+$"))

    with live_server.app.app_context():
        deliver_pending()
    subjects = sorted(str(m["Subject"]).strip() for m in mailbox.messages)
    assert subjects == [f"New answer: {TITLE}", f"Your answer was accepted: {TITLE}"]
