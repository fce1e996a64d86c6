"""Small helpers the admin's membership screens share."""

from __future__ import annotations

from typing import TypeVar

from flask import Response, abort, request
from flask_login import current_user

from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership.queries import residencies_with_counts
from portal.membership.screens_queries import MAX_ID

T = TypeVar("T")
MAX_PAGE = 100_000


def actor() -> User:
    """The signed-in admin as a real ``User`` (not the proxy) for the audit log."""
    user: User = current_user._get_current_object()
    return user


def page_arg() -> int:
    """Bad or absurd page numbers fall back to the nearest real page."""
    page = request.args.get("page", 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def get_or_404(model: type[T], ident: int) -> T:
    """Like ``db.get_or_404``, but an id no database column holds is a 404 too."""
    if not 0 < ident <= MAX_ID:
        abort(404)
    found: T = db.get_or_404(model, ident)
    return found


def residency_choices() -> list[tuple[int, str]]:
    return [
        (residency.id, f"{residency.name} ({residency.held_on.isoformat()})")
        for residency, _ in residencies_with_counts()
    ]


def csv_download(text: str, name: str) -> Response:
    filename = f"{name}-{time.today().isoformat()}.csv"
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
