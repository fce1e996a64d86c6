"""Acting on many members at once, from the members list's checkboxes.

Each member goes through the same service as on their own page, so each gets
their own audit entry (with the one reason the admin gave) and their own mail;
a member the rules refuse is skipped and named, and the rest go ahead.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.services import accounts, grants

# More than a page of the list at once is more likely a mistake than a plan.
MOST_AT_ONCE = 200


@dataclass
class BulkReport:
    done: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def __str__(self) -> str:
        count = len(self.done)
        text = f"{count} member{'' if count == 1 else 's'} done"
        if self.skipped:
            text += f", {len(self.skipped)} skipped"
        return text + "."


def _members(user_ids: Sequence[int]) -> list[User]:
    if len(user_ids) > MOST_AT_ONCE:
        raise MembershipError(f"Select at most {MOST_AT_ONCE} members at once.")
    ids = sorted(set(user_ids))
    return list(db.session.scalars(select(User).where(User.id.in_(ids))))


def _each(users: list[User], act: Callable[[User], None]) -> BulkReport:
    report = BulkReport()
    for user in users:
        savepoint = db.session.begin_nested()
        try:
            act(user)
        except MembershipError as error:
            savepoint.rollback()
            report.skipped.append((user.email, str(error)))
        else:
            savepoint.commit()
            report.done.append(user.email)
    return report


def extend_many(user_ids: Sequence[int], *, actor: User, reason: str) -> BulkReport:
    """Extend each selected member by a term, through ``grants.extend``."""

    def extend(user: User) -> None:
        grants.extend(user, actor=actor, reason=reason)

    return _each(_members(user_ids), extend)


def resend_many(user_ids: Sequence[int], *, actor: User) -> BulkReport:
    """A fresh invitation to each selected member who has not signed in yet."""
    return _each(
        _members(user_ids),
        lambda user: accounts.resend_invitation(user, actor=actor),
    )
