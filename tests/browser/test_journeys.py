"""The portal's main journeys, end to end in a real Chromium (issue 13).

Each starts on an empty database and asserts what the person would notice.
They grow with each new feature: when a feature changes what someone sees on
one of these paths, extend the journey rather than writing a twin.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.board.services.tags import ensure_starter_tags
from portal.core import time as portal_time
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.services import grants
from tests.browser.helpers import (
    PHONE,
    link_from_mail,
    main_nav,
    open_phone_menu,
    sign_in_on_phone,
    sign_out_on_phone,
)
from tests.browser.test_board_journey import code_for, sign_in, sign_out
from tests.factories import (
    PASSWORD,
    answer,
    ask,
    make_admin,
    make_expired_member,
    make_member,
    make_moderator,
    roster_csv,
)

pytestmark = pytest.mark.browser

NEW_PASSWORD = "a longer phrase of several words"


def test_admin_imports_a_roster_and_the_graduate_joins_from_the_email(
    live_server, page: Page, mailbox
):
    base = live_server.url
    with live_server.app.app_context():
        today = portal_time.today()
        make_admin("avery@example.org", "Avery Admin")
        ensure_starter_tags()  # as `flask board tags-seed` does on a new site
        db.session.commit()

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
    expect(page.get_by_text("Residency Porto is added.")).to_be_visible()
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

    # The first-run steps, each ticked from what she does.
    main_nav(page).get_by_role("link", name="Questions").click()
    steps = page.get_by_role("region", name="Getting started")
    expect(steps.locator("s")).to_have_count(0)
    steps.get_by_role("link", name="Complete your profile").click()
    expect(page.get_by_label("Organisation")).to_have_value("Hospital Faro")
    page.get_by_label("Title").fill("Communications lead")
    page.get_by_label("About you").fill("I run the hospital's Instagram.")
    page.get_by_role("button", name="Save profile").click()
    for tag in ("facebook", "instagram", "crisis"):
        page.goto(f"{base}/tags/{tag}")
        page.get_by_role("button", name="Follow this tag").click()
        expect(page.get_by_text("you follow this tag")).to_be_visible()
    page.goto(f"{base}/questions")
    steps.get_by_role("link", name="Read how the network works").click()
    expect(
        page.get_by_role("heading", name="The patient-information guard")
    ).to_be_visible()
    page.get_by_role("link", name="Go to the questions").click()
    expect(steps.locator("s")).to_have_text(
        ["Complete your profile", "Follow 3 tags", "Read how the network works"]
    )
    expect(
        steps.get_by_role("link", name="Ask a question or answer one")
    ).to_be_visible()


EARLIER = "How do you answer a negative Google review about waiting times?"
TITLE = "Negative Google review about our waiting room: reply or not?"


def test_graduate_asks_with_tags_gets_an_answer_accepts_votes_and_finds_it(
    live_server, page: Page
):
    base = live_server.url
    with live_server.app.app_context():
        # How a graduate arrives is the journey above; here she is a member.
        make_member("grace@example.org", "Grace Graduate")
        ask(make_member("asha@example.org", "Asha Asker"), EARLIER, tags="google")
        make_member("omar@example.org", "Omar Answerer")

    sign_in(page, base, "grace@example.org")
    main_nav(page).get_by_role("link", name="Ask", exact=True).click()
    page.get_by_label("Title").press_sequentially("Negative Google review", delay=20)
    similar = page.locator("#similar-questions")
    expect(similar.get_by_role("link", name=EARLIER)).to_be_visible()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Details").fill("Patients wait two hours; one said so online.")
    page.get_by_label("Tags").fill("Google, reviews")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question is posted.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(page.get_by_role("link", name="google", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="reviews", exact=True)).to_be_visible()
    question_url = page.url
    sign_out(page)

    sign_in(page, base, "omar@example.org")
    page.goto(question_url)
    page.locator("#answer-form").get_by_role("textbox").fill(
        "Thank them, say you are working on it, and take it offline."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "grace@example.org")
    page.goto(question_url)
    reply = page.locator("article.answer").first
    reply.get_by_role("button", name="Accept this answer").click()
    expect(page.get_by_text("Answer accepted.")).to_be_visible()
    expect(reply).to_contain_text("✓ Accepted")
    reply.get_by_role("button", name="Vote up").click()
    expect(reply.get_by_role("button", name="Undo up-vote")).to_be_visible()
    expect(reply.locator(".vote-score")).to_have_text("1 point")

    page.get_by_role("searchbox", name="Search questions").fill("waiting room")
    page.get_by_role("search").first.get_by_role("button", name="Search").click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()


MINE = "Do we answer reviews that name a nurse?"


def test_an_ended_member_sees_why_and_how_to_renew(live_server, page: Page):
    base = live_server.url
    with live_server.app.app_context():
        member = make_expired_member("ezra@example.org", "Ezra Expired")
        mine = ask(member, MINE)
        ended = format_date(grants.require_membership(member).ends_on)
        mine_url = f"{base}/questions/{mine.id}"

    sign_in(page, base, "ezra@example.org")
    expect(
        page.get_by_role("heading", name="Your membership", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text(
        f"Your membership expired on {ended}."
    )
    expect(page.locator(".status-expired")).to_have_text("Expired")
    expect(page.get_by_text(f"{ended} (last day)")).to_be_visible()
    expect(page.get_by_role("button", name="Request renewal")).to_be_visible()

    # Their own question still opens, read-only, saying why and where to go.
    page.get_by_role("status").get_by_role(
        "link", name="read your own questions and answers"
    ).click()
    page.get_by_role("link", name=MINE).click()
    expect(page).to_have_url(mine_url)
    expect(page.get_by_role("heading", name=MINE)).to_be_visible()
    main = page.get_by_role("main")
    expect(main).to_contain_text(f"Your membership expired on {ended}.")
    expect(main).to_contain_text("You can still read your own questions and answers")
    expect(page.get_by_role("button", name="Post your answer")).to_have_count(0)
    page.get_by_role("link", name="your membership page").click()
    page.get_by_label("A note for the admin (optional)").fill("Back at Hospital Faro.")
    page.get_by_role("button", name="Request renewal").click()
    expect(page.get_by_text("Your renewal request is sent.")).to_be_visible()


PHONE_NUMBER_TITLE = "Should we call back a family who complained on Facebook?"
FLAGGED = "Our patient Jane Roe (DOB 03/04/1950) wrote it herself."
REASON = "It names a patient and their date of birth; please remove both."


def test_the_guard_catches_a_phone_number_and_a_moderator_hides_a_flagged_post(
    live_server, page: Page
):
    base = live_server.url
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
        author = make_member("omar@example.org", "Omar Answerer")
        make_moderator("mika@example.org", "Mika Moderator")
        other = ask(author, "Can we quote a patient's review in our newsletter?")
        flagged = answer(author, other, FLAGGED)
        other_url, flagged_id = f"{base}/questions/{other.id}", flagged.id

    sign_in(page, base, "asha@example.org")
    main_nav(page).get_by_role("link", name="Ask", exact=True).click()
    page.get_by_label("Title").fill(PHONE_NUMBER_TITLE)
    page.get_by_label("Details").fill("The daughter left 617-555-0142 for a call.")
    page.get_by_label("Tags").fill("facebook")
    page.get_by_role("button", name="Post your question").click()
    guard = page.get_by_role("alert")
    expect(guard).to_contain_text("Phone number")
    expect(guard.locator("mark.phi")).to_contain_text("617-555-0142")
    page.get_by_label("Details").fill("The daughter asked us to call her back.")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_text("Your question is posted.")).to_be_visible()
    expect(page.get_by_role("heading", name=PHONE_NUMBER_TITLE)).to_be_visible()
    expect(page.get_by_text("617-555-0142")).to_have_count(0)

    page.goto(other_url)
    page.locator(f"#answer-{flagged_id}").get_by_role(
        "link", name="Flag this answer"
    ).click()
    page.get_by_label("Patient information").check()
    page.get_by_role("button", name="Flag", exact=True).click()
    expect(page.get_by_text("It is hidden from members until then.")).to_be_visible()
    sign_out(page)

    sign_in(page, base, "mika@example.org", code_for(live_server, "mika@example.org"))
    main_nav(page).get_by_role("link", name="Moderation").click()
    item = page.locator(".review-item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Patient information: 1")
    expect(item).to_contain_text(FLAGGED)
    item.get_by_text("Hide with a reason").click()
    item.get_by_label("Reason for hiding").fill(REASON)
    item.get_by_role("button", name="Hide", exact=True).click()
    expect(page.get_by_text("Hidden: the answer's author is told why.")).to_be_visible()
    expect(page.get_by_text("Nothing to review. Thank you.")).to_be_visible()


def test_a_member_resets_a_forgotten_password_by_email(
    live_server, page: Page, mailbox
):
    base = live_server.url
    with live_server.app.app_context():
        make_member("dana@example.org", "Dana Doctor")

    page.goto(f"{base}/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(link_from_mail(live_server, mailbox, "dana@example.org", "/password/"))
    expect(page.get_by_role("heading", name="Choose a new password")).to_be_visible()
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password is changed.")).to_be_visible()
    expect(main_nav(page)).to_contain_text("Dana Doctor")
    sign_out(page)

    page.get_by_label("Email").fill("dana@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("do not match an account")).to_be_visible()
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(main_nav(page)).to_contain_text("Dana Doctor")


PHONE_TITLE = "Is it fine to reply to reviews from my phone at night?"


def test_asking_and_answering_on_a_phone(live_server, page: Page):
    base = live_server.url
    with live_server.app.app_context():
        make_member("asha@example.org", "Asha Asker")
        make_member("omar@example.org", "Omar Answerer")
    page.set_viewport_size(PHONE)

    sign_in_on_phone(page, base, "asha@example.org")
    expect(main_nav(page)).to_be_hidden()
    open_phone_menu(page).get_by_role("link", name="Ask", exact=True).click()
    page.get_by_label("Title").fill(PHONE_TITLE)
    page.get_by_label("Details").fill("Our on-call resident wants to reply at 2 am.")
    page.get_by_label("Tags").fill("reviews")
    page.get_by_role("button", name="Post your question").click()
    expect(page.get_by_role("heading", name=PHONE_TITLE)).to_be_visible()
    sign_out_on_phone(page)

    sign_in_on_phone(page, base, "omar@example.org")
    open_phone_menu(page).get_by_role("link", name="Questions").click()
    page.get_by_role("link", name=PHONE_TITLE).click()
    page.locator("#answer-form").get_by_role("textbox").fill(
        "Draft it at night, post it in the morning."
    )
    page.get_by_role("button", name="Post your answer").click()
    expect(page.get_by_text("Your answer is posted.")).to_be_visible()
    expect(page.locator("article.answer")).to_contain_text("post it in the morning")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign_out_on_phone(page)
