"""gunicorn as the README deploys it, on a free port of 127.0.0.1, always stopped."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.error import URLError

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORKERS = 2
READY_SECONDS = 60
STOP_SECONDS = 20


class ServerFailed(RuntimeError):
    """gunicorn did not start, or stopped answering."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"gunicorn exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:  # noqa: S310 - our own 127.0.0.1
                if response.status == 200:
                    return
        except (URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ServerFailed(f"gunicorn did not answer {base}/healthz in {READY_SECONDS}s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """TERM lets the workers finish their request; KILL the group if they hang."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(database_url: str, secret_key: str) -> Iterator[str]:
    """The base URL of a running ``gunicorn bench.wsgi:app``."""
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": secret_key,
        "PORTAL_ENV": "development",
    }
    command = [
        os.path.join(os.path.dirname(sys.executable), "gunicorn"),
        "--workers", str(WORKERS),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
        "bench.wsgi:app",
    ]  # fmt: skip
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_ready(base, process)
        yield base
    finally:
        _stop(process)
