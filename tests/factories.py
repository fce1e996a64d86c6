"""Builders for test data, through the same services the app uses.

One vocabulary for every feature's tests: ``make_user``/``make_admin``/
``make_moderator`` for accounts (admins and moderators with two-factor sign-in
set up, as the portal requires; ``with_two_factor`` for anyone),
``make_graduate`` for a membership from a given day, ``make_member``
(and its grace, expired, revoked and suspended twins) for a member in a standing
today, ``request_renewal``, ``add_residency`` and ``roster_csv``,
``ask``/``answer``/``comment`` for posts (``backdate`` to age one,
``hold``/``hide``/``release`` to change its state, ``delete_post``, and
``delete_through`` and ``restore_through`` as its author's buttons do),
``vote`` and ``accept``, ``dismiss_checklist``, ``make_moderator`` and ``flag``
for moderation, ``invite`` and ``invitation_path`` for a new account's link,
``fill_profile``, ``sign_in`` (which enters the code from the authenticator app
when the account has one), and for sessions ``copied_browser``,
``sessions_of`` and ``moving_clock``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from html import unescape
from typing import Any

import pyotp
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner
from sqlalchemy import func, select, update

from portal.auth import second_factor, tokens
from portal.auth import services as accounts
from portal.auth.freshness import KEY as IDENTITY_PROVED_AT
from portal.auth.models import ADMIN, MEMBER, MODERATOR, User, UserSession
from portal.board.models import HELD, HIDDEN, PUBLIC, Answer, Comment, Question
from portal.board.services import (
    answers,
    checklist,
    comments,
    posts,
    questions,
    visibility,
    votes,
)
from portal.core import time as portal_time
from portal.core.mail import deliver_pending
from portal.core.models import OutboxMessage
from portal.core.time import utcnow
from portal.extensions import db
from portal.membership.models import AuditEntry, RenewalRequest, Residency
from portal.membership.services import (
    grants,
    profiles,
    renewals,
    residencies,
    standing,
)
from portal.membership.status import Status
from portal.moderation.models import SPAM
from portal.moderation.services import flags

PASSWORD = "correct horse battery"


def make_user(
    email: str = "member@example.org",
    name: str = "Morgan Member",
    role: str = MEMBER,
    password: str | None = PASSWORD,
) -> User:
    user = accounts.create_user(email, name, role)
    if password is not None:
        user.set_password(password)
        user.claimed_at = utcnow()
    db.session.commit()
    return user


def login(client: FlaskClient, email: str, password: str = PASSWORD, **extra):
    return client.post("/login", data={"email": email, "password": password, **extra})


def deliver() -> None:
    """Run the mail worker once, as cron or the --loop worker would."""
    deliver_pending()


def make_admin(
    email: str = "admin@example.org", name: str = "Avery Admin", two_factor: bool = True
) -> User:
    """An admin; with two-factor sign-in set up unless ``two_factor=False``."""
    user = make_user(email, name, role=ADMIN)
    return with_two_factor(user) if two_factor else user


def invite(email: str = "new@example.org", name: str = "Nia Newcomer") -> User:
    """An account without a password, its invitation queued in the outbox."""
    user = accounts.create_user(email, name)
    accounts.invite(user)
    db.session.commit()
    return user


def invitation_path(user: User) -> str:
    """A fresh, valid invitation link for ``user``, as a path."""
    return f"/invitation/{tokens.make_token(tokens.INVITATION, user)}"


def make_moderator(
    email: str = "moderator@example.org",
    name: str = "Mika Moderator",
    two_factor: bool = True,
) -> User:
    """A moderator with no membership (faculty may have none); with two-factor
    sign-in set up unless ``two_factor=False``."""
    user = make_user(email, name, role=MODERATOR)
    return with_two_factor(user) if two_factor else user


def with_two_factor(user: User) -> User:
    """Set up an authenticator app for ``user``, as the enrolment page does;
    their recovery codes are kept on ``user.recovery_codes`` for the test."""
    secret = second_factor.new_secret()
    codes = second_factor.enable(user, secret, pyotp.TOTP(secret).now())
    db.session.commit()
    user.recovery_codes = codes  # type: ignore[attr-defined]
    return user


def fresh_code(user: User) -> str:
    """A code the portal has not seen from ``user`` yet.

    Tests sign in faster than codes change (every 30 seconds), so the portal's
    note of the last step used is cleared first, as the next step would.
    """
    db.session.execute(
        update(User).where(User.id == user.id).values(totp_last_step=None)
    )
    db.session.commit()
    assert user.totp_secret is not None, f"{user.email} has no authenticator app"
    return pyotp.TOTP(user.totp_secret).now()


def csrf_token(client: FlaskClient, path: str) -> str:
    """The CSRF token of the form on the page at ``path``."""
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]* value="([^"]+)"', html)
    assert match is not None, f"no CSRF token on {path}"
    return match.group(1)


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD, **extra):
    """Sign ``user`` in through the form (signing out whoever was signed in on
    this client), entering a code from the app when the account has one; fails
    the test if that did not work. Fills in CSRF tokens when the app wants them.
    """
    client.post("/logout")
    with_csrf = client.application.config.get("WTF_CSRF_ENABLED", True)
    if with_csrf and "csrf_token" not in extra:
        extra["csrf_token"] = csrf_token(client, "/login")
    response = login(client, user.email, password, **extra)
    assert response.status_code == 302, "sign-in failed"
    if response.headers["Location"].startswith("/login/code"):
        data = {"code": fresh_code(user)}
        if with_csrf:
            data["csrf_token"] = csrf_token(client, "/login/code")
        response = client.post("/login/code", data=data)
        assert response.status_code == 302, "the sign-in code was refused"
    return client


def post_confirmed(client: FlaskClient, url: str, data: dict[str, str]):
    """A destructive admin action as an admin does it: the first POST shows
    the confirmation page, and its button (the carried fields) runs it."""
    first = client.post(url, data=data)
    html = first.get_data(as_text=True)
    if first.status_code != 200 or "What will happen" not in html:
        return first  # refused before confirmation (a form error, 404, ...)
    form = html.split('action="' + url, 1)[1].split("</form>", 1)[0]
    fields = {
        name: unescape(value)
        for name, value in re.findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form
        )
    }
    return client.post(url, data=fields)


def prove_identity_long_ago(client: FlaskClient, minutes: int = 60) -> None:
    """As if the signed-in user last entered a password or code ``minutes`` ago."""
    with client.session_transaction() as session:
        user_id, _ = session[IDENTITY_PROVED_AT]
        session[IDENTITY_PROVED_AT] = [user_id, int(time.time()) - minutes * 60]


def path_of(url: str) -> str:
    """A link from a mail, as a path the test client can request."""
    base = "http://portal.test"
    assert url.startswith(base + "/"), f"{url} is not on {base}"
    return url[len(base) :]


def outbox(kind: str | None = None) -> list[OutboxMessage]:
    """The queued mail, oldest first, read fresh from the database."""
    db.session.expire_all()
    query = select(OutboxMessage).order_by(OutboxMessage.id)
    if kind is not None:
        query = query.where(OutboxMessage.kind == kind)
    return list(db.session.scalars(query))


@contextmanager
def issued_ago(age: timedelta) -> Iterator[None]:
    """Links signed inside this block carry a timestamp ``age`` in the past."""
    stamp = int(time.time() - age.total_seconds())
    original = TimestampSigner.get_timestamp
    TimestampSigner.get_timestamp = lambda self: stamp  # type: ignore[method-assign]
    try:
        yield
    finally:
        TimestampSigner.get_timestamp = original  # type: ignore[method-assign]


# Sessions

SESSION_COOKIE = "session"
REMEMBER_COOKIE = "remember_token"


def copied_browser(app, client: FlaskClient, *names: str) -> FlaskClient:
    """A new browser holding copies of ``client``'s cookies (``names``, or all):
    what someone who copied them, or the same browser reopened, would send."""
    copy = app.test_client()
    for name in names or (SESSION_COOKIE, REMEMBER_COOKIE):
        cookie = client.get_cookie(name)
        if cookie is not None:
            copy.set_cookie(name, cookie.value)
    return copy


def sessions_of(user: User) -> list[UserSession]:
    """The member's session rows, read fresh, oldest first."""
    db.session.expire_all()
    return list(
        db.session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id)
            .order_by(UserSession.created_at)
        )
    )


@contextmanager
def moving_clock() -> Iterator[Callable[..., None]]:
    """``with moving_clock() as advance: advance(minutes=61)``: code that reads
    ``portal.core.time.utcnow()`` (the session limits) sees the clock moved on."""
    real = portal_time.utcnow
    offset = [timedelta()]

    def advance(**delta: float) -> None:
        offset[0] += timedelta(**delta)

    portal_time.utcnow = lambda: real() + offset[0]  # type: ignore[assignment]
    try:
        yield advance
    finally:
        portal_time.utcnow = real  # type: ignore[assignment]


# Membership

DAY = timedelta(days=1)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def add_residency(held_on: date, name: str = "Residency Lisbon") -> Residency:
    residency = residencies.add_residency(name, "Lisbon", held_on, actor=None)
    db.session.commit()
    return residency


def add_graduate(
    residency: Residency,
    email: str = "grad@example.org",
    name: str = "Grace Graduate",
    **extra: Any,
) -> User:
    """A graduate added to ``residency`` as the admin's form does (no mail)."""
    result = grants.add_graduate(
        email, name, actor=None, residency=residency, notify=False, **extra
    )
    db.session.commit()
    return result.membership.user


def roster_csv(
    *rows: str,
    header: str = "email,name,organization,title",
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> bytes:
    """A roster as a spreadsheet saves it: ``encoding`` "utf-16" writes the
    byte-order mark of Excel's "Unicode Text", "utf-8-sig" that of "CSV UTF-8"."""
    return (newline.join([header, *rows]) + newline).encode(encoding)


def make_graduate(
    email: str = "grad@example.org",
    *,
    start: date,
    today: date | None = None,
    claimed: bool = True,
) -> User:
    """A graduate with a password (or not) and one term from ``start``."""
    user = make_user(email, "Grace Graduate", password=PASSWORD if claimed else None)
    grants.grant_term(user, actor=None, start=start, today=today or start, notify=False)
    db.session.commit()
    return user


def member_with_end(email: str, end: date, **extra: object) -> User:
    """A member whose (first) term ends on ``end``."""
    start = date(end.year - 1, end.month, end.day) + DAY
    return make_graduate(email, start=start, **extra)  # type: ignore[arg-type]


def fill_profile(user: User, *, listed: bool = True, **fields: Any) -> None:
    """A profile as the member's form saves it; ``listed`` opts into the directory."""
    values: dict[str, Any] = {
        "title": "Communications lead",
        "organisation": "Hospital Lisboa",
        "specialty": "Patient stories",
        "platforms": ["Facebook", "Instagram"],
        "bio": "I run our clinic's pages.",
    }
    profiles.update_profile(user, **{**values, **fields}, directory_opt_in=listed)
    db.session.commit()


def request_renewal(user: User, note: str | None = None) -> RenewalRequest:
    """The member asks for another year, as the button on their page does."""
    request = renewals.request_renewal(user, note)
    db.session.commit()
    return request


def audit_count(action: str | None = None) -> int:
    query = select(func.count()).select_from(AuditEntry)
    if action:
        query = query.where(AuditEntry.action == action)
    return int(db.session.scalar(query) or 0)


# Board


def _member_since(email: str, name: str, days_ago: int) -> User:
    user = make_user(email, name)
    start = portal_time.today() - timedelta(days=days_ago)
    grants.grant_term(user, actor=None, start=start, notify=False)
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


def make_revoked_member(
    email: str = "revoked@example.org", name: str = "Rory Revoked"
) -> User:
    """A current member whose membership an admin revoked (no mail)."""
    user = make_member(email, name)
    standing.revoke(user, actor=None, reason="Test: revoked", notify=False)
    db.session.commit()
    return user


def make_suspended_member(
    email: str = "suspended@example.org", name: str = "Sasha Suspended"
) -> User:
    """A current member suspended for a week (no mail)."""
    user = make_member(email, name)
    until = portal_time.today() + timedelta(days=7)
    standing.suspend(user, actor=None, until=until, reason="Test", notify=False)
    db.session.commit()
    return user


def ask(
    author: User,
    title: str = "How do you handle negative reviews on Facebook?",
    body: str = "Our clinic page gets angry reviews. What do you reply?",
    tags: str = "facebook, crisis",
) -> Question:
    question = questions.ask_question(author, title, body, tags)
    db.session.commit()
    return question


def answer(
    author: User, question: Question, body: str = "Reply once, offline."
) -> Answer:
    posted = answers.post_answer(author, question, body)
    db.session.commit()
    return posted


def comment(
    author: User,
    question: Question,
    body: str = "Good point.",
    on: Answer | None = None,
) -> Comment:
    posted = comments.add_comment(author, question, body, on)
    db.session.commit()
    return posted


def vote(voter: User, post: Question | Answer, value: int = 1) -> None:
    """``voter`` votes ``post`` up (1), down (-1) or takes the vote back (0)."""
    votes.cast_vote(voter, post, value)
    db.session.commit()


def accept(asker: User, chosen: Answer) -> None:
    answers.accept_answer(asker, chosen)
    db.session.commit()


def backdate(post: Question | Answer | Comment, age: timedelta) -> None:
    """Move a post's ``created_at`` ``age`` into the past, as if written then."""
    model = type(post)
    db.session.execute(
        update(model)
        .where(model.id == post.id)
        .values(created_at=post.created_at - age)
    )
    db.session.commit()


def flag(
    member: User,
    post: Question | Answer | Comment,
    reason: str = SPAM,
    note: str | None = None,
) -> bool:
    """``member`` flags ``post``, as the flag form does; True when it is now held."""
    held = flags.flag_post(member, post, reason, note)
    db.session.commit()
    return held


def hold(post: Question | Answer | Comment) -> None:
    """Held for review, as when its author confirmed it despite the guard."""
    visibility.set_state(post, HELD)
    db.session.commit()


def hide(post: Question | Answer | Comment) -> None:
    visibility.set_state(post, HIDDEN)
    db.session.commit()


def release(post: Question | Answer | Comment) -> None:
    """Public again, as a moderator's release or restore makes it."""
    visibility.set_state(post, PUBLIC)
    db.session.commit()


def post_path(post: Question | Answer | Comment) -> str:
    """``/questions/1``, ``/answers/2`` or ``/comments/3``."""
    return f"/{post.kind}s/{post.id}"


def delete_post(by: User, post: Question | Answer | Comment) -> None:
    """``by`` (its author or an admin) deletes ``post``, as the services do."""
    if isinstance(post, Comment):
        comments.delete_comment(by, post)
    else:
        posts.delete_post(by, post)
    db.session.commit()


def delete_through(client: FlaskClient, post: Question | Answer | Comment, **data):
    """Delete as a member does: open "Delete", then press its second button
    (``confirm=yes``); ``confirm=""`` is the first POST alone."""
    return client.post(f"{post_path(post)}/delete", data={"confirm": "yes", **data})


def restore_through(client: FlaskClient, post: Question | Answer | Comment):
    """The deleted-post banner's Restore (Undelete for admins)."""
    return client.post(f"{post_path(post)}/undelete")


def dismiss_checklist(user: User) -> None:
    """The member hides their first-run checklist, as its button does."""
    checklist.dismiss(user)
    db.session.commit()


def fresh(model: type, ident: int) -> Any:
    """The row as the database has it now (not the session's cached copy)."""
    db.session.expire_all()
    return db.session.get(model, ident)


# Reading what a test did


def page(response) -> str:
    """A response's HTML, with apostrophes as typed."""
    return response.get_data(as_text=True).replace("&#39;", "'")


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def last_audit() -> AuditEntry:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
    ).one()


def status_of(user: User) -> Status:
    """The member's status today, read fresh from the database."""
    db.session.expire_all()
    return grants.status_of(grants.require_membership(user), portal_time.today())
