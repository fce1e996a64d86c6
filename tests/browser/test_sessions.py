"""Sessions in a real browser: one browser signs out another from "Your devices"."""

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser


def sign_in(page: Page, url: str) -> None:
    page.goto(f"{url}/login")
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Dana Doctor")


def test_one_browser_signs_out_another(app, live_server, browser: Browser):
    with live_server.app.app_context():
        make_user("dana@example.org", "Dana Doctor")
    desk_context, phone_context = browser.new_context(), browser.new_context()
    try:
        desk, phone = desk_context.new_page(), phone_context.new_page()
        sign_in(desk, live_server.url)
        sign_in(phone, live_server.url)
        desk.goto(f"{live_server.url}/account")
        devices = desk.locator("#devices")
        expect(devices.get_by_role("row")).to_have_count(3)  # header and two
        expect(devices).to_contain_text("this device")
        devices.get_by_role("button", name="Sign out all other devices").click()
        expect(desk.get_by_text("Your other devices are signed out.")).to_be_visible()
        expect(desk.locator("#devices").get_by_role("row")).to_have_count(2)
        phone.goto(f"{live_server.url}/account")
        expect(phone.get_by_role("heading", name="Sign in")).to_be_visible()
    finally:
        desk_context.close()
        phone_context.close()
