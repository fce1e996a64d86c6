"""Revoke, suspend and reinstate tell the member, with the reason only when the
admin ticks "tell the member why"; the audit entry says which."""

from __future__ import annotations

import re

import pytest

from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.services import audit, standing
from tests.factories import days, deliver, last_audit, make_member, status_of
from tests.mailbox import html_of, text_of

REASON = "Shared a patient's scan in a question"
CONTACT = "write to the network at network@portal.test"


def act(admin_client, member, action: str, tell: bool, today):
    data = {f"{action}-reason": REASON}
    if action == "suspend":
        data["suspend-until"] = (today + days(14)).isoformat()
    if tell:
        data[f"{action}-tell_member"] = "y"
    response = admin_client.post(f"/admin/members/{member.id}/{action}", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    return response


@pytest.mark.parametrize("tell", [False, True], ids=["no-reason", "with-reason"])
@pytest.mark.parametrize("action", ["revoke", "suspend", "reinstate"])
def test_each_standing_change_sends_a_plain_notice(
    admin_client, mailbox, today, action, tell
):
    member = make_member("mia@example.org", "Mia Member")
    if action == "reinstate":
        standing.revoke(member, actor=None, reason="Mistake", notify=False)
        db.session.commit()
    act(admin_client, member, action, tell, today)
    deliver()
    message = mailbox.single("mia@example.org")
    text = text_of(message)
    until = format_date(today + days(14))
    subjects = {
        "revoke": "Your membership has been revoked",
        "suspend": f"Your membership is suspended until {until}",
        "reinstate": "Your membership is reinstated",
    }
    assert message["Subject"] == subjects[action]
    assert text.startswith("Hello Mia Member,")
    assert CONTACT in text
    assert (f"The reason given: {REASON}" in text) is tell
    assert (REASON.replace("'", "&#39;") in html_of(message)) is tell
    entry = last_audit()
    assert entry.action == action
    assert entry.reason == REASON  # the audit keeps the reason either way
    assert entry.detail["member_notified"] is True
    assert entry.detail["reason_told"] is tell


def test_the_notices_say_what_happens_next(admin_client, mailbox, today):
    member = make_member("mia@example.org", "Mia Member")
    act(admin_client, member, "suspend", False, today)
    act(admin_client, member, "reinstate", False, today)
    deliver()
    suspended, reinstated = mailbox.to("mia@example.org")
    until = format_date(today + days(14))
    assert f"suspended until {until} (that day included)" in text_of(suspended)
    body = text_of(reinstated)
    assert "You can use the board again; your membership runs through" in body
    assert "http://portal.test/membership" in body
    assert status_of(member).value == "current"


def test_revoking_tells_a_revoked_member_nothing_about_residencies(
    admin_client, mailbox, today
):
    member = make_member("mia@example.org", "Mia Member")
    act(admin_client, member, "revoke", True, today)
    deliver()
    text = text_of(mailbox.single("mia@example.org"))
    assert "attend" not in text.lower() and "Social Media Residency" not in text
    assert "The board and the directory are closed to you." in text


def checkbox(html: str, form: str) -> str:
    match = re.search(rf'<input[^>]*name="{form}-tell_member"[^>]*>', html)
    assert match is not None, f"no tell-the-member checkbox on the {form} form"
    return match.group(0)


def test_the_checkbox_is_on_the_three_forms_and_off_by_default(admin_client, today):
    member = make_member("mia@example.org", "Mia Member")
    html = admin_client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    for form in ("revoke", "suspend"):
        assert 'type="checkbox"' in checkbox(html, form)
        assert "checked" not in checkbox(html, form)
    standing.suspend(member, actor=None, until=today + days(2), reason="x")
    db.session.commit()
    html = admin_client.get(f"/admin/members/{member.id}").get_data(as_text=True)
    assert "checked" not in checkbox(html, "reinstate")
    assert "Tell the member why" in html


def test_commands_notify_without_the_reason(runner, app, mailbox):
    member = make_member("mia@example.org", "Mia Member")
    result = runner.invoke(args=["members", "revoke", member.email, "--reason", REASON])
    assert result.exit_code == 0, result.output
    deliver()
    assert REASON not in text_of(mailbox.single("mia@example.org"))
    assert last_audit().detail["reason_told"] is False
    assert last_audit().action == audit.REVOKE
