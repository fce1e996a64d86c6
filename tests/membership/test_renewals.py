"""Renewal requests from the member's side: who sees the button, what a request
stores, who hears about it, and what a second click says."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import RenewalRequest
from portal.membership.services import grants, renewals, standing
from tests.core.test_csrf import REFUSED, token_from
from tests.factories import (
    PASSWORD,
    count,
    days,
    deliver,
    login,
    make_admin,
    make_expired_member,
    make_grace_member,
    make_member,
    member_with_end,
    page,
    request_renewal,
    sign_in,
)
from tests.mailbox import text_of

BUTTON = "Request renewal</button>"
RESIDENCY_ADVICE = "Attend another Social Media Residency"


def requests() -> list[RenewalRequest]:
    db.session.expire_all()
    return list(db.session.scalars(select(RenewalRequest).order_by(RenewalRequest.id)))


def test_a_grace_member_requests_renewal_with_a_note_and_the_admins_hear(
    client, mailbox, today
):
    avery = make_admin()
    make_admin("second@example.org", "Sam Second")
    member = make_grace_member()
    sign_in(client, member)
    assert BUTTON in page(client.get("/membership"))

    response = client.post(
        "/membership/renewal", data={"note": "  I moved to Hospital Faro.  "}
    )
    assert response.status_code == 302
    [stored] = requests()
    assert (stored.note, stored.outcome, stored.decided_at) == (
        "I moved to Hospital Faro.",
        None,
        None,
    )
    html = page(client.get("/membership"))
    assert "Your renewal request is sent" in html
    assert f"You requested renewal on {format_date(today)}" in html
    assert BUTTON not in html

    deliver()
    # No renewals or contact address configured: every admin is told.
    for admin in (avery.email, "second@example.org"):
        message = mailbox.single(admin)
        assert message["Subject"] == "Renewal request from Gale Grace"
        body = text_of(message)
        assert "I moved to Hospital Faro." in body
        assert "http://portal.test/admin/#renewals" in body
    assert mailbox.to(member.email) == []


def test_a_second_click_says_when_the_first_request_was_made(client, today):
    member = make_expired_member()
    sign_in(client, member)
    client.post("/membership/renewal", data={"note": ""})
    again = client.post("/membership/renewal", data={}, follow_redirects=True)
    assert (
        f"You already requested renewal on {format_date(today)};"
        " an admin will answer by email." in page(again)
    )
    [stored] = requests()
    assert stored.note is None


def test_a_double_submit_stores_one_request(app, today):
    """Both posts of a double click reach the service; the database keeps one."""
    member = make_grace_member()
    request_renewal(member, "first")
    with pytest.raises(Exception, match="already requested"):
        request_renewal(member, "second")
    db.session.rollback()
    assert [r.note for r in requests()] == ["first"]


def test_two_submits_at_the_same_moment_store_one_request(app, mailbox):
    """Two sessions insert at once: the partial unique index keeps one, and the
    loser is told when the winner asked (PostgreSQL waits for the winner's
    commit; SQLite serialises the writers)."""
    member_id = make_grace_member().id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(note: str) -> None:
        with app.app_context():
            member = db.session.get(User, member_id)
            barrier.wait()
            try:
                renewals.request_renewal(member, note)
                db.session.commit()
                outcomes.append("stored")
            except MembershipError as error:
                db.session.rollback()
                outcomes.append(str(error).split(" on ")[0])
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["You already requested renewal", "stored"]
    assert len(requests()) == 1
    deliver()
    assert len(mailbox.messages) == 0  # no admins here: nobody to tell


def test_soon_expiring_members_see_the_button_from_the_first_reminder(client, today):
    inside = member_with_end("soon@example.org", today + days(30))
    outside = member_with_end("later@example.org", today + days(31))
    sign_in(client, inside)
    assert BUTTON in page(client.get("/membership"))
    sign_in(client, outside)
    html = page(client.get("/membership"))
    assert BUTTON not in html
    assert "Request renewal here</strong> from 30 days before" in html


def test_a_current_member_far_from_the_end_sees_no_button_and_cannot_post_one(
    client, today
):
    member = make_member()
    sign_in(client, member)
    html = page(client.get("/membership"))
    assert BUTTON not in html
    assert RESIDENCY_ADVICE in html
    response = client.post("/membership/renewal", data={}, follow_redirects=True)
    assert "you can ask to renew from 30 days before it ends" in page(response)
    assert count(RenewalRequest) == 0


@pytest.mark.parametrize("kind", ["revoked", "suspended"])
def test_revoked_and_suspended_members_see_what_happened_and_whom_to_write_to(
    client, today, kind
):
    member = make_member()
    if kind == "revoked":
        standing.revoke(member, actor=None, reason="Shared patient data")
    else:
        standing.suspend(
            member, actor=None, until=today + days(7), reason="Shared patient data"
        )
    db.session.commit()
    sign_in(client, member)
    html = page(client.get("/membership"))
    assert BUTTON not in html
    assert RESIDENCY_ADVICE not in html  # never "attend a residency" as a way back
    assert 'write to the network at <a href="mailto:network@portal.test">' in html
    if kind == "revoked":
        assert f"Your membership was revoked on {format_date(today)}." in html
    else:
        assert f"suspended until {format_date(today + days(7))}" in html
    assert "Shared patient data" not in html  # the admin did not tell them why
    response = client.post("/membership/renewal", data={}, follow_redirects=True)
    assert f"Your membership is {kind}, so it cannot be renewed from here" in page(
        response
    )
    assert count(RenewalRequest) == 0


def test_a_reason_the_member_was_told_is_shown_on_their_page(client, today):
    member = make_member()
    standing.revoke(member, actor=None, reason="Posted a scan", tell_reason=True)
    db.session.commit()
    html = page(sign_in(client, member).get("/membership"))
    assert "The reason given: Posted a scan" in html


def test_the_contact_address_is_configurable(make_app):
    app = make_app(PORTAL_CONTACT_EMAIL="help@network.example")
    with app.app_context():
        member = make_member()
        standing.revoke(member, actor=None, reason="r")
        db.session.commit()
        client = sign_in(app.test_client(), member)
        html = page(client.get("/membership"))
    assert 'href="mailto:help@network.example"' in html
    assert "network@portal.test" not in html


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({"PORTAL_RENEWALS_EMAIL": "renewals@network.example"}, ["renewals@"]),
        ({"PORTAL_CONTACT_EMAIL": "help@network.example"}, ["help@"]),
        (
            {
                "PORTAL_CONTACT_EMAIL": "help@network.example",
                "PORTAL_RENEWALS_EMAIL": "renewals@network.example",
            },
            ["renewals@"],
        ),
    ],
)
def test_renewal_requests_go_to_the_configured_address(
    make_app, mailbox, config, expected
):
    app = make_app(**config)
    with app.app_context():
        make_admin()
        request_renewal(make_grace_member())
        deliver()
    assert [str(m["To"]).split("network.example")[0] for m in mailbox.messages] == (
        expected
    )


def test_an_admins_own_extension_answers_the_open_request(app, today):
    admin = make_admin()
    member = make_grace_member()
    request_renewal(member)
    grants.extend(member, actor=admin, reason="Paid at the residency")
    db.session.commit()
    [answered] = requests()
    assert (answered.outcome, answered.decided_by_id) == ("approved", admin.id)
    assert answered.decided_at is not None


def test_the_request_form_keeps_its_limits_and_needs_its_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        member = make_grace_member()
        client = app.test_client()
        token = token_from(client.get("/login").data)
        login(client, member.email, PASSWORD, csrf_token=token)
        refused = client.post("/membership/renewal", data={"note": "hi"})
        assert refused.status_code == 400 and REFUSED in refused.data
        token = token_from(client.get("/membership").data)
        too_long = client.post(
            "/membership/renewal", data={"note": "x" * 501, "csrf_token": token}
        )
        assert too_long.status_code == 400
        assert "Field cannot be longer than 500 characters." in page(too_long)
        assert count(RenewalRequest) == 0
        sent = client.post(
            "/membership/renewal", data={"note": "ok", "csrf_token": token}
        )
        assert sent.status_code == 302
        assert count(RenewalRequest) == 1


def test_admins_see_a_badge_with_the_waiting_requests(client):
    admin = make_admin()
    member = make_grace_member()
    request_renewal(member)
    request_renewal(make_expired_member())
    html = page(sign_in(client, admin).get("/admin/members"))
    assert (
        'Admin <span class="nav-count">2<span class="visually-hidden">'
        " renewal requests waiting</span>" in html
    )
    mine = page(sign_in(client, member).get("/membership"))
    assert "renewal requests waiting" not in mine
