"""The one write the screens need that ``services`` lacks: correcting a residency.

Same contract as ``services``: plain arguments, flush only, ``MembershipError``.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.membership import audit
from portal.membership.errors import MembershipError
from portal.membership.models import Residency, Term
from portal.membership.services import checked_text

RESIDENCY_EDIT = "residency_edit"
AUDIT_ACTIONS = (*audit.ACTIONS, RESIDENCY_EDIT)


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
        RESIDENCY_EDIT,
        actor=actor,
        detail={"residency_id": residency.id, "before": before},
    )
    return residency
