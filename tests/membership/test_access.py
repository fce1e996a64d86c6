"""Who may read and post: every status, through the functions and a real route."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from flask import Blueprint, Flask
from sqlalchemy import event

from portal.core import time
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.access import (
    board_poster_required,
    board_reader_required,
    can_post_board,
    can_read_board,
    membership_status,
)
from portal.membership.email import membership_page_path
from portal.membership.services import standing
from portal.membership.status import Status
from tests.factories import login, make_graduate, make_user

TODAY = date(2026, 6, 15)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def build(kind: str, today: date):
    """A user whose status on ``today`` is ``kind``."""
    email = f"{kind}@example.org"
    if kind == "admin":
        return make_user(email, "Avery Admin", role="admin")
    if kind == "none":
        return make_user(email, "No Membership")
    starts = {
        "current": today - days(10),
        "expiring": today - days(360),
        "grace": today - days(370),
        "expired": today - days(400),
        "upcoming": today + days(10),
        "revoked": today - days(10),
        "suspended": today - days(10),
    }
    user = make_graduate(email, start=starts[kind], today=starts[kind])
    if kind == "revoked":
        standing.revoke(user, actor=None, reason="Broke the rules", today=today)
    if kind == "suspended":
        standing.suspend(
            user, actor=None, until=today + days(7), reason="Pause", today=today
        )
    db.session.commit()
    return user


EXPECTED = {
    # kind: (status, can read, can post)
    "current": (Status.CURRENT, True, True),
    "expiring": (Status.CURRENT, True, True),
    "grace": (Status.GRACE, True, False),
    "expired": (Status.EXPIRED, False, False),
    "upcoming": (Status.UPCOMING, False, False),
    "revoked": (Status.REVOKED, False, False),
    "suspended": (Status.SUSPENDED, False, False),
    "admin": (Status.CURRENT, True, True),
    "none": (Status.EXPIRED, False, False),
}


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_status_and_board_access_for_every_kind_of_member(app, kind):
    today = time.today()
    user = build(kind, today)
    status, read, post = EXPECTED[kind]
    assert membership_status(user).status is status
    assert membership_status(user, today).status is status
    assert can_read_board(user) is read
    assert can_post_board(user) is post


def test_expiring_is_flagged_within_30_days(app):
    user = make_graduate(start=TODAY - days(340), today=TODAY)
    info = membership_status(user, TODAY)
    assert info.status is Status.CURRENT and info.expiring and info.days_left == 24
    assert not membership_status(user, TODAY - days(10)).expiring


def test_status_follows_the_calendar_not_a_stored_flag(app):
    user = make_graduate(
        start=date(2025, 6, 16), today=date(2025, 6, 16)
    )  # ends 2026-06-15
    membership = user_membership(user)
    membership.last_status = "current"
    db.session.commit()
    assert membership_status(user, date(2026, 6, 15)).status is Status.CURRENT
    assert membership_status(user, date(2026, 6, 16)).status is Status.GRACE
    assert membership_status(user, date(2026, 7, 15)).status is Status.GRACE
    assert membership_status(user, date(2026, 7, 16)).status is Status.EXPIRED


def test_grace_length_comes_from_config(make_app):
    app = make_app(MEMBERSHIP_GRACE_DAYS=5)
    with app.app_context():
        user = make_graduate(start=date(2025, 6, 16), today=date(2025, 6, 16))
        assert membership_status(user, date(2026, 6, 20)).status is Status.GRACE
        assert membership_status(user, date(2026, 6, 21)).status is Status.EXPIRED
        db.session.remove()


def user_membership(user):
    from portal.membership.services.grants import find_membership

    return find_membership(user)


def test_status_is_read_once_per_request(app):
    user = make_graduate(start=TODAY - days(10), today=TODAY)
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        if "FROM membership" in statement:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with app.test_request_context("/"):
            for _ in range(3):
                can_read_board(user)
                can_post_board(user)
                membership_status(user)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 1


def test_a_change_in_the_same_request_is_seen(app):
    user = make_graduate(start=time.today() - days(10))
    with app.test_request_context("/"):
        assert can_post_board(user)
        standing.revoke(user, actor=None, reason="r")
        assert not can_post_board(user)
    db.session.rollback()


@pytest.fixture
def board_app(make_app):
    """A fresh app with a tiny board: one page to read, one form to post."""
    application: Flask = make_app()
    blueprint = Blueprint("board_test", __name__)

    @blueprint.get("/test-board")
    @board_reader_required
    def read():
        return "the board"

    @blueprint.post("/test-board")
    @board_poster_required
    def post():
        return "posted"

    application.register_blueprint(blueprint)
    with application.app_context():
        yield application
        db.session.remove()


def reason_for(kind: str, user, today: date) -> str | None:
    membership = user_membership(user)
    end = format_date(membership.ends_on) if membership else ""
    return {
        "grace": f"Your membership ended on {end}; renew to post.",
        "expired": f"Your membership expired on {end}.",
        "upcoming": f"Your membership starts on {format_date(today + days(10))}.",
        "revoked": "Your membership has been revoked.",
        "suspended": "Your membership is suspended until"
        f" {format_date(today + days(7))}.",
        "none": "You do not have a membership of the network.",
    }.get(kind)


@pytest.mark.parametrize("kind", list(EXPECTED))
def test_board_routes_let_in_or_explain_why_not(board_app, kind):
    today = time.today()
    user = build(kind, today)
    client = board_app.test_client()
    assert login(client, user.email).status_code == 302
    _, read, post = EXPECTED[kind]
    reading, posting = client.get("/test-board"), client.post("/test-board")
    assert reading.status_code == (200 if read else 403)
    assert posting.status_code == (200 if post else 403)
    with board_app.test_request_context():
        link = f'href="{membership_page_path()}"'
    for response in (r for r in (reading, posting) if r.status_code == 403):
        page = response.get_data(as_text=True)
        assert reason_for(kind, user, today) in page.replace("&#39;", "'")
        assert link in page


def test_board_routes_send_strangers_to_sign_in(board_app):
    client = board_app.test_client()
    response = client.get("/test-board")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert client.post("/test-board").status_code == 302
