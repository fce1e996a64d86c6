"""Grants, residencies, extensions and the ledger of terms."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from portal.auth import services as accounts
from portal.core.mail import deliver_pending
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import (
    EXTENSION,
    GRANT,
    RESIDENCY,
    AuditEntry,
    Membership,
    Term,
)
from portal.membership.queries.members import terms_of
from portal.membership.services import audit, grants, residencies
from portal.membership.status import Status, status_on
from tests.factories import (
    DAY,
    add_residency,
    audit_count,
    days,
    make_graduate,
    make_user,
)
from tests.mailbox import link_in, text_of


def graduate(residency, email="grad@example.org", today=None, **extra):
    result = grants.add_graduate(
        email,
        "Grace Graduate",
        actor=None,
        residency=residency,
        today=today or residency.held_on,
        **extra,
    )
    db.session.commit()
    return result


@pytest.mark.parametrize(
    ("held_on", "end"),
    [
        (date(2026, 3, 1), date(2027, 2, 28)),
        (date(2023, 3, 1), date(2024, 2, 29)),
        (date(2024, 2, 29), date(2025, 2, 28)),
    ],
)
def test_graduate_term_runs_from_residency_date_to_day_before_anniversary(
    app, held_on, end
):
    result = graduate(add_residency(held_on))
    assert (result.term.starts_on, result.term.ends_on) == (held_on, end)
    membership = result.membership
    assert (membership.member_since, membership.starts_on) == (held_on, held_on)
    assert membership.ends_on == end
    assert result.term.source == RESIDENCY
    assert result.created


def test_admin_may_start_one_grant_on_another_date(app):
    residency = add_residency(date(2026, 3, 1))
    result = graduate(residency, start=date(2026, 4, 15))
    assert result.term.starts_on == date(2026, 4, 15)
    assert result.term.ends_on == date(2027, 4, 14)


def test_grant_without_residency_is_an_admin_grant_with_reason(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    user = make_user("m@example.org", "M")
    result = grants.grant_term(
        user, actor=admin, start=date(2026, 1, 10), reason="Faculty", notify=False
    )
    assert result.term.source == GRANT
    assert result.term.granted_by_id == admin.id
    assert result.term.reason == "Faculty"
    assert result.term.residency_id is None


def test_granting_the_same_residency_twice_changes_nothing(app):
    residency = add_residency(date(2026, 3, 1))
    first = graduate(residency)
    again = graduate(residency, today=date(2026, 9, 1))
    assert first.changed and not again.changed
    assert db.session.scalars(select(Term)).all() == [first.term]
    assert again.membership.ends_on == date(2027, 2, 28)
    assert audit_count(audit.GRANT) == 1


def test_the_database_refuses_a_second_term_from_one_residency(app):
    residency = add_residency(date(2026, 3, 1))
    membership = graduate(residency).membership
    db.session.add(
        Term(
            membership_id=membership.id,
            starts_on=date(2027, 3, 1),
            ends_on=date(2028, 2, 29),
            source=RESIDENCY,
            residency_id=residency.id,
        )
    )
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_second_residency_while_current_extends_from_day_after_end(app):
    first = add_residency(date(2026, 3, 1), "Lisbon")
    second = add_residency(date(2026, 9, 1), "Toronto")
    graduate(first)
    result = graduate(second, today=date(2026, 9, 5))
    assert result.term.starts_on == date(2027, 3, 1)
    assert result.term.ends_on == date(2028, 2, 29)
    membership = result.membership
    assert membership.member_since == date(2026, 3, 1)
    assert membership.starts_on == date(2026, 3, 1)
    assert membership.ends_on == date(2028, 2, 29)
    assert membership.first_residency_id == first.id
    assert [t.residency_id for t in terms_of(membership)] == [first.id, second.id]


def test_extension_in_grace_continues_the_day_after_the_end(app):
    user = make_graduate(start=date(2025, 3, 1))  # ends 2026-02-28
    result = grants.extend(
        user, actor=None, reason="Renewed", today=date(2026, 3, 20), notify=False
    )
    assert result.term.source == EXTENSION
    assert result.term.starts_on == date(2026, 3, 1)
    assert result.term.gap_days is None
    assert result.membership.starts_on == date(2025, 3, 1)


def test_extension_after_grace_starts_today_and_records_the_gap(app):
    user = make_graduate(start=date(2025, 3, 1))  # ends 2026-02-28
    result = grants.extend(
        user, actor=None, reason="Back", today=date(2026, 6, 15), notify=False
    )
    db.session.commit()
    membership = result.membership
    assert result.term.starts_on == date(2026, 6, 15)
    assert result.term.gap_days == 106
    assert membership.member_since == date(2025, 3, 1)
    assert (membership.starts_on, membership.ends_on) == (
        date(2026, 6, 15),
        date(2027, 6, 14),
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.EXTEND)
    ).one()
    assert entry.detail["gap_days"] == 106
    assert entry.detail["status_before"] == "expired"
    assert (entry.end_before, entry.end_after) == (date(2026, 2, 28), date(2027, 6, 14))


def test_extension_after_grace_may_start_later_but_not_in_the_past(app):
    user = make_graduate(start=date(2025, 3, 1))
    today = date(2026, 6, 15)
    with pytest.raises(MembershipError, match="cannot start in the past"):
        grants.extend(user, actor=None, reason="x", start=today - DAY, today=today)
    result = grants.extend(
        user, actor=None, reason="x", start=date(2026, 7, 1), today=today, notify=False
    )
    assert result.term.starts_on == date(2026, 7, 1)
    assert status_on(result.membership, today).status is Status.UPCOMING


def test_extend_needs_a_membership_and_a_reason(app):
    user = make_user("m@example.org", "M")
    with pytest.raises(MembershipError, match="has no membership"):
        grants.extend(user, actor=None, reason="x")
    user = make_graduate("x@example.org", start=date(2026, 1, 1))
    with pytest.raises(MembershipError, match="A reason is required"):
        grants.extend(user, actor=None, reason="  ")


def test_services_flush_but_never_commit(app):
    residency = add_residency(date(2026, 3, 1))
    grants.add_graduate(
        "late@example.org", "Late", actor=None, residency=residency, notify=False
    )
    db.session.rollback()
    assert db.session.scalars(select(Membership)).all() == []
    assert accounts.find_by_email("late@example.org") is None


def test_new_graduate_gets_an_account_and_an_invitation_saying_until_when(app, mailbox):
    residency = add_residency(date(2026, 3, 1))
    result = graduate(residency, today=date(2026, 3, 2))
    user = result.membership.user
    assert user.password_hash is None and user.invited_at is not None
    deliver_pending()
    message = mailbox.single("grad@example.org")
    assert "You are a member through 28 Feb 2027; set your password here." in (
        text_of(message)
    )
    assert "/invitation/" in link_in(message, "/invitation/")


def test_invitation_for_a_future_term_says_when_it_starts(app, mailbox):
    residency = add_residency(date(2026, 3, 1))
    graduate(residency, today=date(2026, 2, 1))
    deliver_pending()
    body = text_of(mailbox.single("grad@example.org"))
    assert "from 1 Mar 2026 through 28 Feb 2027" in body


def test_existing_account_is_told_how_long_the_membership_now_runs(app, mailbox):
    make_user("grad@example.org", "Grace")
    graduate(add_residency(date(2026, 3, 1)))
    deliver_pending()
    message = mailbox.single("grad@example.org")
    assert message["Subject"] == "Your membership now runs through 28 Feb 2027"
    assert "/invitation/" not in text_of(message)


def test_the_term_runs_whether_or_not_the_account_is_claimed(app):
    result = graduate(add_residency(date(2026, 3, 1)))
    assert result.membership.user.claimed_at is None
    assert grants.status_of(result.membership, date(2026, 5, 1)) is Status.CURRENT


def test_known_graduate_keeps_their_own_profile_fields(app):
    from portal.membership.services.profiles import profile_of, update_profile

    user = make_user("grad@example.org", "Grace")
    update_profile(
        user,
        title="Chief",
        organisation=None,
        specialty=None,
        platforms=[],
        bio=None,
        directory_opt_in=False,
    )
    graduate(add_residency(date(2026, 3, 1)), organisation="Clinic", title="Resident")
    profile = profile_of(user)
    assert (profile.title, profile.organisation) == ("Chief", "Clinic")


def test_grant_to_a_revoked_membership_is_refused(app):
    from portal.membership.services import standing

    user = make_graduate(start=date(2026, 1, 1))
    standing.revoke(user, actor=None, reason="Misconduct", today=date(2026, 2, 1))
    with pytest.raises(MembershipError, match="revoked; reinstate it first"):
        grants.extend(user, actor=None, reason="x", today=date(2026, 2, 2))


def test_bad_graduate_input_is_a_domain_error(app):
    residency = add_residency(date(2026, 3, 1))
    with pytest.raises(MembershipError, match="not valid"):
        grants.add_graduate("not-an-email", "X", actor=None, residency=residency)
    with pytest.raises(MembershipError, match="required"):
        grants.add_graduate("a@example.org", " ", actor=None, residency=residency)
    with pytest.raises(MembershipError, match="longer than 200"):
        residencies.add_residency("x" * 201, "L", date(2026, 1, 1), actor=None)


def test_every_grant_is_in_the_audit_log_with_actor_and_dates(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    residency = add_residency(date(2026, 3, 1))
    grants.add_graduate(
        "g@example.org", "G", actor=admin, residency=residency, reason="Roster"
    )
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.GRANT)
    ).one()
    assert entry.actor_id == admin.id
    assert entry.user.email == "g@example.org"
    assert entry.reason == "Roster"
    assert (entry.end_before, entry.end_after) == (None, date(2027, 2, 28))
    assert entry.detail["residency_id"] == residency.id
    assert entry.at is not None and entry.at.tzinfo is not None


def test_upcoming_term_then_another_grant_follows_it(app):
    user = make_graduate(start=date(2026, 9, 1), today=date(2026, 8, 1))
    result = grants.grant_term(
        user, actor=None, start=date(2026, 8, 5), today=date(2026, 8, 5), notify=False
    )
    assert result.term.starts_on == date(2027, 9, 1)
    assert result.membership.starts_on == date(2026, 9, 1)
    assert result.membership.ends_on - result.membership.starts_on == days(730)


def test_profile_text_is_checked_and_a_bio_may_have_line_breaks(app):
    from portal.membership.services.profiles import update_profile

    user = make_user("m@example.org", "M")
    fields = {"title": None, "specialty": None, "bio": "Line one\nLine two"}
    profile = update_profile(
        user, organisation="Clinic", platforms=[" TikTok ", "tiktok", ""],
        directory_opt_in=True, **fields,
    )  # fmt: skip
    assert profile.bio == "Line one\nLine two"
    assert profile.platforms == ["TikTok"]
    with pytest.raises(MembershipError, match="control characters"):
        update_profile(
            user, organisation="Clinic\x00", platforms=[], directory_opt_in=True,
            **fields,
        )  # fmt: skip
    with pytest.raises(MembershipError, match="longer than 500"):
        update_profile(
            user, organisation=None, platforms=[], directory_opt_in=True,
            title=None, specialty=None, bio="x" * 501,
        )  # fmt: skip
