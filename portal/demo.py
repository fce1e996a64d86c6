"""``flask seed-demo``: idempotent demo data for a newcomer's first look."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.auth import services as accounts
from portal.auth.models import ADMIN, MEMBER, User
from portal.core.time import utcnow
from portal.extensions import db

DEMO_PASSWORD = "network-demo-2026"  # noqa: S105 - printed for the newcomer
DEMO_USERS = [
    ("admin@example.org", "Avery Admin", ADMIN),
    ("maria.lopez@example.org", "Dr. Maria Lopez", MEMBER),
    ("sam.okafor@example.org", "Sam Okafor", MEMBER),
    ("lee.chen@example.org", "Dr. Lee Chen", MEMBER),
]


def ensure_user(email: str, name: str, role: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        user = accounts.create_user(email, name, role)
        user.set_password(DEMO_PASSWORD)
        user.invited_at = user.claimed_at = utcnow()
    return user


def seed_demo() -> list[User]:
    return [ensure_user(*spec) for spec in DEMO_USERS]


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
        click.echo(f"  {user.role:<7} {user.email}")
