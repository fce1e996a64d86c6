"""The daily sweep: reminders exactly once, catch-up, transitions, heartbeat."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import time as clock
import zlib
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select, text

from portal.core.mail import deliver_pending
from portal.core.models import JobHeartbeat, OutboxMessage
from portal.extensions import db
from portal.membership.models import AuditEntry, Reminder
from portal.membership.queries.dashboard import sweep_is_stale
from portal.membership.services import audit, grants, standing
from portal.membership.services.sweep import (
    SweepReport,
    _record_transitions,
    claim_reminder,
    run_sweep,
)
from tests.conftest import server_url
from tests.factories import days, make_graduate, member_with_end
from tests.mailbox import text_of

ROOT = Path(__file__).resolve().parents[2]
T = date(2026, 6, 15)


def sweep(today: date) -> SweepReport:
    report = run_sweep(today)
    db.session.commit()
    return report


def reminders_to(mailbox, email: str) -> list[str]:
    return [m["X-Portal-Reminder"] for m in mailbox.to(email)]


def test_each_reminder_is_sent_once_even_when_the_sweep_runs_twice(app, mailbox):
    member_with_end("d30@example.org", T + days(30), today=T - days(300))
    member_with_end("d8@example.org", T + days(8), today=T - days(300))
    member_with_end("d7@example.org", T + days(7), today=T - days(300))
    member_with_end("d0@example.org", T, today=T - days(300))
    member_with_end("ended@example.org", T - days(1), today=T - days(300))
    member_with_end("far@example.org", T + days(31), today=T - days(300))
    member_with_end("gone@example.org", T - days(31), today=T - days(300))
    first, second = sweep(T), sweep(T)
    assert (first.reminders, second.reminders) == (5, 0)
    assert second.already_sent == 5
    deliver_pending()
    assert reminders_to(mailbox, "d30@example.org") == ["expiring_30"]
    assert reminders_to(mailbox, "d8@example.org") == ["expiring_30"]
    assert reminders_to(mailbox, "d7@example.org") == ["expiring_7"]
    assert reminders_to(mailbox, "d0@example.org") == ["expiring_7"]
    assert reminders_to(mailbox, "ended@example.org") == ["ended"]
    assert mailbox.to("far@example.org") == mailbox.to("gone@example.org") == []
    assert len(mailbox.messages) == 5


def test_reminder_mail_says_when_and_links_to_the_membership_page(app, mailbox):
    member_with_end("d7@example.org", T + days(7), today=T - days(300))
    member_with_end("ended@example.org", T - days(2), today=T - days(300))
    sweep(T)
    deliver_pending()
    expiring = mailbox.single("d7@example.org")
    assert expiring["Subject"] == "Your membership ends in a week, on 22 Jun 2026"
    assert "in 7 days" in text_of(expiring)
    assert "http://portal.test/" in text_of(expiring)
    ended = mailbox.single("ended@example.org")
    assert ended["Subject"] == "Your membership ended on 13 Jun 2026"
    assert "30 days" in text_of(ended)


def test_revoked_suspended_and_upcoming_members_get_no_reminders(app, mailbox):
    revoked = member_with_end("revoked@example.org", T + days(7), today=T - days(300))
    suspended = member_with_end("susp@example.org", T + days(7), today=T - days(300))
    standing.revoke(revoked, actor=None, reason="r", today=T, notify=False)
    standing.suspend(
        suspended, actor=None, until=T + days(1), reason="r", today=T, notify=False
    )
    make_graduate("upcoming@example.org", start=T + days(3), today=T)
    db.session.commit()
    assert sweep(T).reminders == 0
    deliver_pending()
    assert mailbox.messages == []


def test_a_sweep_skipped_for_days_catches_up_without_stale_reminders(app, mailbox):
    end = T + days(40)
    member_with_end("late@example.org", end, today=T - days(300))
    for day in range(35, 30, -1):  # daily runs while nothing is due
        assert sweep(end - days(day)).reminders == 0
    assert sweep(end - days(20)).reminders == 1  # ten days skipped: the 30-day one
    assert sweep(end - days(3)).reminders == 1  # skipped the start of the 7-day one
    assert sweep(end - days(1)).reminders == 0
    assert sweep(end + days(10)).reminders == 1  # missed the day after: still ended
    assert sweep(end + days(40)).reminders == 0  # grace is over: nothing stale
    deliver_pending()
    kinds = reminders_to(mailbox, "late@example.org")
    assert kinds == ["expiring_30", "expiring_7", "ended"]


def test_a_sweep_that_missed_a_whole_window_sends_only_the_current_one(app, mailbox):
    end = T + days(5)
    member_with_end("m@example.org", end, today=T - days(300))
    assert sweep(T).reminders == 1
    deliver_pending()
    assert reminders_to(mailbox, "m@example.org") == ["expiring_7"]


def test_a_renewed_member_gets_no_reminder_for_the_old_end(app, mailbox):
    user = member_with_end("m@example.org", T + days(20), today=T - days(300))
    grants.extend(user, actor=None, reason="Renewed early", today=T, notify=False)
    db.session.commit()
    assert sweep(T + days(10)).reminders == 0
    assert sweep(T + days(25)).reminders == 0


def test_claiming_a_reminder_twice_fails_the_second_time(app):
    user = member_with_end("m@example.org", T + days(7), today=T - days(300))
    membership = grants.find_membership(user)
    assert claim_reminder(membership.id, membership.ends_on, "expiring_7")
    assert not claim_reminder(membership.id, membership.ends_on, "expiring_7")
    assert claim_reminder(membership.id, membership.ends_on, "ended")


def transitions() -> list[tuple[str, str]]:
    rows = db.session.scalars(
        select(AuditEntry)
        .where(AuditEntry.action == audit.STATUS_CHANGE)
        .order_by(AuditEntry.id)
    )
    return [(e.detail["from"], e.detail["to"]) for e in rows]


def test_status_transitions_are_recorded_once(app):
    end = T + days(1)
    member_with_end("m@example.org", end, today=T - days(300))
    make_graduate("up@example.org", start=T + days(2), today=T)
    assert sweep(T).transitions == 0
    assert sweep(end + days(1)).transitions == 2  # current→grace, upcoming→current
    assert sweep(end + days(1)).transitions == 0
    assert sweep(end + days(31)).transitions == 1
    assert sorted(transitions()) == [
        ("current", "grace"),
        ("grace", "expired"),
        ("upcoming", "current"),
    ]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.STATUS_CHANGE)
    ).first()
    assert entry.actor_id is None and entry.user_id is not None


def test_the_sweep_records_its_success_and_staleness_is_36_hours(app):
    now = datetime(2026, 6, 15, 3, 0, tzinfo=UTC)
    assert sweep_is_stale(now)
    run_sweep(T, now=now)
    db.session.commit()
    heartbeat = db.session.get(JobHeartbeat, "members-sweep")
    assert heartbeat.succeeded_at == now
    assert "2026-06-15" in heartbeat.detail
    assert not sweep_is_stale(now + timedelta(hours=36))
    assert sweep_is_stale(now + timedelta(hours=36, seconds=1))
    run_sweep(T + days(1), now=now + timedelta(days=1))
    db.session.commit()
    assert not sweep_is_stale(now + timedelta(hours=50))


def _start_sweep(database_url: str, today: date) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-123",
        "PORTAL_BASE_URL": "http://portal.test",
        "FLASK_APP": "wsgi.py",
    }
    # The service itself, not the command: the command's job lock would let only
    # one of them in, and this proves the claims hold even without it.
    script = (
        "import datetime, wsgi;"
        "from portal.extensions import db;"
        "from portal.membership.services.sweep import run_sweep;"
        "ctx = wsgi.app.app_context(); ctx.push();"
        f"print(run_sweep(datetime.date.fromisoformat({today.isoformat()!r})));"
        "db.session.commit()"
    )
    return subprocess.Popen(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _wait_for_lock_waiters(connection, count: int, processes) -> None:
    deadline = clock.monotonic() + 60
    while clock.monotonic() < deadline:
        waiting = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname ="
                " current_database() AND wait_event_type = 'Lock'"
            )
        ).scalar()
        connection.rollback()  # statistics are a snapshot per transaction
        if waiting >= count:
            return
        for process in processes:
            if process.poll() is not None:
                pytest.fail(f"a sweep ended early: {process.communicate()}")
        clock.sleep(0.05)
    pytest.fail("the sweeps never reached the reminder claims")


@pytest.mark.skipif(
    server_url() is None,
    reason="two concurrent sweep processes need PostgreSQL (SQLite serialises"
    " writers); set PORTAL_TEST_DATABASE_URL to run it",
)
@pytest.mark.parametrize("held_at", ["membership", "membership_reminder"])
def test_two_concurrent_sweep_processes_do_everything_once(
    app, mailbox, database_url, held_at
):
    """Both processes are held at the same point by a table lock, then race.

    Held at ``membership``, both have read the same pending status changes and
    race to record them; held at ``membership_reminder``, both race for every
    reminder key.
    """
    ends = {f"m{n}@example.org": T + days(40 - 2 * n) for n in range(40)}
    for email, end in ends.items():
        # Spread over every window (30-day, 7-day, ended) and outside them.
        member_with_end(email, end, today=T - days(300), claimed=False)
    if held_at == "membership_reminder":
        _record_transitions(T, 30, SweepReport(T))
    db.session.commit()
    recorded_before = len(transitions())
    db.session.close()
    outputs = _race_two_sweeps(database_url, held_at)
    due = [e for e, end in ends.items() if -30 <= (end - T).days <= 30]
    assert 0 < len(due) < len(ends)
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == len(due)
    queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert queued == len(due), outputs
    deliver_pending()
    for email in ends:
        assert len(mailbox.to(email)) == (1 if email in due else 0), email
    ended = sum(1 for end in ends.values() if end < T)
    assert len(transitions()) == recorded_before + (
        ended if held_at == "membership" else 0
    )
    assert len(transitions()) == ended


def _race_two_sweeps(database_url: str, table: str) -> list[tuple[str, str]]:
    blocker = db.engine.connect()
    transaction = blocker.begin()
    blocker.execute(text(f"LOCK TABLE {table} IN EXCLUSIVE MODE"))
    processes = [_start_sweep(database_url, T) for _ in range(2)]
    try:
        with db.engine.connect() as watcher:
            _wait_for_lock_waiters(watcher, 2, processes)
        transaction.commit()
        outputs = [process.communicate(timeout=60) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.communicate()
        blocker.close()
    assert [p.returncode for p in processes] == [0, 0], outputs
    return outputs


@contextmanager
def another_run_holds(name: str):
    """The job lock held as a second process (or server) would hold it."""
    if server_url() is None:
        with open(Path(current_app.instance_path) / f"{name}.lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        return
    with db.engine.connect() as other, other.begin():
        key = zlib.crc32(name.encode())
        other.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        yield


def test_a_sweep_started_while_another_runs_does_nothing(app, runner, mailbox):
    member_with_end("m@example.org", T + days(7), today=T - days(300))
    with another_run_holds("members-sweep"):
        result = runner.invoke(args=["members", "sweep", "--today", T.isoformat()])
    assert result.exit_code == 0
    assert "Another sweep is running" in result.output
    assert db.session.scalar(select(func.count()).select_from(Reminder)) == 0
    after = runner.invoke(args=["members", "sweep", "--today", T.isoformat()])
    assert "1 reminders queued" in after.output


def test_cli_sweep_runs_as_a_command(app, runner, mailbox):
    member_with_end("m@example.org", T + days(7), today=T - days(300))
    result = runner.invoke(args=["members", "sweep", "--today", T.isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 reminders queued" in result.output
    again = runner.invoke(args=["members", "sweep", "--today", T.isoformat()])
    assert "0 reminders queued, 1 already sent" in again.output
    bad = runner.invoke(args=["members", "sweep", "--today", "15/06/2026"])
    assert bad.exit_code == 1
    assert bad.output.strip().splitlines() == [
        "Error: --today must be a date written YYYY-MM-DD (like 2026-03-01),"
        " not '15/06/2026'."
    ]
