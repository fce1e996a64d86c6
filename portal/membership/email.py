"""The membership emails, queued in the outbox in the caller's transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import url_for

from portal.auth.models import User
from portal.core.mail import queue_email, render_email
from portal.core.templating import format_date
from portal.core.urls import absolute_url
from portal.membership.status import grace_days
from portal.membership.terms import ReminderKind

# Where membership messages send people: the member's own membership page.
MEMBERSHIP_PAGE = "membership.my_membership"


def membership_page_path() -> str:
    return url_for(MEMBERSHIP_PAGE)


def membership_page_url() -> str:
    """Absolute, for mail (built from ``PORTAL_BASE_URL``)."""
    return absolute_url(MEMBERSHIP_PAGE)


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
        link=membership_page_url(),
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
        link=membership_page_url() if user.claimed_at is not None else None,
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
        link=membership_page_url(),
        headers={"X-Portal-Reminder": kind},
    )
