"""Configuration: defaults, then ``instance/config.py``, then the environment.

Nothing here reads the environment at import time; ``load_environment`` is called
by the app factory so tests and the CLI see the same precedence.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any, ClassVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEV_SECRET_KEY = "dev-only-not-secret"  # noqa: S105 - refused in production


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    PORTAL_ENV = "development"
    SQLALCHEMY_DATABASE_URI = ""  # filled in from the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: ClassVar[dict[str, Any]] = {"pool_pre_ping": True}
    PORTAL_NAME = "Residency Network"
    PORTAL_TIMEZONE = "UTC"
    PORTAL_BASE_URL = "http://127.0.0.1:5000"
    # Mail: "smtp" sends through Flask-Mail; "console" prints it and "file"
    # appends it to PORTAL_MAIL_FILE (development; default instance/mail.log).
    PORTAL_MAIL_BACKEND = "smtp"
    PORTAL_MAIL_FILE = ""
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_DEFAULT_SENDER = "Residency Network <network@localhost>"
    # Where members are told to write (pages and mail); unset: the sender's address.
    PORTAL_CONTACT_EMAIL: str | None = None
    # Who hears about renewal requests; unset: the contact address, else every admin.
    PORTAL_RENEWALS_EMAIL: str | None = None
    MAIL_TIMEOUT_SECONDS = 10
    MAIL_MAX_ATTEMPTS = 8
    MAIL_RETRY_BASE_SECONDS = 60
    # Rate limits; memory storage suits one process, use redis:// for several
    # (production refuses memory:// unless PORTAL_SINGLE_PROCESS says so).
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_KEY_PREFIX = "portal"
    PORTAL_SINGLE_PROCESS = False
    RATELIMIT_HEADERS_ENABLED = True
    # Said explicitly: Flask-Limiter keeps its last setting on the shared limiter.
    RATELIMIT_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = "5 per 15 minutes"
    LOGIN_LIMIT_PER_ADDRESS = "30 per 15 minutes"
    # A browser the account signed in from before has its own budget, so a
    # stranger locking the account out does not lock its owner out.
    LOGIN_LIMIT_PER_DEVICE = "5 per 15 minutes"
    # Revoking, suspending, changing roles or emails and resetting a second
    # factor need a password or code entered within this many minutes.
    FRESH_AUTH_MINUTES = 10
    FORGOT_LIMIT_PER_ADDRESS = "10 per hour"
    # Posting limits per member (docs/board.md): questions, and answers and
    # comments together, as limit strings ("" for none); the least gap between
    # any two posts; the same text twice within this many seconds is refused.
    BOARD_LIMIT_QUESTIONS = "5 per hour"
    BOARD_LIMIT_REPLIES = "30 per hour"
    BOARD_LIMIT_GAP_SECONDS = 30
    BOARD_LIMIT_DUPLICATE_SECONDS = 300
    # Names the posting counters in a storage that other sites may share.
    BOARD_LIMIT_KEY_PREFIX = "portal"
    # Live previews of a post while its author types, per member (each is
    # sent after a pause in typing, so a person rarely needs more than a few).
    BOARD_PREVIEW_LIMIT = "60 per minute"
    # Flags a member may raise (recorded ones only), per member.
    MODERATION_FLAG_LIMIT = "20 per hour"
    # Request size: a 10,000-row roster CSV is about 600 KB.
    MAX_CONTENT_LENGTH = 4 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    WTF_CSRF_TIME_LIMIT = 8 * 3600
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Sign-ins are server-side sessions (docs/sessions.md). Without "keep me
    # signed in" one ends after this long unused (shared hospital computers) and
    # at the latest after a working day; a remembered one lasts this many days.
    SESSION_IDLE_MINUTES = 60
    SESSION_MAX_HOURS = 12
    SESSION_REMEMBER_DAYS = 14
    # Set from SESSION_REMEMBER_DAYS by finalise(): the cookie dies with its session.
    REMEMBER_COOKIE_DURATION = timedelta(days=14)
    PERMANENT_SESSION_LIFETIME = timedelta(days=14)
    INVITATION_MAX_AGE = timedelta(days=30)
    RESET_MAX_AGE = timedelta(hours=1)
    EMAIL_CHANGE_MAX_AGE = timedelta(days=2)
    MEMBERSHIP_GRACE_DAYS = 30
    # "Top contributors this month" is the same for every reader: each server
    # process recomputes it at most this often.
    BOARD_CONTRIBUTORS_CACHE_SECONDS = 300
    # A member's reputation, post counts and top tags on their profile page.
    BOARD_PROFILE_CACHE_SECONDS = 60
    # Ask the best-placed members to answer each new question (docs/routing.md);
    # the default until an admin saves the setting under /admin/settings.
    BOARD_ROUTING_ENABLED = True
    # PostgreSQL connections per server process (SQLite ignores these).
    DATABASE_POOL_SIZE = 5
    DATABASE_MAX_OVERFLOW = 5
    # werkzeug's strong default; the test suite uses a cheap one to stay fast.
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - an algorithm name, not a secret
    # Number of reverse proxies in front of the app whose X-Forwarded-* to trust.
    PORTAL_TRUSTED_PROXIES = 0


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


# Environment variable -> (config key, parser).
ENVIRONMENT: Mapping[str, tuple[str, Callable[[str], Any]]] = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "PORTAL_ENV": ("PORTAL_ENV", str),
    "PORTAL_NAME": ("PORTAL_NAME", str),
    "PORTAL_TIMEZONE": ("PORTAL_TIMEZONE", str),
    "PORTAL_BASE_URL": ("PORTAL_BASE_URL", str),
    "PORTAL_MAIL_BACKEND": ("PORTAL_MAIL_BACKEND", str),
    "PORTAL_MAIL_FILE": ("PORTAL_MAIL_FILE", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_USE_TLS": ("MAIL_USE_TLS", _bool),
    "MAIL_USE_SSL": ("MAIL_USE_SSL", _bool),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "MAIL_DEFAULT_SENDER": ("MAIL_DEFAULT_SENDER", str),
    "PORTAL_CONTACT_EMAIL": ("PORTAL_CONTACT_EMAIL", str),
    "PORTAL_RENEWALS_EMAIL": ("PORTAL_RENEWALS_EMAIL", str),
    "MAIL_TIMEOUT_SECONDS": ("MAIL_TIMEOUT_SECONDS", float),
    "RATELIMIT_STORAGE_URI": ("RATELIMIT_STORAGE_URI", str),
    "PORTAL_SINGLE_PROCESS": ("PORTAL_SINGLE_PROCESS", _bool),
    "FRESH_AUTH_MINUTES": ("FRESH_AUTH_MINUTES", int),
    "MODERATION_FLAG_LIMIT": ("MODERATION_FLAG_LIMIT", str),
    "BOARD_PREVIEW_LIMIT": ("BOARD_PREVIEW_LIMIT", str),
    "MEMBERSHIP_GRACE_DAYS": ("MEMBERSHIP_GRACE_DAYS", int),
    "BOARD_CONTRIBUTORS_CACHE_SECONDS": ("BOARD_CONTRIBUTORS_CACHE_SECONDS", int),
    "BOARD_PROFILE_CACHE_SECONDS": ("BOARD_PROFILE_CACHE_SECONDS", int),
    "BOARD_ROUTING_ENABLED": ("BOARD_ROUTING_ENABLED", _bool),
    "BOARD_LIMIT_QUESTIONS": ("BOARD_LIMIT_QUESTIONS", str),
    "BOARD_LIMIT_REPLIES": ("BOARD_LIMIT_REPLIES", str),
    "BOARD_LIMIT_GAP_SECONDS": ("BOARD_LIMIT_GAP_SECONDS", int),
    "BOARD_LIMIT_DUPLICATE_SECONDS": ("BOARD_LIMIT_DUPLICATE_SECONDS", int),
    "BOARD_LIMIT_KEY_PREFIX": ("BOARD_LIMIT_KEY_PREFIX", str),
    "DATABASE_POOL_SIZE": ("DATABASE_POOL_SIZE", int),
    "DATABASE_MAX_OVERFLOW": ("DATABASE_MAX_OVERFLOW", int),
    "PORTAL_TRUSTED_PROXIES": ("PORTAL_TRUSTED_PROXIES", int),
    "SESSION_IDLE_MINUTES": ("SESSION_IDLE_MINUTES", int),
    "SESSION_MAX_HOURS": ("SESSION_MAX_HOURS", int),
    "SESSION_REMEMBER_DAYS": ("SESSION_REMEMBER_DAYS", int),
}


def load_environment(config: dict[str, Any], environ: Mapping[str, str]) -> None:
    """Copy the known variables from ``environ`` into ``config``, parsed."""
    for name, (key, parse) in ENVIRONMENT.items():
        if environ.get(name):
            config[key] = parse(environ[name])


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, whatever scheme the operator used."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


class ConfigError(RuntimeError):
    """The configuration is unsafe or incomplete; the app refuses to start."""


def check_timezone(name: str) -> None:
    """Dates (terms, reminders) are days in this zone: a typo must stop the app
    at start-up, not fail on the first page that shows a date."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError) as error:
        raise ConfigError(
            f"PORTAL_TIMEZONE {name!r} is not a time zone: use a name like "
            "'Europe/Lisbon' or 'UTC'"
        ) from error


def finalise(config: dict[str, Any], instance_path: str) -> None:
    """Derive settings that depend on others and refuse unsafe production setups."""
    if not config["SQLALCHEMY_DATABASE_URI"]:
        path = os.path.join(instance_path, "portal.db")
        config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    url = normalise_database_url(config["SQLALCHEMY_DATABASE_URI"])
    config["SQLALCHEMY_DATABASE_URI"] = url
    if url.startswith("postgresql"):
        # pre_ping survives a database restart or a proxy that drops idle
        # connections; recycle keeps connections younger than such timeouts.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "pool_size": config["DATABASE_POOL_SIZE"],
            "max_overflow": config["DATABASE_MAX_OVERFLOW"],
            "pool_recycle": 1800,
        }
    if not config.get("PORTAL_MAIL_FILE"):
        config["PORTAL_MAIL_FILE"] = os.path.join(instance_path, "mail.log")
    check_timezone(config["PORTAL_TIMEZONE"])
    config["REMEMBER_COOKIE_DURATION"] = timedelta(days=config["SESSION_REMEMBER_DAYS"])
    if config["PORTAL_ENV"] == "production":
        refuse_unsafe_production(config)
        config.update(
            SESSION_COOKIE_SECURE=True,
            REMEMBER_COOKIE_SECURE=True,
            PREFERRED_URL_SCHEME="https",
        )


def refuse_unsafe_production(config: dict[str, Any]) -> None:
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET_KEY or len(secret) < 32:
        raise ConfigError(
            "SECRET_KEY must be set to a random value of at least 32 characters"
            " in production"
        )
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.startswith("memory://") and not config.get("PORTAL_SINGLE_PROCESS"):
        raise ConfigError(
            "RATELIMIT_STORAGE_URI is memory://, so each server process would count"
            " sign-in attempts on its own and the limits would not hold. Set"
            " RATELIMIT_STORAGE_URI=redis://HOST:6379/0 (one Redis shared by every"
            " process), or PORTAL_SINGLE_PROCESS=1 if the portal runs as exactly"
            " one process."
        )
