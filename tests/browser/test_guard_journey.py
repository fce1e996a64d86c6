"""The patient-information guard as an author meets it, in a real Chromium."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.board.models import HELD, Question
from portal.extensions import db
from tests.browser.test_board_journey import sign_in
from tests.factories import make_member

pytestmark = pytest.mark.browser

TITLE = "How should we reply to a review from a patient's family?"


def test_the_guard_stops_explains_and_holds_a_confirmed_post(
    app, live_server, page: Page
):
    base = live_server.url
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")

    sign_in(page, base, "asha@example.org")
    page.goto(f"{base}/questions/ask")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill(
        "The daughter of our patient Mary Jones (DOB 04/12/1931) left a review."
    )
    page.get_by_label("Tags").fill("reviews")
    page.get_by_role("button", name="Post your question").click()

    guard = page.get_by_role("alert")
    expect(guard).to_contain_text("it may identify a patient")
    expect(guard.locator("mark.phi")).to_have_count(2)
    expect(guard.locator("mark.phi").first).to_contain_text("Mary Jones")
    expect(guard).to_contain_text("Date tied to a person")
    # What was typed is still in the form.
    expect(page.get_by_label("Title")).to_have_value(TITLE)

    # Posting anyway without the tick is refused, with the reason beside the box.
    guard.get_by_role("button", name="Post anyway, held for review").click()
    expect(page.get_by_text("Tick the box to confirm")).to_be_visible()
    page.get_by_label("I have checked: nothing marked identifies").check()
    page.get_by_role("button", name="Post anyway, held for review").click()

    expect(page.get_by_text("Saved and held for review")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    with live_server.app.app_context():
        assert db.session.scalars(db.select(Question.state)).one() == HELD


def test_editing_the_text_clears_the_guard(app, live_server, page: Page):
    base = live_server.url
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")

    sign_in(page, base, "asha@example.org")
    page.goto(f"{base}/questions/ask")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("Call her back on 617-555-0142 tonight?")
    page.get_by_label("Tags").fill("reviews")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("alert")).to_contain_text("Phone number")

    page.get_by_label("Details").fill("Should we call the family back tonight?")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question is posted.")).to_be_visible()
