"""Tables owned by the core: the mail outbox, job heartbeats and admin settings."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.core.db import Base
from portal.core.time import utcnow

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
# Not sent because what it is about may not go out yet (HELD: it waits for a
# moderator), or never will (CANCELLED); see ``core.outbox_checks.register_check``.
HELD, CANCELLED = "held", "cancelled"


class OutboxMessage(Base):
    """One email, written in the same transaction as the change that caused it."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index(None, "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    headers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # What the mail is about, as "kind:id" strings ("answer:12", "user:4"); the
    # worker asks each kind's registered check before sending.
    refs: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]


class JobHeartbeat(Base):
    """When a scheduled job last finished successfully (shown to admins)."""

    __tablename__ = "job_heartbeat"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    succeeded_at: Mapped[datetime]
    detail: Mapped[str | None] = mapped_column(Text)


class PortalSetting(Base):
    """A setting an admin changed on a screen (``core/settings.py``).

    ``key`` is the name of the config value it overrides; no row means the
    config's value stands.
    """

    __tablename__ = "portal_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
