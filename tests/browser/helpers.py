"""Steps the journeys share: reading the mail the portal sent, the main
navigation, and signing in and out at phone width (where the links sit
behind a "Menu" disclosure)."""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from portal.core.mail import deliver_pending
from tests.factories import PASSWORD
from tests.mailbox import Mailbox, link_in

PHONE = {"width": 390, "height": 844}


def link_from_mail(server, mailbox: Mailbox, address: str, path: str) -> str:
    """Run the outbox worker once, then the link in the one mail to ``address``
    whose path contains ``path``: what the person clicks in their inbox."""
    with server.app.app_context():
        deliver_pending()
    return link_in(mailbox.single(address), path)


def main_nav(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Main")


def open_phone_menu(page: Page) -> Locator:
    """Open the header's "Menu" disclosure; the main navigation, now shown."""
    page.locator("summary", has_text="Menu").click()
    expect(main_nav(page)).to_be_visible()
    return main_nav(page)


def sign_in_on_phone(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("summary", has_text="Menu")).to_be_visible()


def sign_out_on_phone(page: Page) -> None:
    open_phone_menu(page).get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
