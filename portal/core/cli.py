"""``flask mail …``: the outbox worker."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from portal.core.db import refresh_statistics
from portal.core.mail import deliver_pending
from portal.extensions import db

mail_cli = AppGroup("mail", help="Deliver queued email.")


@mail_cli.command("deliver")
@click.option("--loop", is_flag=True, help="Keep running as a worker.")
@click.option(
    "--interval", default=5.0, show_default=True, help="Seconds between runs."
)
@click.option("--limit", default=200, show_default=True, help="Messages per run.")
def deliver(loop: bool, interval: float, limit: int) -> None:
    """Send pending mail; failures are retried later with backoff."""
    while True:
        report = deliver_pending(limit=limit)
        if report.sent or report.retrying or report.failed or not loop:
            click.echo(f"mail: {report}")
        if not loop:
            return
        time.sleep(interval)


@click.command("analyze")
def analyze_command() -> None:
    """Refresh the query planner's statistics (daily; cheap on a quiet database)."""
    with db.engine.begin() as connection:
        refresh_statistics(connection)
    click.echo(f"Statistics refreshed ({db.engine.dialect.name}).")
