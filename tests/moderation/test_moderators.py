"""Moderators: granted and removed by admins (audited); the board and the queue
without a membership, and none of the admin's screens or powers."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select, update

from portal.auth.models import MEMBER, MODERATOR, User
from portal.core import time
from portal.extensions import db
from portal.membership.services import audit
from portal.moderation.models import ReviewItem
from tests.factories import (
    answer,
    ask,
    deliver,
    flag,
    fresh,
    last_audit,
    page,
    sign_in,
)


def role_form(client, user, role: str, reason: str):
    return client.post(
        f"/admin/members/{user.id}/role",
        data={"role-role": role, "role-reason": reason},
    )


def test_an_admin_grants_and_removes_the_moderator_role_audited(client, admin, member):
    sign_in(client, admin)
    assert "Moderators work the moderation queue" in page(
        client.get(f"/admin/members/{member.id}")
    )
    response = role_form(client, member, MODERATOR, "Faculty lead for 2027.")
    assert response.status_code == 302
    assert f"{member.email} is now a moderator." in page(
        client.get(f"/admin/members/{member.id}")
    )
    assert fresh(User, member.id).role == MODERATOR
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.user_id, entry.reason) == (
        audit.ROLE_CHANGE,
        admin.id,
        member.id,
        "Faculty lead for 2027.",
    )
    assert entry.detail == {"from": MEMBER, "to": MODERATOR}
    role_form(client, member, MEMBER, "Term ended.")
    assert fresh(User, member.id).role == MEMBER
    assert last_audit().detail == {"from": MODERATOR, "to": MEMBER}


def test_a_moderator_gets_403_on_every_admin_page_and_action(
    app, client, moderator, member
):
    sign_in(client, moderator)
    rules = [
        rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.")
    ]
    assert len(rules) > 20
    for rule in rules:
        url = re.sub(r"<(?:int:)?(\w+)>", lambda m: str(member.id), rule.rule)
        for method in rule.methods & {"GET", "POST"}:
            response = client.open(url, method=method, data={"role-role": "admin"})
            assert response.status_code == 403, (method, url)
    assert fresh(User, moderator.id).role == MODERATOR
    assert fresh(User, member.id).role == MEMBER
    assert ">Admin</a>" not in page(client.get("/moderation"))


def test_a_moderator_without_a_membership_reads_and_posts_on_the_board(
    client, moderator, member, mailbox
):
    question = ask(member)
    sign_in(client, moderator)
    assert client.get(f"/questions/{question.id}").status_code == 200
    response = client.post(
        "/questions/ask",
        data={
            "title": "How should moderators reply to heated threads?",
            "body": "Asking as faculty.",
            "tags": "moderation",
        },
    )
    assert response.status_code == 302
    nav = page(client.get("/questions"))
    assert ">Moderation</a>" in nav and ">Ask</a>" in nav
    # Mail follows the same rule (its SQL twin): the moderator hears about
    # answers to their question.
    mine = ask(moderator, title="A moderator's own question about replies")
    answer(member, mine)
    deliver()
    assert len(mailbox.to(moderator.email)) == 1


def test_the_dashboard_shows_the_queue_size_and_its_oldest_age(
    client, admin, member, other
):
    sign_in(client, admin)
    html = page(client.get("/admin/"))
    assert re.search(r"<strong>0</strong> Waiting for review", html)
    assert "Nothing waiting" in html
    flag(other, ask(member, title="The first question flagged for review"))
    flag(other, ask(member, title="The second question flagged for review"))
    first = select(func.min(ReviewItem.id)).scalar_subquery()
    db.session.execute(
        update(ReviewItem)
        .where(ReviewItem.id == first)
        .values(opened_at=time.utcnow() - timedelta(days=3, hours=1))
    )
    db.session.commit()
    html = page(client.get("/admin/"))
    assert re.search(r'href="/moderation"><strong>2</strong> Waiting for review', html)
    assert "<strong>3 days ago</strong> Oldest opened" in html
