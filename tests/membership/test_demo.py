"""The demo data shows a member in every status, and seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth import services as accounts
from portal.demo import DEMO_MEMBERSHIPS, seed_demo
from portal.extensions import db
from portal.membership.access import membership_status
from portal.membership.models import AuditEntry, Residency, Term
from portal.membership.status import Status


def counts() -> tuple[int, int, int]:
    return tuple(  # type: ignore[return-value]
        db.session.scalar(select(func.count()).select_from(model))
        for model in (Residency, Term, AuditEntry)
    )


def test_seed_demo_has_every_status_and_is_idempotent(app):
    seed_demo()
    db.session.commit()
    first = counts()
    seed_demo()
    db.session.commit()
    assert counts() == first
    statuses = {
        membership_status(accounts.find_by_email(email)).status
        for email, _, _ in DEMO_MEMBERSHIPS
    }
    assert statuses == set(Status)
    sam = accounts.find_by_email("sam.okafor@example.org")
    assert membership_status(sam).expiring


def test_seed_demo_command_runs_twice(runner):
    for _ in range(2):
        result = runner.invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
