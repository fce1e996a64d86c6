"""Roster import: preview, every bad line reported, all or nothing, re-import."""

from __future__ import annotations

import time as clock
from datetime import date

import pytest
from sqlalchemy import event, func, select

from portal.auth import services as accounts
from portal.auth.models import User
from portal.core.mail import deliver_pending
from portal.core.models import OutboxMessage
from portal.extensions import db
from portal.membership.models import Membership, Term
from portal.membership.services import audit, grants, standing
from portal.membership.services.profiles import profile_of
from portal.membership.services.roster import (
    ALREADY,
    ERROR,
    EXTENDS,
    NEW,
    RosterError,
    import_roster,
    preview_roster,
    read_roster,
)
from tests.factories import add_residency, audit_count, make_graduate, make_user
from tests.mailbox import text_of

HELD_ON = date(2026, 3, 1)
TODAY = date(2026, 3, 3)


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def roster(*lines: str, header: str = "email,name,organization,title") -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def test_preview_classifies_every_line(app):
    residency = add_residency(HELD_ON)
    make_graduate("known@example.org", start=date(2025, 9, 1), today=TODAY)
    grants.add_graduate(
        "again@example.org", "Again", actor=None, residency=residency, notify=False
    )
    make_user("account@example.org", "Has Account")
    revoked = make_graduate("revoked@example.org", start=date(2025, 9, 1), today=TODAY)
    standing.revoke(revoked, actor=None, reason="r", today=TODAY)
    db.session.commit()
    preview = preview_roster(
        roster(
            "new@example.org,New Person,Clinic,Resident",
            "Known@Example.org,Known Person,,",
            "again@example.org,Again,,",
            "account@example.org,Has Account,,",
            "revoked@example.org,Revoked,,",
        ),
        residency,
        today=TODAY,
    )
    outcomes = [(line.line, line.email, line.outcome) for line in preview.lines]
    assert outcomes == [
        (2, "new@example.org", NEW),
        (3, "known@example.org", EXTENDS),
        (4, "again@example.org", ALREADY),
        (5, "account@example.org", NEW),
        (6, "revoked@example.org", ERROR),
    ]
    new, known_line = preview.lines[0], preview.lines[1]
    assert (new.start, new.end) == (HELD_ON, date(2027, 2, 28))
    assert (known_line.start, known_line.end) == (date(2026, 9, 1), date(2027, 8, 31))
    assert preview.errors == [
        "line 6: the membership of revoked@example.org is revoked; reinstate it first."
    ]


BAD_LINES = (
    "good@example.org,Good Person,,",  # line 2
    ",No Email,,",  # line 3
    "not-an-email,Bad Email,,",  # line 4
    "good@example.org,Good Again,,",  # line 5: duplicate of line 2
    "noname@example.org,,,",  # line 6
    f"long@example.org,{'x' * 121},,",  # line 7
    "extra@example.org,Extra,Org,Title,surplus",  # line 8
    "GOOD@example.org,Shouting,,",  # line 9: duplicate, other case
)


def test_every_bad_line_is_reported_and_nothing_is_imported(app):
    residency = add_residency(HELD_ON)
    with pytest.raises(RosterError) as caught:
        import_roster(roster(*BAD_LINES), residency, actor=None, today=TODAY)
    errors = caught.value.preview.errors
    assert [e.split(":")[0] for e in errors] == [
        "line 3",
        "line 4",
        "line 5",
        "line 6",
        "line 7",
        "line 8",
        "line 9",
    ]
    assert "missing" in errors[0]
    assert "not valid" in errors[1]
    assert "also on line 2" in errors[2] and "also on line 2" in errors[6]
    assert "name is required" in errors[3]
    assert "longer than 120" in errors[4]
    assert "5 values but the header has 4" in errors[5]
    assert str(caught.value) == "The roster has 7 errors; nothing was imported."
    db.session.rollback()
    assert count(User) == count(Membership) == count(OutboxMessage) == 0
    fixed = roster("good@example.org,Good Person,,", "other@example.org,Other,,")
    preview = import_roster(fixed, residency, actor=None, today=TODAY)
    assert preview.count(NEW) == 2
    assert count(Membership) == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"email,organization\na@example.org,Org\n", "(missing: name)"),
        (b"a@example.org,Alice\n", "looks like a graduate, not a header row"),
        (b"", "The file is empty"),
        (b"email,name\n", "no graduates"),
        (b"email,name,email\n", "Columns named twice: email."),
        (b"E-mail,Email Address,name\n", "Columns named twice: email."),
    ],
)
def test_file_level_problems(app, data, message):
    residency = add_residency(HELD_ON)
    preview = preview_roster(data, residency, today=TODAY)
    assert not preview.ok and preview.lines == []
    assert any(message in problem for problem in preview.file_errors), preview.errors
    with pytest.raises(RosterError):
        import_roster(data, residency, actor=None, today=TODAY)


def test_byte_order_mark_windows_lines_and_header_case_are_fine(app):
    data = (
        "\ufeffEmail, Name ,Organisation,TITLE\r\n"
        "ana@example.org,Ana Ñúñez,Clínica,Resident\r\n"
        "\r\n"
        '"bo@example.org","Bo, Jr.",,\r\n'
    ).encode("utf-8")
    roster = read_roster(data)
    lines = roster.lines
    assert roster.errors == roster.warnings == []
    assert [(ln.email, ln.name, ln.organisation) for ln in lines] == [
        ("ana@example.org", "Ana Ñúñez", "Clínica"),
        ("bo@example.org", "Bo, Jr.", None),
    ]
    assert [ln.line for ln in lines] == [2, 4]


def test_import_creates_accounts_terms_profiles_and_mail(app, mailbox):
    residency = add_residency(HELD_ON)
    make_user("known@example.org", "Known")
    data = roster("new@example.org,New Person,Clinic,Resident", "known@example.org,K,,")
    preview = import_roster(data, residency, actor=None, today=TODAY)
    db.session.commit()
    assert preview.summary() == "2 new, 0 extended, 0 already granted, 0 with errors"
    new_user = accounts.find_by_email("new@example.org")
    assert new_user.name == "New Person" and new_user.password_hash is None
    profile = profile_of(new_user)
    assert (profile.organisation, profile.title) == ("Clinic", "Resident")
    deliver_pending()
    assert "You are a member through 28 Feb 2027" in text_of(
        mailbox.single("new@example.org")
    )
    assert mailbox.single("known@example.org")["Subject"] == (
        "Your membership now runs through 28 Feb 2027"
    )
    assert audit_count(audit.IMPORT) == 1
    assert audit_count(audit.GRANT) == 2


def test_reimporting_the_same_file_changes_nothing(app):
    residency = add_residency(HELD_ON)
    data = roster("a@example.org,A,,", "b@example.org,B,,")
    import_roster(data, residency, actor=None, today=TODAY)
    db.session.commit()
    before = (count(User), count(Term), count(OutboxMessage), audit_count())
    again = import_roster(data, residency, actor=None, today=date(2026, 5, 1))
    db.session.commit()
    assert again.count(ALREADY) == 2
    assert (count(User), count(Term), count(OutboxMessage), audit_count()) == before


def test_start_override_applies_to_the_whole_roster(app):
    residency = add_residency(HELD_ON)
    preview = import_roster(
        roster("a@example.org,A,,"),
        residency,
        actor=None,
        start=date(2026, 4, 1),
        today=TODAY,
    )
    assert (preview.lines[0].start, preview.lines[0].end) == (
        date(2026, 4, 1),
        date(2027, 3, 31),
    )
    membership = db.session.scalars(select(Membership)).one()
    assert membership.starts_on == date(2026, 4, 1)


def test_import_extends_a_current_member_from_the_day_after_their_end(app):
    residency = add_residency(HELD_ON)
    make_graduate("known@example.org", start=date(2025, 9, 1), today=TODAY)
    import_roster(roster("known@example.org,K,,"), residency, actor=None, today=TODAY)
    membership = db.session.scalars(select(Membership)).one()
    assert membership.member_since == date(2025, 9, 1)
    assert membership.ends_on == date(2027, 8, 31)
    assert membership.first_residency_id == residency.id


def big_roster(rows: int, bad_line: int | None = None) -> bytes:
    lines = ["\ufeffemail,name,organization,title"]
    for n in range(rows):
        email = f"graduate{n:05d}@example.org"
        if bad_line is not None and n + 2 == bad_line:
            email = "broken-address"
        lines.append(f"{email},Graduate {n},Clinic {n % 50},Resident")
    return ("\r\n".join(lines) + "\r\n").encode()


def test_ten_thousand_lines_import_fast_in_few_queries(app):
    residency = add_residency(HELD_ON)
    for n in range(0, 30):  # some are already members, one already granted
        make_graduate(
            f"graduate{n:05d}@example.org", start=date(2025, 9, 1), claimed=False
        )
    grants.grant_term(
        accounts.find_by_email("graduate00000@example.org"),
        actor=None,
        residency=residency,
        today=TODAY,
        notify=False,
    )
    db.session.commit()
    with pytest.raises(RosterError) as caught:
        import_roster(big_roster(10_000, bad_line=9_999), residency, actor=None)
    assert caught.value.preview.errors[0].startswith("line 9999: ")
    db.session.rollback()
    assert count(User) == 30
    statements: list[str] = []

    def counted(conn, cursor, statement, *args):
        # The invitations are queued one ORM row each by the mail outbox; on
        # SQLite those inserts cannot be batched. Everything else must be.
        if "INTO outbox_message" not in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", counted)
    started = clock.monotonic()
    preview = import_roster(big_roster(10_000), residency, actor=None, today=TODAY)
    db.session.commit()
    elapsed = clock.monotonic() - started
    assert (preview.count(NEW), preview.count(EXTENDS), preview.count(ALREADY)) == (
        9_970,
        29,
        1,
    )
    assert count(Membership) == 10_000
    assert count(OutboxMessage) == 9_999
    event.remove(db.engine, "before_cursor_execute", counted)
    assert len(statements) < 100, len(statements)
    assert elapsed < 60, elapsed
