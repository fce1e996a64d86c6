"""The portal's main journeys, end to end in a real Chromium (issue 13).

Each starts on an empty database and asserts what the person would notice.
They grow with each new feature: when a feature changes what someone sees on
one of these paths, extend the journey rather than writing a twin.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.core import time as portal_time
from tests.browser.helpers import link_from_mail, main_nav
from tests.browser.test_board_journey import code_for, sign_in, sign_out
from tests.factories import make_admin, roster_csv

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a longer phrase of several words"


def test_admin_imports_a_roster_and_the_graduate_joins_from_the_email(
    live_server, page: Page, mailbox
):
    base = live_server.url
    with live_server.app.app_context():
        today = portal_time.today()
        make_admin("avery@example.org", "Avery Admin")

    sign_in(page, base, "avery@example.org", code_for(live_server, "avery@example.org"))
    main_nav(page).get_by_role("link", name=re.compile(r"^Admin")).click()
    page.get_by_role("navigation", name="Administration").get_by_role(
        "link", name="Residencies"
    ).click()
    expect(page.get_by_text("No residencies yet.")).to_be_visible()
    page.get_by_label("Name").fill("Residency Porto")
    page.get_by_label("Location").fill("Porto")
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Add residency").click()
    expect(page.get_by_text("Residency Residency Porto is added.")).to_be_visible()
    expect(page.get_by_text("No graduates yet")).to_be_visible()

    page.get_by_role("link", name="Import roster").click()
    page.get_by_label("Roster (CSV)").set_input_files(
        {
            "name": "porto.csv",
            "mimeType": "text/csv",
            "buffer": roster_csv("grace@example.org,Grace Graduate,Hospital Faro,"),
        }
    )
    page.get_by_role("button", name="Preview").click()
    expect(
        page.get_by_role("heading", name=re.compile("^Roster preview"))
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Nothing is written until")
    expect(page.locator(".roster-table")).to_contain_text("grace@example.org")
    expect(page.get_by_label("Send invitations")).to_be_checked()
    page.get_by_role("button", name="Import 1 graduate").click()
    expect(
        page.get_by_text(re.compile(r"^Imported into Residency Porto"))
    ).to_be_visible()
    graduates = page.get_by_role("row", name=re.compile("Grace Graduate"))
    expect(graduates).to_contain_text("Not claimed")
    sign_out(page)

    page.goto(link_from_mail(live_server, mailbox, "grace@example.org", "/invitation/"))
    expect(page.get_by_role("heading", name="Welcome, Grace Graduate")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    expect(page.get_by_text("Welcome to the network, Grace Graduate.")).to_be_visible()
    expect(main_nav(page)).to_contain_text("Grace Graduate")
    expect(main_nav(page).get_by_role("link", name="Ask", exact=True)).to_be_visible()
    main_nav(page).get_by_role("link", name="My membership").click()
    expect(page.locator(".status-current")).to_have_text("Current")
    expect(page.get_by_text("Residency class of Residency Porto")).to_be_visible()
    expect(page.get_by_text("Read the board, ask, answer and vote.")).to_be_visible()
