"""Reading ids and page numbers from URLs: out-of-range values never reach SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import Flask, abort, request
from sqlalchemy import Select
from werkzeug.routing import IntegerConverter, Map

from portal.extensions import db

T = TypeVar("T")

# Ids in URLs and filters beyond this are not ours: every id column is a 32-bit
# INTEGER, and a larger value makes PostgreSQL fail the whole statement.
MAX_ID = 2**31 - 1
MAX_PAGE = 100_000


class IdConverter(IntegerConverter):
    """``<int:…>`` in every route: only 1 … ``MAX_ID``, the values an id column
    can hold. Anything else (0, 2**63, 10**20, 'abc') does not match the route,
    so it is a 404 before a view or the database sees it."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = 1,
        max: int | None = MAX_ID,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def init_app(app: Flask) -> None:
    """Before any blueprint adds its rules: they take the converter then."""
    app.url_map.converters["int"] = IdConverter


def page_arg(name: str = "page") -> int:
    """A sane page number: bad or absurd values fall back to the nearest page."""
    page = request.args.get(name, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def valid_id(ident: int) -> bool:
    return 0 < ident <= MAX_ID


def id_arg(value: object) -> int | None:
    """An id from a form or query argument, or None when it is not one of ours."""
    try:
        ident = int(str(value)) if value is not None else None
    except ValueError:
        return None
    return ident if ident is not None and valid_id(ident) else None


def get_or_404(model: type[T], ident: int) -> T:
    """Like ``db.get_or_404``, but an id no database column holds is a 404 too."""
    if not valid_id(ident):
        abort(404)
    found: T = db.get_or_404(model, ident)
    return found


@dataclass(frozen=True)
class Window:
    """One page of a list, without counting the whole list.

    A COUNT over every row grows with the board; "Newer"/"Older" links need only
    to know whether one more row exists, so the query fetches ``per_page + 1``.
    ``pages`` and ``total`` are None (the pager shows "Page N").
    """

    items: list[Any]
    page: int
    per_page: int
    has_next: bool
    pages: int | None = None
    total: int | None = None

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def window(query: Select[Any], page: int, per_page: int) -> Window:
    """Rows ``(page - 1) * per_page`` onwards of an ordered select, one statement."""
    rows = list(
        db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page))
    )
    return Window(rows[:per_page], page, per_page, has_next=len(rows) > per_page)
