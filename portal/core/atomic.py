"""Single-statement writes that report whether they changed a row.

Counters are kept exact under concurrency by never reading a value and writing it
back: each change is one statement, and whether it touched a row (did the insert
happen, did the update match) decides the delta applied to a counter in the same
transaction. Statements say so through RETURNING, because drivers do not agree
on ``rowcount`` (psycopg reports -1 for an INSERT that returns its key).
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.sql.dml import UpdateBase

from portal.core.db import Base, conflict_insert
from portal.extensions import db


def execute(statement: UpdateBase) -> None:
    """Run an UPDATE/DELETE in the session's transaction, leaving objects alone."""
    db.session.execute(statement.execution_options(synchronize_session=False))


def changed(statement: UpdateBase) -> bool:
    """Run a statement that has ``.returning(...)``; True when it touched a row."""
    options = statement.execution_options(synchronize_session=False)
    return db.session.execute(options).first() is not None


def returned(statement: UpdateBase) -> Any:
    """Like ``changed``, but the row RETURNING gave (None when none matched):
    its values as the statement left them, after any concurrent change it
    waited for, which a value read earlier in the session may not be."""
    options = statement.execution_options(synchronize_session=False)
    return db.session.execute(options).first()


def insert_ignore(target: type[Base] | Table, **values: Any) -> bool:
    """INSERT unless a unique key already holds the row; True when inserted.

    ON CONFLICT DO NOTHING waits for a concurrent insert of the same key to
    commit or roll back, so a double-submitted form inserts exactly once, with no
    savepoint and no IntegrityError to recover from.
    """
    table = target if isinstance(target, Table) else cast(Table, target.__table__)
    key = list(table.primary_key.columns)
    dialect = db.session.get_bind().dialect.name
    statement = (
        conflict_insert(table, dialect).values(**values).on_conflict_do_nothing()
    )
    return changed(statement.returning(*key))
