"""Reading ids and page numbers from URLs: out-of-range values never reach SQL."""

from __future__ import annotations

from typing import TypeVar

from flask import abort, request

from portal.extensions import db

T = TypeVar("T")

# Ids in URLs and filters beyond this are not ours (and overflow PostgreSQL).
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


def page_arg(name: str = "page") -> int:
    """A sane page number: bad or absurd values fall back to the nearest page."""
    page = request.args.get(name, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def valid_id(ident: int) -> bool:
    return 0 < ident <= MAX_ID


def get_or_404(model: type[T], ident: int) -> T:
    """Like ``db.get_or_404``, but an id no database column holds is a 404 too."""
    if not valid_id(ident):
        abort(404)
    found: T = db.get_or_404(model, ident)
    return found
