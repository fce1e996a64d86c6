"""SQL statements per page, counted in-process against the benchmark database.

The same app as the server (``create_bench_app``), signed in through ``/login``
with Flask's test client; each page is requested once to warm up (connections,
caches), then once more with a ``before_cursor_execute`` listener counting.
CSRF is off here only: the load test sends real tokens.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from werkzeug.test import TestResponse

from bench.app import create_bench_app
from bench.dataset import PASSWORD, admin_code, seconds_to_next_code
from bench.pages import ACCOUNTS, Page
from portal.extensions import db


class PageFailed(RuntimeError):
    """A page answered with another status than the one it must answer with."""


def bench_app(url: str, secret: str) -> Flask:
    return create_bench_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": secret,
            "WTF_CSRF_ENABLED": False,
        }
    )


def signed_in(app: Flask, admin: bool) -> FlaskClient:
    client = app.test_client()
    response = client.post(
        "/login", data={"email": ACCOUNTS[admin], "password": PASSWORD}
    )
    if response.status_code != 302:
        raise PageFailed(f"signing in as {ACCOUNTS[admin]} answered {response.status}")
    if response.headers["Location"].startswith("/login/code"):
        _enter_code(client)
    return client


def _enter_code(client: FlaskClient) -> None:
    """The admin's second step; a code used a moment ago waits for the next."""
    for _ in range(2):
        if client.post("/login/code", data={"code": admin_code()}).status_code == 302:
            return
        time.sleep(seconds_to_next_code())
    raise PageFailed("the bench admin's sign-in code was refused")


def send(client: FlaskClient, page: Page, n: int) -> TestResponse:
    path, form = page.request(n)
    if form is None:
        return client.get(path)
    return client.post(path, data=form)


@contextmanager
def recording(app: Flask) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the app sends while the block runs, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        seen.append((statement, params))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def statements_of(
    app: Flask, clients: dict[bool, FlaskClient], page: Page
) -> list[tuple[str, Any]]:
    """The statements of the second request of ``page`` (the first warms up)."""
    client = clients[page.admin]
    send(client, page, 0)
    with recording(app) as seen:
        response = send(client, page, 1)
    if response.status_code != page.expect:
        raise PageFailed(f"{page.name} answered {response.status} in-process")
    return seen


def count_statements(url: str, secret: str, pages: list[Page]) -> dict[str, int]:
    app = bench_app(url, secret)
    clients = {False: signed_in(app, False), True: signed_in(app, True)}
    try:
        return {page.name: len(statements_of(app, clients, page)) for page in pages}
    finally:
        with app.app_context():
            db.engine.dispose()
