"""``flask seed-demo``: idempotent demo data for a newcomer's first look.

Every status of membership, a lived-in board, a directory with a few members
listed, a brand-new graduate whose first-run checklist is still empty, and the
daily sweep run once, so the admin dashboard opens without its alarm.
"""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from portal.auth import services as accounts
from portal.auth.models import ADMIN, MEMBER, User
from portal.board.services.demo import seed_board
from portal.core.time import today, utcnow
from portal.extensions import db
from portal.membership.access import membership_status
from portal.membership.models import Residency
from portal.membership.queries.directory import profile_or_none
from portal.membership.services import grants, profiles, residencies, standing
from portal.membership.services.sweep import run_sweep

DEMO_PASSWORD = "network-demo-2026"  # noqa: S105 - printed for the newcomer
DEMO_USERS = [
    ("admin@example.org", "Avery Admin", ADMIN),
    ("maria.lopez@example.org", "Dr. Maria Lopez", MEMBER),
    ("sam.okafor@example.org", "Sam Okafor", MEMBER),
    ("lee.chen@example.org", "Dr. Lee Chen", MEMBER),
    ("ana.silva@example.org", "Ana Silva", MEMBER),
    ("noah.kim@example.org", "Noah Kim", MEMBER),
    ("jordan.price@example.org", "Jordan Price", MEMBER),
    ("priya.nair@example.org", "Dr. Priya Nair", MEMBER),
    ("ines.costa@example.org", "Dr. Ines Costa", MEMBER),
    ("rita.moreau@example.org", "Rita Moreau", MEMBER),
]
# Residencies: name, location, days before the first seeding.
DEMO_RESIDENCIES = [
    ("Residency Lisbon", "Lisbon", 100),
    ("Residency Toronto", "Toronto", 370),
    ("Residency Nairobi", "Nairobi", 500),
    ("Residency Porto", "Porto", 3),
]
# One member per status: email, residency name or None, start offset in days.
DEMO_MEMBERSHIPS = [
    ("maria.lopez@example.org", "Residency Lisbon", None),  # current
    ("sam.okafor@example.org", None, -350),  # current, expiring
    ("lee.chen@example.org", "Residency Toronto", None),  # grace
    ("ana.silva@example.org", "Residency Nairobi", None),  # expired
    ("noah.kim@example.org", None, 20),  # upcoming
    ("jordan.price@example.org", "Residency Lisbon", None),  # revoked
    ("priya.nair@example.org", "Residency Lisbon", None),  # suspended
    ("ines.costa@example.org", "Residency Lisbon", None),  # current
    ("rita.moreau@example.org", "Residency Porto", None),  # new: first run
]
# Profiles, listed in the directory unless said otherwise: email, title,
# organisation, specialty, platforms, bio.
DEMO_PROFILES = [
    (
        "maria.lopez@example.org",
        "Head of Digital",
        "Hospital Santa Maria",
        "Emergency medicine",
        ["Facebook", "LinkedIn"],
        "Runs the hospital's social accounts and coaches its physicians.",
    ),
    (
        "sam.okafor@example.org",
        "Communications Officer",
        "Riverside Community Hospital",
        "Communications",
        ["TikTok", "Instagram"],
        "A team of one (and a half) at a small community hospital.",
    ),
    (
        "ines.costa@example.org",
        "Paediatrician",
        "Hospital Dona Estefânia",
        "Paediatrics",
        ["Instagram", "YouTube"],
        "Explains childhood vaccines in 60-second videos.",
    ),
]


def ensure_user(email: str, name: str, role: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        user = accounts.create_user(email, name, role)
        user.set_password(DEMO_PASSWORD)
        user.invited_at = user.claimed_at = utcnow()
    return user


def ensure_residency(name: str, location: str, days_ago: int) -> Residency:
    found = db.session.scalar(select(Residency).where(Residency.name == name))
    if found is not None:
        return found
    held_on = today() - timedelta(days=days_ago)
    return residencies.add_residency(name, location, held_on, actor=None)


def ensure_membership(
    user: User, residency: Residency | None, offset: int | None, admin: User
) -> None:
    """Only a first seeding grants; later runs find the membership and stop."""
    if grants.find_membership(user) is not None:
        return
    start: date | None = today() + timedelta(days=offset) if offset else None
    grants.grant_term(
        user, actor=admin, reason="Demo data", residency=residency, start=start,
        notify=False,
    )  # fmt: skip
    if user.email.startswith("jordan."):
        standing.revoke(user, actor=admin, reason="Demo: revoked member", notify=False)
    if user.email.startswith("priya."):
        standing.suspend(
            user, actor=admin, until=today() + timedelta(days=14),
            reason="Demo: suspended member", notify=False,
        )  # fmt: skip


def ensure_profile(user: User, fields: tuple[str, ...], platforms: list[str]) -> None:
    """Only a first seeding writes a profile; a member's own edits stay."""
    if profile_or_none(user) is not None:
        return
    title, organisation, specialty, bio = fields
    profiles.update_profile(
        user, title=title, organisation=organisation, specialty=specialty,
        platforms=platforms, bio=bio, directory_opt_in=True,
    )  # fmt: skip


def seed_demo() -> list[User]:
    users = [ensure_user(*spec) for spec in DEMO_USERS]
    by_email = {user.email: user for user in users}
    residencies = {
        name: ensure_residency(name, location, days_ago)
        for name, location, days_ago in DEMO_RESIDENCIES
    }
    admin = by_email["admin@example.org"]
    for email, residency_name, offset in DEMO_MEMBERSHIPS:
        residency = residencies[residency_name] if residency_name else None
        ensure_membership(by_email[email], residency, offset, admin)
    for email, title, organisation, specialty, platforms, bio in DEMO_PROFILES:
        fields = (title, organisation, specialty, bio)
        ensure_profile(by_email[email], fields, platforms)
    seed_board(users)
    # As cron would each morning: the dashboard then shows when it last ran.
    db.session.flush()
    run_sweep()
    return users


@click.command("seed-demo")
@click.option("--force", is_flag=True, help="Allow it in production (never do this).")
@with_appcontext
def seed_demo_command(force: bool) -> None:
    """Create demo accounts (and data); running it again changes nothing."""
    if current_app.config["PORTAL_ENV"] == "production" and not force:
        raise click.ClickException("seed-demo refuses to run in production")
    users = seed_demo()
    db.session.commit()
    click.echo(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD}")
    for user in users:
        click.echo(f"  {user.role:<7} {user.email:<26} {_standing(user)}")


def _standing(user: User) -> str:
    """What each login shows a newcomer: the membership's status today."""
    if user.is_admin:
        return "(dashboard; first sets up an authenticator app: the page shows the key)"
    status = membership_status(user)
    if user.email.startswith("rita."):
        return f"{status.status.value}, new: the first-run checklist"
    return status.status.value + (", expiring" if status.expiring else "")
