"""Full-text search over questions and answers, behind one interface.

``services`` keeps the index in step with the board (``index_question``,
``remove_question``, ``reindex_all``); ``queries`` searches (``search``,
``similar``); ``engines`` holds one module per database.
"""

from flask import Blueprint

bp = Blueprint("search", __name__, cli_group="search")

# The commands; the engines' DDL on search_document (through cli -> services ->
# engines) and the Alembic filter for it, whichever module was imported first.
from portal.board.events import question_changed  # noqa: E402
from portal.search import cli, engines, schema, views  # noqa: E402, F401
from portal.search.services import index_question  # noqa: E402


@question_changed.connect
def _follow_the_board(question_id: int) -> None:
    """Every board write re-indexes its thread in the same transaction."""
    index_question(question_id)
