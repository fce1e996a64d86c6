"""Admins invite people from the accounts page (a graduate with a membership,
or a staff account with a role and none); members cannot get in."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership.services import grants
from tests import factories
from tests.factories import (
    add_residency,
    audit_count,
    days,
    deliver,
    make_admin,
    make_user,
    page,
    path_of,
    status_of,
)
from tests.mailbox import link_in


@pytest.fixture
def admin_client(client):
    factories.sign_in(client, make_admin())
    return client


def invite(client, email: str = "new@example.org", name: str = "Nia Newcomer", **extra):
    """A graduate starting today unless ``extra`` says otherwise."""
    data = {"email": email, "name": name, "kind": "graduate", **extra}
    if data["kind"] == "graduate" and not {"residency", "start"} & set(extra):
        data["start"] = time.today().isoformat()
    return client.post("/admin/users", data=data)


def claim(client, mailbox, address: str = "new@example.org"):
    """The invitee opens the link from the mail and sets a password."""
    deliver()
    path = path_of(link_in(mailbox.to(address)[-1], "/invitation/"))
    password = "a brand new passphrase"
    return client.post(path, data={"password": password, "confirm": password})


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/admin/users"),
        ("post", "/admin/users"),
        ("get", "/admin/outbox"),
        ("get", "/admin/outbox/1"),
        ("post", "/admin/outbox/1/retry"),
    ],
)
def test_members_are_refused_admin_pages(client, method, path):
    factories.sign_in(client, make_user())
    response = getattr(client, method)(path, data={"email": "x@example.org"})
    assert response.status_code == 403
    assert b"Your account does not have access to this page." in response.data
    assert db.session.scalars(select(User)).all() != []
    assert factories.outbox() == []


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/admin/users")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fadmin%2Fusers"


def test_admin_sees_the_accounts(admin_client):
    make_user(name="Morgan Member")
    page = admin_client.get("/admin/users")
    assert page.status_code == 200
    assert b"Morgan Member" in page.data
    assert b"member@example.org" in page.data


def test_a_graduate_is_invited_with_a_membership_and_lands_on_the_board(
    admin_client, mailbox
):
    response = invite(admin_client, "  New@Example.org ")
    assert response.headers["Location"] == "/admin/users"
    html = page(admin_client.get("/admin/users"))
    assert "Invitation queued for new@example.org: a member" in html
    assert "Invited" in html

    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert (user.name, user.role, user.has_password) == (
        "Nia Newcomer",
        "member",
        False,
    )
    assert status_of(user).value == "current"
    assert audit_count("grant") == 1  # the grant service, as on a residency's page
    [row] = factories.outbox("invitation")
    assert row.recipient == "new@example.org"

    admin_client.post("/logout")
    assert claim(admin_client, mailbox).headers["Location"] == "/"
    landing = admin_client.get("/")
    assert landing.headers["Location"] == "/questions"
    assert admin_client.get("/questions").status_code == 200


def test_a_graduate_of_a_residency_starts_on_its_date(admin_client):
    held = time.today() - days(20)
    residency = add_residency(held, "Residency Faro")
    assert invite(admin_client, residency=str(residency.id)).status_code == 302
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    membership = grants.require_membership(user)
    assert membership.starts_on == held
    assert membership.first_residency_id == residency.id


def test_a_graduate_needs_a_residency_or_a_start_date(admin_client):
    response = admin_client.post(
        "/admin/users",
        data={"email": "new@example.org", "name": "Nia", "kind": "graduate"},
    )
    assert response.status_code == 400
    assert "needs the residency they graduated from, or a start date" in page(response)
    assert (
        db.session.scalar(select(User).where(User.email == "new@example.org")) is None
    )
    assert factories.outbox() == []


def test_a_membership_that_would_already_have_ended_is_refused(admin_client):
    response = invite(admin_client, start=date(2020, 1, 1).isoformat())
    assert response.status_code == 400
    assert "nothing to invite them to" in page(response)
    assert (
        db.session.scalar(select(User).where(User.email == "new@example.org")) is None
    )
    assert factories.outbox() == []


@pytest.mark.parametrize("role", ["moderator", "admin"])
def test_a_staff_account_has_a_role_no_membership_and_never_the_red_page(
    admin_client, mailbox, role
):
    response = invite(admin_client, kind=role)
    assert response.headers["Location"] == "/admin/users"
    html = page(admin_client.get("/admin/users"))
    said = f"new@example.org: a staff account ({role}), no membership."
    assert f"Invitation queued for {said}" in html
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.role == role
    assert grants.find_membership(user) is None
    assert audit_count("grant") == 0

    admin_client.post("/logout")
    claim(admin_client, mailbox)
    # Whatever the first page (two-factor set-up for staff), the board is open
    # to them by their role: never "You do not have a membership".
    board = admin_client.get("/questions", follow_redirects=True)
    assert "You do not have a membership" not in page(board)
    assert admin_client.get("/membership").status_code == 200
    assert "You do not have a membership" not in page(admin_client.get("/membership"))


def test_the_form_says_which_kind_of_account(admin_client):
    html = page(admin_client.get("/admin/users"))
    assert "A graduate: a member of the network" in html
    assert "Staff account (no membership): moderator" in html
    assert "Staff account (no membership): administrator" in html
    assert "From residency" in html and "Or start on" in html


def test_duplicate_email_shows_an_error_on_the_page(admin_client):
    make_user("taken@example.org", "Tak En")
    response = invite(admin_client, "Taken@example.org")
    assert response.status_code == 400
    assert b"An account for taken@example.org already exists" in response.data
    assert b"Invite someone" in response.data
    assert factories.outbox() == []


def test_invite_form_needs_a_valid_email_and_a_name(admin_client):
    response = invite(admin_client, "not-an-email", "")
    assert response.status_code == 400
    assert b"Invalid email address." in response.data
    assert b"This field is required." in response.data
    assert factories.outbox() == []


def test_unicode_names_are_invited_and_listed(admin_client, mailbox):
    invite(admin_client, "zoe@example.org", "Zoë Ångström-李")
    assert "Zoë Ångström-李" in admin_client.get("/admin/users").text
    deliver()
    assert mailbox.single("zoe@example.org")["Subject"].startswith("You're invited")
