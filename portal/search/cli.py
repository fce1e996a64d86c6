"""``flask search …`` commands."""

from __future__ import annotations

import time

import click

from portal.extensions import db
from portal.search import bp
from portal.search.services import reindex_all


@bp.cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from every question and answer."""
    started = time.perf_counter()
    count = reindex_all()
    db.session.commit()
    noun = "question" if count == 1 else "questions"
    click.echo(f"Indexed {count} {noun} in {time.perf_counter() - started:.1f} s.")
