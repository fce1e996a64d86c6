"""Grants and extensions: where a new term falls, and writing it.

Services take plain arguments (the acting user, dates), flush but never commit,
and raise ``MembershipError`` with a message that is safe to show. The caller (a
view or a command) commits once, so a change, its audit entry and its mail are
kept or lost together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.auth import services as accounts
from portal.auth.models import User
from portal.core import time
from portal.core.atomic import execute
from portal.core.mail import queue_emails
from portal.core.validation import clean_text, email_problem
from portal.extensions import db
from portal.membership import email as membership_mail
from portal.membership.access import forget_standing
from portal.membership.errors import MembershipError
from portal.membership.models import (
    APPROVED,
    EXTENSION,
    GRANT,
    RESIDENCY,
    AuditEntry,
    Membership,
    RenewalRequest,
    Residency,
    Term,
)
from portal.membership.services import audit
from portal.membership.services.profiles import fill_profile_blanks
from portal.membership.status import Status, grace_days, status_on
from portal.membership.terms import renewal_start, term_end


def find_membership(user: User) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id))


def require_membership(user: User) -> Membership:
    membership = find_membership(user)
    if membership is None:
        raise MembershipError(f"{user.email} has no membership.")
    return membership


def status_of(membership: Membership, today: date) -> Status:
    return status_on(membership, today).status


def checked_text(
    value: str | None,
    what: str,
    limit: int,
    required: bool = False,
    multiline: bool = False,
) -> str:
    try:
        return (
            clean_text(value, what, limit, required=required, multiline=multiline) or ""
        )
    except ValueError as error:
        raise MembershipError(str(error)) from error


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
) -> TermPlan:
    """The next term: a first one on the residency date (or ``requested``); later
    ones per ``terms.renewal_start``."""
    if membership is None:
        start = requested or (residency.held_on if residency else today)
        return TermPlan(start, term_end(start))
    if requested is None and residency is not None and residency.held_on > today:
        requested = residency.held_on
    try:
        start = renewal_start(membership.ends_on, today, grace_days(), requested)
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


@dataclass(frozen=True)
class GrantResult:
    """``term`` is None when nothing changed (that residency was already granted)."""

    membership: Membership
    term: Term | None
    created: bool = False

    @property
    def changed(self) -> bool:
        return self.term is not None


def _has_residency_term(membership: Membership, residency: Residency) -> bool:
    found = db.session.scalar(
        select(Term.id).where(
            Term.membership_id == membership.id, Term.residency_id == residency.id
        )
    )
    return found is not None


def _new_membership(user: User, plan: TermPlan) -> Membership | None:
    """Insert a membership, or None when another transaction just made one."""
    membership = Membership(
        user=user, member_since=plan.start, starts_on=plan.start, ends_on=plan.end
    )
    try:
        with db.session.begin_nested():
            db.session.add(membership)
    except IntegrityError:
        return None
    return membership


def _insert_once(term: Term) -> bool:
    """The UNIQUE (membership, residency) key decides, even under a race."""
    try:
        with db.session.begin_nested():
            db.session.add(term)
    except IntegrityError:
        return False
    return True


@dataclass(frozen=True)
class GrantNotice:
    """Who hears about a grant: their run of terms after it, and the new term."""

    user: User
    start: date
    end: date
    term: TermPlan


def _needs_invitation(user: User) -> bool:
    """Only an account never invited gets the full invitation; later mail to an
    unclaimed one carries a fresh set-password link instead (``member_link``)."""
    return user.claimed_at is None and user.invited_at is None


def notify_granted(
    notices: list[GrantNotice],
    today: date,
    *,
    current: bool = True,
    ended: bool = False,
) -> None:
    """An invitation for each account never invited, otherwise a 'now runs
    through' (to an unclaimed account with a fresh set-password link);
    a roster's thousands of mails go out in two multi-row INSERTs.

    A run that ended before ``today`` (a back-dated cohort) promises nothing: it
    is recorded silently, or with an honest 'your membership ended' if ``ended``.
    """
    if ended:
        over = [n for n in notices if n.end < today]
        queue_emails(
            [membership_mail.ended_term_email(n.user, n.start, n.end) for n in over]
        )
    notices = [n for n in notices if n.end >= today] if current else []
    invitations = [
        (n.user, membership_mail.invitation_note(n.start, n.end, today))
        for n in notices
        if _needs_invitation(n.user)
    ]
    notices = [n for n in notices if not _needs_invitation(n.user)]
    accounts.invite_many(invitations)
    queue_emails(
        [
            membership_mail.term_notice_email(n.user, n.end, n.term.start, n.term.end)
            for n in notices
        ]
    )


def _check_grantable(user: User, membership: Membership | None) -> None:
    if membership is not None and membership.is_revoked:
        raise MembershipError(
            f"The membership of {user.email} is revoked; reinstate it first."
        )


def _write_term(
    user: User,
    membership: Membership,
    plan: TermPlan,
    values: dict[str, Any],
    before: tuple[date, Status] | None,
    today: date,
) -> Term | None:
    """The ledger row, the run's new bounds and the audit entry; None if the
    (membership, residency) key says this term was already granted."""
    term = Term(**values)
    if not _insert_once(term):
        return None
    apply_term(membership, plan, term.residency_id)
    after = status_of(membership, today)
    membership.last_status = after.value
    entry = grant_entry(
        values, user.id, end_before=before[0] if before else None,
        end_after=membership.ends_on, before=before[1] if before else None,
        after=after,
    )  # fmt: skip
    db.session.add(AuditEntry(**entry))
    if before is not None:
        _answer_renewal_request(membership.id, values["granted_by_id"])
    forget_standing(user.id)
    return term


def _answer_renewal_request(membership_id: int, actor_id: int | None) -> None:
    """A new term answers the member's open renewal request however it came:
    an approval closed it already; an admin's own extend or grant closes it here,
    so the queue never offers a second year."""
    execute(
        update(RenewalRequest)
        .where(
            RenewalRequest.membership_id == membership_id,
            RenewalRequest.decided_at.is_(None),
        )
        .values(decided_at=time.utcnow(), decided_by_id=actor_id, outcome=APPROVED)
    )


def grant_term(
    user: User,
    *,
    actor: User | None,
    reason: str | None = None,
    residency: Residency | None = None,
    start: date | None = None,
    source: str | None = None,
    today: date | None = None,
    notify: bool = True,
) -> GrantResult:
    """Add a term for ``user`` (creating their membership if needed)."""
    today = today or time.today()
    reason = checked_text(reason, "The reason", 500, multiline=True) or None
    membership = find_membership(user)
    _check_grantable(user, membership)
    if membership and residency and _has_residency_term(membership, residency):
        return GrantResult(membership, None)
    before = (membership.ends_on, status_of(membership, today)) if membership else None
    plan = plan_term(membership, today=today, requested=start, residency=residency)
    created = membership is None
    if membership is None:
        membership = _new_membership(user, plan)
        if membership is None:  # lost a race: start over as an existing member
            return grant_term(
                user, actor=actor, reason=reason, residency=residency, start=start,
                source=source, today=today, notify=notify,
            )  # fmt: skip
    values = term_values(
        membership.id, plan, source=source or (RESIDENCY if residency else GRANT),
        residency_id=residency.id if residency else None, actor=actor, reason=reason,
    )  # fmt: skip
    term = _write_term(user, membership, plan, values, before, today)
    if term is not None and notify:
        notice = GrantNotice(user, membership.starts_on, membership.ends_on, plan)
        notify_granted([notice], today)
    return GrantResult(membership, term, created if term else False)


def grant_detail(
    source: str,
    start: date,
    residency_id: int | None,
    gap_days: int | None,
    status_before: Status | None,
    status_after: Status,
) -> dict[str, object]:
    """What a grant's audit entry records besides the end dates."""
    detail: dict[str, object] = {
        "source": source,
        "start": start.isoformat(),
        "status_before": status_before.value if status_before else None,
        "status_after": status_after.value,
    }
    if residency_id is not None:
        detail["residency_id"] = residency_id
    if gap_days:
        detail["gap_days"] = gap_days
    return detail


def term_values(
    membership_id: int | None,
    plan: TermPlan,
    *,
    source: str,
    residency_id: int | None,
    actor: User | None,
    reason: str | None,
) -> dict[str, Any]:
    """The ledger row of one grant: the same for a single grant and a roster."""
    return {
        "membership_id": membership_id,
        "starts_on": plan.start,
        "ends_on": plan.end,
        "source": source,
        "residency_id": residency_id,
        "granted_by_id": actor.id if actor else None,
        "reason": reason,
        "gap_days": plan.gap_days,
    }


def grant_entry(
    term: dict[str, Any],
    user_id: int,
    *,
    end_before: date | None,
    end_after: date,
    before: Status | None,
    after: Status,
) -> dict[str, Any]:
    """The audit row of one grant (``term`` from ``term_values``)."""
    return {
        "action": audit.EXTEND if term["source"] == EXTENSION else audit.GRANT,
        "actor_id": term["granted_by_id"],
        "membership_id": term["membership_id"],
        "user_id": user_id,
        "reason": term["reason"],
        "end_before": end_before,
        "end_after": end_after,
        "detail": grant_detail(
            term["source"],
            term["starts_on"],
            term["residency_id"],
            term["gap_days"],
            before,
            after,
        ),
    }


def add_graduate(
    email: str,
    name: str,
    *,
    actor: User | None,
    residency: Residency | None = None,
    start: date | None = None,
    reason: str | None = None,
    organisation: str | None = None,
    title: str | None = None,
    today: date | None = None,
    notify: bool = True,
) -> GrantResult:
    """A graduate (new or known) gets a term; a new account is invited."""
    problem = email_problem(email)
    if problem:
        raise MembershipError(problem)
    user = accounts.find_by_email(email)
    if user is None:
        try:
            user = accounts.create_user(email, checked_text(name, "A name", 120, True))
        except accounts.AccountError as error:
            raise MembershipError(str(error)) from error
    try:
        fill_profile_blanks(user, organisation=organisation, title=title)
    except ValueError as error:
        raise MembershipError(str(error)) from error
    return grant_term(
        user,
        actor=actor,
        reason=reason,
        residency=residency,
        start=start,
        today=today,
        notify=notify,
    )


def extend(
    user: User,
    *,
    actor: User | None,
    reason: str,
    start: date | None = None,
    today: date | None = None,
    notify: bool = True,
) -> GrantResult:
    """Renew an existing membership by one term (``terms.renewal_start`` rules)."""
    require_membership(user)
    checked_text(reason, "A reason", 500, required=True, multiline=True)
    return grant_term(
        user,
        actor=actor,
        reason=reason,
        start=start,
        source=EXTENSION,
        today=today,
        notify=notify,
    )
