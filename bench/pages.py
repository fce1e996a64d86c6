"""The pages the benchmark measures, and the seeded rows they point at."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import create_engine, text

from bench.app import REFERENCE_PATH
from bench.dataset import (
    ADMIN_EMAIL,
    BUSIEST_TAG,
    MEMBER_EMAIL,
    RARE_TAG,
    SANDBOX_TITLE,
    TEN_ANSWERS_TITLE,
)

# A request number -> (path, form data or None for a GET).
Request = Callable[[int], tuple[str, dict[str, str] | None]]


@dataclass(frozen=True)
class Page:
    name: str
    request: Request
    admin: bool = False
    expect: int = 200

    @property
    def is_write(self) -> bool:
        return self.request(0)[1] is not None


@dataclass(frozen=True)
class Fixtures:
    member_id: int
    ten_answers_id: int
    sandbox_id: int
    # Answers on the sandbox question that the benchmark member may vote on.
    vote_targets: list[int]


def find_fixtures(url: str) -> Fixtures:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            member = conn.scalar(
                text("SELECT id FROM user_account WHERE email = :e"),
                {"e": MEMBER_EMAIL},
            )
            by_title = text("SELECT id FROM question WHERE title = :t")
            ten = conn.scalar(by_title, {"t": TEN_ANSWERS_TITLE})
            sandbox = conn.scalar(by_title, {"t": SANDBOX_TITLE})
            targets = conn.scalars(
                text(
                    "SELECT id FROM answer WHERE question_id = :q AND author_id != :m"
                    " AND deleted_at IS NULL ORDER BY id LIMIT 20"
                ),
                {"q": sandbox, "m": member},
            ).all()
    finally:
        engine.dispose()
    if member is None or ten is None or sandbox is None or not targets:
        raise LookupError("the benchmark accounts or questions are missing: re-seed")
    return Fixtures(member, ten, sandbox, list(targets))


def get(path: str) -> Request:
    return lambda _n: (path, None)


def answer_post(fixtures: Fixtures, token: str) -> Request:
    path = f"/questions/{fixtures.sandbox_id}/answers"

    def request(n: int) -> tuple[str, dict[str, str] | None]:
        # Unique across runs and phases: the same text twice is refused for 5 min.
        body = (
            f"Load test answer {n} ({uuid.uuid4().hex[:8]}):"
            " we keep a log of every reply for compliance."
        )
        return path, {"csrf_token": token, "body": body, "submit": "Post your answer"}

    return request


def vote_post(fixtures: Fixtures, token: str) -> Request:
    """Up, then down, then up again... across the sandbox answers: every request
    inserts or flips a vote and moves a score."""
    targets = fixtures.vote_targets

    def request(n: int) -> tuple[str, dict[str, str] | None]:
        answer = targets[n % len(targets)]
        value = "up" if (n // len(targets)) % 2 == 0 else "down"
        return f"/answers/{answer}/vote", {"csrf_token": token, "value": value}

    return request


def reference() -> Page:
    return Page("reference", get(REFERENCE_PATH))


def pages(fixtures: Fixtures, token: str) -> list[Page]:
    """Everything measured besides the reference; ``token`` is the member's CSRF."""
    return [
        Page("questions_newest", get("/questions")),
        Page("questions_top", get("/questions?sort=top")),
        Page("questions_unanswered", get("/questions?sort=unanswered")),
        Page("questions_newest_page50", get("/questions?page=50")),
        Page("tag_busiest", get(f"/tags/{BUSIEST_TAG}")),
        Page("tag_rare", get(f"/tags/{RARE_TAG}")),
        Page("question_10_answers", get(f"/questions/{fixtures.ten_answers_id}")),
        Page("member_profile", get(f"/members/{fixtures.member_id}")),
        Page("search_two_words", get("/search?q=negative+reviews")),
        Page("search_tag", get(f"/search?q=residents&tag={BUSIEST_TAG}")),
        Page("notifications", get("/notifications")),
        Page("my_membership", get("/membership")),
        Page("admin_members", get("/admin/members"), admin=True),
        Page("admin_dashboard", get("/admin/"), admin=True),
        Page("answer_post", answer_post(fixtures, token), expect=302),
        Page("vote_post", vote_post(fixtures, token), expect=302),
    ]


ACCOUNTS = {False: MEMBER_EMAIL, True: ADMIN_EMAIL}
