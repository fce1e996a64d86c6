"""``flask board …`` commands."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from portal.board import bp
from portal.board.services.digest import send_digests
from portal.board.services.posts import render_stale
from portal.board.services.routing import follow_up_unanswered
from portal.board.services.tags import ensure_starter_tags
from portal.core import time
from portal.core.locks import exclusive_job
from portal.extensions import db


@bp.cli.command("tags-seed")
def tags_seed_command() -> None:
    """Create the starter tags; running it again changes nothing."""
    tags = ensure_starter_tags()
    db.session.commit()
    click.echo(f"{len(tags)} starter tags ready: {', '.join(t.name for t in tags)}")


def _instant(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        try:
            time.parse_day(value[:10])
        except time.NoSuchDay as impossible:
            raise click.BadParameter(str(impossible)) from error
        raise click.BadParameter(f"{value!r} is not an ISO date and time") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@bp.cli.command("digest")
@click.option("--frequency", type=click.Choice(["daily", "weekly"]), default="weekly")
@click.option("--now", help="Run as of this ISO instant (UTC unless it says).")
def digest_command(frequency: str, now: str | None) -> None:
    """Queue the tag digests due this day or week; running it twice sends once."""
    with exclusive_job(f"board-digest-{frequency}") as mine:
        if not mine:
            click.echo("Another digest run is going; this one has nothing to do.")
            return
        report = send_digests(frequency, _instant(now))
        db.session.commit()
    click.echo(str(report))


@bp.cli.command("follow-up")
@click.option("--now", help="Run as of this ISO instant (UTC unless it says).")
def follow_up_command(now: str | None) -> None:
    """Ask more members about questions unanswered after 48 hours (hourly);
    each question is followed up once, however often this runs."""
    with exclusive_job("board-follow-up") as mine:
        if not mine:
            click.echo("Another follow-up run is going; this one has nothing to do.")
            return
        report = follow_up_unanswered(_instant(now))
        db.session.commit()
    click.echo(str(report))


@bp.cli.command("render")
def render_command() -> None:
    """Store the HTML of posts written before the current Markdown renderer."""
    total = 0
    while count := render_stale():
        db.session.commit()
        total += count
    click.echo(f"{total} post{'' if total == 1 else 's'} rendered again.")
