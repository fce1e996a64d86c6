"""Guessing passwords is slowed down per account and per address."""

from tests import factories
from tests.factories import login, make_user

TOO_MANY = b"Too many attempts"


def fail(client, email: str = "member@example.org"):
    return login(client, email, "a wrong guess")


def from_address(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_sixth_failed_sign_in_for_an_account_is_refused(app):
    make_user()
    client = app.test_client()
    for _ in range(5):
        assert fail(client).status_code == 200
    response = fail(client)
    assert response.status_code == 429
    assert TOO_MANY in response.data
    assert b"use the reset link on the sign-in page" in response.data
    assert login(client, "member@example.org").status_code == 429


def test_account_limit_holds_across_addresses_and_spellings(app):
    make_user()
    for number in range(5):
        fail(from_address(app, f"192.0.2.{number}"), "MEMBER@example.org ")
    assert fail(from_address(app, "198.51.100.1")).status_code == 429


def test_account_limit_leaves_other_accounts_alone(app):
    make_user()
    other = make_user("other@example.org", "Olu Other")
    client = app.test_client()
    for _ in range(6):
        fail(client)
    factories.sign_in(client, other)


def test_successful_sign_ins_do_not_count(app):
    user = make_user()
    client = app.test_client()
    for _ in range(6):
        factories.sign_in(client, user)
        client.post("/logout")
    for _ in range(5):
        assert fail(client).status_code == 200
    assert fail(client).status_code == 429


def test_too_many_failures_from_one_address_are_refused(make_app):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="3 per 15 minutes")
    with app.app_context():
        make_user()
    client = from_address(app, "203.0.113.9")
    for number in range(3):
        assert fail(client, f"guess{number}@example.org").status_code == 200
    response = fail(client, "guess9@example.org")
    assert response.status_code == 429
    assert TOO_MANY in response.data
    assert login(client, "member@example.org").status_code == 429
    assert login(
        from_address(app, "203.0.113.10"), "member@example.org"
    ).status_code == (302)


def test_opening_the_sign_in_page_does_not_count(make_app):
    app = make_app(LOGIN_LIMIT_PER_ADDRESS="2 per 15 minutes")
    client = app.test_client()
    for _ in range(5):
        assert client.get("/login").status_code == 200


def test_reset_requests_from_one_address_are_limited(make_app):
    app = make_app(FORGOT_LIMIT_PER_ADDRESS="2 per hour")
    client = app.test_client()
    for _ in range(2):
        response = client.post("/password/forgot", data={"email": "a@example.org"})
        assert response.status_code == 200
    response = client.post("/password/forgot", data={"email": "a@example.org"})
    assert response.status_code == 429
    assert TOO_MANY in response.data
