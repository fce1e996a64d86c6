"""``flask residencies …``: record and list residencies."""

from __future__ import annotations

import json

import click

from portal.extensions import db
from portal.membership import bp
from portal.membership.cli import (
    acting_admin,
    by_option,
    domain_errors,
    required_date,
)
from portal.membership.models import Residency
from portal.membership.queries.residencies import residencies_with_counts
from portal.membership.services.residencies import add_residency


@bp.cli.group("residencies")
def residencies_cli() -> None:
    """Residencies and their graduates."""


@residencies_cli.command("add")
@click.argument("name")
@click.option("--location", required=True, help="Where it was held.")
@click.option("--date", "held_on", required=True, help="When, as YYYY-MM-DD.")
@click.option("--notes", default=None, help="Anything worth keeping.")
@by_option
def residency_add(
    name: str, location: str, held_on: str, notes: str | None, by: str | None
) -> None:
    """Record a residency; its graduates become members from its date."""
    day, actor = required_date(held_on, "--date"), acting_admin(by)
    with domain_errors():
        residency = add_residency(name, location, day, notes, actor=actor)
    db.session.commit()
    click.echo(
        f"Residency {residency.id}: {residency.name}, {residency.location}, "
        f"{residency.held_on.isoformat()}"
    )


@residencies_cli.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def residency_list(as_json: bool) -> None:
    """Every residency, newest first, with its number of graduates."""
    rows = residencies_with_counts()
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
