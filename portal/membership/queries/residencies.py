"""Residencies with their graduates."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.extensions import db
from portal.membership.models import Residency, Term
from portal.membership.queries.members import MemberFilters, MemberRow, member_rows


def residencies_with_counts() -> list[tuple[Residency, int]]:
    """Every residency, newest first, with how many graduates it has."""
    graduates = func.count(Term.id)
    query = (
        select(Residency, graduates)
        .outerjoin(Term, Term.residency_id == Residency.id)
        .group_by(Residency.id)
        .order_by(Residency.held_on.desc(), Residency.id.desc())
    )
    return [(residency, int(count)) for residency, count in db.session.execute(query)]


def residency_graduates(
    residency_id: int, today: date | None = None
) -> list[MemberRow]:
    """The graduates of one residency with their status today."""
    return member_rows(MemberFilters(residency_id=residency_id), today)


def residency_choices() -> list[tuple[int, str]]:
    """Every residency as (id, "name (date)"), newest first, for a select box."""
    return [
        (residency.id, f"{residency.name} ({residency.held_on.isoformat()})")
        for residency, _ in residencies_with_counts()
    ]


def residency_has_graduates(residency: Residency) -> bool:
    found = db.session.scalar(
        select(Term.id).where(Term.residency_id == residency.id).limit(1)
    )
    return found is not None
