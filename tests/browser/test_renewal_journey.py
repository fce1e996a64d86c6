"""A member in grace asks to renew, an admin approves from the dashboard queue,
and the member can post again, in a real Chromium."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.core.mail import deliver_pending
from tests.browser.test_board_journey import code_for, sign_in, sign_out
from tests.factories import make_admin, make_grace_member

pytestmark = pytest.mark.browser

TITLE = "Can we reshare a patient's public thank-you post?"


def test_grace_member_requests_renewal_admin_approves_member_posts_again(
    app, live_server, page: Page, mailbox
):
    base = live_server.url
    with live_server.app.app_context():
        make_admin("avery@example.org", "Avery Admin")
        make_grace_member("gale@example.org", "Gale Grace")

    sign_in(page, base, "gale@example.org")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Ask", exact=True)).to_have_count(0)
    nav.get_by_role("link", name="My membership").click()
    page.get_by_label("A note for the admin (optional)").fill("Still at Hospital Faro.")
    page.get_by_role("button", name="Request renewal").click()
    expect(page.get_by_text("Your renewal request is sent.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^You requested renewal on"))).to_be_visible()
    expect(page.get_by_role("button", name="Request renewal")).to_have_count(0)
    sign_out(page)

    sign_in(page, base, "avery@example.org", code_for(live_server, "avery@example.org"))
    admin_link = page.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Admin")
    )
    expect(admin_link).to_have_text("Admin 1 renewal request waiting")
    admin_link.click()
    queue = page.locator("#renewals")
    expect(queue).to_contain_text("Still at Hospital Faro.")
    queue.get_by_role("button", name="Approve renewal for Gale Grace").click()
    expect(
        page.get_by_text(re.compile(r"^Renewed: Gale Grace is a member"))
    ).to_be_visible()
    expect(page.get_by_text("No renewal requests are waiting.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "gale@example.org")
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Ask", exact=True
    ).click()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("A patient thanked our ward publicly on X.")
    page.get_by_label("Tags").fill("x, consent")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    with live_server.app.app_context():
        deliver_pending()
    subjects = {str(m["To"]): str(m["Subject"]) for m in mailbox.messages}
    assert subjects["avery@example.org"] == "Renewal request from Gale Grace"
    assert subjects["gale@example.org"].startswith(
        "Renewed: your membership now runs through"
    )
