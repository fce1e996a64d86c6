"""Builders for board tests: members in each standing, and posts via the services."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient

from portal.auth.models import ADMIN, User
from portal.board import services
from portal.board.models import Answer, Comment, Question
from portal.core import time
from portal.extensions import db
from portal.membership import services as membership
from tests.factories import login, make_user


def _member_since(email: str, name: str, days_ago: int) -> User:
    user = make_user(email, name)
    start = time.today() - timedelta(days=days_ago)
    membership.grant_term(user, actor=None, start=start, notify=False)
    db.session.commit()
    return user


def make_member(email: str = "member@example.org", name: str = "Morgan Member") -> User:
    """A current member: a term that started today."""
    return _member_since(email, name, 0)


def make_grace_member(
    email: str = "grace@example.org", name: str = "Gale Grace"
) -> User:
    """A term that ended ten days ago: inside the 30-day grace period."""
    return _member_since(email, name, 375)


def make_expired_member(
    email: str = "expired@example.org", name: str = "Ezra Expired"
) -> User:
    return _member_since(email, name, 500)


def make_admin(email: str = "admin@example.org", name: str = "Avery Admin") -> User:
    return make_user(email, name, role=ADMIN)


def sign_in(client: FlaskClient, user: User) -> FlaskClient:
    """Sign ``user`` in, signing out whoever was signed in on this client."""
    client.post("/logout")
    response = login(client, user.email)
    assert response.status_code == 302, "sign-in failed"
    return client


def ask(
    author: User,
    title: str = "How do you handle negative reviews on Facebook?",
    body: str = "Our clinic page gets angry reviews. What do you reply?",
    tags: str = "facebook, crisis",
) -> Question:
    question = services.ask_question(author, title, body, tags)
    db.session.commit()
    return question


def answer(
    author: User, question: Question, body: str = "Reply once, offline."
) -> Answer:
    posted = services.post_answer(author, question, body)
    db.session.commit()
    return posted


def comment(
    author: User,
    question: Question,
    body: str = "Good point.",
    on: Answer | None = None,
) -> Comment:
    posted = services.add_comment(author, question, body, on)
    db.session.commit()
    return posted


def fresh(model: type, ident: int) -> Any:
    """The row as the database has it now (not the session's cached copy)."""
    db.session.expire_all()
    return db.session.get(model, ident)
