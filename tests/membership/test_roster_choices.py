"""What an import sends and overwrites: the admin's choices, and honest mail."""

from __future__ import annotations

from datetime import date

from portal.auth import services as accounts
from portal.core.mail import deliver_pending
from portal.core.models import OutboxMessage
from portal.extensions import db
from portal.membership.models import Membership, Term
from portal.membership.queries.members import MemberFilters
from portal.membership.services import audit, grants
from portal.membership.services.exports import export_members_csv
from portal.membership.services.profiles import profile_of
from portal.membership.services.roster import (
    ALREADY,
    CohortMail,
    import_roster,
    preview_roster,
)
from tests.factories import (
    add_graduate,
    add_residency,
    audit_count,
    count,
    last_audit,
    make_graduate,
    make_user,
    roster_csv,
)
from tests.mailbox import text_of

TODAY = date(2026, 12, 1)
BACK_DATED = date(2024, 6, 1)  # its one-year term ended on 31 May 2025


def test_a_back_dated_cohort_is_recorded_without_any_mail(app, mailbox):
    residency = add_residency(BACK_DATED, "Residency Porto 2024")
    make_graduate("known@example.org", start=date(2023, 1, 10), today=TODAY)
    data = roster_csv("new@example.org,Nia New,,", "known@example.org,Grace Graduate,,")
    preview = import_roster(data, residency, actor=None, today=TODAY)
    db.session.commit()
    assert preview.ended_count == 1  # the known member's extension ends later
    assert count(Term) == 3 and count(Membership) == 2
    new = grants.require_membership(accounts.find_by_email("new@example.org"))
    assert (new.starts_on, new.ends_on) == (BACK_DATED, date(2025, 5, 31))
    deliver_pending()
    assert mailbox.to("new@example.org") == []
    assert accounts.find_by_email("new@example.org").invited_at is None


def test_asked_to_tell_them_a_back_dated_term_ended_sends_an_honest_note(app, mailbox):
    residency = add_residency(BACK_DATED, "Residency Porto 2024")
    make_user("claimed@example.org", "Grace Graduate")  # an account, no membership
    data = roster_csv(
        "new@example.org,Nia New,,", "claimed@example.org,Grace Graduate,,"
    )
    import_roster(data, residency, actor=None, today=TODAY, mail=CohortMail(ended=True))
    db.session.commit()
    deliver_pending()
    for address in ("new@example.org", "claimed@example.org"):
        message = mailbox.single(address)
        text = text_of(message)
        assert message["Subject"].startswith("Your membership ended on")
        assert "not give you access" in text
        assert "You are a member" not in text and "set your password" not in text
    assert "ended on 31 May 2025" in text_of(mailbox.single("new@example.org"))
    # Never signed in: a set-password link that lands on the membership page,
    # where they can request renewal; no promise of access.
    unclaimed = text_of(mailbox.single("new@example.org"))
    assert "/invitation/" in unclaimed and "next=/membership" in unclaimed
    assert "/membership" in text_of(mailbox.single("claimed@example.org"))


def test_no_invitations_when_the_admin_says_so(app, mailbox):
    residency = add_residency(date(2026, 11, 20))
    data = roster_csv("new@example.org,Nia New,,")
    import_roster(
        data, residency, actor=None, today=TODAY, mail=CohortMail(invite=False)
    )
    db.session.commit()
    assert count(Membership) == 1 and count(OutboxMessage) == 0


def test_the_extension_email_states_the_new_terms_real_dates(app, mailbox):
    make_graduate("m@example.org", start=date(2025, 11, 21), today=date(2025, 11, 21))
    residency = add_residency(date(2026, 11, 20))
    import_roster(
        roster_csv("m@example.org,Grace Graduate,,"), residency, actor=None, today=TODAY
    )
    db.session.commit()
    deliver_pending()
    message = mailbox.single("m@example.org")
    assert message["Subject"] == "Your membership now runs through 20 Nov 2027"
    assert (
        "now runs through 20 Nov 2027. Your new term runs from 21 Nov 2026 "
        "through 20 Nov 2027." in text_of(message)
    )
    assert "21 Nov 2025" not in text_of(message)


def test_reimport_offers_profile_updates_and_applies_them_only_when_asked(app):
    residency = add_residency(date(2026, 11, 20))
    add_graduate(residency, "ana@example.org", "Ana Silva", organisation="Clinic")
    add_graduate(residency, "bo@example.org", "Bo")
    data = roster_csv(
        "ana@example.org,Ana Souza,Hospital São João,Resident",
        "bo@example.org,Bo,,",
    )
    preview = preview_roster(data, residency, today=TODAY)
    assert [line.outcome for line in preview.lines] == [ALREADY, ALREADY]
    assert preview.updates == 1
    assert preview.lines[0].updates == {
        "name": ("Ana Silva", "Ana Souza"),
        "organisation": ("Clinic", "Hospital São João"),
        "title": (None, "Resident"),
    }
    import_roster(data, residency, actor=None, today=TODAY)
    db.session.commit()
    ana = accounts.find_by_email("ana@example.org")
    assert ana.name == "Ana Silva" and audit_count(audit.PROFILE_UPDATE) == 0
    import_roster(data, residency, actor=None, today=TODAY, overwrite_profiles=True)
    db.session.commit()
    db.session.expire_all()
    assert (ana.name, profile_of(ana).organisation, profile_of(ana).title) == (
        "Ana Souza",
        "Hospital São João",
        "Resident",
    )
    assert audit_count(audit.PROFILE_UPDATE) == 1
    entry = last_audit()
    assert entry.action == audit.IMPORT and entry.detail["profiles_updated"] == 1
    assert preview_roster(data, residency, today=TODAY).updates == 0


def test_the_member_export_imports_back_unchanged(app):
    residency = add_residency(date(2026, 11, 20))
    add_graduate(residency, "ana@example.org", "Ana Müller", organisation="Clínica")
    add_graduate(residency, "x@example.org", "=HYPERLINK(1)", title="-Chief-")
    add_graduate(residency, "bo@example.org", "Bo, Jr.")
    text = export_members_csv(MemberFilters(residency_id=residency.id), actor=None)
    preview = preview_roster(("\ufeff" + text).encode(), residency, today=TODAY)
    assert preview.ok and preview.warnings == []
    assert preview.count(ALREADY) == 3
    assert (preview.changes, preview.updates) == (0, 0)
