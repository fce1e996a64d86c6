"""Mail as data: queue an outbox row now, deliver it later with retries.

``queue_email`` only adds a row to the current session, so the mail commits or
rolls back with the change that caused it. ``deliver_pending`` claims each row
with a conditional UPDATE (safe with several workers on any database), sends it,
and records the outcome at once, so a delivered message is never sent again.

A message may name what it is about (``refs``, "kind:id"). Before sending, the
worker asks the check each feature registered for that kind (``outbox_checks``):
mail about a post held for review waits as HELD until the post is released, and
mail about something gone for good is CANCELLED, however long ago it was queued.
"""

from __future__ import annotations

import logging
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.utils import parseaddr
from typing import Any

from flask import current_app, render_template
from flask_mail import Connection, Message
from sqlalchemy import insert, select, update

from portal.core.models import (
    CANCELLED,
    FAILED,
    HELD,
    PENDING,
    SENDING,
    SENT,
    OutboxMessage,
)
from portal.core.outbox_checks import CANCEL, HOLD, verdicts
from portal.core.time import utcnow
from portal.extensions import db, mail

log = logging.getLogger(__name__)

# Backends besides "smtp": print each message, or append it to a file.
CONSOLE, FILE = "console", "file"
# A claim older than this belongs to a worker that died mid-send.
STALE_CLAIM = timedelta(minutes=15)
MAX_BACKOFF = timedelta(hours=6)


def contact_address() -> str:
    """Where members are told to write: ``PORTAL_CONTACT_EMAIL``, else the
    address the portal's mail comes from (``MAIL_DEFAULT_SENDER``)."""
    configured = current_app.config.get("PORTAL_CONTACT_EMAIL")
    if configured:
        return str(configured)
    sender = current_app.config["MAIL_DEFAULT_SENDER"]
    if isinstance(sender, tuple | list):  # Flask-Mail also takes (name, address)
        return str(sender[1])
    return parseaddr(str(sender))[1]


def render_email(
    template: str,
    *,
    to: str,
    subject: str,
    headers: dict[str, str] | None = None,
    refs: list[str] | None = None,
    **context: Any,
) -> dict[str, Any]:
    """The outbox values for ``templates/email/<template>.txt|.html``.

    Callers that fan out to many recipients insert these in one statement.
    ``refs`` names what the mail is about, for the checks at delivery time.
    """
    context.setdefault("portal_name", current_app.config["PORTAL_NAME"])
    context.setdefault("recipient", to)
    return {
        "kind": template,
        "recipient": to,
        "subject": subject,
        "text_body": render_template(f"email/{template}.txt", **context),
        "html_body": render_template(f"email/{template}.html", **context),
        "headers": headers or {},
        "refs": refs or [],
    }


def queue_email(
    template: str,
    *,
    to: str,
    subject: str,
    headers: dict[str, str] | None = None,
    refs: list[str] | None = None,
    **context: Any,
) -> OutboxMessage:
    """Add one rendered email to the session: it commits with the caller's change."""
    message = OutboxMessage(
        **render_email(
            template, to=to, subject=subject, headers=headers, refs=refs, **context
        )
    )
    db.session.add(message)
    return message


def queue_emails(rendered: list[dict[str, Any]]) -> None:
    """Add many ``render_email`` results in one multi-row INSERT (fan-outs)."""
    if rendered:
        db.session.execute(insert(OutboxMessage), rendered)


@dataclass
class DeliveryReport:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    held: int = 0
    cancelled: int = 0
    released: int = 0

    def __str__(self) -> str:
        text = f"{self.sent} sent, {self.retrying} to retry, {self.failed} failed"
        extra = [
            f"{count} {label}"
            for count, label in (
                (self.held, "held"),
                (self.released, "released"),
                (self.cancelled, "cancelled"),
            )
            if count
        ]
        return ", ".join([text, *extra])


def backoff(attempts: int) -> timedelta:
    """Exponential: base, 2 x base, 4 x base ... capped at six hours."""
    base = timedelta(seconds=current_app.config["MAIL_RETRY_BASE_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _due_ids(now: datetime, limit: int, report: DeliveryReport) -> list[int]:
    """Due messages, minus those their checks hold back or cancel now."""
    query = (
        select(OutboxMessage.id, OutboxMessage.refs)
        .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    rows = [(row.id, row.refs) for row in db.session.execute(query)]
    said = verdicts(rows)
    held = [i for i, verdict in said.items() if verdict == HOLD]
    cancelled = [i for i, verdict in said.items() if verdict == CANCEL]
    report.held += _move(held, PENDING, HELD)
    report.cancelled += _move(cancelled, PENDING, CANCELLED)
    return [i for i, _ in rows if i not in said]


def _move(ids: list[int], before: str, after: str) -> int:
    if not ids:
        return 0
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id.in_(ids), OutboxMessage.status == before)
        .values(status=after, next_attempt_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0))


def recheck_held(report: DeliveryReport, limit: int = 1000) -> None:
    """Held mail whose subject was released goes back to the queue; mail about
    something now gone is cancelled. Held rows are few (posts under review)."""
    query = (
        select(OutboxMessage.id, OutboxMessage.refs)
        .where(OutboxMessage.status == HELD)
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    rows = [(row.id, row.refs) for row in db.session.execute(query)]
    said = verdicts(rows)
    free = [i for i, _ in rows if i not in said]
    cancelled = [i for i, verdict in said.items() if verdict == CANCEL]
    report.released += _move(free, HELD, PENDING)
    report.cancelled += _move(cancelled, HELD, CANCELLED)


def _claim(message_id: int, now: datetime) -> bool:
    result = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.status == PENDING)
        .values(status=SENDING, claimed_at=now)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return bool(getattr(result, "rowcount", 0) == 1)


def release_stale_claims(now: datetime) -> int:
    """Return rows claimed by a worker that died to the queue."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.status == SENDING,
            OutboxMessage.claimed_at < now - STALE_CLAIM,
        )
        .values(status=PENDING)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(getattr(result, "rowcount", 0))


# Headers leave as written. Flask-Mail finishes with ``email.policy.SMTP``, which
# refolds any header longer than 78 characters: a one-click List-Unsubscribe
# URL (no spaces to fold at) comes out as RFC 2047 encoded-words that mail
# clients cannot read as ``<URL>``, and some subjects start with a fold. The
# hard limit is 998 characters; non-ASCII subjects arrive already encoded.
AS_WRITTEN = policy.SMTP.clone(refold_source="none")


class PortalMessage(Message):
    """Flask-Mail's message, with the portal's headers left as written."""

    def as_bytes(self) -> bytes:
        return self._message().as_bytes(policy=AS_WRITTEN)

    def as_string(self) -> str:
        return self._message().as_string(policy=AS_WRITTEN)


def to_flask_message(row: OutboxMessage) -> Message:
    return PortalMessage(
        subject=row.subject,
        recipients=[row.recipient],
        body=row.text_body,
        html=row.html_body,
        sender=current_app.config["MAIL_DEFAULT_SENDER"],
        extra_headers=dict(row.headers or {}),
    )


@contextmanager
def _socket_timeout(seconds: float) -> Iterator[None]:
    """smtplib as used by Flask-Mail has no timeout; a hung server must not hang us."""
    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(seconds)
    try:
        yield
    finally:
        socket.setdefaulttimeout(previous)


def _record_failure(row: OutboxMessage, error: Exception, now: datetime) -> bool:
    """Schedule a retry, or give up; True when the message has now failed for good."""
    row.attempts += 1
    row.last_error = f"{type(error).__name__}: {error}"[:2000]
    if row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
        row.status = FAILED
    else:
        row.status = PENDING
        row.next_attempt_at = now + backoff(row.attempts)
    return row.status == FAILED


class Writer:
    """The development backends: each message as text, to the terminal
    (``console``) or appended to a file (``file``: ``PORTAL_MAIL_FILE``, by
    default ``instance/mail.log``), so ``make run`` keeps its terminal for
    the demo logins and the server's log."""

    def __init__(self, path: str | None) -> None:
        self.path = path

    def send(self, message: Message) -> None:
        text = message.as_string() + "\n\n"
        if self.path is None:
            sys.stdout.write(text)
            sys.stdout.flush()
            return
        with open(self.path, "a", encoding="utf-8") as log_file:
            log_file.write(text)


def _send(row: OutboxMessage, connection: Connection | Writer) -> None:
    connection.send(to_flask_message(row))


def _deliver_one(message_id: int, connection: Connection | Writer) -> str:
    now = utcnow()
    if not _claim(message_id, now):
        return "skipped"
    row = db.session.get_one(OutboxMessage, message_id)
    try:
        _send(row, connection)
    except Exception as error:  # any SMTP or socket failure means: retry later
        log.warning("mail %s to %s failed: %s", row.id, row.recipient, error)
        outcome = "failed" if _record_failure(row, error, now) else "retrying"
    else:
        row.status, row.sent_at, row.attempts = SENT, utcnow(), row.attempts + 1
        outcome = "sent"
    db.session.commit()
    return outcome


@contextmanager
def _connection() -> Iterator[Connection | Writer]:
    config = current_app.config
    if config["PORTAL_MAIL_BACKEND"] in (CONSOLE, FILE):
        to_file = config["PORTAL_MAIL_BACKEND"] == FILE
        yield Writer(config["PORTAL_MAIL_FILE"] if to_file else None)
        return
    # Read the settings now, not when the app was built: an operator (or a test)
    # who points MAIL_SERVER/MAIL_PORT elsewhere is obeyed by the next run.
    # (Flask-Mail annotates Connection with Mail but hands it this state object.)
    settings: Any = mail.init_mail(config, current_app.debug, current_app.testing)
    with _socket_timeout(config["MAIL_TIMEOUT_SECONDS"]), Connection(settings) as conn:
        yield conn


def deliver_pending(limit: int = 200) -> DeliveryReport:
    """Send what is due; an unreachable server leaves everything queued for later."""
    report = DeliveryReport()
    release_stale_claims(utcnow())
    recheck_held(report)
    ids = _due_ids(utcnow(), limit, report)
    if not ids:
        return report
    done: set[int] = set()
    try:
        with _connection() as connection:
            for message_id in ids:
                _count(report, _deliver_one(message_id, connection))
                done.add(message_id)
    except OSError as error:  # no connection, or it broke: the rest retry later
        db.session.rollback()
        _defer_all([i for i in ids if i not in done], error, report)
    return report


def _count(report: DeliveryReport, outcome: str) -> None:
    if outcome == "sent":
        report.sent += 1
    elif outcome == "retrying":
        report.retrying += 1
    elif outcome == "failed":
        report.failed += 1


def _defer_all(ids: list[int], error: Exception, report: DeliveryReport) -> None:
    now = utcnow()
    for row in db.session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.id.in_(ids), OutboxMessage.status == PENDING
        )
    ):
        _count(report, "failed" if _record_failure(row, error, now) else "retrying")
    db.session.commit()


def cancel_pending_to(recipient: str) -> int:
    """Mail not yet sent to an address found to be wrong never goes there."""
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.recipient == recipient,
            OutboxMessage.status.in_((PENDING, HELD)),
        )
        .values(status=CANCELLED)
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0))


def retry_now(message_id: int) -> bool:
    """An admin puts a failed message back in the queue; False if it had not failed."""
    row = db.get_or_404(OutboxMessage, message_id)
    if row.status != FAILED:
        return False
    row.status, row.next_attempt_at, row.attempts = PENDING, utcnow(), 0
    return True
