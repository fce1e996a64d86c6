"""The account page: name, password and sign-in email."""

from tests import factories
from tests.factories import PASSWORD, deliver, login, make_user
from tests.mailbox import link_in, text_of

NEW_PASSWORD = "a brand new passphrase"


def change_email(client, new: str = "morgan@example.net", current: str = PASSWORD):
    return client.post("/account/email", data={"email": new, "current": current})


def confirm_path(mailbox, address: str = "morgan@example.net") -> str:
    deliver()
    return factories.path_of(link_in(mailbox.single(address), "/account/email/"))


def test_account_page_needs_sign_in(client):
    response = client.get("/account")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_member_changes_their_name(client):
    factories.sign_in(client, make_user(name="Morgan Member"))
    response = client.post("/account/name", data={"name": "  Dr. Morgan Ånd  "})
    assert response.headers["Location"] == "/account"
    page = client.get("/account")
    assert "Your name is saved." in page.text
    assert 'value="Dr. Morgan Ånd"' in page.text


def test_blank_name_is_refused(client):
    user = make_user(name="Morgan Member")
    factories.sign_in(client, user)
    response = client.post("/account/name", data={"name": "   "})
    assert response.status_code == 400
    assert b"This field is required." in response.data
    assert user.name == "Morgan Member"


def test_password_change_needs_the_current_password(client):
    factories.sign_in(client, make_user())
    response = client.post(
        "/account/password",
        data={
            "current": "a wrong guess",
            "password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
        },
    )
    assert response.status_code == 400
    assert b"Your current password is not right." in response.data
    client.post("/logout")
    assert login(client, "member@example.org", PASSWORD).status_code == 302


def test_password_change_keeps_this_device_and_signs_out_others(app):
    user = make_user()
    here, elsewhere = app.test_client(), app.test_client()
    factories.sign_in(here, user)
    factories.sign_in(elsewhere, user, remember="y")
    response = here.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.headers["Location"] == "/account"
    assert b"Your password is changed." in here.get("/account").data
    assert elsewhere.get("/account").status_code == 302
    here.post("/logout")
    assert login(here, "member@example.org", PASSWORD).status_code == 200
    assert login(here, "member@example.org", NEW_PASSWORD).status_code == 302


def test_password_change_after_remember_me_asks_to_sign_in_again(app):
    user = make_user()
    browser = app.test_client()
    factories.sign_in(browser, user, remember="y")
    reopened = app.test_client()
    reopened.set_cookie("remember_token", browser.get_cookie("remember_token").value)
    assert reopened.get("/account").status_code == 200
    response = reopened.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")
    assert user.check_password(PASSWORD)


def test_email_change_sends_a_confirmation_to_the_new_address(client, mailbox):
    factories.sign_in(client, make_user())
    response = change_email(client, "Morgan@Example.net")
    assert response.headers["Location"] == "/account"
    assert b"We sent a confirmation link to Morgan@Example.net." in (
        client.get("/account").data
    )
    deliver()
    message = mailbox.single("morgan@example.net")
    assert message["Subject"] == "Confirm your new email address"
    assert mailbox.to("member@example.org") == []


def test_confirming_changes_the_sign_in_email(client, mailbox):
    user = make_user()
    factories.sign_in(client, user)
    change_email(client)
    assert user.email == "member@example.org"

    response = client.post(confirm_path(mailbox))
    assert response.headers["Location"] == "/account"
    assert b"Your sign-in email is now morgan@example.net." in (
        client.get("/account").data
    )
    client.post("/logout")
    assert login(client, "member@example.org").status_code == 200
    assert login(client, "morgan@example.net").status_code == 302


def test_old_address_is_told_about_the_change(client, mailbox):
    factories.sign_in(client, make_user(name="Morgan Member"))
    change_email(client)
    client.post(confirm_path(mailbox))
    deliver()
    notice = mailbox.single("member@example.org")
    assert notice["Subject"] == "Your sign-in email was changed"
    assert "is now morgan@example.net" in text_of(notice)


def test_email_confirmation_link_works_once(client, mailbox):
    user = make_user()
    factories.sign_in(client, user)
    change_email(client)
    path = confirm_path(mailbox)
    client.post(path)
    for again in (client.get(path), client.post(path)):
        assert again.status_code == 410
        assert b"already been used" in again.data
    assert user.email == "morgan@example.net"


def test_email_change_needs_the_current_password(client, mailbox):
    factories.sign_in(client, make_user())
    response = change_email(client, current="a wrong guess")
    assert response.status_code == 400
    assert b"Your current password is not right." in response.data
    assert factories.outbox() == []


def test_confirming_an_address_taken_meanwhile_is_refused(client, mailbox):
    user = make_user()
    factories.sign_in(client, user)
    change_email(client)
    path = confirm_path(mailbox)
    make_user(email="morgan@example.net", name="Someone Else")
    response = client.post(path)
    assert response.headers["Location"] == "/account"
    assert b"Another account already uses that address." in (
        client.get("/account").data
    )
    assert user.email == "member@example.org"


def test_opening_the_confirmation_link_only_asks(client, mailbox):
    """Mail scanners follow links; only the button on the page changes the email."""
    user = make_user()
    factories.sign_in(client, user)
    change_email(client)
    path = confirm_path(mailbox)
    page = client.get(path)
    assert page.status_code == 200
    assert b"sign in to the Residency Network with <strong>morgan@example.net" in (
        page.data
    )
    assert user.email == "member@example.org"
    assert client.post(path).headers["Location"] == "/account"
    assert user.email == "morgan@example.net"


def test_confirmation_link_works_in_another_browser(app, mailbox):
    user = make_user()
    desk = app.test_client()
    factories.sign_in(desk, user)
    change_email(desk)
    phone = app.test_client()
    response = phone.post(confirm_path(mailbox))
    assert response.headers["Location"] == "/account"
    assert b"morgan@example.net" in phone.get("/account").data
    assert desk.get("/account").status_code == 302


def test_password_change_keeps_this_device_remembered(app):
    user = make_user()
    browser = app.test_client()
    factories.sign_in(browser, user, remember="y")
    browser.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    reopened = app.test_client()
    reopened.set_cookie("remember_token", browser.get_cookie("remember_token").value)
    assert reopened.get("/account").status_code == 200


def test_password_change_does_not_remember_a_device_that_was_not(app):
    user = make_user()
    browser = app.test_client()
    factories.sign_in(browser, user)
    browser.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert browser.get_cookie("remember_token") is None
