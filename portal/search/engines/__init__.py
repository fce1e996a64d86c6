"""The search engines, one module each, chosen by the database in use.

A third engine is one more module with an ``Engine`` subclass, listed here.
"""

from __future__ import annotations

from portal.extensions import db
from portal.search.engines import postgresql, sqlite
from portal.search.engines.base import NEWEST, RELEVANCE, SORTS, Engine

__all__ = ["ENGINES", "NEWEST", "RELEVANCE", "SORTS", "Engine", "current"]

ENGINES: dict[str, Engine] = {
    engine.name: engine for engine in (sqlite.ENGINE, postgresql.ENGINE)
}


def current() -> Engine:
    """The engine for the database the session talks to."""
    dialect = db.session.get_bind().dialect.name
    try:
        return ENGINES[dialect]
    except KeyError:
        message = f"search runs on SQLite or PostgreSQL, not {dialect}"
        raise RuntimeError(message) from None
