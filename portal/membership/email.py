"""The membership emails, queued in the outbox in the caller's transaction.

Every mail that sends a member to their membership page uses ``member_link``: an
account that was never claimed cannot sign in, so it gets a fresh set-password
link that lands on that page instead (never a second full invitation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import url_for

from portal.auth.email import invitation_link
from portal.auth.models import User
from portal.core.mail import queue_email, queue_emails, render_email
from portal.core.outbox_checks import ref
from portal.core.templating import format_date
from portal.core.urls import absolute_url
from portal.membership.models import Membership
from portal.membership.status import Status, grace_days
from portal.membership.terms import ReminderKind

# Where membership messages send people: the member's own membership page.
MEMBERSHIP_PAGE = "membership.my_membership"


def membership_page_path() -> str:
    return url_for(MEMBERSHIP_PAGE)


def membership_page_url() -> str:
    """Absolute, for mail (built from ``PORTAL_BASE_URL``)."""
    return absolute_url(MEMBERSHIP_PAGE)


@dataclass(frozen=True)
class MemberLink:
    """The link a membership mail carries, and whether it sets a password first."""

    url: str
    set_password: bool = False


def member_link(user: User) -> MemberLink:
    """The membership page; for an unclaimed account, a fresh set-password link
    that signs the member in and lands there."""
    page = membership_page_url()
    if user.claimed_at is not None:
        return MemberLink(page)
    return MemberLink(invitation_link(user, next_path=urlsplit(page).path), True)


def invitation_note(start: date, end: date, today: date) -> str:
    """What a new graduate's invitation says about their membership."""
    if end < today:
        return f"Your membership ended on {format_date(end)}."
    if start > today:
        return (
            f"You are a member from {format_date(start)} through {format_date(end)};"
            " set your password here."
        )
    return f"You are a member through {format_date(end)}; set your password here."


# Mail that promises membership names the member so: the outbox worker cancels
# it if the membership is revoked before it goes (``register_mail_checks``).
PROMISE = "membership"


def promise(user: User) -> str:
    return ref(PROMISE, user.id)


def term_notice_email(
    user: User, end: date, term_start: date, term_end: date
) -> dict[str, Any]:
    """To someone who already has an account: their run now ends on ``end``,
    and the new term in it (an extension's starts after the run's start)."""
    return render_email(
        "membership_granted",
        to=user.email,
        subject=f"Your membership now runs through {format_date(end)}",
        user=user,
        end=end,
        term_start=term_start,
        term_end=term_end,
        link=member_link(user),
        refs=[promise(user)],
    )


def ended_term_email(user: User, start: date, end: date) -> dict[str, Any]:
    """A back-dated term that is already over: recorded, and not an invitation.

    Only a claimed account gets a link: an unclaimed one cannot sign in.
    """
    return render_email(
        "membership_term_ended",
        to=user.email,
        subject=f"Your membership ended on {format_date(end)}",
        user=user,
        start=start,
        end=end,
        link=member_link(user),
    )


SUBJECTS = {
    "expiring_30": "Your membership ends on {end}",
    "expiring_7": "Your membership ends in a week, on {end}",
    "ended": "Your membership ended on {end}",
}


def send_reminder(user: User, kind: ReminderKind, end: date, today: date) -> None:
    template = "membership_ended" if kind == "ended" else "membership_expiring"
    queue_email(
        template,
        to=user.email,
        subject=SUBJECTS[kind].format(end=format_date(end)),
        user=user,
        end=end,
        days_left=(end - today).days,
        grace_days=grace_days(),
        link=member_link(user),
        headers={"X-Portal-Reminder": kind},
        refs=[promise(user)],
    )


STANDING_SUBJECTS = {
    "revoke": "Your membership has been revoked",
    "suspend": "Your membership is suspended until {until}",
    "reinstate": "Your membership is reinstated",
}


def send_standing_notice(
    membership: Membership,
    action: str,
    *,
    status: Status,
    reason: str | None,
    today: date,
) -> None:
    """Revoked, suspended or reinstated: a short notice; ``reason`` only when
    the admin chose to tell the member why."""
    until = membership.suspended_until
    queue_email(
        "membership_standing",
        to=membership.user.email,
        subject=STANDING_SUBJECTS[action].format(until=format_date(until)),
        user=membership.user,
        action=action,
        status=status.value,
        start=membership.starts_on,
        end=membership.ends_on,
        until=until,
        today=today,
        reason=reason,
        link=member_link(membership.user),
    )


def send_renewal_requested(
    recipients: list[str], member: User, end: date, status: Status, note: str | None
) -> None:
    """To whoever handles renewals: one mail each, in one INSERT."""
    queue_emails(
        [
            render_email(
                "renewal_requested",
                to=recipient,
                subject=f"Renewal request from {member.name}",
                member=member,
                end=end,
                status=status.value,
                note=note,
                link=absolute_url("admin.dashboard") + "#renewals",
            )
            for recipient in recipients
        ]
    )


def send_renewal_approved(user: User, start: date, end: date) -> None:
    queue_email(
        "renewal_approved",
        to=user.email,
        subject=f"Renewed: your membership now runs through {format_date(end)}",
        user=user,
        start=start,
        end=end,
        link=member_link(user),
    )


def send_renewal_declined(user: User, message: str, requested_at: datetime) -> None:
    queue_email(
        "renewal_declined",
        to=user.email,
        subject="About your renewal request",
        user=user,
        message=message,
        requested_on=requested_at,
        link=member_link(user),
    )
