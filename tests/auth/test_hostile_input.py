"""Oversized, malformed and unusual input gets a clear answer, never a 500."""

import pytest

from tests import factories
from tests.factories import PASSWORD, login, make_admin, make_user
from tests.mailbox import link_in

HUGE = "x" * 100_000


@pytest.fixture
def admin_client(client):
    factories.sign_in(client, make_admin())
    return client


@pytest.mark.parametrize(
    ("email", "password"),
    [
        (HUGE + "@example.org", PASSWORD),
        ("member@example.org", HUGE),
        ("member\x00@example.org", PASSWORD),
        ("member@example.org", "pass\x00word"),
        ("\u202emember@example.org", PASSWORD),
    ],
)
def test_sign_in_with_hostile_values_fails_cleanly(client, email, password):
    make_user()
    response = login(client, email, password)
    assert response.status_code == 200
    assert b"Sign in" in response.data
    assert client.get("/account").status_code == 302


def test_huge_email_on_sign_in_is_explained(client):
    response = login(client, HUGE + "@example.org")
    assert response.status_code == 200
    assert b"Field cannot be longer than 320 characters." in response.data


@pytest.mark.parametrize(
    ("email", "name", "message"),
    [
        ("new@example.org", HUGE, b"Field cannot be longer than 120 characters."),
        (HUGE + "@example.org", "Nia", b"Invalid email address."),
        ("new@example.org", "Nia\x00Newcomer", b"contains control characters"),
        ("new\x00@example.org", "Nia", b"Invalid email address."),
        ("new@example.org", "\n\t ", b"This field is required."),
    ],
)
def test_invite_with_hostile_values_shows_an_error(admin_client, email, name, message):
    data = {"email": email, "name": name, "kind": "graduate", "start": "2030-01-01"}
    response = admin_client.post("/admin/users", data=data)
    assert response.status_code == 400
    assert message in response.data
    assert factories.outbox() == []


def test_huge_name_on_the_account_page_is_refused(client):
    user = make_user(name="Morgan Member")
    factories.sign_in(client, user)
    response = client.post("/account/name", data={"name": HUGE})
    assert response.status_code == 400
    assert b"Field cannot be longer than 120 characters." in response.data
    assert user.name == "Morgan Member"


def test_control_characters_in_a_name_are_refused(client):
    user = make_user(name="Morgan Member")
    factories.sign_in(client, user)
    response = client.post("/account/name", data={"name": "Mor\x00gan"})
    assert response.status_code == 400
    assert b"A name cannot contain control characters." in response.data
    assert user.name == "Morgan Member"


def test_huge_email_on_forgot_password_is_refused(client, mailbox):
    response = client.post("/password/forgot", data={"email": HUGE + "@example.org"})
    assert response.status_code == 200
    assert b"Invalid email address." in response.data
    assert factories.outbox() == []


def test_email_change_to_a_hostile_address_is_refused(client):
    factories.sign_in(client, make_user())
    for email in (HUGE + "@example.org", "me\x00@example.org"):
        response = client.post(
            "/account/email", data={"email": email, "current": PASSWORD}
        )
        assert response.status_code == 400
        assert b"Invalid email address." in response.data
    assert factories.outbox() == []


def test_unicode_name_and_address_work_end_to_end(client):
    user = make_user("zoë@exämple.org", "Zoë Ångström-李")
    factories.sign_in(client, user)
    assert "Zoë Ångström-李" in client.get("/account").text
    client.post("/account/name", data={"name": "Zoë Å. 李明"})
    assert 'value="Zoë Å. 李明"' in client.get("/account").text


def test_login_with_unicode_case_differences(client):
    make_user("zoë@example.org", "Zoë")
    assert login(client, "ZOË@Example.org").status_code == 302


@pytest.mark.parametrize(
    "token",
    ["x", "a" * 5000, "..", "%00", "eyJ1IjoxfQ.abc.def"],
)
def test_garbage_links_say_the_link_is_not_valid(client, token):
    for prefix in ("/invitation/", "/password/reset/", "/account/email/confirm/"):
        response = client.get(prefix + token)
        assert response.status_code in (404, 410)
        if response.status_code == 410:
            assert b"This link is not valid" in response.data


def test_token_for_another_purpose_is_not_valid(client, mailbox):
    make_user()
    client.post("/password/forgot", data={"email": "member@example.org"})
    factories.deliver()
    reset = factories.path_of(
        link_in(mailbox.single("member@example.org"), "/password/reset/")
    )
    token = reset.rsplit("/", 1)[1]
    response = client.get("/invitation/" + token)
    assert response.status_code == 410
    assert b"This link is not valid" in response.data


def test_oversized_request_body_is_refused_politely(client):
    response = client.post(
        "/login", data={"email": "a@example.org", "password": "x" * (5 * 1024 * 1024)}
    )
    assert response.status_code == 413
    assert b"That upload is too large" in response.data
