"""The audit log for admins: filters, CSV export, a member's history."""

from __future__ import annotations

import csv
import io

import pytest

from portal.core import time
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.services import audit, standing
from portal.membership.services.exports import AUDIT_CSV_COLUMNS
from tests.factories import (
    add_graduate,
    audit_count,
    last_audit,
    page,
)


def test_audit_log_filters_and_exports(admin_client, admin, residency):
    user = add_graduate(residency, "a@example.org")
    other = add_graduate(residency, "b@example.org")
    standing.revoke(user, actor=admin, reason="Spam")
    db.session.commit()
    html = page(admin_client.get("/admin/audit", query_string={"action": "revoke"}))
    assert "Spam" in html and "b@example.org" not in html
    html = page(admin_client.get("/admin/audit", query_string={"member": other.email}))
    assert "b@example.org" in html and "Spam" not in html
    by_admin = {"actor": admin.email, "since": time.today().isoformat()}
    assert "Spam" in page(admin_client.get("/admin/audit", query_string=by_admin))
    response = admin_client.post("/admin/audit/export", data={"action": "revoke"})
    assert response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0] == list(AUDIT_CSV_COLUMNS)
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [
        ("revoke", admin.email, "a@example.org", "Spam")
    ]
    assert last_audit().action == audit.EXPORT and last_audit().actor_id == admin.id


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"action": "delete_everything"}, "Not a valid choice"),
        ({"since": "yesterday"}, "Enter a date like 2026-03-01"),
        ({"until": "9999-12-31"}, "between 1900"),
        ({"since": "2026-02-01", "until": "2026-01-01"}, "'Until' is before 'From'."),
        ({"member": "nobody@example.org"}, "No account has the email"),
    ],
)
def test_bad_audit_filters_are_explained(admin_client, args, message):
    response = admin_client.get("/admin/audit", query_string=args)
    assert response.status_code == 400
    assert message in page(response)
    export = admin_client.post("/admin/audit/export", data=args)
    assert export.status_code == 302
    assert audit_count(audit.EXPORT) == 0


def test_member_page_history_is_paged(admin_client, residency):
    user = add_graduate(residency)
    for n in range(55):
        audit.record(audit.INVITATION_RESEND, actor=None, user=user, reason=f"n{n}")
    db.session.commit()
    assert admin_client.get(f"/admin/members/{user.id}?page=2").status_code == 200
    assert format_date(time.today()) in page(
        admin_client.get(f"/admin/members/{user.id}")
    )


def test_the_log_reads_as_sentences_with_actors_by_name(admin_client, admin, residency):
    from datetime import date

    from portal.membership.services import grants
    from tests.factories import member_with_end

    user = member_with_end("dana@example.org", date(2027, 1, 10))
    grants.extend(user, actor=admin, reason="Taught at the spring residency")
    standing.suspend(
        user, actor=admin, until=date(2027, 1, 5), reason="Posted a patient's photo"
    )
    db.session.commit()

    html = page(admin_client.get("/admin/audit"))

    assert f"Extended by {admin.name}: ends 10 Jan 2028 (was 10 Jan 2027)." in html
    assert "Taught at the spring residency" in html
    assert f"Suspended by {admin.name} until 5 Jan 2027: now suspended." in html
    assert ">Grace Graduate</a>" in html
    for developer_output in ("status_before=", "None", "— →", admin.email):
        assert developer_output not in html.split("<table")[1]
    history = page(admin_client.get(f"/admin/members/{user.id}"))
    assert f"Extended by {admin.name}: ends 10 Jan 2028" in history
