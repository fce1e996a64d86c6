"""Who reaches the admin screens: every screen renders for admins, members get 403."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.membership.services import standing
from tests.factories import (
    PASSWORD,
    add_graduate,
    login,
    page,
)

SCREENS = [
    "/admin/",
    "/admin/residencies",
    "/admin/residencies/{r}",
    "/admin/residencies/{r}/edit",
    "/admin/residencies/{r}/roster",
    "/admin/members",
    "/admin/members/{u}",
    "/admin/audit",
    "/admin/settings",
]


@pytest.mark.parametrize("url", SCREENS)
def test_every_screen_renders_for_an_admin(admin_client, residency, url):
    user = add_graduate(residency)
    response = admin_client.get(url.format(r=residency.id, u=user.id))
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["current", "revoked"])
def test_members_get_403_on_every_admin_screen_and_action(client, residency, kind):
    user = add_graduate(residency, "m@example.org")
    if kind == "revoked":
        standing.revoke(user, actor=None, reason="r")
        db.session.commit()
    user.set_password(PASSWORD)
    db.session.commit()
    assert login(client, user.email).status_code == 302
    for url in SCREENS:
        response = client.get(url.format(r=residency.id, u=user.id))
        assert response.status_code == 403, url
    posts = [
        "/admin/residencies",
        f"/admin/residencies/{residency.id}/graduates",
        f"/admin/residencies/{residency.id}/roster/preview",
        f"/admin/residencies/{residency.id}/roster/import",
        "/admin/members/export",
        "/admin/audit/export",
    ] + [
        f"/admin/members/{user.id}/{action}"
        for action in (
            "grant",
            "extend",
            "revoke",
            "suspend",
            "reinstate",
            "invitation",
            "email",
            "role",
        )
    ]
    for url in posts:
        assert client.post(url, data={"role-role": "admin"}).status_code == 403, url
    db.session.expire_all()
    assert user.role == "member"


def test_strangers_are_sent_to_sign_in(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_nav_shows_admin_links_to_admins_only(admin_client):
    html = page(admin_client.get("/admin/"))
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    assert ">Admin</a>" in nav and "Directory" in nav
    tabs = html.split('aria-label="Administration"')[1].split("</nav>")[0]
    for label in ("Dashboard", "Residencies", "Members", "Audit log", "Accounts"):
        assert label in tabs
