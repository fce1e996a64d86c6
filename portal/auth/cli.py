"""``flask users …``: account administration for operators."""

from __future__ import annotations

import click
from flask import current_app

from portal.auth import bp, services
from portal.auth.email import invitation_link
from portal.core.time import utcnow
from portal.extensions import db


@bp.cli.group("users")
def users_cli() -> None:
    """Manage accounts."""


@users_cli.command("create-admin")
@click.argument("email")
@click.option("--name", required=True, help="The admin's display name.")
def create_admin(email: str, name: str) -> None:
    """Create (or promote) an admin and print a one-time set-password link."""
    try:
        user = services.create_admin(email, name)
    except services.AccountError as error:
        raise click.ClickException(str(error)) from error
    if user.claimed_at is None:
        user.invited_at = utcnow()
    db.session.flush()
    link = invitation_link(user)
    db.session.commit()
    days = current_app.config["INVITATION_MAX_AGE"].days
    click.echo(f"Admin: {user.email}")
    click.echo(f"Set a password within {days} days (the link works once):")
    click.echo(link)
