"""Runs in a separate OS process: its own app and its own limit storage
connection, like one gunicorn worker."""

from __future__ import annotations

import threading
from typing import Any

from portal import create_app
from portal.extensions import db
from tests.conftest import BASE_CONFIG


def try_wrong_passwords(
    config: dict[str, Any], email: str, tries: int, barrier: Any, results: Any
) -> None:
    """``tries`` wrong passwords at once from threads; puts the status codes."""
    app = create_app({**BASE_CONFIG, **config})
    statuses: list[int] = []
    lock = threading.Lock()
    go = threading.Event()

    def attempt() -> None:
        client = app.test_client()
        go.wait(timeout=60)
        response = client.post(
            "/login", data={"email": email, "password": "a wrong guess"}
        )
        with lock:
            statuses.append(response.status_code)

    threads = [threading.Thread(target=attempt) for _ in range(tries)]
    for thread in threads:
        thread.start()
    app.test_client().get("/login")  # warm: the first request sets things up
    barrier.wait(timeout=60)
    go.set()
    for thread in threads:
        thread.join(timeout=60)
    results.put(statuses)
    with app.app_context():
        db.engine.dispose()
