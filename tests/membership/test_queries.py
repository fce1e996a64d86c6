"""Selects for the admin screens: filters in SQL, counts, directory, audit log."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event, select

from portal.auth import services as accounts
from portal.core.models import JobHeartbeat
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership
from portal.membership.queries.audit import AuditFilters, audit_page, audit_query
from portal.membership.queries.dashboard import dashboard_counts
from portal.membership.queries.directory import directory_query
from portal.membership.queries.members import (
    MemberFilters,
    member_rows,
    members_page,
    members_query,
)
from portal.membership.queries.residencies import (
    residencies_with_counts,
    residency_graduates,
)
from portal.membership.services import audit, grants, standing
from portal.membership.services.exports import (
    AUDIT_CSV_COLUMNS,
    export_audit_csv,
    export_members_csv,
)
from portal.membership.services.profiles import update_profile
from portal.membership.status import Status, status_on
from tests.factories import DAY, add_residency, days, make_graduate, make_user

T = date(2026, 6, 15)


def emails(memberships) -> set[str]:
    return {m.user.email for m in memberships}


@pytest.fixture
def population(app):
    """Members in every status on T, built through the services."""
    lisbon = add_residency(date(2025, 9, 1), "Lisbon")
    toronto = add_residency(date(2026, 3, 1), "Toronto")

    def graduate(kind: str, start: date):
        grants.add_graduate(
            f"{kind}@example.org", kind.title(), actor=None, residency=lisbon,
            start=start, today=start, notify=False,
        )  # fmt: skip
        return accounts.find_by_email(f"{kind}@example.org")

    starts = {
        "current": T - days(10),
        "expiring": T - days(350),
        "grace": T - days(370),
        "expired": T - days(500),
        "upcoming": T + days(3),
        "revoked": T - days(10),
        "suspended": T - days(10),
    }
    built = {kind: graduate(kind, start) for kind, start in starts.items()}
    grants.add_graduate(
        "toronto@example.org", "Tor Onto", actor=None, residency=toronto,
        organisation="Clinic 100% Kids", today=T, notify=False,
    )  # fmt: skip
    standing.revoke(built["revoked"], actor=None, reason="r", today=T)
    standing.suspend(built["suspended"], actor=None, until=T + DAY, reason="r", today=T)
    db.session.commit()
    return {"lisbon": lisbon, "toronto": toronto, **built}


def test_status_filters_in_sql_agree_with_the_rules_on_every_day(population):
    memberships = db.session.scalars(select(Membership)).all()
    for today in [T + days(n) for n in range(-400, 420, 7)] + [T, T + DAY]:
        for status in Status:
            found = emails(
                db.session.scalars(members_query(MemberFilters(status=status), today))
            )
            expected = {
                m.user.email
                for m in memberships
                if status_on(m, today, 30).status is status
            }
            assert found == expected, (today, status)


def test_residency_expiring_and_text_filters(population):
    def find(**filters):
        return emails(db.session.scalars(members_query(MemberFilters(**filters), T)))

    assert find(residency_id=population["toronto"].id) == {"toronto@example.org"}
    assert "toronto@example.org" not in find(residency_id=population["lisbon"].id)
    assert find(expiring_within=30) == {"expiring@example.org"}
    assert find(search="TOR ON") == {"toronto@example.org"}
    assert find(search="100% kids") == {"toronto@example.org"}
    assert find(search="%") == {"toronto@example.org"}  # a literal percent sign
    assert find(search="grace@") == {"grace@example.org"}
    assert find(status="current", search="example.org") == {
        "current@example.org",
        "expiring@example.org",
        "toronto@example.org",
    }


def count_statements(run) -> int:
    statements: list[str] = []

    def counted(*args):
        statements.append(args[2])

    event.listen(db.engine, "before_cursor_execute", counted)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", counted)
    return len(statements)


def test_a_members_page_costs_the_same_queries_for_5_or_25_rows(app):
    residency = add_residency(date(2026, 3, 1))
    for n in range(25):
        grants.add_graduate(
            f"m{n:02d}@example.org", f"Member {n:02d}", actor=None, residency=residency,
            organisation="Org", notify=False,
        )  # fmt: skip
    db.session.commit()

    def page_of(size: int) -> None:
        db.session.expire_all()
        page = members_page(page=1, per_page=size, today=T)
        for m in page.items:
            assert m.user.email and m.first_residency.name and m.profile.organisation

    assert count_statements(lambda: page_of(5)) == count_statements(lambda: page_of(25))


def test_member_rows_and_json_shape(population):
    [row] = member_rows(MemberFilters(search="toronto@"), T)
    assert row.as_json() == {
        "email": "toronto@example.org",
        "name": "Tor Onto",
        "residency": "Toronto",
        "start": "2026-03-01",
        "end": "2027-02-28",
        "status": "current",
    }
    assert (row.organisation, row.claimed, row.member_since) == (
        "Clinic 100% Kids",
        False,
        date(2026, 3, 1),
    )


def test_members_csv_export_is_recorded_and_safe_for_spreadsheets(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    residency = add_residency(date(2026, 3, 1))
    grants.add_graduate(
        "x@example.org", "=HYPERLINK(1)", actor=None, residency=residency, notify=False
    )
    text = export_members_csv(MemberFilters(status="current"), actor=admin, today=T)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:4] == ["email", "name", "organization", "title"]
    assert rows[1][1] == "'=HYPERLINK(1)"
    assert rows[1][8:] == ["current", "no", "no"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.EXPORT)
    ).one()
    assert entry.actor_id == admin.id
    assert entry.detail == {"what": "members", "rows": 1, "status": "current"}


def test_residencies_with_graduate_counts_and_their_graduates(population):
    counts = {r.name: n for r, n in residencies_with_counts()}
    assert counts == {"Lisbon": 7, "Toronto": 1}
    statuses = {
        row.email: row.status for row in residency_graduates(population["lisbon"].id, T)
    }
    assert statuses["grace@example.org"] == "grace"
    assert statuses["revoked@example.org"] == "revoked"
    assert len(statuses) == 7


def test_dashboard_counts(population):
    now = datetime(2026, 6, 15, 12, tzinfo=UTC)
    db.session.add(
        JobHeartbeat(name="members-sweep", succeeded_at=now - timedelta(hours=2))
    )
    db.session.commit()
    board = dashboard_counts(T, now)
    assert board.current == 3  # current, expiring, toronto
    assert (board.expiring_30, board.expiring_60) == (1, 1)
    assert (board.grace, board.expired, board.upcoming) == (1, 1, 1)
    assert board.revoked_or_suspended == 2
    assert board.new_last_30_days == 8
    assert (board.invitations_claimed, board.invitations_unclaimed) == (0, 8)
    by_name = {r.name: (r.graduates, r.current) for r in board.per_residency}
    assert by_name == {"Lisbon": (7, 2), "Toronto": (1, 1)}
    assert board.last_sweep == now - timedelta(hours=2)
    assert not board.sweep_stale


def test_directory_lists_current_members_who_opted_in(population):
    def profile(user, platforms, opt_in=True, organisation=None):
        update_profile(
            user, title=None, organisation=organisation, specialty=None,
            platforms=platforms, bio=None, directory_opt_in=opt_in,
        )  # fmt: skip

    profile(population["current"], ["TikTok", "Instagram"], organisation="Big Clinic")
    profile(population["expiring"], ["YouTube"], opt_in=False)
    profile(population["grace"], ["TikTok"])
    profile(population["revoked"], ["TikTok"])
    db.session.commit()

    def find(**filters):
        return [
            p.user.email
            for p in db.session.scalars(directory_query(**filters, today=T))
        ]

    assert find() == ["current@example.org"]
    assert find(search="tiktok") == ["current@example.org"]
    assert find(search="big clinic") == ["current@example.org"]
    assert find(platform="YouTube") == []
    [entry] = db.session.scalars(directory_query(today=T)).all()
    assert entry.membership.first_residency.name == "Lisbon"


def test_audit_log_filters_pages_and_exports(app):
    admin = make_user("admin@example.org", "Avery Admin", role="admin")
    user = make_graduate("m@example.org", start=T - days(10))
    other = make_graduate("o@example.org", start=T - days(10))
    standing.suspend(user, actor=admin, until=T + days(3), reason="pause", today=T)
    standing.revoke(other, actor=admin, reason="gone", today=T)
    db.session.commit()

    def found(**filters):
        return [
            e.action for e in db.session.scalars(audit_query(AuditFilters(**filters)))
        ]

    assert found(action="revoke") == ["revoke"]
    assert found(actor_id=admin.id) == ["revoke", "suspend"]
    assert found(user_id=user.id) == ["suspend", "grant"]
    today = datetime.now(UTC).date()
    assert len(found(since=today, until=today)) == 4
    assert found(until=today - DAY) == []
    page = audit_page(AuditFilters(), page=2, per_page=3)
    assert (page.total, len(page.items)) == (4, 1)
    text = export_audit_csv(AuditFilters(action="revoke"), actor=admin)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(AUDIT_CSV_COLUMNS)
    assert rows[1][1:5] == ["revoke", "admin@example.org", "o@example.org", "gone"]
    assert found(action="export") == ["export"]
