"""Real-browser journeys: the portal served on 127.0.0.1, driven through Chromium.

Playwright's own browser download does not work on these machines, so it drives
Debian's Chromium. A missing browser is an error, never a skip.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import make_server

from tests.mailbox import free_port

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    def __init__(self, app: Flask, port: int) -> None:
        self.app = app
        self.port = port
        self.url = f"http://127.0.0.1:{self.port}"
        self._server = make_server("127.0.0.1", self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_server(make_app) -> Iterator[LiveServer]:
    port = free_port()
    app = make_app(PORTAL_BASE_URL=f"http://127.0.0.1:{port}")
    server = LiveServer(app, port)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site_server(site) -> Iterator[LiveServer]:
    """The ``site`` app (every main page filled) served for a whole module."""
    server = LiveServer(site.app, site.port)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with"
            " `apt-get install chromium` (make test does this)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    new_page = context.new_page()
    new_page.set_default_timeout(15_000)
    yield new_page
    context.close()
