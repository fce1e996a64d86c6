"""``flask search reindex``."""

from __future__ import annotations

from portal.board.services import questions
from portal.extensions import db
from portal.search import bp
from portal.search.services import remove_question
from tests.search.helpers import found


def test_reindex_command_rebuilds_the_index(app, member):
    # The integrator registers the blueprint in the app factory.
    if "search" not in app.blueprints:
        app.register_blueprint(bp)
    question = questions.ask_question(
        member, "Indexed only by the command", "Body", "x"
    )
    remove_question(question.id)  # as if the index were lost
    db.session.commit()
    assert found("command") == []
    result = app.test_cli_runner().invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "Indexed 1 question in" in result.output
    db.session.expire_all()
    assert found("command") == [question.id]
