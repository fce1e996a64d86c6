"""Counting the SQL statements a page sends: page code must not query per row."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from portal.extensions import db


@contextmanager
def counting_statements() -> Iterator[list[str]]:
    """``with counting_statements() as seen:`` collects every statement sent."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def statements_for(client, count_statements, url: str) -> int:
    """Statements one GET of ``url`` sends, after a warm-up request."""
    client.get(url)  # warm up: connection set-up is not part of the page
    # The test and its requests share a session: start both runs from nothing.
    db.session.commit()
    db.session.expire_all()
    with count_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    return len(seen)
