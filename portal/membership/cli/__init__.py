"""``flask residencies …`` and ``flask members …``: membership for operators.

Every command calls the same services as the admin screens, commits once, and
on bad input exits non-zero with one line saying what to fix. Commands act as
the system (no acting user) in the audit log, or as the admin named by
``--by EMAIL``. This module holds what the command modules share.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import click

from portal.auth import services as accounts
from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership import bp
from portal.membership.errors import MembershipError
from portal.membership.models import Residency
from portal.membership.services.residencies import get_residency


@bp.cli.group("members")
def members_cli() -> None:
    """Memberships: import, grant, extend, sweep."""


def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        day = time.parse_day(value)
    except time.NoSuchDay as error:
        raise click.ClickException(f"{option}: {error}") from None
    if day is None:
        raise click.ClickException(
            f"{option} must be a date written YYYY-MM-DD (like 2026-03-01), "
            f"not {value!r}."
        )
    return day


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


def acting_admin(email: str | None) -> User | None:
    """``--by EMAIL``: the admin the audit log names; None (the system) without."""
    if email is None:
        return None
    user = accounts.find_by_email(email)
    if user is None or not user.is_admin:
        raise click.ClickException(f"--by: there is no admin with the email {email}.")
    return user


def by_option(command: Any) -> Any:
    return click.option(
        "--by",
        "by",
        default=None,
        metavar="EMAIL",
        help="The admin doing this, for the audit log (default: the system).",
    )(command)


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
