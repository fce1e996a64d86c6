"""Revoking, suspending, changing roles and emails need a recent password or
code: a session left open, or a remember-me cookie, is not enough."""

from __future__ import annotations

import pytest

from portal.auth.models import User
from portal.core import time
from portal.membership.status import Status
from tests.factories import (
    PASSWORD,
    audit_count,
    days,
    fresh,
    fresh_code,
    make_admin,
    make_graduate,
    page,
    post_confirmed,
    prove_identity_long_ago,
    sign_in,
    status_of,
)

STALE = "Nothing was changed. Please confirm it is you"


def act(client, user, action: str, **fields):
    """The action's form, and its confirmation page when it is destructive."""
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return post_confirmed(client, f"/admin/members/{user.id}/{action}", data)


@pytest.fixture
def member(app):
    return make_graduate("m@example.org", start=time.today() - days(10))


def test_a_stale_admins_revoke_changes_nothing_and_asks_to_confirm(
    admin_client, member
):
    prove_identity_long_ago(admin_client, minutes=11)
    before = audit_count()
    response = act(admin_client, member, "revoke", reason="Shared patient data")
    back = f"/admin/members/{member.id}"
    assert response.headers["Location"] == f"/account/confirm?next={back}"
    assert status_of(member) is Status.CURRENT
    assert audit_count() == before
    confirm = page(admin_client.get(response.headers["Location"]))
    assert STALE in confirm
    assert "Confirm it's you" in confirm

    response = admin_client.post(
        "/account/confirm", data={"answer": PASSWORD, "next": back}
    )
    assert response.headers["Location"] == back
    assert "Now you can go ahead." in page(admin_client.get(back))
    response = act(admin_client, member, "revoke", reason="Shared patient data")
    assert response.status_code == 302
    assert status_of(member) is Status.REVOKED


def test_a_code_from_the_app_confirms_too(admin_client, admin, member):
    prove_identity_long_ago(admin_client)
    admin_client.post("/account/confirm", data={"answer": fresh_code(admin)})
    assert act(admin_client, member, "revoke", reason="r").status_code == 302
    assert status_of(member) is Status.REVOKED


def test_a_wrong_answer_does_not_confirm(admin_client, member):
    prove_identity_long_ago(admin_client)
    response = admin_client.post("/account/confirm", data={"answer": "a guess"})
    assert response.status_code == 200
    assert "That password or code is not right." in page(response)
    act(admin_client, member, "revoke", reason="r")
    assert status_of(member) is Status.CURRENT


@pytest.mark.parametrize(
    ("action", "fields"),
    [
        ("suspend", {"until": "2199-01-01", "reason": "Pause"}),
        ("email", {"email": "new@example.org", "reason": "Typo"}),
        ("role", {"role": "admin", "reason": "Staff"}),
    ],
)
def test_suspend_email_and_role_changes_need_a_fresh_sign_in(
    admin_client, member, action, fields
):
    prove_identity_long_ago(admin_client)
    response = act(admin_client, member, action, **fields)
    assert response.headers["Location"].startswith("/account/confirm")
    after = fresh(User, member.id)
    assert (after.email, after.role) == ("m@example.org", "member")
    assert status_of(member) is Status.CURRENT


def test_within_the_window_nothing_is_asked(admin_client, member):
    prove_identity_long_ago(admin_client, minutes=9)
    assert act(admin_client, member, "revoke", reason="r").status_code == 302
    assert status_of(member) is Status.REVOKED


def test_the_window_is_configurable(make_app):
    app = make_app(FRESH_AUTH_MINUTES=30)
    with app.app_context():
        member = make_graduate("m@example.org", start=time.today() - days(10))
        client = sign_in(app.test_client(), make_admin())
        prove_identity_long_ago(client, minutes=20)
        assert act(client, member, "revoke", reason="r").status_code == 302
        assert status_of(member) is Status.REVOKED


def test_grant_and_extend_do_not_ask(admin_client, member):
    prove_identity_long_ago(admin_client)
    response = act(admin_client, member, "extend", reason="Renewal")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/admin/members/{member.id}"


def test_inviting_an_admin_needs_a_fresh_sign_in_but_a_member_does_not(
    admin_client,
):
    prove_identity_long_ago(admin_client)
    response = admin_client.post(
        "/admin/users", data={"email": "a@example.org", "name": "A", "kind": "admin"}
    )
    assert response.headers["Location"].startswith("/account/confirm")
    graduate = {"email": "m2@example.org", "name": "M", "kind": "graduate"}
    response = admin_client.post(
        "/admin/users", data={**graduate, "start": time.today().isoformat()}
    )
    assert response.headers["Location"] == "/admin/users"


def test_the_confirm_page_only_returns_to_this_site(admin_client):
    prove_identity_long_ago(admin_client)
    response = admin_client.post(
        "/account/confirm", data={"answer": PASSWORD, "next": "//evil.example"}
    )
    assert response.headers["Location"] == "/account"
