"""Residencies for admins: create, list, edit, add a graduate."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.extensions import db
from portal.membership.models import Membership, Residency
from portal.membership.services import audit, standing
from portal.membership.status import Status
from tests.factories import (
    add_graduate,
    count,
    last_audit,
    page,
    status_of,
)


def test_residency_is_created_listed_and_edited(admin_client, admin, today):
    response = admin_client.post(
        "/admin/residencies",
        data={"name": "Residency Faro", "location": "Faro", "held_on": "2026-05-04"},
    )
    assert response.status_code == 302
    residency = db.session.scalars(select(Residency)).one()
    assert last_audit().action == audit.RESIDENCY_ADD
    assert "Residency Faro" in page(admin_client.get("/admin/residencies"))
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/edit",
        data={"name": "Residency Faro II", "location": "Faro", "held_on": "2026-05-05"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (residency.name, residency.held_on.day) == ("Residency Faro II", 5)
    assert last_audit().action == "residency_edit"
    assert last_audit().actor_id == admin.id


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "location": "X", "held_on": "2026-05-04"}, "required"),
        ({"name": "R", "location": "X", "held_on": "04/05/2026"}, "Enter a date like"),
        ({"name": "R", "location": "X", "held_on": "9999-12-31"}, "between 1900"),
        ({"name": "R", "location": "X", "held_on": ""}, "Enter a date like"),
        ({"name": "R" * 201, "location": "X", "held_on": "2026-05-04"}, "200"),
        ({"name": "R\x01", "location": "X", "held_on": "2026-05-04"}, "control"),
    ],
)
def test_bad_residency_input_is_explained(admin_client, data, message):
    response = admin_client.post("/admin/residencies", data=data)
    assert response.status_code == 400
    assert message in page(response)
    assert count(Residency) == 0


def test_residency_date_is_fixed_once_it_has_graduates(admin_client, residency):
    add_graduate(residency)
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/edit",
        data={"name": residency.name, "location": "Porto", "held_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "The date cannot change once graduates" in page(response)


def test_residency_page_lists_graduates_with_status(admin_client, residency, today):
    add_graduate(residency, "a@example.org", "Ana Silva")
    revoked = add_graduate(residency, "b@example.org", "Bo Chen")
    standing.revoke(revoked, actor=None, reason="r")
    db.session.commit()
    html = page(admin_client.get(f"/admin/residencies/{residency.id}"))
    assert "Ana Silva" in html and "Bo Chen" in html
    assert 'class="badge status-current"' in html
    assert 'class="badge status-revoked"' in html
    listing = page(admin_client.get("/admin/residencies"))
    row = r"Residency Porto</a></td>\s*<td>Lisbon</td>.*?<td>2</td>"
    assert re.search(row, listing, re.S)


def test_add_graduate_form_creates_a_member_and_invites_them(
    admin_client, admin, residency
):
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/graduates",
        data={"email": "New@Example.org", "name": "New Grad", "organisation": "Clinic"},
    )
    assert response.status_code == 302
    user = db.session.scalars(select(User).where(User.email == "new@example.org")).one()
    assert status_of(user) is Status.CURRENT
    assert last_audit().action == audit.GRANT and last_audit().actor_id == admin.id
    again = admin_client.post(
        f"/admin/residencies/{residency.id}/graduates",
        data={"email": "new@example.org", "name": "New Grad"},
        follow_redirects=True,
    )
    assert "Nothing changed" in page(again)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "not-an-email", "name": "X"}, "Invalid email address."),
        ({"email": "a@example.org", "name": ""}, "This field is required."),
        ({"email": "a@example.org", "name": "X", "start": "2026-02-30"}, "date"),
        ({"email": "a@example.org", "name": "X", "reason": "r" * 501}, "under 500"),
    ],
)
def test_bad_graduate_input_is_explained(admin_client, residency, data, message):
    url = f"/admin/residencies/{residency.id}/graduates"
    response = admin_client.post(url, data=data)
    assert response.status_code == 400
    assert message in page(response)
    assert count(Membership) == 0


@pytest.mark.parametrize(
    "url",
    [
        "/admin/residencies/999",
        f"/admin/members/{2**40}",
        "/admin/residencies/0/roster",
        f"/admin/residencies/{2**63}/edit",
    ],
)
def test_unknown_ids_are_404(admin_client, url):
    assert admin_client.get(url).status_code == 404
