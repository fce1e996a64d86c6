"""Fixtures: a real database (SQLite file or PostgreSQL), a real SMTP server.

Set ``PORTAL_TEST_DATABASE_URL`` to a PostgreSQL server URL to run the suite
there; a fresh database is created for the run and dropped after it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask, g, request_started
from flask.testing import FlaskClient

from portal import create_app
from portal.extensions import db
from tests.mailbox import Mailbox, free_port, start_smtp_server
from tests.site import Site, build_site

BASE_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "test-secret-key-that-is-long-enough-123",
    "WTF_CSRF_ENABLED": False,
    "PORTAL_BASE_URL": "http://portal.test",
    "MAIL_SERVER": "127.0.0.1",
    "MAIL_SUPPRESS_SEND": False,
    "MAIL_DEFAULT_SENDER": "Residency Network <network@portal.test>",
    "MAIL_RETRY_BASE_SECONDS": 60,
    "PORTAL_MAIL_BACKEND": "smtp",
    "RATELIMIT_STORAGE_URI": "memory://",
    # Hashing strength is werkzeug's concern; scrypt would dominate the suite's time.
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    # Pages show what the test just wrote; one test covers the cache itself.
    "BOARD_CONTRIBUTORS_CACHE_SECONDS": 0,
    "BOARD_PROFILE_CACHE_SECONDS": 0,
}


def server_url() -> str | None:
    url = os.environ.get("PORTAL_TEST_DATABASE_URL")
    return url.replace("postgresql://", "postgresql+psycopg://", 1) if url else None


@contextmanager
def fresh_database(tmp_dir: Path) -> Iterator[str]:
    """An empty database: a new one on the PostgreSQL server, or a SQLite file."""
    server = server_url()
    if server is None:
        yield f"sqlite:///{tmp_dir / f'portal-{uuid.uuid4().hex[:8]}.db'}"
        return
    yield from _postgres_database(server)


def _postgres_database(server_url: str) -> Iterator[str]:
    name = f"portal_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.make_url(server_url).set(database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(
                sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            )
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database with every table, for the whole run.

    Tables come from the models; tests/core/test_migrations.py proves the
    migrations build the same schema.
    """
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        schema_app = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": url})
        with schema_app.app_context():
            db.create_all()
            db.engine.dispose()
        yield url


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[Mailbox]:
    mailbox, controller = start_smtp_server()
    yield mailbox
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: Mailbox) -> Mailbox:
    smtp_server.clear()
    return smtp_server


def _empty_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def make_app(database_url: str, smtp_server: Mailbox) -> Iterator:
    """Build apps on the shared database; every table is emptied afterwards."""
    apps: list[Flask] = []

    def build(**overrides: object) -> Flask:
        config = {
            **BASE_CONFIG,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_PORT": smtp_server.port,
            **overrides,
        }
        apps.append(create_app(config))
        return apps[-1]

    yield build
    for built in apps:
        with built.app_context():
            db.session.remove()
            if built.config["SQLALCHEMY_DATABASE_URI"] == database_url:
                _empty_tables()
            db.engine.dispose()


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory, smtp_server: Mailbox
) -> Iterator[Site]:
    """Every main page filled (tests/site.py), on a database of its own, for a
    module that reads many pages: the data is written once, so its tests must
    only read. The database is dropped after the module."""
    port = free_port()
    with fresh_database(tmp_path_factory.mktemp("site")) as url:
        application = create_app(
            {
                **BASE_CONFIG,
                "SQLALCHEMY_DATABASE_URI": url,
                "MAIL_PORT": smtp_server.port,
                "PORTAL_BASE_URL": f"http://127.0.0.1:{port}",
            }
        )
        with application.app_context():
            db.create_all()
            pages = build_site()
            db.session.remove()
        yield Site(application, port, pages)
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def app(make_app) -> Iterator[Flask]:
    application = make_app()
    with application.app_context():
        yield application
        db.session.remove()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):
    return app.test_cli_runner()


@pytest.fixture(autouse=True)
def fresh_request_globals() -> Iterator[None]:
    """Give every test request an empty ``g``, as a real request gets.

    The ``app`` fixture keeps one app context open, and Flask reuses it for the
    test client's requests, so ``g`` would outlive a request: Flask-Login caches
    the signed-in user there (one client would see another's login, and a
    revoked session would still count) and Flask-WTF its CSRF token.
    """

    def clear(sender: Flask, **extra: object) -> None:
        for name in list(g):
            g.pop(name, None)

    with request_started.connected_to(clear):
        yield
