"""``flask members import``: a roster file, previewed line by line, all or nothing."""

from __future__ import annotations

import click

from portal.core.templating import counted
from portal.extensions import db
from portal.membership.cli import (
    Progress,
    acting_admin,
    by_option,
    find_residency,
    members_cli,
    parse_date,
)
from portal.membership.errors import MembershipError
from portal.membership.roster_file.records import RosterLine
from portal.membership.services import roster


def _read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as error:
        raise click.ClickException(
            f"Cannot read {path}: {error.strerror or error}."
        ) from None


def _term(preview: roster.RosterPreview, line: RosterLine) -> str:
    if line.start is None or line.end is None:
        return ""
    term = f"{line.start.isoformat()} → {line.end.isoformat()}"
    if line.gap_days:
        term += f" (after a {line.gap_days}-day gap)"
    if preview.ended(line):
        term += " (already over)"
    return term


def _echo_line(preview: roster.RosterPreview, line: RosterLine) -> None:
    """One line of the dry run, as the web preview's table shows it."""
    detail = line.problem or _term(preview, line)
    click.echo(
        f"line {line.line:<5} {line.outcome:<15} {line.email}  {line.name}".rstrip()
    )
    if detail:
        click.echo(f"           {detail}")
    for name, (stored, value) in line.updates.items():
        click.echo(f"           {name} differs: {stored or '(empty)'} → {value}")


def _echo_about(preview: roster.RosterPreview) -> None:
    if preview.file.describe():
        click.echo(preview.file.describe())
    for warning in preview.warnings:
        click.echo(f"Warning: {warning}", err=True)


def _dry_run(preview: roster.RosterPreview) -> None:
    _echo_about(preview)
    for line in preview.lines:
        _echo_line(preview, line)
    for problem in preview.errors:
        click.echo(problem, err=True)
    if not preview.ok:
        raise click.ClickException(
            f"The roster has {counted(len(preview.errors), 'error')}; "
            "fix the file and try again."
        )
    click.echo(f"Dry run, nothing written: {preview.summary()}")
    if preview.updates:
        click.echo(
            "Names or profiles differ from the file for "
            f"{counted(preview.updates, 'member')}: --update-profiles updates them."
        )


@members_cli.command("import")
@click.argument("file")
@click.option("--residency", "residency_id", required=True, type=int)
@click.option("--start", default=None, help="Start new terms on this date instead.")
@click.option("--reason", default=None, help="Recorded with each new term.")
@click.option(
    "--dry-run", is_flag=True, help="Show every line's outcome; write nothing."
)
@click.option("--no-invite", is_flag=True, help="Send no invitations or notices.")
@click.option(
    "--notify-ended",
    is_flag=True,
    help="Tell graduates whose term is already over that it ended.",
)
@click.option(
    "--update-profiles",
    is_flag=True,
    help="Overwrite names, organizations and titles that differ from the file.",
)
@by_option
def members_import(
    file: str,
    residency_id: int,
    start: str | None,
    reason: str | None,
    dry_run: bool,
    no_invite: bool,
    notify_ended: bool,
    update_profiles: bool,
    by: str | None,
) -> None:
    """Import a roster CSV (email,name[,organization,title]): all lines or none."""
    start_on, actor = parse_date(start, "--start"), acting_admin(by)
    data, residency = _read_file(file), find_residency(residency_id)
    if dry_run:
        _dry_run(roster.preview_roster(data, residency, start=start_on))
        return
    progress = Progress("Importing")
    try:
        preview = roster.import_roster(
            data, residency, actor=actor, start=start_on, reason=reason,
            mail=roster.CohortMail(invite=not no_invite, ended=notify_ended),
            overwrite_profiles=update_profiles,
            on_start=progress.start, progress=progress.advance,
        )  # fmt: skip
    except roster.RosterError as error:
        db.session.rollback()
        for problem in error.preview.errors:
            click.echo(problem, err=True)
        raise click.ClickException(str(error)) from error
    except MembershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    finally:
        progress.close()
    db.session.commit()
    _echo_about(preview)
    click.echo(f"Imported into {residency.name}: {preview.summary()}")
    if update_profiles and preview.updates:
        click.echo(f"Updated {counted(preview.updates, 'profile')}.")
