"""The migrations build, from empty, exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from portal.board.models import MemberChecklist
from portal.extensions import db
from tests.conftest import fresh_database
from tests.factories import answer, ask, make_member


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


def test_0010_closes_the_checklist_of_members_who_have_already_posted(
    make_app, tmp_path
):
    """The upgrade shows the first-run checklist only to members who are new
    to the board: those who asked or answered before it are past it."""
    with fresh_database(tmp_path) as url:
        app = make_app(SQLALCHEMY_DATABASE_URI=url)
        with app.app_context():
            upgrade(revision="0009")
            poster = make_member("poster@example.org", "Pat Poster")
            answerer = make_member("answerer@example.org", "Ann Answerer")
            answer(answerer, ask(poster))
            ids = [poster.id, answerer.id]
            newcomer = make_member("new@example.org", "Nia Newcomer").id
            db.session.remove()
            upgrade()
            closed = dict(
                db.session.execute(
                    select(MemberChecklist.user_id, MemberChecklist.completed_at)
                ).all()
            )
            assert set(closed) == set(ids)
            assert all(closed.values())
            assert newcomer not in closed
            db.session.remove()
            db.engine.dispose()
