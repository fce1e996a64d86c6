"""Where a new term falls for a member, and how it moves their membership."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app

from portal.membership.errors import MembershipError
from portal.membership.models import Membership, Residency
from portal.membership.terms import renewal_start, term_end


def grace_days() -> int:
    return int(current_app.config["MEMBERSHIP_GRACE_DAYS"])


@dataclass(frozen=True)
class TermPlan:
    """Where a new term would fall for this member, and the gap before it."""

    start: date
    end: date
    gap_days: int | None = None


def plan_term(
    membership: Membership | None,
    *,
    today: date,
    requested: date | None = None,
    residency: Residency | None = None,
    grace: int = 30,
) -> TermPlan:
    """The next term: a first one on the residency date (or ``requested``); later
    ones per ``terms.renewal_start``."""
    if membership is None:
        start = requested or (residency.held_on if residency else today)
        return TermPlan(start, term_end(start))
    if requested is None and residency is not None and residency.held_on > today:
        requested = residency.held_on
    try:
        start = renewal_start(membership.ends_on, today, grace, requested)
    except ValueError as error:
        raise MembershipError(str(error)) from error
    gap = (start - membership.ends_on).days - 1
    return TermPlan(start, term_end(start), gap if gap > 0 else None)


def apply_term(
    membership: Membership, plan: TermPlan, residency_id: int | None
) -> None:
    """Move the membership's run to include the planned term (which follows it)."""
    if plan.gap_days or plan.start < membership.starts_on:
        membership.starts_on = plan.start
    membership.ends_on = max(membership.ends_on, plan.end)
    membership.member_since = min(membership.member_since, plan.start)
    if residency_id is not None and membership.first_residency_id is None:
        membership.first_residency_id = residency_id
