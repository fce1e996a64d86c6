"""The live preview of a post while its author types (static/js/writing.js).

The form's "Preview" button does the same without JavaScript, by reloading
the page. Both render with the function saving uses, so the preview is what
will be stored.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.board import bp
from portal.board.errors import InvalidInput
from portal.board.services.posts import preview_html
from portal.extensions import limiter
from portal.membership.access import board_poster_required


def _preview_limit() -> str:
    return str(current_app.config["BOARD_PREVIEW_LIMIT"])


def _previewer() -> str:
    return f"preview:{current_user.id}"


@bp.post("/posts/preview")
@board_poster_required
@limiter.limit(_preview_limit, key_func=_previewer, scope="preview")
def preview_render() -> ResponseReturnValue:
    """``{"html": ...}`` for the ``body`` sent (the script sends the CSRF token
    in X-CSRFToken); 413 with ``{"error": ...}`` past the longest post."""
    try:
        html = preview_html(str(request.form.get("body", "")))
    except InvalidInput as error:
        return jsonify(error=str(error)), 413
    return jsonify(html=str(html))
