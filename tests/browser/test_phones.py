"""Phone-sized pages (390 x 844) in a real Chromium: the header menu and the
question page's compact votes."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from portal.board.models import Question
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.extensions import db
from tests.browser.test_board_journey import sign_in
from tests.factories import PASSWORD, make_member

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# The demo's first question (two answers, one accepted) seen by a member who
# may vote, at 390 x 844: 2,873 px with full-width vote bars and a header on
# three lines; 2,334 px with the compact header and votes. The bound leaves
# room for font differences, and fails if the bars or the header come back.
QUESTION_PAGE_MAX_HEIGHT = 2_450


def main_nav(page: Page):
    return page.get_by_role("navigation", name="Main")


def test_the_phone_menu_opens_and_its_links_work(app, live_server, page: Page):
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
    sign_in(page, live_server.url, "asha@example.org")
    menu = page.locator("summary", has_text="Menu")
    expect(menu).to_be_hidden()  # wide screens: the links, no button

    page.set_viewport_size(PHONE)
    header = page.locator(".site-header")
    assert header.bounding_box()["height"] < 70  # one line
    expect(main_nav(page)).to_be_hidden()
    menu.click()
    expect(main_nav(page).get_by_role("link", name="Tags")).to_be_visible()
    main_nav(page).get_by_role("link", name="Ask", exact=True).click()
    expect(page.get_by_role("heading", name="Ask a question")).to_be_visible()
    expect(main_nav(page)).to_be_hidden()  # closed again on the next page

    # By keyboard: the skip link, the brand, then the menu button.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(menu).to_be_focused()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(main_nav(page).get_by_role("link", name="Questions")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/questions$"))


def test_the_phone_menu_works_without_javascript(app, live_server, browser: Browser):
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(f"{live_server.url}/login")
        page.get_by_label("Email").fill("asha@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.locator("summary", has_text="Menu").click()
        main_nav(page).get_by_role("link", name="Tags").click()
        expect(page.get_by_role("heading", name="Tags", exact=True)).to_be_visible()
        page.locator("summary", has_text="Menu").click()
        main_nav(page).get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("You are signed out.")).to_be_visible()
    finally:
        context.close()


def test_the_question_page_is_compact_on_phones(app, live_server, page: Page):
    with live_server.app.app_context():
        seed_demo()
        db.session.commit()
        first = db.session.scalar(select(Question.id).order_by(Question.id).limit(1))
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("sam.okafor@example.org")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/questions/{first}")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= QUESTION_PAGE_MAX_HEIGHT, height
    # Arrow buttons in one row with the score; their names are words.
    question = page.locator("#question")
    up = question.get_by_role("button", name="Undo up-vote")  # Sam voted it up
    down = question.get_by_role("button", name="Vote down")
    score = question.locator(".vote-score")
    for control in (up, down):
        box = control.bounding_box()
        assert box["width"] < 60 and box["height"] < 48, box
    assert abs(up.bounding_box()["y"] - down.bounding_box()["y"]) < 2
    expect(score).to_have_text("3 points")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
