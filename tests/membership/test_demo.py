"""The demo data shows a member in every status, and seeding twice changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.auth import services as accounts
from portal.demo import DEMO_MEMBERSHIPS, DEMO_PASSWORD, seed_demo
from portal.extensions import db
from portal.membership.access import membership_status
from portal.membership.models import AuditEntry, Residency, Term
from portal.membership.status import Status
from tests.factories import make_admin, page, sign_in


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
    # The logins say what each one shows (make run prints them last).
    lines = result.output.splitlines()
    assert any("ana.silva@example.org" in x and "expired" in x for x in lines)
    assert any("rita.moreau@example.org" in x and "checklist" in x for x in lines)


def test_the_demo_lists_members_in_the_directory(app, client):
    seed_demo()
    db.session.commit()
    maria = accounts.find_by_email("maria.lopez@example.org")
    sign_in(client, maria, password=DEMO_PASSWORD)
    html = page(client.get("/directory"))
    assert "Nobody has listed themselves yet." not in html
    for name in ("Dr. Maria Lopez", "Sam Okafor", "Dr. Ines Costa"):
        assert f">{name}</a>" in html


def test_the_demo_has_run_the_sweep_so_the_dashboard_raises_no_alarm(app, client):
    seed_demo()
    db.session.commit()
    sign_in(client, make_admin("boss@example.org", "Bo Boss"))
    html = page(client.get("/admin/"))
    assert "never run" not in html
    assert "The daily sweep last succeeded" in html


def test_the_demo_has_a_new_graduate_with_the_whole_checklist_to_do(app, client):
    seed_demo()
    db.session.commit()
    rita = accounts.find_by_email("rita.moreau@example.org")
    assert membership_status(rita).status is Status.CURRENT
    sign_in(client, rita, password=DEMO_PASSWORD)
    html = page(client.get("/questions"))
    assert "Getting started" in html and "<s>" not in html
