"""Admins invite people from the accounts page; members cannot get in."""

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from tests import factories
from tests.factories import deliver, make_admin, make_user
from tests.mailbox import link_in


@pytest.fixture
def admin_client(client):
    factories.sign_in(client, make_admin())
    return client


def invite(client, email: str = "new@example.org", name: str = "Nia Newcomer", **extra):
    return client.post("/admin/users", data={"email": email, "name": name, **extra})


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


def test_invite_form_creates_the_account_and_queues_the_invitation(
    admin_client, mailbox
):
    response = invite(admin_client, "  New@Example.org ")
    assert response.headers["Location"] == "/admin/users"
    page = admin_client.get("/admin/users")
    assert b"Invitation queued for new@example.org." in page.data
    assert b"Invited" in page.data

    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user is not None
    assert (user.name, user.role, user.has_password) == (
        "Nia Newcomer",
        "member",
        False,
    )
    [row] = factories.outbox("invitation")
    assert row.recipient == "new@example.org"
    deliver()
    assert "/invitation/" in link_in(mailbox.single("new@example.org"), "/invitation/")


def test_invite_form_can_make_an_admin(admin_client):
    invite(admin_client, admin="y")
    user = db.session.scalar(select(User).where(User.email == "new@example.org"))
    assert user.is_admin


def test_duplicate_email_shows_an_error_on_the_page(admin_client):
    make_user("taken@example.org", "Tak En")
    response = invite(admin_client, "Taken@example.org")
    assert response.status_code == 400
    assert b"An account for taken@example.org already exists." in response.data
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
    page = admin_client.get("/admin/users")
    assert "Zoë Ångström-李" in page.text
    deliver()
    assert mailbox.single("zoe@example.org")["Subject"].startswith("You're invited")
