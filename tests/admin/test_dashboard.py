"""The admin dashboard: counts, and the warning about a stale sweep."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.core import time
from portal.extensions import db
from portal.membership.services import sweep
from tests.factories import (
    add_graduate,
    days,
    make_graduate,
    page,
)


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
