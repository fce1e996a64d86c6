"""Residencies, memberships and their ledger of terms, reminders, audit, profiles.

The ``term`` rows are the ledger: every grant, residency and extension, never
edited. ``Membership.starts_on``/``ends_on`` bound the latest run of contiguous
terms and are kept in step by the services, so status (always worked out from
dates, see ``status.derive_status``) can be filtered in SQL.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.core.db import Base
from portal.core.time import utcnow

# Where a term came from.
RESIDENCY, GRANT, EXTENSION = "residency", "grant", "extension"
TERM_SOURCES = (RESIDENCY, GRANT, EXTENSION)
# How an admin answered a renewal request.
APPROVED, DECLINED = "approved", "declined"
RENEWAL_NOTE_MAX, RENEWAL_MESSAGE_MAX = 500, 1000
OPEN_REQUEST = text("decided_at IS NULL")


class Residency(Base):
    """One residency (a cohort): its graduates become members from its date."""

    __tablename__ = "residency"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    location: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def __repr__(self) -> str:
        return f"<Residency {self.id} {self.name}>"


class Membership(Base):
    """One per person: the flags an admin sets plus the bounds of the latest run."""

    __tablename__ = "membership"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    member_since: Mapped[date] = mapped_column(Date)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    # The class badge in the directory: the residency they first graduated from.
    first_residency_id: Mapped[int | None] = mapped_column(
        ForeignKey("residency.id", ondelete="SET NULL"), index=True
    )
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)
    suspended_until: Mapped[date | None] = mapped_column(Date)
    suspended_reason: Mapped[str | None] = mapped_column(Text)
    # Only for the sweep to notice a change of status; never read for access.
    last_status: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(lazy="joined")
    first_residency: Mapped[Residency | None] = relationship()
    terms: Mapped[list[Term]] = relationship(
        back_populates="membership", order_by="Term.starts_on"
    )
    profile: Mapped[MemberProfile | None] = relationship(
        primaryjoin="foreign(Membership.user_id) == MemberProfile.user_id",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Membership {self.id} user={self.user_id} {self.ends_on}>"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class Term(Base):
    """A ledger line: one year of membership, where it came from and who gave it."""

    __tablename__ = "term"
    # Granting the same residency to the same person twice changes nothing.
    __table_args__ = (UniqueConstraint("membership_id", "residency_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(12))
    residency_id: Mapped[int | None] = mapped_column(
        ForeignKey("residency.id", ondelete="RESTRICT"), index=True
    )
    granted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    # Days without membership between the previous term and this one.
    gap_days: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    membership: Mapped[Membership] = relationship(back_populates="terms")
    residency: Mapped[Residency | None] = relationship()
    granted_by: Mapped[User | None] = relationship()


class Reminder(Base):
    """A reminder claimed (and queued) once per membership, term end and kind."""

    __tablename__ = "membership_reminder"
    __table_args__ = (UniqueConstraint("membership_id", "term_end", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE")
    )
    term_end: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(12))
    claimed_at: Mapped[datetime] = mapped_column(default=utcnow)


class AuditEntry(Base):
    """Append-only history of membership changes: nothing updates or deletes it."""

    __tablename__ = "membership_audit"
    __table_args__ = (Index(None, "action", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[str] = mapped_column(String(20))
    # None: the system (the sweep, an operator's command without --by).
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    membership_id: Mapped[int | None] = mapped_column(
        ForeignKey("membership.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    reason: Mapped[str | None] = mapped_column(Text)
    end_before: Mapped[date | None] = mapped_column(Date)
    end_after: Mapped[date | None] = mapped_column(Date)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    membership: Mapped[Membership | None] = relationship()


class MemberProfile(Base):
    """What a member tells the network about themselves (one per account)."""

    __tablename__ = "member_profile"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    title: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    specialty: Mapped[str | None] = mapped_column(String(200))
    platforms: Mapped[list[str]] = mapped_column(JSON, default=list)
    bio: Mapped[str | None] = mapped_column(String(500))
    directory_opt_in: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship()
    membership: Mapped[Membership | None] = relationship(
        primaryjoin="foreign(MemberProfile.user_id) == Membership.user_id",
        viewonly=True,
    )


class RenewalRequest(Base):
    """A member asked for another year; an admin approves or declines it.

    At most one open (undecided) request per membership, kept by a partial
    unique index, so a double-submitted form inserts one row whatever the race;
    the same index answers "how many are open" for the admin's badge.
    """

    __tablename__ = "renewal_request"
    __table_args__ = (
        Index(
            "uq_renewal_request_open",
            "membership_id",
            unique=True,
            sqlite_where=OPEN_REQUEST,
            postgresql_where=OPEN_REQUEST,
        ),
        CheckConstraint("outcome IN ('approved', 'declined')", name="outcome"),
        CheckConstraint("(decided_at IS NULL) = (outcome IS NULL)", name="decided"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(
        ForeignKey("membership.id", ondelete="CASCADE"), index=True
    )
    note: Mapped[str | None] = mapped_column(String(RENEWAL_NOTE_MAX))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    outcome: Mapped[str | None] = mapped_column(String(10))
    # What the admin told the member (a decline always says why).
    message: Mapped[str | None] = mapped_column(String(RENEWAL_MESSAGE_MAX))

    membership: Mapped[Membership] = relationship()
    decided_by: Mapped[User | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.decided_at is None
