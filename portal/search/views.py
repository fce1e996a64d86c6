"""The search page, and the similar-questions list the ask form shows."""

from __future__ import annotations

from typing import Any

from flask import jsonify, render_template, request
from flask.typing import ResponseReturnValue

from portal.core.paging import id_arg, page_arg
from portal.core.templating import path_for
from portal.membership.access import board_reader_required
from portal.search import bp
from portal.search.forms import SearchForm
from portal.search.queries import search, similar
from portal.search.results import SimilarQuestion

SIMILAR_TITLE_MAX = 300


@bp.get("/search")
@board_reader_required
def search_show() -> ResponseReturnValue:
    form = SearchForm(request.args)
    form.validate()  # only normalises: every input gets results or "no results"
    text = (form.q.data or "").strip()
    results = None
    if text or form.tag.data or form.state.data:
        results = search(
            text,
            tag=(form.tag.data or "").strip() or None,
            state=form.state.data or None,
            sort=form.sort.data or "relevance",
            page=page_arg(),
        )
    return render_template("search/results.html", form=form, results=results)


def similar_json(found: list[SimilarQuestion]) -> list[dict[str, Any]]:
    return [
        {
            "id": q.question_id,
            "title": q.title,
            "answers": q.answer_count,
            "accepted": q.has_accepted,
            "url": path_for("board.question_show", question_id=q.question_id),
        }
        for q in found
    ]


@bp.post("/search/similar")
@board_reader_required
def similar_list() -> ResponseReturnValue:
    """For the ask form's script (which sends the CSRF token in X-CSRFToken)."""
    title = str(request.form.get("title", ""))[:SIMILAR_TITLE_MAX]
    exclude = id_arg(request.form.get("exclude"))
    return jsonify(similar_json(similar(title, exclude_id=exclude)))


@bp.app_template_global()
def similar_questions(title: str | None, exclude: int | None = None) -> list[Any]:
    """For the ask form's preview step, so it works without JavaScript."""
    return similar((title or "")[:SIMILAR_TITLE_MAX], exclude_id=exclude)
