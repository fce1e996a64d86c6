"""With CSRF protection on, as in production, a form post needs its token."""

import re

import pytest

from tests import factories
from tests.factories import PASSWORD, deliver, make_user
from tests.mailbox import link_in

REFUSED = b"The form expired or was sent from elsewhere."


def token_from(page: bytes) -> str:
    match = re.search(rb'name="csrf_token"[^>]* value="([^"]+)"', page)
    assert match is not None, "no CSRF token in the page"
    return match.group(1).decode()


def signed_in(app):
    client = app.test_client()
    token = token_from(client.get("/login").data)
    response = client.post(
        "/login",
        data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    return client


@pytest.fixture
def protected(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user()
    return app


def test_sign_in_without_the_token_is_refused(protected):
    client = protected.test_client()
    response = client.post(
        "/login", data={"email": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert REFUSED in response.data
    assert client.get("/account").status_code == 302


def test_sign_in_with_a_token_from_another_session_is_refused(protected):
    other = protected.test_client()
    stolen = token_from(other.get("/login").data)
    client = protected.test_client()
    client.get("/login")
    response = client.post(
        "/login",
        data={
            "email": "member@example.org",
            "password": PASSWORD,
            "csrf_token": stolen,
        },
    )
    assert response.status_code == 400
    assert REFUSED in response.data


def test_sign_in_with_the_token_from_the_form_works(protected):
    client = protected.test_client()
    token = token_from(client.get("/login").data)
    response = client.post(
        "/login",
        data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_sign_out_without_the_token_is_refused(protected):
    client = signed_in(protected)
    assert client.post("/logout").status_code == 400
    assert client.get("/account").status_code == 200
    token = token_from(client.get("/account").data)
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/account").status_code == 302


def test_failed_token_check_does_not_count_as_a_failed_sign_in(make_app):
    app = make_app(WTF_CSRF_ENABLED=True, LOGIN_LIMIT_PER_ACCOUNT="1 per hour")
    with app.app_context():
        make_user()
    client = app.test_client()
    for _ in range(3):
        client.post("/login", data={"email": "member@example.org", "password": "x"})
    token = token_from(client.get("/login").data)
    response = client.post(
        "/login",
        data={"email": "member@example.org", "password": PASSWORD, "csrf_token": token},
    )
    assert response.status_code == 302


def test_email_confirmation_button_needs_the_token(protected, mailbox):
    client = signed_in(protected)
    token = token_from(client.get("/account").data)
    client.post(
        "/account/email",
        data={"email": "new@example.org", "current": PASSWORD, "csrf_token": token},
    )
    with protected.app_context():
        deliver()
    path = factories.path_of(link_in(mailbox.single("new@example.org"), "/confirm/"))

    assert client.post(path).status_code == 400
    page = client.get(path)
    assert page.status_code == 200
    response = client.post(path, data={"csrf_token": token_from(page.data)})
    assert response.headers["Location"] == "/account"
    assert b"Your sign-in email is now new@example.org." in client.get("/account").data
