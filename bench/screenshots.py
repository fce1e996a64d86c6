"""The README's screenshots: ``python -m bench.screenshots`` (``make screenshots``).

Loads the demo (``flask seed-demo``, then the search index and the daily sweep,
as ``make run`` does) into a temporary SQLite database, serves the portal on
127.0.0.1 from this process, signs in as the demo users in Debian's Chromium
and saves the main pages at desktop (1280 x 800) and phone (390 x 844) widths
as ``docs/screenshots/<page>-<width>.png``. A page is shot whole only when it
is short; otherwise the first screen, which is what a reader sees first.

It lives in ``bench/`` because it works as the benchmark does: seeded data, the
real app on a local port, a client driving it.
"""

from __future__ import annotations

import argparse
import logging
import os
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyotp
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from sqlalchemy import select
from werkzeug.serving import make_server

from bench.server import free_port
from portal import create_app
from portal.auth import second_factor
from portal.auth.services import find_by_email
from portal.board.models import Question
from portal.demo import DEMO_PASSWORD
from portal.extensions import db
from portal.membership.models import Residency

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
WIDTHS = {"desktop": (1280, 800), "phone": (390, 844)}
# Shot whole up to this many screens tall.
SHORT_SCREENS = 1.5

ADMIN = "admin@example.org"
MARIA = "maria.lopez@example.org"  # current member, asked the first question
SAM = "sam.okafor@example.org"  # current, ends within the month; voted
GUARDED_TITLE = "How do we answer a review that names the patient?"
GUARDED_BODY = (
    'A daughter wrote on our Facebook page: "My mother Maria Santos (DOB'
    ' 03/14/1950) waited six hours in your ER. Call me on 617-555-0142."\n\n'
    "Do we reply in public at all?"
)
ROSTER = (
    "email,name,organization,title\r\n"
    "ines.costa@example.org,Dr. Inês Costa,Hospital Santa Maria,Cardiologist\r\n"
    "tomas.reis@example.org,Tomás Reis,CUF Lisboa,Communications lead\r\n"
    "maria.lopez@example.org,Dr. Maria Lopez,Hospital da Luz,Pediatrician\r\n"
)


@dataclass
class Demo:
    """What the shots need to know about the seeded data."""

    base: str
    question_id: int
    residency_id: int
    admin_codes: list[str]


def build_app(database_url: str, base: str) -> Flask:
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": secrets.token_hex(32),
            "PORTAL_BASE_URL": base,
            "PORTAL_MAIL_BACKEND": "console",
            # A throw-away database: strong password hashing would only be slow.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def seed(app: Flask) -> tuple[int, int, list[str]]:
    """The demo as ``make run`` loads it; the admin gets an authenticator app
    (admins must have one) and its recovery codes sign them in here."""
    with app.app_context():
        db.create_all()
        runner = app.test_cli_runner()
        for command in (["seed-demo"], ["search", "reindex"], ["members", "sweep"]):
            result = runner.invoke(args=command)
            if result.exit_code != 0:
                raise RuntimeError(f"flask {' '.join(command)}: {result.output}")
        admin = find_by_email(ADMIN)
        if admin is None:
            raise RuntimeError(f"the demo has no {ADMIN}")
        secret = second_factor.new_secret()
        codes = second_factor.enable(admin, secret, pyotp.TOTP(secret).now())
        db.session.commit()
        first = db.session.scalar(select(Question.id).order_by(Question.id))
        lisbon = db.session.scalar(
            select(Residency.id).where(Residency.name == "Residency Lisbon")
        )
        if first is None or lisbon is None:
            raise RuntimeError("the demo has no questions or no Residency Lisbon")
        return first, lisbon, codes


@contextmanager
def serving(app: Flask, port: int) -> Iterator[None]:
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        thread.join(timeout=5)


def sign_in(page: Page, demo: Demo, email: str) -> None:
    page.goto(f"{demo.base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if "/login/code" in page.url:
        page.get_by_label("Code", exact=True).fill(demo.admin_codes.pop())
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/login" not in url)


def shoot(page: Page, name: str, width: str, out: Path) -> Path:
    page.wait_for_load_state("networkidle")
    height = page.evaluate("document.documentElement.scrollHeight")
    whole = height <= WIDTHS[width][1] * SHORT_SCREENS
    path = out / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=whole, animations="disabled")
    return path


def board_home(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/questions")


def question(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/questions/{demo.question_id}")


def ask_with_guard(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/questions/ask")
    page.get_by_label("Title").fill(GUARDED_TITLE)
    page.get_by_label("Details").fill(GUARDED_BODY)
    page.get_by_label("Tags").fill("facebook, hipaa")
    page.get_by_role("button", name="Post your question").click()
    page.locator(".guard").wait_for()


def my_membership(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/membership")


def admin_dashboard(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/admin/")


def roster_preview(page: Page, demo: Demo) -> None:
    page.goto(f"{demo.base}/admin/residencies/{demo.residency_id}/roster")
    page.get_by_label("Roster (CSV)").set_input_files(
        {"name": "lisbon.csv", "mimeType": "text/csv", "buffer": ROSTER.encode()}
    )
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/roster/preview")


# (file name, who is signed in, how to get there), in the README's order.
SHOTS: list[tuple[str, str, Callable[[Page, Demo], None]]] = [
    ("board-home", MARIA, board_home),
    ("question", SAM, question),
    ("ask-guard", MARIA, ask_with_guard),
    ("my-membership", SAM, my_membership),
    ("admin-dashboard", ADMIN, admin_dashboard),
    ("roster-preview", ADMIN, roster_preview),
]


def take_all(browser: Browser, demo: Demo, out: Path) -> list[Path]:
    saved = []
    for width, (w, h) in WIDTHS.items():
        for email in dict.fromkeys(who for _, who, _ in SHOTS):
            context = browser.new_context(viewport={"width": w, "height": h})
            page = context.new_page()
            page.set_default_timeout(20_000)
            try:
                sign_in(page, demo, email)
                for name, who, go in SHOTS:
                    if who == email:
                        go(page, demo)
                        saved.append(shoot(page, name, width, out))
            finally:
                context.close()
    return saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs")
    args = parser.parse_args(argv)
    if not os.path.exists(CHROMIUM):
        parser.error(f"Chromium not found at {CHROMIUM} (make browser installs it)")
    args.out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as folder:
        app = build_app(f"sqlite:///{folder}/demo.db", base)
        question_id, residency_id, codes = seed(app)
        demo = Demo(base, question_id, residency_id, codes)
        with serving(app, port), sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
            )
            try:
                saved = take_all(browser, demo, args.out)
            finally:
                browser.close()
        with app.app_context():
            db.engine.dispose()
    for path in saved:
        print(f"{path}  {path.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
