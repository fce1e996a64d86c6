"""An account never claimed gets one invitation; every later membership mail
carries a fresh set-password link (it cannot sign in), never a second invitation."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.membership.services import grants
from portal.membership.services.sweep import run_sweep
from tests.factories import (
    PASSWORD,
    add_residency,
    days,
    deliver,
    login,
    member_with_end,
    page,
    path_of,
)
from tests.mailbox import link_in, text_of

BUTTON = "Request renewal</button>"


def set_password_through(client, message) -> str:
    """Follow the mail's set-password link, choose a password; the landing page."""
    link = path_of(link_in(message, "/invitation/"))
    assert client.get(link).status_code == 200
    response = client.post(link, data={"password": PASSWORD, "confirm": PASSWORD})
    assert response.status_code == 302
    return response.headers["Location"]


def test_one_invitation_then_term_notices_with_a_set_password_link(
    client, mailbox, today
):
    first = add_residency(today - days(300), "Residency Lisbon")
    second = add_residency(today - days(5), "Residency Porto")
    for residency in (first, second):
        grants.add_graduate(
            "ines@example.org", "Ines Ilha", actor=None, residency=residency
        )
        db.session.commit()
    user = grants.accounts.find_by_email("ines@example.org")
    grants.extend(user, actor=None, reason="Paid")
    db.session.commit()
    deliver()
    invitation, *notices = mailbox.to("ines@example.org")
    assert invitation["Subject"] == "You're invited to the Residency Network"
    assert len(notices) == 2
    for notice in notices:
        assert str(notice["Subject"]).startswith("Your membership now runs through")
        body = text_of(notice)
        assert "You have not set a password yet." in body
        assert "You're invited" not in body
    landing = set_password_through(client, notices[-1])
    assert landing == "/membership"
    html = page(client.get(landing))
    assert "Your membership" in html and "Ines Ilha" in html


@pytest.mark.parametrize(
    ("ends_in", "kind"),
    [(20, "expiring_30"), (7, "expiring_7"), (-3, "ended")],
)
def test_reminders_to_an_unclaimed_account_set_a_password_and_land_on_renewal(
    client, mailbox, today, ends_in, kind
):
    member_with_end("una@example.org", today + days(ends_in), claimed=False)
    run_sweep(today)
    db.session.commit()
    deliver()
    reminder = mailbox.single("una@example.org")
    assert reminder["X-Portal-Reminder"] == kind
    body = text_of(reminder)
    assert "where you can request renewal" in body
    assert "http://portal.test/membership\n" not in body  # no sign-in it cannot use
    landing = set_password_through(client, reminder)
    assert landing == "/membership"
    assert BUTTON in page(client.get(landing))


def test_reminders_to_a_claimed_account_link_to_the_renewal_button(
    client, mailbox, today
):
    member = member_with_end("cleo@example.org", today + days(7))
    run_sweep(today)
    db.session.commit()
    deliver()
    link = path_of(link_in(mailbox.single(member.email), "/membership"))
    assert link == "/membership"
    to_sign_in = client.get(link)
    assert to_sign_in.status_code == 302 and "/login" in to_sign_in.headers["Location"]
    signed_in = login(client, member.email, next=link)
    assert signed_in.headers["Location"] == "/membership"
    assert BUTTON in page(client.get("/membership"))
