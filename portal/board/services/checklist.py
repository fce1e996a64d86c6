"""Writes of the first-run checklist: the markers no other data records.

Each is idempotent (the first time counts), so opening the guide twice, or two
tabs finding the list complete, write once. The caller commits.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update

from portal.auth.models import User
from portal.board.models import MemberChecklist
from portal.core.atomic import execute, insert_ignore
from portal.core.time import utcnow


def _mark(user: User, column: str, now: datetime | None) -> None:
    insert_ignore(MemberChecklist, user_id=user.id)
    field = getattr(MemberChecklist, column)
    execute(
        update(MemberChecklist)
        .where(MemberChecklist.user_id == user.id, field.is_(None))
        .values({column: now or utcnow()})
    )


def mark_guide_read(user: User, now: datetime | None = None) -> None:
    """They opened "How the network works"."""
    _mark(user, "guide_read_at", now)


def dismiss(user: User, now: datetime | None = None) -> None:
    """They hid the list before finishing it."""
    _mark(user, "dismissed_at", now)


def complete(user: User, now: datetime | None = None) -> None:
    """Every step is done: the list closes for good."""
    _mark(user, "completed_at", now)
