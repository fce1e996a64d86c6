"""The migrations build, from empty, exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal.extensions import db
from tests.conftest import fresh_database


def test_migrations_build_the_models_schema_from_empty(make_app, tmp_path):
    with fresh_database(tmp_path) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(
                    connection, opts={"compare_type": True}
                )
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            downgrade(revision="base")
            upgrade()
            db.engine.dispose()
