"""Posting limits: how much and how often a member may ask, answer and comment.

Three counters live in the rate-limit storage (``RATELIMIT_STORAGE_URI``: memory
for one process, Redis shared by every server), as moving windows: questions an
hour, answers and comments an hour (one budget), and one post per gap. The
duplicate rule reads the author's own recent posts from the database instead, so
it needs no storage of its own and holds on every server.

Views call ``refusal`` after the form validates and before the service saves,
and ``count`` after the commit: a form error or a refused post spends nothing.
Two posts sent at the same instant may both pass the check before either is
counted or saved, so a cap can be passed by one; that is the price of counting
only saved posts. Edits are not posts: neither checked nor counted. Admins are
exempt from the counters (they post announcements and move content), never from
the duplicate rule; moderators are limited like members. The CLI, the demo data
and the tests' builders call the services directly and are never limited.
"""

from __future__ import annotations

import logging
import math
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from flask import current_app
from flask.sansio.app import App
from limits import RateLimitItem, RateLimitItemPerSecond, parse
from limits.errors import StorageError
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy import select, union_all

from portal.auth.models import User
from portal.board.models import QUESTION, Answer, Comment, Question
from portal.core.time import local, utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
EXTENSION = "posting_limits"


@dataclass(frozen=True)
class Refusal:
    """Why a post is refused, and the instant (aware UTC) it would be accepted."""

    message: str
    retry_at: datetime


@dataclass(frozen=True)
class Budget:
    name: str
    item: RateLimitItem
    explanation: str


@lru_cache(maxsize=16)
def _item(text: str) -> RateLimitItem | None:
    """A limit string such as "5 per hour"; empty or "off" for no limit."""
    return None if text.strip().lower() in {"", "off"} else parse(text)


def init_app(app: App) -> None:
    """Give the app its own handle on the rate-limit storage; refuse to start
    with a limit that does not parse.

    Not Flask-Limiter's ``limiter.limiter``: there is one per process, following
    the last app initialised, so apps in one process would share its storage
    whatever their own configuration says.
    """
    config = app.config
    for key in ("BOARD_LIMIT_QUESTIONS", "BOARD_LIMIT_REPLIES"):
        _item(config[key])
    storage = storage_from_string(
        config["RATELIMIT_STORAGE_URI"],
        wrap_exceptions=True,
        **config.get("RATELIMIT_STORAGE_OPTIONS", {}),
    )
    app.extensions[EXTENSION] = MovingWindowRateLimiter(storage)


def _limiter() -> MovingWindowRateLimiter:
    limiter: MovingWindowRateLimiter = current_app.extensions[EXTENSION]
    return limiter


def _window(item: RateLimitItem) -> str:
    unit = item.GRANULARITY.name
    return unit if item.multiples == 1 else f"{item.multiples} {unit}s"


def _cap(kind: str) -> Budget | None:
    config = current_app.config
    if kind == QUESTION:
        name, one, many = "questions", "question", "questions"
        cap = _item(config["BOARD_LIMIT_QUESTIONS"])
    else:
        name, one, many = "replies", "answer or comment", "answers and comments"
        cap = _item(config["BOARD_LIMIT_REPLIES"])
    if cap is None:
        return None
    explanation = (
        f"You have posted {cap.amount} {one if cap.amount == 1 else many}"
        f" in the last {_window(cap)}, the most the network allows."
    )
    return Budget(name, cap, explanation)


def _budgets(author: User, kind: str) -> list[Budget]:
    """The counters a post of ``kind`` by ``author`` spends (read from the
    config on each post, as the sign-in limits are)."""
    config = current_app.config
    if author.is_admin or not config["RATELIMIT_ENABLED"]:
        return []
    budgets = [cap] if (cap := _cap(kind)) else []
    gap = int(config["BOARD_LIMIT_GAP_SECONDS"])
    if gap > 0:
        explanation = f"Please leave {gap} seconds between posts."
        budgets.append(Budget("gap", RateLimitItemPerSecond(1, gap), explanation))
    return budgets


def _identifiers(budget: Budget, author: User) -> tuple[str, ...]:
    prefix = current_app.config["BOARD_LIMIT_KEY_PREFIX"]
    return (prefix, "posts", budget.name, str(author.id))


def normalised(text: str) -> str:
    """Text as the duplicate rule compares it: case, spacing and Unicode forms
    of the same characters do not make a post different."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def _repeat(author: User, body: str, now: datetime) -> Refusal | None:
    """Refused when ``author`` posted the same text, as any kind, within the
    window; one statement over each kind's ``(author_id, created_at, …)`` index."""
    seconds = int(current_app.config["BOARD_LIMIT_DUPLICATE_SECONDS"])
    if seconds <= 0:
        return None
    window = timedelta(seconds=seconds)
    recent = union_all(
        *(
            select(model.body, model.created_at).where(
                model.author_id == author.id,
                model.created_at >= now - window,
                model.deleted_at.is_(None),
            )
            for model in (Question, Answer, Comment)
        )
    )
    wanted = normalised(body)
    seen = [at for text, at in db.session.execute(recent) if normalised(text) == wanted]
    if not seen:
        return None
    retry_at = max(seen) + window
    return Refusal(
        f"You already posted this text in the last {_duration(window)}."
        f" Change it, or post it again {_when(retry_at, now)}.",
        retry_at,
    )


def _duration(window: timedelta) -> str:
    seconds = int(window.total_seconds())
    if seconds % 60:
        return f"{seconds} seconds"
    minutes = seconds // 60
    return "minute" if minutes == 1 else f"{minutes} minutes"


def _when(retry_at: datetime, now: datetime) -> str:
    """'in 40 seconds', 'in 12 minutes (at 15:42)': rounded up, never early."""
    seconds = max(1, math.ceil((retry_at - now).total_seconds()))
    if seconds < 60:
        return f"in {seconds} second{'s' if seconds != 1 else ''}"
    shown = local(retry_at)
    if shown.second or shown.microsecond:
        shown = shown.replace(second=0, microsecond=0) + timedelta(minutes=1)
    moment = f"{shown:%H:%M}"
    if shown.date() != local(now).date():
        moment = f"{shown:%-d %b}, {moment}"
    minutes = math.ceil(seconds / 60)
    if minutes < 120:
        return f"in {minutes} minute{'s' if minutes != 1 else ''} (at {moment})"
    return f"in {math.ceil(minutes / 60)} hours (at {moment})"


def _full_until(budget: Budget, author: User) -> datetime | None:
    """When the budget has room again, or None when it has room now."""
    try:
        stats = _limiter().get_window_stats(budget.item, *_identifiers(budget, author))
    except StorageError:
        # A post is worth more than a limit: let it through and say so in the log.
        log.exception("posting limits: storage unavailable, %s unchecked", budget.name)
        return None
    if stats.remaining > 0:
        return None
    return datetime.fromtimestamp(stats.reset_time, UTC)


def refusal(author: User, kind: str, body: str) -> Refusal | None:
    """None when ``author`` may post ``body`` as a new ``kind`` now; otherwise
    the refusal whose wait is longest (the time they can really post again)."""
    now = utcnow()
    repeat = _repeat(author, body, now)
    found = [repeat] if repeat else []
    for budget in _budgets(author, kind):
        reset_at = _full_until(budget, author)
        if reset_at is not None:
            found.append(
                Refusal(
                    f"{budget.explanation} You can post again {_when(reset_at, now)}.",
                    reset_at,
                )
            )
    return max(found, key=lambda each: each.retry_at) if found else None


def count(author: User, kind: str) -> None:
    """Spend the budgets for a post of ``kind`` that was just saved."""
    for budget in _budgets(author, kind):
        try:
            _limiter().hit(budget.item, *_identifiers(budget, author))
        except StorageError:
            log.exception(
                "posting limits: storage unavailable, %s uncounted", budget.name
            )
