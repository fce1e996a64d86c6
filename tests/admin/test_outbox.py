"""Admins see undeliverable mail on the outbox page and can send it again."""

import pytest
from sqlalchemy import update

from portal.auth import services as accounts
from portal.core.mail import deliver_pending
from portal.core.models import FAILED, SENT, OutboxMessage
from portal.core.time import utcnow
from portal.extensions import db
from tests import factories
from tests.mailbox import free_port, link_in


@pytest.fixture
def admin_client(client):
    factories.sign_in(client, factories.make_admin())
    return client


def failed_invitation(app) -> OutboxMessage:
    """An invitation that could not be delivered in MAIL_MAX_ATTEMPTS tries."""
    accounts.invite(accounts.create_user("new@example.org", "Nia Newcomer"))
    db.session.commit()
    working_port = app.config["MAIL_PORT"]
    app.config.update(MAIL_PORT=free_port(), MAIL_MAX_ATTEMPTS=2)
    for _ in range(2):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        deliver_pending()
    app.config["MAIL_PORT"] = working_port
    [row] = factories.outbox("invitation")
    assert row.status == FAILED
    return row


def test_failed_mail_shows_on_the_outbox_page(app, admin_client, mailbox):
    row = failed_invitation(app)
    page = admin_client.get("/admin/outbox")
    assert page.status_code == 200
    assert b"1 message(s) could not be delivered." in page.data
    assert b"Failed (1)" in page.data
    assert b"new@example.org" in page.data

    filtered = admin_client.get("/admin/outbox?status=failed")
    assert b"You&#39;re invited to the Residency Network" in filtered.data
    assert b"No messages." in admin_client.get("/admin/outbox?status=sent").data

    detail = admin_client.get(f"/admin/outbox/{row.id}")
    assert b"Last error" in detail.data
    assert b"Retry delivery" in detail.data
    assert b"Hello Nia Newcomer," in detail.data


def test_admin_retries_a_failed_message(app, admin_client, mailbox):
    row = failed_invitation(app)
    response = admin_client.post(f"/admin/outbox/{row.id}/retry")
    assert response.headers["Location"] == f"/admin/outbox/{row.id}"
    assert (
        b"The message is queued again."
        in admin_client.get(response.headers["Location"]).data
    )

    assert str(deliver_pending()) == "1 sent, 0 to retry, 0 failed"
    assert len(mailbox.to("new@example.org")) == 1
    [row] = factories.outbox("invitation")
    assert row.status == SENT
    assert b"Retry delivery" not in admin_client.get(f"/admin/outbox/{row.id}").data


def test_retrying_a_sent_message_does_not_send_it_again(app, admin_client, mailbox):
    accounts.invite(accounts.create_user("new@example.org", "Nia Newcomer"))
    db.session.commit()
    deliver_pending()
    [row] = factories.outbox("invitation")
    response = admin_client.post(f"/admin/outbox/{row.id}/retry")
    page = admin_client.get(response.headers["Location"])
    assert b"Only a message that failed can be retried." in page.data
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert len(mailbox.to("new@example.org")) == 1


def test_unknown_message_is_not_found(admin_client):
    assert admin_client.get("/admin/outbox/999").status_code == 404
    assert admin_client.post("/admin/outbox/999/retry").status_code == 404


def test_unknown_status_filter_shows_everything(app, admin_client):
    accounts.invite(accounts.create_user("new@example.org", "Nia Newcomer"))
    db.session.commit()
    page = admin_client.get("/admin/outbox?status=<script>")
    assert page.status_code == 200
    assert b"new@example.org" in page.data
    assert b"<script>" not in page.data


def test_the_outbox_never_shows_a_usable_token_link(app, admin_client, mailbox):
    accounts.invite(accounts.create_user("new@example.org", "Nia Newcomer"))
    db.session.commit()
    [row] = factories.outbox("invitation")
    deliver_pending()
    link = link_in(mailbox.single("new@example.org"), "/invitation/")
    token = link.rsplit("/", 1)[1]

    html = admin_client.get(f"/admin/outbox/{row.id}").get_data(as_text=True)

    assert token not in html
    assert "/invitation/•••" in html
    assert 'href="http' not in html.split("<h2>Text</h2>")[1]
    # The recipient's link still works.
    assert factories.path_of(link).startswith("/invitation/")
