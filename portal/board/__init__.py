"""The Q&A board: questions, answers, comments, votes, tags, follows, notifications.

The blueprint lives here with what every board page shares (navigation globals,
error pages for the board's domain errors); routes are in ``views/`` and the
``flask board …`` commands in ``cli``.
"""

from typing import Any

from flask import Blueprint, g
from flask_login import current_user

from portal.auth.queries import MISSING, add_user_extra, user_extra
from portal.board.errors import BoardError, Gone, NotAllowed
from portal.board.events import hidden_reason
from portal.board.models import Answer, Comment, Question
from portal.board.queries import reputation
from portal.board.queries.checklist import closed_column
from portal.board.queries.notifications import unread_count, unread_count_column
from portal.board.queries.visibility import Viewer
from portal.board.services import limits
from portal.board.services.posts import RESTORE_WINDOW, restorable_until
from portal.board.services.visibility import register_mail_checks
from portal.core.errors import answer_domain_errors
from portal.membership.access import can_post_board, can_read_board

bp = Blueprint("board", __name__, cli_group="board")


# The header's unread count comes with the signed-in account: no extra statement.
add_user_extra("unread_notifications", unread_count_column)
# So does whether the first-run checklist has closed (the board home skips it).
add_user_extra("checklist_closed_at", closed_column)
# Mail about a post under review waits in the outbox until it is released.
register_mail_checks()
# Each app counts posts in its own handle on the rate-limit storage.
bp.record_once(lambda state: limits.init_app(state.app))


def unread_notification_count() -> int:
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        loaded = user_extra(current_user.id, "unread_notifications")
        if loaded is MISSING:
            loaded = unread_count(current_user.id)
        g.unread_notifications = loaded
    return int(g.unread_notifications)


@bp.app_context_processor
def board_globals() -> dict[str, Any]:
    """For the navigation: which board links the signed-in user may follow.

    Functions, not values: pages without the navigation (emails) never run them.
    """
    return {
        "can_read_board": can_read_board,
        "can_post_board": can_post_board,
        "unread_notification_count": unread_notification_count,
    }


@bp.app_template_global()
def may_see(post: Question | Answer | Comment) -> bool:
    """Whether the signed-in reader may see ``post`` (not its thread)."""
    return Viewer.of(current_user).may_see(post)


bp.add_app_template_global(hidden_reason, "hidden_reason")
bp.add_app_template_global(restorable_until, "restorable_until")


@bp.app_template_global()
def restore_hours() -> int:
    """How long an author may restore what they deleted, for the pages' words."""
    return int(RESTORE_WINDOW.total_seconds() // 3600)


@bp.app_template_global()
def board_top_contributors() -> list[reputation.Contributor]:
    """For the question list: empty for anyone who may not read the board."""
    if not can_read_board(current_user):
        return []
    return reputation.cached_top_contributors()


answer_domain_errors(bp, {NotAllowed: 403, Gone: 404, BoardError: 400})


from portal.board import cli  # noqa: E402, F401 - commands
from portal.board.views import (  # noqa: E402, F401 - routes
    answers,
    comments,
    follows,
    members,
    notifications,
    posts,
    previews,
    questions,
    tags,
    votes,
    welcome,
)
