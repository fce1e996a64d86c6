"""Residencies: recording one, and correcting its details later."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import Residency, Term
from portal.membership.services import audit
from portal.membership.services.grants import checked_text


def add_residency(
    name: str,
    location: str,
    held_on: date,
    notes: str | None = None,
    *,
    actor: User | None,
) -> Residency:
    residency = Residency(
        name=checked_text(name, "A name", 200, required=True),
        location=checked_text(location, "A location", 200, required=True),
        held_on=held_on,
        notes=checked_text(notes, "The notes", 5000, multiline=True) or None,
    )
    db.session.add(residency)
    db.session.flush()
    audit.record(
        audit.RESIDENCY_ADD,
        actor=actor,
        detail={"residency_id": residency.id, "name": residency.name},
    )
    return residency


def get_residency(residency_id: int) -> Residency:
    residency = db.session.get(Residency, residency_id)
    if residency is None:
        raise MembershipError(f"There is no residency with id {residency_id}.")
    return residency


def residency_has_graduates(residency: Residency) -> bool:
    found = db.session.scalar(
        select(Term.id).where(Term.residency_id == residency.id).limit(1)
    )
    return found is not None


def update_residency(
    residency: Residency,
    *,
    name: str,
    location: str,
    held_on: date,
    notes: str | None,
    actor: User | None,
) -> Residency:
    """Correct a residency's details; its date is fixed once it has graduates,
    because their terms were planned from it and would not move with it."""
    if held_on != residency.held_on and residency_has_graduates(residency):
        raise MembershipError(
            "The date cannot change once graduates have terms from this residency."
        )
    before = {
        "name": residency.name,
        "location": residency.location,
        "held_on": residency.held_on.isoformat(),
    }
    residency.name = checked_text(name, "A name", 200, required=True)
    residency.location = checked_text(location, "A location", 200, required=True)
    residency.held_on = held_on
    residency.notes = checked_text(notes, "The notes", 5000) or None
    db.session.flush()
    audit.record(
        audit.RESIDENCY_EDIT,
        actor=actor,
        detail={"residency_id": residency.id, "before": before},
    )
    return residency
