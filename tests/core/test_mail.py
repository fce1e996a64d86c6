"""The outbox: mail is queued with the change and delivered, with retries, later."""

import smtplib
from datetime import timedelta

import pytest
from sqlalchemy import update

from portal.auth import services as accounts
from portal.core.mail import backoff, deliver_pending, queue_email
from portal.core.models import FAILED, PENDING, SENT, OutboxMessage
from portal.core.time import utcnow
from portal.extensions import db
from tests import factories
from tests.mailbox import free_port, html_of, link_in, text_of


@pytest.fixture
def smtp_down(app, mailbox):
    """The SMTP server is unreachable until the test calls the returned function."""
    working_port = app.config["MAIL_PORT"]
    app.config["MAIL_PORT"] = free_port()

    def recover() -> None:
        app.config["MAIL_PORT"] = working_port
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()

    return recover


def queue_invitation(email: str = "new@example.org", name: str = "Nia Newcomer"):
    user = accounts.create_user(email, name)
    accounts.invite(user)
    db.session.commit()
    return user


def test_invitation_arrives_with_text_and_html_parts(app, mailbox):
    queue_invitation()
    report = deliver_pending()
    assert str(report) == "1 sent, 0 to retry, 0 failed"
    message = mailbox.single("new@example.org")
    assert message["To"] == "new@example.org"
    assert message["From"] == "Residency Network <network@portal.test>"
    assert message["Subject"] == "You're invited to the Residency Network"
    assert "Hello Nia Newcomer," in text_of(message)
    assert "<p>Hello Nia Newcomer,</p>" in html_of(message)
    link = link_in(message, "/invitation/")
    assert link.startswith("http://portal.test/invitation/")
    assert f'href="{link}"' in html_of(message)


def test_mail_is_marked_sent_and_never_sent_twice(app, mailbox):
    queue_invitation()
    deliver_pending()
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert len(mailbox.messages) == 1
    [row] = factories.outbox()
    assert (row.status, row.attempts) == (SENT, 1)
    assert row.sent_at is not None


def test_names_are_escaped_in_the_html_part(app, mailbox):
    queue_invitation(name="Ann <b>Bold</b> & Co")
    deliver_pending()
    message = mailbox.single("new@example.org")
    assert "Ann &lt;b&gt;Bold&lt;/b&gt; &amp; Co" in html_of(message)
    assert "Hello Ann <b>Bold</b> & Co," in text_of(message)


def test_unicode_names_arrive_intact(app, mailbox):
    queue_invitation(name="Zoë Ångström 李明")
    deliver_pending()
    message = mailbox.single("new@example.org")
    assert "Hello Zoë Ångström 李明," in text_of(message)
    assert "Zoë Ångström 李明" in html_of(message)


def test_smtp_outage_leaves_mail_queued_for_a_retry(app, mailbox, smtp_down):
    queue_invitation()
    report = deliver_pending()
    assert str(report) == "0 sent, 1 to retry, 0 failed"
    [row] = factories.outbox()
    assert row.status == PENDING
    assert row.attempts == 1
    assert row.last_error
    assert row.next_attempt_at > utcnow() + timedelta(seconds=30)
    assert mailbox.messages == []


def test_mail_is_not_retried_before_its_time(app, mailbox, smtp_down):
    queue_invitation()
    deliver_pending()
    app.config["MAIL_PORT"] = mailbox.port
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert mailbox.messages == []


def test_after_recovery_each_message_is_delivered_exactly_once(app, mailbox, smtp_down):
    queue_invitation("one@example.org")
    queue_invitation("two@example.org")
    deliver_pending()
    recover = smtp_down
    recover()
    assert str(deliver_pending()) == "2 sent, 0 to retry, 0 failed"
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert sorted(str(m["To"]) for m in mailbox.messages) == [
        "one@example.org",
        "two@example.org",
    ]
    assert [(r.status, r.attempts) for r in factories.outbox()] == [(SENT, 2)] * 2


def test_mail_fails_for_good_after_the_last_attempt(app, mailbox, smtp_down):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    queue_invitation()
    reports = []
    for _ in range(3):
        db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow()))
        db.session.commit()
        reports.append(str(deliver_pending()))
    assert reports == [
        "0 sent, 1 to retry, 0 failed",
        "0 sent, 1 to retry, 0 failed",
        "0 sent, 0 to retry, 1 failed",
    ]
    [row] = factories.outbox()
    assert (row.status, row.attempts) == (FAILED, 3)
    smtp_down()
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert mailbox.messages == []


def test_retries_back_off_exponentially_up_to_six_hours(app):
    assert backoff(1) == timedelta(minutes=1)
    assert backoff(2) == timedelta(minutes=2)
    assert backoff(4) == timedelta(minutes=8)
    assert backoff(30) == timedelta(hours=6)


def test_rolled_back_change_sends_nothing(app, mailbox):
    user = accounts.create_user("new@example.org", "Nia Newcomer")
    queue_email(
        "invitation",
        to=user.email,
        subject="Invitation",
        user=user,
        link="http://portal.test/x",
        days=30,
    )
    db.session.rollback()
    assert factories.outbox() == []
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert mailbox.messages == []


def test_stale_claim_from_a_dead_worker_is_delivered(app, mailbox):
    queue_invitation()
    db.session.execute(
        update(OutboxMessage).values(
            status="sending", claimed_at=utcnow() - timedelta(hours=1)
        )
    )
    db.session.commit()
    assert str(deliver_pending()) == "1 sent, 0 to retry, 0 failed"
    assert len(mailbox.messages) == 1


def test_message_being_sent_by_another_worker_is_left_alone(app, mailbox):
    queue_invitation()
    db.session.execute(
        update(OutboxMessage).values(status="sending", claimed_at=utcnow())
    )
    db.session.commit()
    assert str(deliver_pending()) == "0 sent, 0 to retry, 0 failed"
    assert mailbox.messages == []


def test_mail_deliver_command_prints_the_report(app, runner, mailbox):
    queue_invitation()
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output == "mail: 1 sent, 0 to retry, 0 failed\n"
    assert len(mailbox.messages) == 1
    again = runner.invoke(args=["mail", "deliver"])
    assert again.output == "mail: 0 sent, 0 to retry, 0 failed\n"


def test_mail_deliver_command_reports_an_outage(app, runner, mailbox, smtp_down):
    queue_invitation()
    result = runner.invoke(args=["mail", "deliver"])
    assert result.exit_code == 0, result.output
    assert result.output == "mail: 0 sent, 1 to retry, 0 failed\n"


def test_mail_refused_for_a_header_injection_is_counted_once(app, mailbox, monkeypatch):
    """A rejected message, then a connection that breaks on goodbye."""
    queue_email(
        "email_changed",
        to="member@example.org",
        subject="Hello\r\nBcc: victim@example.org",
        user=factories.make_user(),
        new_email="x@example.org",
    )
    db.session.commit()

    def broken_quit(self):
        self.close()
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")

    monkeypatch.setattr(smtplib.SMTP, "quit", broken_quit)
    assert str(deliver_pending()) == "0 sent, 1 to retry, 0 failed"
    [row] = factories.outbox()
    assert (row.status, row.attempts) == (PENDING, 1)
    assert "BadHeaderError" in row.last_error
    assert mailbox.messages == []


def test_file_backend_appends_mail_to_a_log_for_development(
    app, mailbox, capsys, tmp_path
):
    log = tmp_path / "mail.log"
    app.config.update(PORTAL_MAIL_BACKEND="file", PORTAL_MAIL_FILE=str(log))
    queue_invitation()
    assert str(deliver_pending()) == "1 sent, 0 to retry, 0 failed"
    queue_invitation("second@example.org")
    deliver_pending()
    written = log.read_text(encoding="utf-8")
    assert "To: new@example.org" in written and "To: second@example.org" in written
    assert "http://portal.test/invitation/" in written
    assert capsys.readouterr().out == ""  # the terminal stays for the logins
    assert mailbox.messages == []


def test_the_mail_log_defaults_to_the_instance_folder(make_app):
    app = make_app()
    assert app.config["PORTAL_MAIL_FILE"] == f"{app.instance_path}/mail.log"


def test_console_backend_prints_mail_for_development(app, mailbox, capsys):
    app.config["PORTAL_MAIL_BACKEND"] = "console"
    queue_invitation()
    assert str(deliver_pending()) == "1 sent, 0 to retry, 0 failed"
    printed = capsys.readouterr().out
    assert "To: new@example.org" in printed
    assert "http://portal.test/invitation/" in printed
    assert mailbox.messages == []
