"""Forgot password: ask for a link, choose a new password, other devices sign out."""

from datetime import timedelta

from tests import factories
from tests.factories import PASSWORD, deliver, login, make_user
from tests.mailbox import html_of, link_in, text_of

NEW_PASSWORD = "a brand new passphrase"


def ask_for_link(client, email: str = "member@example.org"):
    return client.post("/password/forgot", data={"email": email})


def reset_path(mailbox, address: str = "member@example.org") -> str:
    deliver()
    return factories.path_of(link_in(mailbox.to(address)[-1], "/password/reset/"))


def choose(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_unknown_email_gets_the_same_answer_and_no_mail(client, mailbox):
    make_user()
    known = ask_for_link(client, "member@example.org")
    unknown = ask_for_link(client, "nobody@example.org")
    assert known.status_code == unknown.status_code == 200
    assert b"Check your email" in unknown.data
    assert unknown.data.replace(b"nobody", b"member") == known.data
    assert [m.recipient for m in factories.outbox()] == ["member@example.org"]
    deliver()
    assert mailbox.to("nobody@example.org") == []


def test_known_email_gets_a_working_reset_link(client, mailbox):
    make_user(name="Morgan Member")
    ask_for_link(client, "Member@Example.org")
    deliver()
    message = mailbox.single("member@example.org")
    assert message["Subject"] == "Reset your password"
    assert "Hello Morgan Member" in text_of(message)
    assert "choose a new password" in html_of(message)
    path = factories.path_of(link_in(message, "/password/reset/"))

    assert b"Choose a new password" in client.get(path).data
    response = choose(client, path)
    assert response.headers["Location"] == "/"
    assert b"Your password is changed." in client.get("/account").data
    client.post("/logout")
    assert login(client, "member@example.org", PASSWORD).status_code == 200
    assert login(client, "member@example.org", NEW_PASSWORD).status_code == 302


def test_replayed_reset_link_is_refused(client, mailbox):
    make_user()
    ask_for_link(client)
    path = reset_path(mailbox)
    choose(client, path)
    client.post("/logout")
    response = choose(client, path, "an attacker's passphrase")
    assert response.status_code == 410
    assert b"already been used" in response.data
    assert login(client, "member@example.org", NEW_PASSWORD).status_code == 302


def test_reset_link_older_than_an_hour_is_refused(client, mailbox):
    make_user()
    with factories.issued_ago(timedelta(hours=1, seconds=5)):
        ask_for_link(client)
    path = reset_path(mailbox)
    response = client.get(path)
    assert response.status_code == 410
    assert b"This link has expired" in response.data
    assert b"Password reset links work for one hour" in response.data
    assert choose(client, path).status_code == 410
    assert login(client, "member@example.org", PASSWORD).status_code == 302


def test_reset_link_works_within_the_hour(client, mailbox):
    make_user()
    with factories.issued_ago(timedelta(minutes=59)):
        ask_for_link(client)
    assert choose(client, reset_path(mailbox)).status_code == 302


def test_reset_signs_out_other_devices(app, mailbox):
    user = make_user()
    laptop, phone = app.test_client(), app.test_client()
    factories.sign_in(laptop, user, remember="y")
    assert laptop.get("/account").status_code == 200

    ask_for_link(phone)
    choose(phone, reset_path(mailbox))
    assert phone.get("/account").status_code == 200

    response = laptop.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_remember_cookie_stops_working_after_a_reset(app, mailbox):
    user = make_user()
    browser = app.test_client()
    factories.sign_in(browser, user, remember="y")
    remember = browser.get_cookie("remember_token")
    assert remember is not None

    def reopened_browser():
        """The browser restarted: only the long-lived remember cookie is left."""
        fresh = app.test_client()
        fresh.set_cookie("remember_token", remember.value)
        return fresh

    assert reopened_browser().get("/account").status_code == 200
    ask_for_link(app.test_client())
    choose(app.test_client(), reset_path(mailbox))
    assert reopened_browser().get("/account").status_code == 302


def test_reset_link_lets_an_invited_member_set_a_first_password(client, mailbox):
    user = make_user(password=None)
    ask_for_link(client)
    choose(client, reset_path(mailbox))
    assert user.claimed_at is not None
    assert client.get("/account").status_code == 200


def test_forgot_form_needs_a_valid_email(client, mailbox):
    response = ask_for_link(client, "not an email")
    assert response.status_code == 200
    assert b"Invalid email address." in response.data
    assert factories.outbox() == []


def test_link_in_the_mail_ignores_the_host_the_request_came_to(client, mailbox):
    make_user()
    client.post(
        "/password/forgot",
        data={"email": "member@example.org"},
        headers={"Host": "evil.example"},
    )
    deliver()
    body = text_of(mailbox.single("member@example.org"))
    assert "http://portal.test/password/reset/" in body
    assert "evil.example" not in body
