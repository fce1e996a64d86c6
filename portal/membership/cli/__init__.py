"""``flask residencies …`` and ``flask members …``: membership for operators.

Every command calls the same services as the admin screens, commits once, and
on bad input exits non-zero with one line saying what to fix. Commands act as
the system (no acting user) in the audit log. This module holds what the
command modules share.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

import click

from portal.auth import services as accounts
from portal.auth.models import User
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import Residency
from portal.membership.services.residencies import get_residency


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise click.ClickException(
            f"{option} must be a date written YYYY-MM-DD (like 2026-03-01), "
            f"not {value!r}."
        ) from None


def required_date(value: str, option: str) -> date:
    day = parse_date(value, option)
    if day is None:
        raise click.ClickException(f"{option} is required.")
    return day


def find_user(email: str) -> User:
    user = accounts.find_by_email(email)
    if user is None:
        raise click.ClickException(f"There is no account for {email.strip()}.")
    return user


def find_residency(residency_id: int) -> Residency:
    try:
        return get_residency(residency_id)
    except MembershipError as error:
        raise click.ClickException(str(error)) from error


@contextmanager
def domain_errors() -> Iterator[None]:
    """A broken rule: roll back, and say it in one line."""
    try:
        yield
    except MembershipError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error


class Progress:
    """A progress bar on a terminal; silent when output goes to a file or pipe."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None

    def start(self, length: int) -> None:
        if sys.stdout.isatty() and length:
            self.bar = click.progressbar(length=length, label=self.label)
            self.bar.__enter__()

    def advance(self, steps: int) -> None:
        if self.bar is not None:
            self.bar.update(steps)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
