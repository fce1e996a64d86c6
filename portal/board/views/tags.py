"""Tag pages for members: every tag, and one tag's questions."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import (
    bp,
)
from portal.board.queries import questions as question_lists
from portal.board.queries.tags import tag_summaries, tag_summary
from portal.board.views import sort_arg
from portal.core.paging import page_arg
from portal.membership.access import (
    board_reader_required,
)


@bp.get("/tags")
@board_reader_required
def tag_list() -> ResponseReturnValue:
    return render_template("board/tags.html", summaries=tag_summaries(current_user.id))


@bp.get("/tags/<name>")
@board_reader_required
def tag_show(name: str) -> ResponseReturnValue:
    summary = tag_summary(name, current_user.id)
    if summary is None:
        abort(404)
    sort = sort_arg()
    page = question_lists.question_page(
        sort, page_arg(), summary.tag.id, summary.question_count
    )
    return render_template(
        "board/tag.html",
        summary=summary,
        tag=summary.tag,
        page=page,
        sort=sort,
        sorts=question_lists.SORTS,
    )
