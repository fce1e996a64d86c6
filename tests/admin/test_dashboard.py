"""The admin dashboard: counts, and the warning about a stale sweep."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.core import time
from portal.extensions import db
from portal.membership.services import sweep
from tests.factories import (
    add_graduate,
    ask,
    days,
    make_graduate,
    page,
    request_renewal,
)
from tests.querycount import counting_statements, statements_for


def test_dashboard_counts_and_warns_about_a_stale_sweep(admin_client, residency, today):
    add_graduate(residency, "a@example.org")
    make_graduate("soon@example.org", start=today - days(340))
    make_graduate("grace@example.org", start=today - days(370))
    html = page(admin_client.get("/admin/"))
    assert "The daily membership sweep has never run." in html
    assert re.search(r"<strong>2</strong> Current", html)
    assert re.search(r"<strong>1</strong> Expiring in 30 days", html)
    assert re.search(r"<strong>1</strong> In grace", html)
    assert re.search(r"<strong>3</strong> Not claimed yet", html) is None
    sweep.record_heartbeat(time.utcnow() - timedelta(hours=40), "old")
    db.session.commit()
    assert "more than 36 hours ago" in page(admin_client.get("/admin/"))
    sweep.record_heartbeat(time.utcnow(), "fresh")
    db.session.commit()
    html = page(admin_client.get("/admin/"))
    assert "more than 36 hours ago" not in html and "never run" not in html


def build_activity(n: int, first: int = 0) -> None:
    """n members who each asked a question (with its own tag) and asked to renew."""
    for i in range(first, first + n):
        member = make_graduate(f"m{i}@example.org", start=time.today() - days(340))
        ask(member, title=f"Dashboard question number {i:03d}", tags=f"tag-{i}")
        request_renewal(member, f"Note {i}")


def test_the_dashboard_runs_the_same_statements_for_2_or_12_of_everything(
    admin_client, residency
):
    build_activity(2)
    few = statements_for(admin_client, counting_statements, "/admin/")
    build_activity(10, first=2)
    many = statements_for(admin_client, counting_statements, "/admin/")
    assert few == many
    html = page(admin_client.get("/admin/"))
    assert html.count('<tr id="renewal-') == 12
    assert re.search(r"<strong>12</strong> Questions this month", html)
    assert 'href="/questions?sort=unanswered"' in html
    # The account (with the badge count), the membership figures in four (the
    # sweep's heartbeat is read twice while it never ran), the renewal queue,
    # the board's health in two, and the moderation queue's size and age.
    assert many <= 9
