"""``flask members …``: grant, extend, revoke, list, export, sweep (import:
``cli/roster.py``)."""

from __future__ import annotations

import json
from typing import Any

import click

from portal.core.locks import exclusive_job
from portal.core.spreadsheets import EXCEL_BOM
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.cli import (
    Progress,
    acting_admin,
    by_option,
    domain_errors,
    find_residency,
    find_user,
    members_cli,
    parse_date,
    required_date,
)
from portal.membership.queries.dashboard import SWEEP_JOB
from portal.membership.queries.members import MemberFilters, member_rows
from portal.membership.services import accounts, exports, grants, standing
from portal.membership.services.sweep import run_sweep
from portal.membership.status import STATUSES


@members_cli.command("grant")
@click.argument("email")
@click.option("--name", required=True, help="The graduate's name.")
@click.option("--residency", "residency_id", type=int, default=None)
@click.option("--start", default=None, help="First day, YYYY-MM-DD.")
@click.option("--reason", required=True)
@click.option("--organization", default=None)
@click.option("--title", default=None)
@by_option
def members_grant(
    email: str,
    name: str,
    residency_id: int | None,
    start: str | None,
    reason: str,
    organization: str | None,
    title: str | None,
    by: str | None,
) -> None:
    """Give one person a term (from a residency, or from a start date)."""
    start_on, actor = parse_date(start, "--start"), acting_admin(by)
    if residency_id is None and start_on is None:
        raise click.ClickException("Give --residency ID or --start YYYY-MM-DD.")
    residency = find_residency(residency_id) if residency_id is not None else None
    with domain_errors():
        result = grants.add_graduate(
            email,
            name,
            actor=actor,
            residency=residency,
            start=start_on,
            reason=reason,
            organisation=organization,
            title=title,
        )
    db.session.commit()
    _echo_grant(result)


def _echo_grant(result: grants.GrantResult) -> None:
    membership = result.membership
    if not result.changed:
        click.echo(f"Nothing changed: {membership.user.email} already has that term.")
        return
    click.echo(
        f"{membership.user.email}: member through {format_date(membership.ends_on)}"
        f" ({membership.ends_on.isoformat()})"
    )


@members_cli.command("extend")
@click.argument("email")
@click.option("--reason", required=True)
@click.option("--start", default=None, help="Only after grace: a later start date.")
@by_option
def members_extend(email: str, reason: str, start: str | None, by: str | None) -> None:
    """Add one term to an existing membership."""
    start_on, actor = parse_date(start, "--start"), acting_admin(by)
    with domain_errors():
        result = grants.extend(
            find_user(email), actor=actor, reason=reason, start=start_on
        )
    db.session.commit()
    _echo_grant(result)


@members_cli.command("revoke")
@click.argument("email")
@click.option("--reason", required=True)
@by_option
def members_revoke(email: str, reason: str, by: str | None) -> None:
    """Withdraw a membership (the account and past posts stay)."""
    actor = acting_admin(by)
    with domain_errors():
        standing.revoke(find_user(email), actor=actor, reason=reason)
    db.session.commit()
    click.echo(f"Revoked: {email.strip().lower()}")


@members_cli.command("suspend")
@click.argument("email")
@click.option("--until", required=True, help="Last day of the suspension.")
@click.option("--reason", required=True)
@by_option
def members_suspend(email: str, until: str, reason: str, by: str | None) -> None:
    """Suspend a membership up to and including a date."""
    until_on, actor = required_date(until, "--until"), acting_admin(by)
    with domain_errors():
        standing.suspend(find_user(email), actor=actor, until=until_on, reason=reason)
    db.session.commit()
    click.echo(f"Suspended until {until_on.isoformat()}: {email.strip().lower()}")


@members_cli.command("reinstate")
@click.argument("email")
@click.option("--reason", required=True)
@by_option
def members_reinstate(email: str, reason: str, by: str | None) -> None:
    """Lift a revocation or suspension."""
    actor = acting_admin(by)
    with domain_errors():
        standing.reinstate(find_user(email), actor=actor, reason=reason)
    db.session.commit()
    click.echo(f"Reinstated: {email.strip().lower()}")


def _filters(
    status: str | None,
    residency_id: int | None,
    expiring_within: int | None,
    search: str | None,
) -> MemberFilters:
    if status is not None and status not in STATUSES:
        raise click.ClickException(
            f"--status must be one of {', '.join(STATUSES)}, not {status!r}."
        )
    if residency_id is not None:
        find_residency(residency_id)
    if expiring_within is not None and expiring_within < 0:
        raise click.ClickException("--expiring-within must be 0 or more days.")
    return MemberFilters(status, residency_id, expiring_within, search)


def filter_options(command: Any) -> Any:
    for option in reversed(
        [
            click.option("--status", default=None, help="current, grace, expired …"),
            click.option("--residency", "residency_id", type=int, default=None),
            click.option("--expiring-within", type=int, default=None, help="Days."),
            click.option("--search", default=None, help="Name, email, organisation."),
        ]
    ):
        command = option(command)
    return command


@members_cli.command("list")
@filter_options
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def members_list(
    status: str | None,
    residency_id: int | None,
    expiring_within: int | None,
    search: str | None,
    as_json: bool,
) -> None:
    """Members with their status today."""
    filters = _filters(status, residency_id, expiring_within, search)
    rows = member_rows(filters)
    if as_json:
        click.echo(json.dumps([row.as_json() for row in rows], indent=2))
        return
    for row in rows:
        click.echo(
            f"{row.status:<9} {row.start.isoformat()} → {row.end.isoformat()}  "
            f"{row.email}  {row.name}  {row.residency or ''}"
        )


@members_cli.command("export")
@filter_options
@by_option
def members_export(
    status: str | None,
    residency_id: int | None,
    expiring_within: int | None,
    search: str | None,
    by: str | None,
) -> None:
    """Members as CSV on standard output (the export is recorded in the audit log).

    UTF-8 with a byte-order mark, as the admin screen's download: Excel needs
    it, and ``flask members import`` reads the file back unchanged."""
    filters = _filters(status, residency_id, expiring_within, search)
    text = exports.export_members_csv(filters, actor=acting_admin(by))
    db.session.commit()
    click.echo(EXCEL_BOM + text, nl=False)


@members_cli.command("resend-invitation")
@click.argument("email")
@by_option
def members_resend_invitation(email: str, by: str | None) -> None:
    """A fresh set-password link for a graduate who has not signed in yet."""
    actor = acting_admin(by)
    with domain_errors():
        accounts.resend_invitation(find_user(email), actor=actor)
    db.session.commit()
    click.echo(f"Invitation queued for {email.strip().lower()}")


@members_cli.command("correct-email")
@click.argument("old_email")
@click.argument("new_email")
@click.option("--reason", default=None)
@by_option
def members_correct_email(
    old_email: str, new_email: str, reason: str | None, by: str | None
) -> None:
    """Fix a mistyped address (an unclaimed account is invited again)."""
    user, actor = find_user(old_email), acting_admin(by)
    with domain_errors():
        accounts.correct_email(user, new_email, actor=actor, reason=reason)
    db.session.commit()
    click.echo(f"Email corrected: {user.email}")


@members_cli.command("sweep")
@click.option("--today", default=None, help="Run as if on this date (YYYY-MM-DD).")
def members_sweep(today: str | None) -> None:
    """The daily job: status changes and reminders; safe to run again."""
    day = parse_date(today, "--today")
    progress = Progress("Sweeping")
    with exclusive_job(SWEEP_JOB) as mine:
        if not mine:
            click.echo("Another sweep is running; this one has nothing to do.")
            return
        try:
            report = run_sweep(day, on_start=progress.start, progress=progress.advance)
        finally:
            progress.close()
        db.session.commit()
    click.echo(f"Sweep {report}")
