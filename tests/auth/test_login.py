"""Signing in and out."""

import pytest

from tests import factories
from tests.factories import (
    fresh_code,
    login,
    make_admin,
    make_member,
    make_moderator,
    make_user,
)

GENERIC = b"That email and password do not match an account."


def test_member_signs_in_and_reaches_their_account(client):
    make_user(name="Morgan Member")
    response = login(client, "member@example.org")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    page = client.get("/account")
    assert page.status_code == 200
    assert b"Morgan Member" in page.data


def test_admins_land_on_their_dashboard_members_on_the_board(client):
    admin = make_admin()
    response = login(client, "admin@example.org")
    assert response.headers["Location"].startswith("/login/code")
    response = client.post("/login/code", data={"code": fresh_code(admin)})
    assert response.headers["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    client.post("/logout")
    make_member("reader@example.org", "Rita Reader")
    response = login(client, "reader@example.org")
    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/questions"
    client.post("/logout")
    moderator = make_moderator()
    login(client, "moderator@example.org")
    response = client.post("/login/code", data={"code": fresh_code(moderator)})
    assert response.headers["Location"] == "/"


def test_a_next_page_wins_over_the_admin_dashboard(client):
    admin = make_admin()
    login(client, "admin@example.org", next="/questions")
    response = client.post("/login/code", data={"code": fresh_code(admin)})
    assert response.headers["Location"] == "/questions"


def test_wrong_password_gets_the_generic_message(client):
    make_user()
    response = login(client, "member@example.org", "not the password")
    assert response.status_code == 200
    assert GENERIC in response.data
    assert client.get("/account").status_code == 302


def test_unknown_email_gets_the_same_message_as_a_wrong_password(client):
    make_user()
    wrong_password = login(client, "member@example.org", "not the password")
    unknown = login(client, "nobody@example.org", "not the password")
    assert GENERIC in unknown.data
    assert unknown.data.replace(b"nobody", b"member") == wrong_password.data


def test_invited_member_without_password_cannot_sign_in(client):
    make_user(password=None)
    response = login(client, "member@example.org", "")
    assert response.status_code == 200
    assert client.get("/account").status_code == 302


def test_sign_in_ignores_the_case_and_spaces_of_the_email(client):
    make_user(email="member@example.org")
    response = login(client, "  Member@EXAMPLE.org ")
    assert response.status_code == 302
    assert client.get("/account").status_code == 200


def test_next_page_is_honoured_after_sign_in(client):
    make_user()
    bounced = client.get("/account")
    assert bounced.headers["Location"] == "/login?next=%2Faccount"
    form = client.get(bounced.headers["Location"])
    assert b'value="/account"' in form.data
    response = login(client, "member@example.org", next="/account")
    assert response.headers["Location"] == "/account"


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "//evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:alert(1)",
        "/\tevil.example",
        "https:/evil.example",
    ],
)
def test_off_site_next_page_goes_home_instead(client, target):
    make_user()
    response = login(client, "member@example.org", next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_from_the_query_string_is_checked_too(client):
    make_user()
    page = client.get("/login?next=//evil.example")
    assert page.status_code == 200
    response = login(client, "member@example.org", next="//evil.example")
    assert response.headers["Location"] == "/"


def test_signed_in_member_visiting_login_goes_home(client):
    factories.sign_in(client, make_user())
    response = client.get("/login")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_sign_out_ends_the_session(client):
    factories.sign_in(client, make_user())
    response = client.post("/logout")
    assert response.headers["Location"] == "/login"
    assert b"You are signed out." in client.get("/login").data
    assert client.get("/account").status_code == 302


def test_sign_out_needs_a_post(client):
    factories.sign_in(client, make_user())
    assert client.get("/logout").status_code == 405
    assert client.get("/account").status_code == 200


def test_successful_sign_in_records_the_time(client):
    user = make_user()
    assert user.last_login_at is None
    factories.sign_in(client, user)
    assert user.last_login_at is not None
