"""Jinja filters and globals shared by every page and email."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from flask import Flask, g, url_for
from markupsafe import Markup

from portal.core.mail import contact_address
from portal.core.markdown import render_comment, render_markdown, stored_html
from portal.core.time import local, utcnow


def format_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = local(value).date()
    return f"{value:%-d %b %Y}"


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    return f"{local(value):%-d %b %Y, %H:%M %Z}"


def counted(count: int, noun: str, plural: str | None = None) -> str:
    """'1 graduate', '2 graduates' ('1 entry', '3 entries' with ``plural``)."""
    return f"{count} {noun if count == 1 else plural or noun + 's'}"


def age(value: datetime | None) -> str:
    """'3 minutes ago', '2 days ago' … for list rows."""
    if value is None:
        return ""
    seconds = int((utcnow() - value).total_seconds())
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def duration(value: timedelta | None) -> str:
    """'45 min', '3 h 20 min', '2 days 4 h': a span as a person says it."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    days, hours = divmod(hours, 24)
    return f"{days} days {hours} h" if hours else f"{days} days"


def path_for(endpoint: str, **values: int | str) -> str:
    """``url_for`` for the links a list repeats on every row, built once.

    The first call in a request per endpoint and argument names asks the router
    for a path with stand-in values and keeps it as a pattern; later calls only
    substitute values (strings quoted). A list page of 20 rows makes about 100
    links; ``url_for`` is the largest cost of rendering them.
    """
    key = (endpoint, *values)
    patterns: dict[tuple[str, ...], str] = g.setdefault("path_patterns", {})
    pattern = patterns.get(key)
    if pattern is None:
        stand_ins: dict[str, Any] = {
            name: 900_000_000 + n if isinstance(value, int) else f"StandIn{n}"
            for n, (name, value) in enumerate(values.items())
        }
        pattern = url_for(endpoint, **stand_ins)
        for name, stand_in in stand_ins.items():
            pattern = pattern.replace(str(stand_in), "{" + name + "}")
        patterns[key] = pattern
    return pattern.format_map(
        {
            name: value if isinstance(value, int) else quote(value, safe="")
            for name, value in values.items()
        }
    )


def post_html(post: Any) -> Markup:
    """A question's or answer's body as stored HTML (re-rendered if outdated)."""
    return stored_html(post.body, post.body_html, post.body_html_version)


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        markdown=render_markdown,
        post_html=post_html,
        comment=render_comment,
        date=format_date,
        datetime=format_datetime,
        age=age,
        counted=counted,
        duration=duration,
    )

    app.jinja_env.globals["path_for"] = path_for

    @app.context_processor
    def portal_globals() -> dict[str, Any]:
        return {
            "portal_name": app.config["PORTAL_NAME"],
            "contact_email": contact_address(),
        }
