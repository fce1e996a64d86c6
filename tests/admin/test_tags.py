"""Tag management for admins: create, describe, choose the starter tags."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.board.models import Tag
from portal.board.services.tags import ensure_starter_tags
from portal.extensions import db
from tests.factories import make_member, sign_in


def tag_names() -> list[str]:
    return list(db.session.scalars(select(Tag.name).order_by(Tag.name)))


@pytest.fixture
def member(app):
    return make_member()


def test_admin_creates_and_edits_tags(admin_client):
    client = admin_client
    response = client.post(
        "/admin/tags",
        data={
            "name": "Google Business Profile",
            "description": "Listings and reviews.",
        },
    )
    assert response.status_code == 302
    tag = db.session.scalar(select(Tag).where(Tag.name == "google-business-profile"))
    assert tag.description == "Listings and reviews." and not tag.is_starter
    duplicate = client.post("/admin/tags", data={"name": "google business profile"})
    assert duplicate.status_code == 400
    assert "already exists" in duplicate.get_data(as_text=True)
    client.post(
        f"/admin/tags/{tag.id}", data={"description": "Maps.", "is_starter": "y"}
    )
    db.session.expire_all()
    assert tag.description == "Maps." and tag.is_starter
    assert "google-business-profile" in client.get("/admin/tags").get_data(as_text=True)


def test_members_cannot_manage_tags(client, member):
    ensure_starter_tags()
    db.session.commit()
    tag_id = db.session.scalar(select(Tag.id).where(Tag.name == "hipaa"))
    sign_in(client, member)
    assert client.get("/admin/tags").status_code == 403
    assert client.post("/admin/tags", data={"name": "spam"}).status_code == 403
    assert (
        client.post(f"/admin/tags/{tag_id}", data={"description": "x"}).status_code
        == 403
    )
    assert "spam" not in tag_names()
