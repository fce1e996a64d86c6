"""The migration builds the engines' structures exactly as db.create_all() does,
and Alembic's comparison ignores those structures but nothing else."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import ops
from flask_migrate import downgrade, upgrade
from sqlalchemy import Column, Connection, Integer, text

from portal.extensions import db
from portal.search.schema import is_private
from tests.conftest import fresh_database
from tests.factories import make_member
from tests.search.helpers import ask, found


def search_structures(connection: Connection) -> set[tuple[str, ...]]:
    """Every search object the database holds, with its definition."""
    if connection.dialect.name == "sqlite":
        rows = connection.execute(
            text(
                "SELECT type, name, sql FROM sqlite_master "
                "WHERE name LIKE 'search%' OR tbl_name LIKE 'search%'"
            )
        )
        return {(kind, name, " ".join((sql or "").split())) for kind, name, sql in rows}
    columns = connection.execute(
        text(
            "SELECT attname, format_type(atttypid, atttypmod), attstorage::text, "
            "pg_get_expr(adbin, adrelid) FROM pg_attribute "
            "LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum "
            "WHERE attrelid = to_regclass('search_document') AND attnum > 0"
        )
    )
    options = connection.execute(
        text(
            "SELECT relname, array_to_string(reloptions, ',') FROM pg_class "
            "WHERE relname = 'search_document'"
        )
    )
    indexes = connection.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'search%'"
        )
    )
    rows = [*columns, *options, *indexes]
    return {tuple(str(value) for value in row) for row in rows}


@pytest.fixture
def migrated(make_app, tmp_path):
    with fresh_database(tmp_path) as url:
        migrated_app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with migrated_app.app_context():
            upgrade()
            yield migrated_app
            db.session.remove()
            db.engine.dispose()


def test_the_migration_builds_what_create_all_builds(app, migrated):
    with app.app_context(), db.engine.connect() as connection:
        expected = search_structures(connection)
    with migrated.app_context(), db.engine.connect() as connection:
        assert search_structures(connection) == expected
    assert any("search_fts" in row or "vector" in row for row in expected)


def test_search_works_on_a_migrated_database(migrated):
    with migrated.app_context():
        question = ask(make_member(), "Searching a freshly migrated database")
        assert found("migrated") == [question.id]


def test_downgrade_removes_every_search_structure(migrated):
    with migrated.app_context():
        downgrade(revision="0002")
        with db.engine.connect() as connection:
            assert search_structures(connection) == set()
        upgrade()


def test_alembic_still_sees_real_differences_in_the_search_table(migrated):
    with migrated.app_context(), db.engine.begin() as connection:
        connection.execute(text("ALTER TABLE search_document ADD COLUMN stray INTEGER"))
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert [(d[0], d[2], d[3].name) for d in differences] == [
        ("remove_column", "search_document", "stray")
    ]


def test_only_the_engines_own_objects_are_private():
    assert is_private(ops.DropTableOp("search_fts_data"))
    assert is_private(ops.DropIndexOp("ix_search_document_vector"))
    assert is_private(ops.DropColumnOp("search_document", "vector"), "search_document")
    assert not is_private(ops.DropColumnOp("question", "vector"), "question")
    assert not is_private(ops.DropTableOp("search_document"))
    assert not is_private(ops.AddColumnOp("search_document", Column("x", Integer)))
