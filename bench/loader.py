"""Writing the data set: a fresh schema, then executemany straight into the tables.

The schema comes from the app (``db.create_all`` and an Alembic stamp, as the
test suite builds it), so the tables are exactly the portal's. Rows go in with
SQLAlchemy Core ``executemany`` in large batches, inside one transaction per
table; SQLite runs with ``synchronous=OFF`` and a large cache while loading.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

from alembic.script import ScriptDirectory
from flask_migrate import stamp
from sqlalchemy import Connection, Engine, create_engine, inspect, make_url, text

from bench.dataset import ADMIN_EMAIL, TEN_ANSWERS_TITLE, Size
from portal import create_app, import_models
from portal.extensions import db
from portal.search.services import reindex_all

BATCH = 20_000
SERIAL_TABLES = (
    "user_account",
    "residency",
    "membership",
    "term",
    "membership_reminder",
    "membership_audit",
    "tag",
    "question",
    "answer",
    "comment",
    "vote",
    "revision",
    "notification",
)


class NotABenchDatabase(RuntimeError):
    """The database has tables that the generator did not write."""


def _sqlite_path(url: str) -> str | None:
    parsed = make_url(url)
    return parsed.database if parsed.get_backend_name() == "sqlite" else None


def migrations_head() -> str | None:
    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
    return ScriptDirectory(folder).get_current_head()


def dataset_present(url: str, size: Size) -> bool:
    """True when a complete data set of this size is there (the last step ran),
    built for the current schema (a data set from older code is seeded again)."""
    path = _sqlite_path(url)
    if path is not None and not os.path.exists(path):
        return False
    engine = create_engine(url)
    try:
        if not inspect(engine).has_table("alembic_version"):
            return False
        with engine.connect() as conn:
            version = conn.scalar(text("SELECT version_num FROM alembic_version"))
            if version != migrations_head():
                return False
            users = conn.scalar(text("SELECT count(*) FROM user_account"))
            accepted = conn.scalar(
                text("SELECT accepted_answer_id FROM question WHERE title = :t"),
                {"t": TEN_ANSWERS_TITLE},
            )
        return users == size.members + 1 and accepted is not None
    finally:
        engine.dispose()


def _is_bench_database(engine: Engine) -> bool:
    if not inspect(engine).has_table("user_account"):
        return False
    with engine.connect() as conn:
        found = conn.scalar(
            text("SELECT id FROM user_account WHERE email = :e"), {"e": ADMIN_EMAIL}
        )
    return found is not None


def _drop_everything(url: str, replace: bool) -> None:
    path = _sqlite_path(url)
    if path is not None:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return
    engine = create_engine(url)
    try:
        tables = inspect(engine).get_table_names()
        if tables and not (replace or _is_bench_database(engine)):
            raise NotABenchDatabase(
                f"{make_url(url).database} has tables but no benchmark data; "
                "pass --replace to drop them"
            )
        with engine.begin() as conn:
            for table in tables:
                conn.exec_driver_sql(f'DROP TABLE IF EXISTS "{table}" CASCADE')
    finally:
        engine.dispose()


def create_schema(url: str, replace: bool) -> None:
    """Drop what is there, then build the portal's tables and stamp the migrations."""
    _drop_everything(url, replace)
    if (path := _sqlite_path(url)) is not None:
        os.makedirs(os.path.dirname(path), exist_ok=True)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        db.create_all()
        stamp()
        db.engine.dispose()


def build_search_index(url: str) -> int:
    """The search index as ``flask search reindex`` builds it (the load bypasses
    the services, which would have indexed each question as it was written)."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
    with app.app_context():
        count = reindex_all()
        db.session.commit()
        db.engine.dispose()
    return count


def prepare(conn: Connection) -> bool:
    """Set a connection up for loading fast; True when tables may load in parallel.

    PostgreSQL: executemany runs in psycopg's pipeline mode with a prepared
    INSERT (SQLAlchemy's multi-row VALUES measured slower: psycopg re-parses the
    placeholders of each huge statement). As a superuser the per-row foreign key
    triggers are skipped (the rows are consistent by construction), so tables no
    longer need loading in order and two connections share the work.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA synchronous=OFF")
        conn.exec_driver_sql("PRAGMA cache_size=-2000000")
        conn.exec_driver_sql("PRAGMA temp_store=MEMORY")
        conn.commit()
        return False
    conn.exec_driver_sql("SET maintenance_work_mem = '512MB'")
    parallel = _is_superuser(conn)
    if parallel:
        conn.exec_driver_sql("SET session_replication_role = replica")
    conn.commit()
    return parallel


def connect(url: str) -> tuple[Engine, Connection, bool]:
    import_models()
    engine = create_engine(url)
    conn = engine.connect()
    return engine, conn, prepare(conn)


Step = tuple[str, Iterable[dict[str, Any]]]


def load_groups(
    engine: Engine, groups: list[list[Step]], say: Callable[[str], None]
) -> None:
    """Each group on its own connection, the groups at the same time."""

    def load(group: list[Step]) -> None:
        with engine.connect() as conn:
            prepare(conn)
            for table, rows in group:
                say(f"{table}: {insert(conn, table, rows):,}")

    with ThreadPoolExecutor(max_workers=len(groups)) as pool:
        for done in [pool.submit(load, group) for group in groups]:
            done.result()


def _is_superuser(conn: Connection) -> bool:
    return bool(
        conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    )


def _secondary_indexes(conn: Connection) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the indexes that no constraint owns."""
    if conn.dialect.name == "sqlite":
        query = (
            "SELECT name, sql FROM sqlite_master"
            " WHERE type = 'index' AND sql IS NOT NULL"
        )
    else:
        query = (
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = "
            "current_schema() AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN "
            "pg_class x ON x.oid = c.conindid WHERE x.relname = i.indexname)"
        )
    return [(name, sql) for name, sql in conn.exec_driver_sql(query)]


@contextmanager
def indexes_built_after(conn: Connection, say: Callable[[str], None]) -> Iterator[None]:
    """Drop the secondary indexes, load, then build them once, sorted: far
    cheaper than updating them row by row in random order."""
    with conn.begin():
        indexes = _secondary_indexes(conn)
        for name, _sql in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    with conn.begin():
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
    say(f"{len(indexes)} indexes built")


def batches(rows: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def insert(conn: Connection, table_name: str, rows: Iterable[dict[str, Any]]) -> int:
    """executemany in batches of ``BATCH`` rows, committed once; returns the count."""
    table = db.metadata.tables[table_name]
    count = 0
    with conn.begin():
        for batch in batches(rows):
            conn.execute(table.insert(), batch)
            count += len(batch)
    return count


def set_accepted(conn: Connection, pairs: Iterable[dict[str, Any]]) -> int:
    """``question.accepted_answer_id`` once the answers exist (the FK cycle)."""
    statement = text("UPDATE question SET accepted_answer_id = :aid WHERE id = :qid")
    count = 0
    with conn.begin():
        for batch in batches(pairs):
            conn.execute(statement, batch)
            count += len(batch)
    return count


TAG_COUNTERS = """
UPDATE tag SET
  question_count = (
    SELECT count(*) FROM question_tag
    JOIN question ON question.id = question_tag.question_id
    WHERE question_tag.tag_id = tag.id AND question.deleted_at IS NULL),
  follower_count = (SELECT count(*) FROM tag_follow WHERE tag_follow.tag_id = tag.id)
"""


def finish(conn: Connection) -> None:
    """Tag counters as the services keep them, sequences past the explicit ids
    (PostgreSQL), then fresh planner statistics."""
    with conn.begin():
        conn.exec_driver_sql(TAG_COUNTERS)
        if conn.dialect.name == "postgresql":
            for table in SERIAL_TABLES:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608 - our table names
                    f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
                )
        conn.exec_driver_sql("ANALYZE")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
