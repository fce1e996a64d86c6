"""An admin sets up two-factor sign-in in Chromium, then signs in with a code."""

import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, make_admin

pytestmark = pytest.mark.browser


def sign_in_with_password(page: Page) -> None:
    page.get_by_label("Email").fill("avery@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_admin_enrols_signs_out_and_signs_in_with_a_code(app, live_server, page):
    with live_server.app.app_context():
        make_admin("avery@example.org", two_factor=False)
    url = live_server.url

    page.goto(f"{url}/admin/members")
    sign_in_with_password(page)
    # Admins set it up before any admin page.
    expect(page).to_have_url(f"{url}/account/two-factor")
    expect(page.get_by_text("Set it up to continue.")).to_be_visible()
    expect(page.get_by_alt_text("QR code for your authenticator app")).to_be_visible()
    secret = page.locator("#two-factor-secret").inner_text().strip()
    totp = pyotp.TOTP(secret)
    page.get_by_label("Code from the app").fill(totp.now())
    used_step = totp.timecode(time.time())
    page.get_by_role("button", name="Turn on two-factor sign-in").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have saved them").click()
    page.goto(f"{url}/admin/members")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()

    sign_in_with_password(page)
    expect(page).to_have_url(f"{url}/login/code")
    # A code works once: wait, as a person would, for the app's next code.
    while totp.timecode(time.time()) == used_step:
        time.sleep(0.5)
    page.get_by_label("Code", exact=True).fill(totp.now())
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_contain_text("Avery Admin")
    page.goto(f"{url}/admin/members")
    expect(page.get_by_role("heading", name="Members")).to_be_visible()
