"""Revoke, suspend, reinstate, roles, invitations and corrected emails."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.core.mail import deliver_pending
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import AuditEntry
from portal.membership.services import accounts as member_accounts
from portal.membership.services import audit, standing
from portal.membership.services.grants import find_membership, status_of
from portal.membership.status import Status
from tests.factories import DAY, audit_count, make_graduate, make_user
from tests.mailbox import link_in, text_of

TODAY = date(2026, 6, 15)


def entries(action: str) -> list[AuditEntry]:
    return list(
        db.session.scalars(select(AuditEntry).where(AuditEntry.action == action))
    )


def test_revoke_records_reason_and_status(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    user = make_graduate(start=date(2026, 1, 1))
    membership = standing.revoke(
        user, actor=admin, reason="Shared patient data", today=TODAY
    )
    assert membership.revoked_reason == "Shared patient data"
    assert status_of(membership, TODAY) is Status.REVOKED
    [entry] = entries(audit.REVOKE)
    assert entry.actor_id == admin.id and entry.reason == "Shared patient data"
    assert entry.detail == {
        "status_before": "current",
        "status_after": "revoked",
        "member_notified": True,
        "reason_told": False,
    }
    with pytest.raises(MembershipError, match="already revoked"):
        standing.revoke(user, actor=admin, reason="again", today=TODAY)


def test_revoke_needs_a_reason_and_a_membership(app):
    user = make_graduate(start=date(2026, 1, 1))
    with pytest.raises(MembershipError, match="A reason is required"):
        standing.revoke(user, actor=None, reason="")
    with pytest.raises(MembershipError, match="has no membership"):
        standing.revoke(make_user("x@example.org", "X"), actor=None, reason="r")


def test_suspension_lasts_up_to_and_including_its_date(app):
    user = make_graduate(start=date(2026, 1, 1))
    membership = standing.suspend(
        user, actor=None, until=date(2026, 7, 1), reason="Cooling off", today=TODAY
    )
    assert status_of(membership, date(2026, 7, 1)) is Status.SUSPENDED
    assert status_of(membership, date(2026, 7, 2)) is Status.CURRENT
    [entry] = entries(audit.SUSPEND)
    assert entry.detail["until"] == "2026-07-01"


def test_suspension_must_end_today_or_later(app):
    user = make_graduate(start=date(2026, 1, 1))
    with pytest.raises(MembershipError, match="until today or later"):
        standing.suspend(user, actor=None, until=TODAY - DAY, reason="r", today=TODAY)


def test_reinstate_lifts_revocation_and_suspension(app):
    user = make_graduate(start=date(2026, 1, 1))
    standing.revoke(user, actor=None, reason="r", today=TODAY)
    membership = standing.reinstate(user, actor=None, reason="Appeal", today=TODAY)
    assert status_of(membership, TODAY) is Status.CURRENT
    standing.suspend(user, actor=None, until=date(2026, 8, 1), reason="r", today=TODAY)
    standing.reinstate(user, actor=None, reason="Early", today=TODAY)
    assert membership.suspended_until is None
    with pytest.raises(MembershipError, match="neither revoked nor suspended"):
        standing.reinstate(user, actor=None, reason="again", today=TODAY)
    assert audit_count(audit.REINSTATE) == 2


def test_role_change_is_audited(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    user = make_user("m@example.org", "M")
    member_accounts.change_role(user, "admin", actor=admin, reason="New staff")
    assert user.is_admin
    [entry] = entries(audit.ROLE_CHANGE)
    assert entry.detail == {"from": "member", "to": "admin"}
    with pytest.raises(MembershipError, match="already has the role"):
        member_accounts.change_role(user, "admin", actor=admin, reason="x")
    with pytest.raises(MembershipError, match="Unknown role"):
        member_accounts.change_role(user, "owner", actor=admin, reason="x")


def test_resend_invitation_to_an_unclaimed_graduate(app, mailbox):
    user = make_graduate(start=date(2026, 3, 1), claimed=False)
    member_accounts.resend_invitation(user, actor=None, today=date(2026, 3, 5))
    db.session.commit()
    deliver_pending()
    body = text_of(mailbox.single(user.email))
    assert "You are a member through 28 Feb 2027" in body
    assert audit_count(audit.INVITATION_RESEND) == 1


def test_resend_invitation_refused_once_claimed(app):
    user = make_graduate(start=date(2026, 3, 1), claimed=True)
    with pytest.raises(MembershipError, match="already claimed"):
        member_accounts.resend_invitation(user, actor=None)


def test_correcting_a_mistyped_email_invites_the_right_address(app, client, mailbox):
    user = make_graduate("grad@exmaple.org", start=date(2026, 3, 1), claimed=False)
    member_accounts.correct_email(user, "Grad@Example.org", actor=None, reason="Typo")
    db.session.commit()
    deliver_pending()
    assert mailbox.to("grad@exmaple.org") == []
    message = mailbox.single("grad@example.org")
    link = link_in(message, "/invitation/")
    assert client.get(link.replace("http://portal.test", "")).status_code == 200
    [entry] = entries(audit.EMAIL_CORRECT)
    assert entry.detail == {"from": "grad@exmaple.org", "to": "grad@example.org"}
    assert find_membership(user) is not None


def test_correct_email_refuses_bad_or_taken_addresses(app):
    user = make_graduate("grad@exmaple.org", start=date(2026, 3, 1), claimed=False)
    make_user("taken@example.org", "T")
    with pytest.raises(MembershipError, match="not valid"):
        member_accounts.correct_email(user, "nope", actor=None)
    with pytest.raises(MembershipError, match="already exists"):
        member_accounts.correct_email(user, "taken@example.org", actor=None)


def test_the_last_admin_cannot_be_demoted(app):
    from portal.membership.errors import MembershipError
    from portal.membership.services.accounts import change_role
    from tests.factories import make_user

    only_admin = make_user("solo-admin@example.org", "Solo Admin", role="admin")
    with pytest.raises(MembershipError, match="at least one admin"):
        change_role(only_admin, "member", actor=only_admin, reason="oops")
    assert only_admin.role == "admin"
