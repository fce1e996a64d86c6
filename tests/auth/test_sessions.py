"""Server-side sessions: signing out ends a session for every copy of its cookie."""

from __future__ import annotations

import re
import time as clock

import pytest

from portal.auth.models import session_key_hash
from portal.auth.sessions import describe_device
from portal.core import time
from portal.extensions import db
from portal.membership.services import accounts, standing
from tests import factories
from tests.core.test_csrf import token_from
from tests.factories import (
    PASSWORD,
    REMEMBER_COOKIE,
    SESSION_COOKIE,
    copied_browser,
    days,
    make_admin,
    make_member,
    make_user,
    moving_clock,
    page,
    post_confirmed,
    sessions_of,
    sign_in,
)
from tests.mailbox import link_in
from tests.querycount import counting_statements

FIREFOX = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0"
)
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
NEW_PASSWORD = "a brand new passphrase"


def browser(app, user_agent: str = FIREFOX, address: str = "192.0.2.10"):
    client = app.test_client()
    client.environ_base.update(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)
    return client


def signed_out(client) -> bool:
    response = client.get("/account")
    return response.status_code == 302 and "/login" in response.headers["Location"]


def public_ids(html: str) -> list[str]:
    return re.findall(r"/account/sessions/([\w-]+)/end", html)


def test_a_cookie_copied_before_sign_out_no_longer_opens_the_account(app):
    user = make_user()
    client = sign_in(browser(app), user)
    copy = copied_browser(app, client, SESSION_COOKIE)
    assert copy.get("/account").status_code == 200
    client.post("/logout")
    assert signed_out(copy)
    assert sessions_of(user) == []


def test_the_cookie_carries_only_a_session_key_stored_hashed(app):
    user = make_user()
    client = sign_in(browser(app), user)
    serializer = app.session_interface.get_signing_serializer(app)
    contents = serializer.loads(client.get_cookie(SESSION_COOKIE).value)
    # Besides the key: Flask-Login's and Flask-WTF's bookkeeping, and when this
    # browser last proved who it is (for the fresh sign-in check; no secret).
    allowed = {"_user_id", "_fresh", "_id", "csrf_token", "_flashes"}
    assert set(contents) <= allowed | {"identity_proved_at"}
    key = contents["_user_id"]
    assert str(user.id) not in key.split(":") and user.security_stamp not in key
    [row] = sessions_of(user)
    assert row.id == session_key_hash(key) != key


def test_an_old_style_user_id_cookie_signs_nobody_in(app):
    user = make_user()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
    assert signed_out(client)


def test_sign_out_other_devices_ends_them(app):
    user = make_user()
    desk = sign_in(browser(app), user)
    phone = sign_in(browser(app, IPHONE, "198.51.100.7"), user, remember="y")
    reopened_phone = copied_browser(app, phone, REMEMBER_COOKIE)
    assert len(sessions_of(user)) == 2
    response = desk.post("/account/sessions/end-others")
    assert response.headers["Location"] == "/account"
    assert "Your other devices are signed out." in desk.get("/account").text
    assert signed_out(phone)
    assert signed_out(reopened_phone)
    assert len(sessions_of(user)) == 1


def test_your_devices_lists_this_and_other_sessions(app):
    user = make_user()
    desk = sign_in(browser(app), user)
    sign_in(browser(app, IPHONE, "198.51.100.7"), user, remember="y")
    sign_in(browser(app), make_user("someone@example.org", "Someone Else"))
    html = page(desk.get("/account"))
    assert "Your devices" in html
    assert "Firefox on Windows" in html and "· this device" in html
    assert "Mobile Safari on iOS (iPhone)" in html and "(kept signed in)" in html
    assert "192.0.2.10" in html and "198.51.100.7" in html
    assert len(public_ids(html)) == 2
    assert "Sign out all other devices" in html


def test_one_device_signed_out_by_its_id(app):
    user = make_user()
    desk = sign_in(browser(app), user)
    phone = sign_in(browser(app, IPHONE), user)
    laptop = sign_in(browser(app), user)
    phone_id = next(s.public_id for s in sessions_of(user) if "iOS" in s.device)
    response = desk.post(f"/account/sessions/{phone_id}/end")
    assert response.headers["Location"] == "/account"
    assert "That device is signed out." in desk.get("/account").text
    assert signed_out(phone)
    assert laptop.get("/account").status_code == 200


def test_signing_out_this_device_from_the_list_signs_out(app):
    user = make_user()
    desk = sign_in(browser(app), user)
    [own] = sessions_of(user)
    response = desk.post(f"/account/sessions/{own.public_id}/end")
    assert response.headers["Location"] == "/login"
    assert signed_out(desk)


@pytest.mark.parametrize("kind", ["someone else's", "unknown"])
def test_a_session_id_not_your_own_is_404(app, kind):
    user = make_user()
    someone = make_user("someone@example.org", "Someone Else")
    theirs = sign_in(browser(app), someone)
    mine = sign_in(browser(app), user)
    public_id = sessions_of(someone)[0].public_id if kind != "unknown" else "nope"
    assert mine.post(f"/account/sessions/{public_id}/end").status_code == 404
    assert theirs.get("/account").status_code == 200


def test_ending_a_device_needs_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        user = make_user()
        desk, phone = browser(app), browser(app, IPHONE)
        for client in (desk, phone):
            token = token_from(client.get("/login").data)
            data = {"email": user.email, "password": PASSWORD, "csrf_token": token}
            assert client.post("/login", data=data).status_code == 302
        html = desk.get("/account").text
        assert desk.post("/account/sessions/end-others").status_code == 400
        phone_id = next(s.public_id for s in sessions_of(user) if "iOS" in s.device)
        assert desk.post(f"/account/sessions/{phone_id}/end").status_code == 400
        assert phone.get("/account").status_code == 200
        data = {"csrf_token": token_from(html.encode())}
        assert desk.post("/account/sessions/end-others", data=data).status_code == 302
        assert signed_out(phone)


def test_revocation_signs_the_member_out(app):
    member = make_member()
    client = sign_in(browser(app), member, remember="y")
    reopened = copied_browser(app, client, REMEMBER_COOKIE)
    admin = sign_in(browser(app), make_admin())
    response = post_confirmed(
        admin, f"/admin/members/{member.id}/revoke", {"revoke-reason": "Shared data"}
    )
    assert response.status_code == 302
    assert signed_out(client)
    assert signed_out(reopened)
    assert admin.get("/account").status_code == 200


def test_suspension_signs_the_member_out(app):
    member = make_member()
    client = sign_in(browser(app), member)
    standing.suspend(member, actor=None, until=time.today() + days(3), reason="Pause")
    db.session.commit()
    assert signed_out(client)


def test_taking_a_role_away_signs_out_but_giving_one_does_not(app):
    admin, moderator = make_admin(), make_user("mod@example.org", "Mo Moderator")
    make_admin("second@example.org", "Second Admin")
    admin_client = sign_in(browser(app), admin)
    moderator_client = sign_in(browser(app), moderator)
    accounts.change_role(moderator, "moderator", actor=None, reason="Helps")
    db.session.commit()
    assert moderator_client.get("/account").status_code == 200
    accounts.change_role(admin, "member", actor=None, reason="Stepped down")
    db.session.commit()
    assert signed_out(admin_client)


def test_password_change_ends_other_sessions_and_keeps_this_one(app):
    user = make_user()
    here = sign_in(browser(app), user, remember="y")
    elsewhere = sign_in(browser(app, IPHONE), user, remember="y")
    reopened_elsewhere = copied_browser(app, elsewhere, REMEMBER_COOKIE)
    kept = [s.public_id for s in sessions_of(user) if "Firefox" in s.device]
    here.post(
        "/account/password",
        data={"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert here.get("/account").status_code == 200
    assert signed_out(elsewhere) and signed_out(reopened_elsewhere)
    assert [s.public_id for s in sessions_of(user)] == kept
    assert copied_browser(app, here, REMEMBER_COOKIE).get("/account").status_code == 200


def test_password_reset_ends_every_session(app, mailbox):
    user = make_user()
    desk = sign_in(browser(app), user, remember="y")
    phone = browser(app, IPHONE)
    phone.post("/password/forgot", data={"email": user.email})
    factories.deliver()
    path = factories.path_of(link_in(mailbox.single(user.email), "/password/reset/"))
    response = phone.post(
        path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_out(desk)
    assert phone.get("/account").status_code == 200
    assert len(sessions_of(user)) == 1


def test_a_reset_in_a_browser_signed_in_as_someone_else_switches_it(app, mailbox):
    """Alice's session on the shared computer ends, Bob's begins; no view writes
    before the session is checked (on SQLite that would stall the request)."""
    alice, bob = make_user(), make_user("bob@example.org", "Bob Other")
    shared = sign_in(browser(app), alice)
    shared.post("/password/forgot", data={"email": bob.email})
    factories.deliver()
    path = factories.path_of(link_in(mailbox.single(bob.email), "/password/reset/"))
    with moving_clock() as advance:
        advance(minutes=5)  # Alice's session is due an activity update
        started = clock.perf_counter()
        response = shared.post(
            path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert clock.perf_counter() - started < 5
    assert response.status_code == 302
    assert "Bob Other" in shared.get("/account").text
    assert sessions_of(alice) == []


def test_the_session_is_checked_in_the_accounts_one_statement(app):
    client = sign_in(browser(app), make_member())
    client.get("/membership")
    with counting_statements() as seen:
        assert client.get("/membership").status_code == 200
    loads = [s for s in seen if "user_session" in s]
    assert len(loads) == 1
    assert "user_account" in loads[0] and "membership" in loads[0]


def test_email_confirmed_in_this_browser_keeps_it_and_ends_the_others(app, mailbox):
    user = make_user()
    desk = sign_in(browser(app), user)
    phone = sign_in(browser(app, IPHONE), user)
    desk.post("/account/email", data={"email": "new@example.org", "current": PASSWORD})
    factories.deliver()
    path = factories.path_of(link_in(mailbox.single("new@example.org"), "/account/"))
    assert desk.post(path).headers["Location"] == "/account"
    assert desk.get("/account").status_code == 200
    assert signed_out(phone)


def test_an_unused_session_ends_after_the_idle_time(app):
    user = make_user()
    client = sign_in(browser(app), user)
    with moving_clock() as advance:
        advance(minutes=59)
        assert client.get("/account").status_code == 200
        advance(minutes=59)  # 59 minutes since the last request: still alive
        assert client.get("/account").status_code == 200
        advance(minutes=61)
        assert signed_out(client)


def test_activity_is_recorded_at_most_once_a_minute(app):
    user = make_user()
    client = sign_in(browser(app), user)
    [signed_in_at] = [s.last_seen_at for s in sessions_of(user)]
    with moving_clock() as advance:
        advance(seconds=30)
        with counting_statements() as seen:
            client.get("/account")
        assert not [s for s in seen if s.lstrip().upper().startswith("UPDATE")]
        assert sessions_of(user)[0].last_seen_at == signed_in_at
        advance(seconds=40)
        client.get("/account")
        assert sessions_of(user)[0].last_seen_at > signed_in_at


def test_a_session_in_use_still_ends_after_its_absolute_lifetime(app):
    user = make_user()
    client = sign_in(browser(app), user)
    with moving_clock() as advance:
        for _ in range(14):  # 11 h 40 min of use, a request every 50 minutes
            advance(minutes=50)
            assert client.get("/account").status_code == 200
        advance(minutes=21)
        assert signed_out(client)


def test_remember_me_survives_closing_the_browser_but_not_sign_out(app):
    user = make_user()
    client = sign_in(browser(app), user, remember="y")
    assert client.get_cookie(REMEMBER_COOKIE) is not None
    reopened = copied_browser(app, client, REMEMBER_COOKIE)
    with moving_clock() as advance:
        advance(days=3)  # unused for days: a remembered session does not idle out
        assert reopened.get("/account").status_code == 200
    assert len(sessions_of(user)) == 1  # renewed through the same record
    kept_copy = copied_browser(app, reopened, REMEMBER_COOKIE)
    reopened.post("/logout")
    assert reopened.get_cookie(REMEMBER_COOKIE) is None
    assert signed_out(kept_copy)
    assert signed_out(copied_browser(app, client))


def test_a_remembered_session_ends_after_its_days(app):
    user = make_user()
    client = sign_in(browser(app), user, remember="y")
    with moving_clock() as advance:
        advance(days=13, hours=23)
        assert (
            copied_browser(app, client, REMEMBER_COOKIE).get("/account").status_code
            == 200
        )
        advance(hours=2)
        assert signed_out(copied_browser(app, client, REMEMBER_COOKIE))


def test_sessions_past_their_limits_are_deleted_at_the_next_sign_in(app):
    user = make_user()
    sign_in(browser(app), user)
    with moving_clock() as advance:
        advance(hours=2)
        sign_in(browser(app), user)
        assert len(sessions_of(user)) == 1


def test_signed_in_pages_are_not_stored_by_the_browser(app):
    member = make_member()
    client = sign_in(browser(app), member)
    for url in ("/account", "/questions", "/membership", "/notifications"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"
        assert response.headers["Pragma"] == "no-cache"
    static = client.get("/static/css/portal.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
    client.post("/logout")
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")


def test_admin_pages_are_not_stored_either(app):
    client = sign_in(browser(app), make_admin())
    for url in ("/admin/", "/admin/members", "/admin/users"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    ("user_agent", "label"),
    [
        (FIREFOX, "Firefox on Windows"),
        (IPHONE, "Mobile Safari on iOS (iPhone)"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
            " (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
            "Safari on Mac OS X",
        ),
        ("", "Unknown browser"),
        ("x" * 10_000, "Unknown browser"),
        ("\u202e\x00Firefox", "Unknown browser"),
    ],
)
def test_devices_are_described_in_a_few_words(user_agent, label):
    assert describe_device(user_agent) == label
