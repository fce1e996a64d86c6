"""The dashboard's renewal queue: one click approves (one more term, audited as
"Renewal request approved"), or a message declines; the member hears either."""

from __future__ import annotations

from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.models import RenewalRequest
from portal.membership.services import audit, standing
from portal.membership.services.grants import find_membership
from portal.membership.terms import term_end
from tests.factories import (
    DAY,
    audit_count,
    deliver,
    fresh,
    last_audit,
    make_expired_member,
    make_grace_member,
    page,
    request_renewal,
    sign_in,
    status_of,
)
from tests.mailbox import text_of


def test_the_queue_shows_each_open_request_with_its_member_and_note(admin_client):
    member = make_grace_member()
    request = request_renewal(member, "I moved to Hospital Faro.")
    html = page(admin_client.get("/admin/"))
    assert f'id="renewal-{request.id}"' in html
    assert "Gale Grace" in html and "grace@example.org" in html
    assert "I moved to Hospital Faro." in html
    assert "Grace period" in html
    assert f"/admin/renewals/{request.id}/approve" in html


def test_approving_extends_by_a_term_and_tells_the_member(
    admin_client, admin, mailbox, today
):
    member = make_grace_member()
    old_end = find_membership(member).ends_on
    request = request_renewal(member)
    mailbox.clear()
    response = admin_client.post(f"/admin/renewals/{request.id}/approve")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/admin/#renewals")
    new_end = term_end(old_end + DAY)
    assert find_membership(member).ends_on == new_end
    assert status_of(member).value == "current"
    decided = fresh(RenewalRequest, request.id)
    assert (decided.outcome, decided.decided_by_id) == ("approved", admin.id)
    entry = last_audit()
    assert (entry.action, entry.reason) == (audit.EXTEND, "Renewal request approved")
    assert (entry.end_before, entry.end_after) == (old_end, new_end)

    deliver()
    message = mailbox.single(member.email)
    assert message["Subject"] == (
        f"Renewed: your membership now runs through {format_date(new_end)}"
    )
    body = text_of(message)
    assert f"the new term starts on {format_date(old_end + DAY)}" in body
    html = page(admin_client.get("/admin/"))
    assert "No renewal requests are waiting." in html
    assert "is a member through" in html  # the flash


def test_an_expired_member_is_renewed_from_the_day_of_approval(admin_client, today):
    member = make_expired_member()
    request = request_renewal(member)
    admin_client.post(f"/admin/renewals/{request.id}/approve")
    membership = find_membership(member)
    assert (membership.starts_on, membership.ends_on) == (today, term_end(today))


def test_declining_sends_the_admins_message(admin_client, admin, mailbox, today):
    member = make_grace_member()
    end = find_membership(member).ends_on
    request = request_renewal(member)
    mailbox.clear()
    message = "We need your certificate from the March residency first."
    response = admin_client.post(
        f"/admin/renewals/{request.id}/decline", data={"message": message}
    )
    assert response.status_code == 302
    assert find_membership(member).ends_on == end
    decided = fresh(RenewalRequest, request.id)
    assert (decided.outcome, decided.message) == ("declined", message)
    entry = last_audit()
    assert (entry.action, entry.reason) == (audit.RENEWAL_DECLINE, message)
    assert entry.detail == {"renewal_request_id": request.id}

    deliver()
    mail = mailbox.single(member.email)
    assert mail["Subject"] == "About your renewal request"
    body = text_of(mail)
    assert f"Your request of {format_date(today)}" in body
    assert message in body
    assert "write to the network at network@portal.test" in body


def test_a_decline_needs_a_message_and_changes_nothing_without_one(admin_client):
    request = request_renewal(make_grace_member())
    response = admin_client.post(
        f"/admin/renewals/{request.id}/decline",
        data={"message": "  "},
        follow_redirects=True,
    )
    assert "Nothing was declined: Say why" in page(response)
    assert fresh(RenewalRequest, request.id).decided_at is None
    assert audit_count(audit.RENEWAL_DECLINE) == 0


def test_a_request_is_answered_once(admin_client, mailbox):
    member = make_grace_member()
    request = request_renewal(member)
    admin_client.post(f"/admin/renewals/{request.id}/approve")
    end = find_membership(member).ends_on
    again = admin_client.post(
        f"/admin/renewals/{request.id}/approve", follow_redirects=True
    )
    assert "That request was already approved on" in page(again)
    declined = admin_client.post(
        f"/admin/renewals/{request.id}/decline",
        data={"message": "no"},
        follow_redirects=True,
    )
    assert "That request was already approved on" in page(declined)
    assert find_membership(member).ends_on == end
    assert audit_count(audit.EXTEND) == 1
    missing = admin_client.post("/admin/renewals/999999/approve", follow_redirects=True)
    assert "There is no such renewal request." in page(missing)


def test_approving_a_member_revoked_since_they_asked_is_refused(admin_client):
    member = make_grace_member()
    request = request_renewal(member)
    standing.revoke(member, actor=None, reason="Posted a scan", notify=False)
    db.session.commit()
    response = admin_client.post(
        f"/admin/renewals/{request.id}/approve", follow_redirects=True
    )
    assert "is revoked; reinstate it first." in page(response)
    assert fresh(RenewalRequest, request.id).decided_at is None  # rolled back


def test_members_cannot_answer_requests(client, mailbox):
    member = make_grace_member()
    request = request_renewal(member)
    sign_in(client, member)
    assert client.post(f"/admin/renewals/{request.id}/approve").status_code == 403
    assert fresh(RenewalRequest, request.id).decided_at is None
