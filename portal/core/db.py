"""Declarative base with a naming convention, and column types shared by models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, MetaData, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Dialect, Engine
from sqlalchemy.orm import DeclarativeBase, registry
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC instants on every database.

    SQLite has no time zones and hands back naive values; storing naive UTC and
    re-attaching UTC on the way out keeps comparisons in Python honest.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where an aware UTC one is needed")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    registry = registry(
        metadata=MetaData(naming_convention=NAMING_CONVENTION),
        type_annotation_map={datetime: UTCDateTime()},
    )


def conflict_insert(target: Any, dialect: str) -> postgresql.Insert | sqlite.Insert:
    """An INSERT with ON CONFLICT support, for the two databases the portal runs on."""
    if dialect == "postgresql":
        return postgresql.insert(target)
    if dialect == "sqlite":
        return sqlite.insert(target)
    raise RuntimeError(f"the portal runs on SQLite or PostgreSQL, not {dialect}")


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Enforce foreign keys, use WAL and wait for locks instead of failing."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


@event.listens_for(Engine, "close")
def _optimize_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """SQLite's advice: run ``PRAGMA optimize`` as each connection closes, so the
    planner's statistics follow the data (the daily ``flask analyze`` does the
    same for connections a server keeps open for days)."""
    if type(dbapi_connection).__module__ == "sqlite3":
        dbapi_connection.execute("PRAGMA optimize")


def refresh_statistics(connection: Connection) -> None:
    """Give the query planner fresh table statistics (``ANALYZE``).

    SQLite plans without statistics until the first ``ANALYZE``; afterwards
    ``PRAGMA optimize`` re-analyzes only the tables that changed enough.
    """
    if connection.dialect.name != "sqlite":
        connection.execute(text("ANALYZE"))
        return
    analyzed = connection.execute(
        text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).first()
    connection.execute(text("PRAGMA optimize" if analyzed else "ANALYZE"))
