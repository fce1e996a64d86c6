"""Admins sign in with two factors, and can reset a member's (audited)."""

from __future__ import annotations

import re

import pyotp

from portal.auth.models import User
from portal.membership.services import audit
from tests.factories import (
    PASSWORD,
    audit_count,
    fresh,
    last_audit,
    login,
    make_admin,
    make_user,
    page,
    post_confirmed,
    prove_identity_long_ago,
    sign_in,
    with_two_factor,
)

SETUP = "/account/two-factor"


def test_an_admin_without_a_second_factor_is_sent_to_set_it_up(client):
    admin = make_admin(two_factor=False)
    sign_in(client, admin)
    for path in ("/admin/members", "/admin/users", "/admin/audit"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.headers["Location"] == SETUP
    response = client.post("/admin/users", data={"email": "n@example.org", "name": "N"})
    assert response.headers["Location"] == SETUP
    assert "Set it up to continue." in page(client.get(SETUP))


def test_after_setting_it_up_the_admin_pages_open(client):
    admin = make_admin(two_factor=False)
    sign_in(client, admin)
    html = page(client.get(SETUP))
    secret = re.search(r'data-secret="([A-Z2-7]+)"', html).group(1)
    response = client.post(SETUP, data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    assert client.get("/admin/members").status_code == 200


def test_a_member_is_not_asked_to_set_it_up(client):
    sign_in(client, make_user())
    assert client.get("/admin/members").status_code == 403
    assert client.get("/account").status_code == 200


def test_an_admin_with_a_second_factor_signs_in_with_a_code(client):
    admin = make_admin()
    assert login(client, admin.email).headers["Location"] == "/login/code"
    assert client.get("/admin/members").status_code == 302
    sign_in(client, admin)
    assert client.get("/admin/members").status_code == 200


def reset(client, user, reason: str = "Lost their phone"):
    """The reset and its confirmation page."""
    return post_confirmed(
        client,
        f"/admin/members/{user.id}/two-factor/reset",
        {"two_factor-reason": reason},
    )


def test_admin_resets_a_members_second_factor_and_it_is_audited(admin_client, admin):
    member = with_two_factor(make_user())
    html = page(admin_client.get(f"/admin/members/{member.id}"))
    assert "Reset two-factor sign-in" in html
    response = reset(admin_client, member)
    assert response.status_code == 302
    assert not fresh(User, member.id).has_two_factor
    entry = last_audit()
    assert entry.action == audit.TWO_FACTOR_RESET
    assert (entry.actor_id, entry.user_id) == (admin.id, member.id)
    assert entry.reason == "Lost their phone"
    assert "two_factor_reset" in page(admin_client.get("/admin/audit"))
    # The member signs in with the password alone now.
    assert login(admin_client, member.email).headers["Location"] == "/"


def test_a_reset_needs_a_reason_and_a_second_factor_to_reset(admin_client):
    member = with_two_factor(make_user())
    assert reset(admin_client, member, reason="").status_code == 400
    assert fresh(User, member.id).has_two_factor
    plain = make_user("plain@example.org", "Pat Plain")
    response = reset(admin_client, plain)
    assert response.status_code == 400
    assert "does not use two-factor sign-in" in page(response)
    assert audit_count(audit.TWO_FACTOR_RESET) == 0


def test_a_reset_admin_is_asked_to_set_it_up_again(app):
    first, second = make_admin(), make_admin("second@example.org", "Sam Second")
    client, theirs = app.test_client(), app.test_client()
    sign_in(client, first)
    sign_in(theirs, second)
    assert reset(client, second).status_code == 302
    assert theirs.get("/admin/members").headers["Location"] == SETUP


def test_a_stale_admin_cannot_reset_until_they_confirm(admin_client):
    member = with_two_factor(make_user())
    prove_identity_long_ago(admin_client)
    response = reset(admin_client, member)
    assert response.headers["Location"].startswith("/account/confirm")
    assert fresh(User, member.id).has_two_factor
    admin_client.post("/account/confirm", data={"answer": PASSWORD})
    assert reset(admin_client, member).status_code == 302
    assert not fresh(User, member.id).has_two_factor
