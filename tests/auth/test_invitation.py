"""Claiming an account from the invitation link."""

from datetime import timedelta

from portal.auth import services as accounts
from portal.extensions import db
from tests import factories
from tests.factories import deliver, make_user
from tests.mailbox import link_in, text_of

NEW_PASSWORD = "a brand new passphrase"


def invite(email: str = "new@example.org", name: str = "Nia Newcomer"):
    user = accounts.create_user(email, name)
    accounts.invite(user)
    db.session.commit()
    return user


def invitation_path(mailbox, address: str = "new@example.org") -> str:
    deliver()
    return factories.path_of(link_in(mailbox.to(address)[-1], "/invitation/"))


def claim(client, path: str, password: str = NEW_PASSWORD):
    return client.post(path, data={"password": password, "confirm": password})


def test_invitation_link_sets_the_password_and_signs_in(client, mailbox):
    user = invite()
    path = invitation_path(mailbox)
    page = client.get(path)
    assert page.status_code == 200
    assert b"Welcome, Nia Newcomer" in page.data
    assert b"new@example.org" in page.data

    response = claim(client, path)
    assert response.status_code == 302
    page = client.get("/account")
    assert b"Welcome to the network, Nia Newcomer." in page.data
    assert b"You sign in with <strong>new@example.org</strong>" in page.data
    assert user.claimed_at is not None
    client.post("/logout")
    assert factories.login(client, "new@example.org", NEW_PASSWORD).status_code == 302


def test_used_invitation_link_is_refused(client, mailbox):
    invite()
    path = invitation_path(mailbox)
    claim(client, path)
    client.post("/logout")

    for response in (client.get(path), claim(client, path, "another passphrase")):
        assert response.status_code == 410
        assert b"already been used" in response.data
    assert factories.login(client, "new@example.org", NEW_PASSWORD).status_code == 302


def test_short_or_mismatched_password_keeps_the_link_usable(client, mailbox):
    invite()
    path = invitation_path(mailbox)
    short = claim(client, path, "short")
    assert short.status_code == 200
    assert b"Use between 10 and 200 characters." in short.data
    mismatch = client.post(path, data={"password": NEW_PASSWORD, "confirm": "other"})
    assert b"The passwords differ." in mismatch.data
    assert claim(client, path).status_code == 302


def test_expired_invitation_link_gets_the_expired_page(client, mailbox):
    with factories.issued_ago(timedelta(days=30, minutes=1)):
        invite()
    path = invitation_path(mailbox)
    response = client.get(path)
    assert response.status_code == 410
    assert b"This link has expired" in response.data
    assert b"Invitations work for 30 days" in response.data
    assert claim(client, path).status_code == 410


def test_invitation_link_still_works_just_before_it_expires(client, mailbox):
    with factories.issued_ago(timedelta(days=29, hours=23)):
        invite()
    assert claim(client, invitation_path(mailbox)).status_code == 302


def test_tampered_invitation_link_is_not_valid(client, mailbox):
    invite()
    path = invitation_path(mailbox)
    response = client.get(path[:-3] + "abc")
    assert response.status_code == 410
    assert b"This link is not valid" in response.data


def test_correcting_the_email_invalidates_the_old_invitation(client, mailbox):
    user = invite("nia@exmaple.org")
    old_path = invitation_path(mailbox, "nia@exmaple.org")

    accounts.correct_email(user, "Nia@Example.org")
    accounts.invite(user)
    db.session.commit()

    refused = client.get(old_path)
    assert refused.status_code == 410
    assert b"This link no longer works" in refused.data
    new_path = invitation_path(mailbox, "nia@example.org")
    assert claim(client, new_path).status_code == 302
    assert user.email == "nia@example.org"


def test_invitation_mail_names_the_account_and_the_deadline(app, mailbox):
    invite()
    deliver()
    message = mailbox.single("new@example.org")
    assert message["Subject"] == "You're invited to the Residency Network"
    assert "the link works once, for 30 days" in text_of(message)
    assert "You will sign in with new@example.org." in text_of(message)


def test_claiming_signs_out_whoever_was_signed_in(client, mailbox):
    factories.sign_in(client, make_user())
    invite()
    claim(client, invitation_path(mailbox))
    assert b"You sign in with <strong>new@example.org" in client.get("/account").data
