"""A member signs in through a real browser."""

import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def test_member_signs_in_and_out_in_chromium(app, live_server, page: Page):
    with live_server.app.app_context():
        make_user("dana@example.org", "Dana Doctor")

    page.goto(f"{live_server.url}/account")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Email").fill("Dana@Example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(f"{live_server.url}/account")
    expect(page.get_by_role("heading", name="Your account")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Dana Doctor")

    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()


def test_wrong_password_shows_a_message_in_chromium(app, live_server, page: Page):
    with live_server.app.app_context():
        make_user("dana@example.org", "Dana Doctor")
    page.goto(f"{live_server.url}/login")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
