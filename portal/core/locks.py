"""One run at a time for the scheduled jobs, across processes and servers.

The daily jobs are idempotent already (each reminder and digest is claimed by a
conditional write), but a second copy started by a careless crontab on another
server should not even do the work twice. On PostgreSQL a transaction-level
advisory lock, released by the job's own commit, covers every server; SQLite
lives on one machine, so a lock file beside the database does.
"""

from __future__ import annotations

import fcntl
import os
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from flask import current_app
from sqlalchemy import text

from portal.extensions import db


@contextmanager
def exclusive_job(name: str) -> Iterator[bool]:
    """``with exclusive_job("members-sweep") as mine:`` — False when another run
    holds the lock (the caller then does nothing)."""
    if db.session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        # Held until this session's transaction commits or rolls back.
        held = db.session.scalar(
            text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key}
        )
        yield bool(held)
        return
    path = os.path.join(current_app.instance_path, f"{name}.lock")
    with open(path, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def wait_for_turn(name: str) -> None:
    """Serialise the rest of this transaction with others that say ``name``.

    For a read-then-write rule that a unique key cannot state (at most three
    answer requests per member a week). PostgreSQL: a transaction-level advisory
    lock, waited for and released by commit or rollback. SQLite needs nothing: a
    transaction that has written holds the database's only write lock.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        key = zlib.crc32(name.encode())
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
