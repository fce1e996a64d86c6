"""Renewal requests: a member asks for another year, an admin answers once.

Who may ask is ``status.may_request_renewal`` (grace, expired, or within the
first reminder's window). One open request per membership is a partial unique
index: the request is an ``INSERT … ON CONFLICT DO NOTHING``, so a second click
or a double submit finds the first and says when it was made. An answer is a
conditional UPDATE of an open request, so two admins clicking at once decide it
once. Approving extends through ``grants.extend`` (the usual renewal rules,
audited as "Renewal request approved"); declining sends the admin's message.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import select, update

from portal.auth.models import ADMIN, User
from portal.core import time
from portal.core.atomic import changed, insert_ignore
from portal.core.mail import contact_address
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership import email as membership_mail
from portal.membership.errors import MembershipError
from portal.membership.models import (
    APPROVED,
    DECLINED,
    RENEWAL_MESSAGE_MAX,
    RENEWAL_NOTE_MAX,
    RenewalRequest,
)
from portal.membership.queries.renewals import open_request_of
from portal.membership.services import audit, grants
from portal.membership.status import Status, may_request_renewal, status_on
from portal.membership.terms import FIRST_REMINDER_DAYS

APPROVED_REASON = "Renewal request approved"


def renewal_recipients() -> list[str]:
    """``PORTAL_RENEWALS_EMAIL``, else ``PORTAL_CONTACT_EMAIL``, else every admin."""
    config = current_app.config
    address = config.get("PORTAL_RENEWALS_EMAIL") or config.get("PORTAL_CONTACT_EMAIL")
    if address:
        return [str(address)]
    admins = select(User.email).where(User.role == ADMIN).order_by(User.id)
    return list(db.session.scalars(admins))


def _not_now(status: Status, days_left: int | None) -> str:
    if status in (Status.REVOKED, Status.SUSPENDED):
        return (
            f"Your membership is {status.value}, so it cannot be renewed from here;"
            f" write to the network at {contact_address()}."
        )
    if status is Status.CURRENT and days_left is not None:
        return (
            f"Your membership has {days_left} days left; you can ask to renew"
            f" from {FIRST_REMINDER_DAYS} days before it ends."
        )
    return "Your membership has not started yet; there is nothing to renew."


def already_requested(request: RenewalRequest) -> str:
    return (
        f"You already requested renewal on {format_date(request.created_at)};"
        " an admin will answer by email."
    )


def request_renewal(
    user: User, note: str | None = None, *, today: date | None = None
) -> RenewalRequest:
    """Record the member's request and tell whoever handles renewals."""
    today = today or time.today()
    membership = grants.find_membership(user)
    if membership is None:
        raise MembershipError(
            "You have no membership to renew; write to the network at"
            f" {contact_address()}."
        )
    info = status_on(membership, today)
    if not may_request_renewal(info):
        raise MembershipError(_not_now(info.status, info.days_left))
    note = grants.checked_text(note, "The note", RENEWAL_NOTE_MAX, multiline=True)
    inserted = insert_ignore(
        RenewalRequest,
        membership_id=membership.id,
        note=note or None,
        created_at=time.utcnow(),
    )
    request = open_request_of(membership.id)
    if request is None:  # answered between the insert and this read
        raise MembershipError("Your request was just answered; reload the page.")
    if not inserted:
        raise MembershipError(already_requested(request))
    membership_mail.send_renewal_requested(
        renewal_recipients(), user, membership.ends_on, info.status, request.note
    )
    return request


def _decide(
    request_id: int, outcome: str, actor: User, message: str | None
) -> RenewalRequest:
    """Close an open request; refuses one that is unknown or already answered."""
    decided = changed(
        update(RenewalRequest)
        .where(RenewalRequest.id == request_id, RenewalRequest.decided_at.is_(None))
        .values(
            decided_at=time.utcnow(),
            decided_by_id=actor.id,
            outcome=outcome,
            message=message,
        )
        .returning(RenewalRequest.id)
    )
    request = db.session.get(RenewalRequest, request_id, populate_existing=True)
    if request is None:
        raise MembershipError("There is no such renewal request.")
    if not decided:
        raise MembershipError(
            f"That request was already {request.outcome}"
            f" on {format_date(request.decided_at)}."
        )
    return request


def approve(
    request_id: int, *, actor: User, today: date | None = None
) -> grants.GrantResult:
    """Extend by one term under the usual rules; the member is told the new end."""
    request = _decide(request_id, APPROVED, actor, None)
    user = request.membership.user
    result = grants.extend(
        user, actor=actor, reason=APPROVED_REASON, today=today, notify=False
    )
    if result.term is not None:
        membership_mail.send_renewal_approved(
            user, result.term.starts_on, result.membership.ends_on
        )
    return result


def decline(request_id: int, *, actor: User, message: str) -> RenewalRequest:
    """Close the request with the admin's message, which the member receives."""
    message = grants.checked_text(
        message,
        "A message to the member",
        RENEWAL_MESSAGE_MAX,
        required=True,
        multiline=True,
    )
    request = _decide(request_id, DECLINED, actor, message)
    membership = request.membership
    audit.record(
        audit.RENEWAL_DECLINE,
        actor=actor,
        membership=membership,
        reason=message,
        end_before=membership.ends_on,
        end_after=membership.ends_on,
        detail={"renewal_request_id": request.id},
    )
    membership_mail.send_renewal_declined(membership.user, message, request.created_at)
    return request
