"""``flask residencies …`` and ``flask members …``: membership for operators.

Every command calls the same services as the admin screens, commits once, and
on bad input exits non-zero with one line saying what to fix. Commands act as
the system (no acting user) in the audit log.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import click
from flask.cli import AppGroup

from portal.auth import services as accounts
from portal.auth.models import User
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership import actions, importer, queries, services, sweep
from portal.membership.errors import MembershipError
from portal.membership.models import Residency

residencies_cli = AppGroup("residencies", help="Residencies and their graduates.")
members_cli = AppGroup("members", help="Memberships: import, grant, extend, sweep.")


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.ClickException(
            f"{option} must be a date written YYYY-MM-DD (like 2026-03-01), "
            f"not {value!r}."
        ) from None


def required_date(value: str, option: str) -> date:
    day = parse_date(value, option)
    if day is None:
        raise click.ClickException(f"{option} is required.")
    return day


def find_user(email: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email.strip()}.")
    return user


def find_residency(residency_id: int) -> Residency:
    try:
        return services.get_residency(residency_id)
    except MembershipError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def domain_errors() -> Iterator[None]:
    """A broken rule: roll back, and say it in one line."""
    try:
        yield
    except MembershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


class Progress:
    """A progress bar on a terminal; silent when output goes to a file or pipe."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def start(self, length: int) -> None:
        if sys.stdout.isatty() and length:
            self.bar = click.progressbar(length=length, label=self.label)
            self.bar.__enter__()

    def advance(self, steps: int) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@residencies_cli.command("add")
@click.argument("name")
@click.option("--location", required=True, help="Where it was held.")
@click.option("--date", "held_on", required=True, help="When, as YYYY-MM-DD.")
@click.option("--notes", default=None, help="Anything worth keeping.")
def residency_add(name: str, location: str, held_on: str, notes: str | None) -> None:
    """Record a residency; its graduates become members from its date."""
    day = required_date(held_on, "--date")
    with domain_errors():
        residency = services.add_residency(name, location, day, notes, actor=None)
    db.session.commit()
    click.echo(
        f"Residency {residency.id}: {residency.name}, {residency.location}, "
        f"{residency.held_on.isoformat()}"
    )


@residencies_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def residency_list(as_json: bool) -> None:
    """Every residency, newest first, with its number of graduates."""
    rows = queries.residencies_with_counts()
    if as_json:
        click.echo(json.dumps([_residency_json(r, n) for r, n in rows], indent=2))
        return
    for residency, graduates in rows:
        click.echo(
            f"{residency.id:>4}  {residency.held_on.isoformat()}  {residency.name}"
            f" ({residency.location}): {graduates} graduate"
            f"{'' if graduates == 1 else 's'}"
        )


def _residency_json(residency: Residency, graduates: int) -> dict[str, object]:
    return {
        "id": residency.id,
        "name": residency.name,
        "location": residency.location,
        "date": residency.held_on.isoformat(),
        "notes": residency.notes,
        "graduates": graduates,
    }


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise click.ClickException(
            f"Cannot read {path}: {error.strerror or error}."
        ) from None


def _report_errors(preview: importer.RosterPreview) -> None:
    for problem in preview.errors:
        click.echo(problem, err=True)


@members_cli.command("import")
@click.argument("file")
@click.option("--residency", "residency_id", required=True, type=int)
@click.option("--start", default=None, help="Start new terms on this date instead.")
@click.option("--reason", default=None, help="Recorded with each new term.")
@click.option("--dry-run", is_flag=True, help="Show what would happen; write nothing.")
def members_import(
    file: str, residency_id: int, start: str | None, reason: str | None, dry_run: bool
) -> None:
    """Import a roster CSV (email,name[,organization,title]): all lines or none."""
    start_on = parse_date(start, "--start")
    data, residency = _read_file(file), find_residency(residency_id)
    if dry_run:
        preview = importer.preview_roster(data, residency, start=start_on)
        _report_errors(preview)
        if not preview.ok:
            raise click.ClickException(
                f"The roster has {len(preview.errors)} errors; fix them and try again."
            )
        click.echo(f"Dry run, nothing written: {preview.summary()}")
        return
    progress = Progress("Importing")
    try:
        preview = importer.import_roster(
            data,
            residency,
            actor=None,
            start=start_on,
            reason=reason,
            on_start=progress.start,
            progress=progress.advance,
        )
    except importer.RosterError as error:
        db.session.rollback()
        _report_errors(error.preview)
        raise click.ClickException(str(error)) from error
    except MembershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    finally:
        progress.close()
    db.session.commit()
    click.echo(f"Imported into {residency.name}: {preview.summary()}")


@members_cli.command("grant")
@click.argument("email")
@click.option("--name", required=True, help="The graduate's name.")
@click.option("--residency", "residency_id", type=int, default=None)
@click.option("--start", default=None, help="First day, YYYY-MM-DD.")
@click.option("--reason", required=True)
@click.option("--organization", default=None)
@click.option("--title", default=None)
def members_grant(
    email: str,
    name: str,
    residency_id: int | None,
    start: str | None,
    reason: str,
    organization: str | None,
    title: str | None,
) -> None:
    """Give one person a term (from a residency, or from a start date)."""
    start_on = parse_date(start, "--start")
    if residency_id is None and start_on is None:
        raise click.ClickException("Give --residency ID or --start YYYY-MM-DD.")
    residency = find_residency(residency_id) if residency_id is not None else None
    with domain_errors():
        result = services.add_graduate(
            email,
            name,
            actor=None,
            residency=residency,
            start=start_on,
            reason=reason,
            organisation=organization,
            title=title,
        )
    db.session.commit()
    _echo_grant(result)


def _echo_grant(result: services.GrantResult) -> None:
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
def members_extend(email: str, reason: str, start: str | None) -> None:
    """Add one term to an existing membership."""
    start_on = parse_date(start, "--start")
    with domain_errors():
        result = services.extend(
            find_user(email), actor=None, reason=reason, start=start_on
        )
    db.session.commit()
    _echo_grant(result)


@members_cli.command("revoke")
@click.argument("email")
@click.option("--reason", required=True)
def members_revoke(email: str, reason: str) -> None:
    """Withdraw a membership (the account and past posts stay)."""
    with domain_errors():
        actions.revoke(find_user(email), actor=None, reason=reason)
    db.session.commit()
    click.echo(f"Revoked: {email.strip().lower()}")


@members_cli.command("suspend")
@click.argument("email")
@click.option("--until", required=True, help="Last day of the suspension.")
@click.option("--reason", required=True)
def members_suspend(email: str, until: str, reason: str) -> None:
    """Suspend a membership up to and including a date."""
    until_on = required_date(until, "--until")
    with domain_errors():
        actions.suspend(find_user(email), actor=None, until=until_on, reason=reason)
    db.session.commit()
    click.echo(f"Suspended until {until_on.isoformat()}: {email.strip().lower()}")


@members_cli.command("reinstate")
@click.argument("email")
@click.option("--reason", required=True)
def members_reinstate(email: str, reason: str) -> None:
    """Lift a revocation or suspension."""
    with domain_errors():
        actions.reinstate(find_user(email), actor=None, reason=reason)
    db.session.commit()
    click.echo(f"Reinstated: {email.strip().lower()}")


def _filters(
    status: str | None,
    residency_id: int | None,
    expiring_within: int | None,
    search: str | None,
) -> queries.MemberFilters:
    if status is not None and status not in queries.STATUSES:
        raise click.ClickException(
            f"--status must be one of {', '.join(queries.STATUSES)}, not {status!r}."
        )
    if residency_id is not None:
        find_residency(residency_id)
    if expiring_within is not None and expiring_within < 0:
        raise click.ClickException("--expiring-within must be 0 or more days.")
    return queries.MemberFilters(status, residency_id, expiring_within, search)


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
    rows = queries.member_rows(filters)
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
def members_export(
    status: str | None,
    residency_id: int | None,
    expiring_within: int | None,
    search: str | None,
) -> None:
    """Members as CSV on standard output (the export is recorded in the audit log)."""
    filters = _filters(status, residency_id, expiring_within, search)
    text = queries.export_members_csv(filters, actor=None)
    db.session.commit()
    click.echo(text, nl=False)


@members_cli.command("resend-invitation")
@click.argument("email")
def members_resend_invitation(email: str) -> None:
    """A fresh set-password link for a graduate who has not signed in yet."""
    with domain_errors():
        actions.resend_invitation(find_user(email), actor=None)
    db.session.commit()
    click.echo(f"Invitation queued for {email.strip().lower()}")


@members_cli.command("correct-email")
@click.argument("old_email")
@click.argument("new_email")
@click.option("--reason", default=None)
def members_correct_email(old_email: str, new_email: str, reason: str | None) -> None:
    """Fix a mistyped address (an unclaimed account is invited again)."""
    user = find_user(old_email)
    with domain_errors():
        actions.correct_email(user, new_email, actor=None, reason=reason)
    db.session.commit()
    click.echo(f"Email corrected: {user.email}")


@members_cli.command("sweep")
@click.option("--today", default=None, help="Run as if on this date (YYYY-MM-DD).")
def members_sweep(today: str | None) -> None:
    """The daily job: status changes and reminders; safe to run again."""
    day = parse_date(today, "--today")
    progress = Progress("Sweeping")
    try:
        report = sweep.run_sweep(
            day, on_start=progress.start, progress=progress.advance
        )
    finally:
        progress.close()
    db.session.commit()
    click.echo(f"Sweep {report}")
