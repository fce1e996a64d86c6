"""Members for admins: the filtered list, export, one member's page and its actions."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import event

from portal.core import time
from portal.extensions import db
from portal.membership.models import AuditEntry
from portal.membership.services import audit, standing
from portal.membership.services.grants import find_membership
from portal.membership.services.profiles import update_profile
from portal.membership.status import Status
from tests.core.test_csrf import token_from
from tests.factories import (
    add_graduate,
    audit_count,
    count,
    days,
    last_audit,
    make_admin,
    make_graduate,
    make_user,
    page,
    post_confirmed,
    sign_in,
    status_of,
)


def test_members_list_filters_and_pages(admin_client, residency, today):
    for n in range(3):
        add_graduate(residency, f"porto{n}@example.org", f"Porto {n}")
    old = make_graduate("old@example.org", start=today - days(400))
    soon = make_graduate("soon@example.org", start=today - days(350))
    update_profile(
        soon,
        title=None,
        organisation="Hospital Faro",
        specialty=None,
        platforms=[],
        bio=None,
        directory_opt_in=False,
    )
    db.session.commit()

    def names(**args) -> str:
        response = admin_client.get("/admin/members", query_string=args)
        assert response.status_code == 200
        return page(response)

    assert "old@example.org" in names(status="expired")
    assert "porto0@example.org" not in names(status="expired")
    assert "old@example.org" not in names(residency=residency.id)
    assert "porto2@example.org" in names(residency=residency.id)
    assert "soon@example.org" in names(expiring=30)
    assert "porto1@example.org" not in names(expiring=30)
    assert "soon@example.org" in names(q="faro")
    assert "Porto 1" in names(q="PORTO 1")
    assert old.email not in names(q="100%")
    paged = page(admin_client.get("/admin/members?page=99999999999999999999"))
    assert "5 members" in paged


@pytest.mark.parametrize(
    "args",
    [
        {"status": "bogus"},
        {"residency": "abc"},
        {"residency": str(2**70)},
        {"expiring": "-3"},
        {"expiring": "999999999999"},
        {"q": "x" * 300},
    ],
)
def test_bad_member_filters_are_explained(admin_client, args):
    response = admin_client.get("/admin/members", query_string=args)
    assert response.status_code == 400
    assert "Some filters are not valid" in page(response)


def statements_for(url_of, client) -> int:
    seen: list[str] = []

    def count_statement(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count_statement)
    try:
        assert client.get(url_of()).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count_statement)
    return len(seen)


def add_graduates(residency, first: int, last: int) -> None:
    for n in range(first, last):
        user = add_graduate(residency, f"g{n}@example.org", f"Graduate {n:02}")
        update_profile(
            user,
            title=None,
            organisation=f"Org {n}",
            specialty=None,
            platforms=["X"],
            bio=None,
            directory_opt_in=True,
        )
    db.session.commit()


@pytest.mark.parametrize(
    "url", ["/admin/members", "/admin/residencies/{r}", "/admin/members?status=current"]
)
def test_list_pages_issue_the_same_statements_for_3_or_15_members(
    admin_client, residency, url
):
    def url_of() -> str:
        return url.format(r=residency.id)

    add_graduates(residency, 0, 3)
    admin_client.get(url_of())  # warm up: the first request loads more
    few = statements_for(url_of, admin_client)
    add_graduates(residency, 3, 15)
    assert "Graduate 14" in page(admin_client.get(url_of()))
    assert statements_for(url_of, admin_client) == few


def test_member_export_downloads_the_filtered_rows_and_is_audited(
    admin_client, admin, residency
):
    add_graduate(residency, "a@example.org", "=cmd|' /C calc'!A0")
    make_graduate("old@example.org", start=time.today() - days(400))
    response = admin_client.post("/admin/members/export", data={"status": "current"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")  # so Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["email", "name", "organization", "title"]
    assert [row[0] for row in rows[1:]] == ["a@example.org"]
    assert rows[1][1].startswith("'=")  # no formula in a spreadsheet
    entry = last_audit()
    assert (entry.action, entry.actor_id) == (audit.EXPORT, admin.id)
    assert entry.detail["rows"] == 1 and entry.detail["status"] == "current"


def test_member_export_with_bad_filters_exports_nothing(admin_client):
    response = admin_client.post("/admin/members/export", data={"status": "nope"})
    assert response.status_code == 302
    assert audit_count(audit.EXPORT) == 0


def test_member_page_shows_terms_status_and_history(admin_client, residency):
    user = add_graduate(residency, reason="Top of the class")
    standing.suspend(user, actor=None, until=time.today() + days(3), reason="Pause")
    db.session.commit()
    html = page(admin_client.get(f"/admin/members/{user.id}"))
    assert 'class="badge status-suspended"' in html
    assert "Residency: Residency Porto" in html and "Top of the class" in html
    assert "Pause" in html and "suspend" in html
    assert "Reinstate" in html


def act(client, user, action: str, **fields):
    """The action's form, and its confirmation page for a destructive one."""
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return post_confirmed(client, f"/admin/members/{user.id}/{action}", data)


def test_revoke_suspend_reinstate_through_the_forms(admin_client, admin, residency):
    user = add_graduate(residency)
    response = act(admin_client, user, "revoke", reason="Shared patient data")
    assert response.status_code == 302
    assert status_of(user) is Status.REVOKED
    entry = last_audit()
    assert (entry.action, entry.actor_id, entry.reason) == (
        audit.REVOKE,
        admin.id,
        "Shared patient data",
    )
    assert act(admin_client, user, "reinstate", reason="Appeal").status_code == 302
    assert status_of(user) is Status.CURRENT
    until = (time.today() + days(5)).isoformat()
    assert (
        act(admin_client, user, "suspend", until=until, reason="Pause").status_code
        == 302
    )
    assert status_of(user) is Status.SUSPENDED
    assert last_audit().detail["until"] == until


def test_grant_and_extend_through_the_forms(admin_client, admin, residency, today):
    user = make_user("m@example.org", "Mia Member")
    response = act(
        admin_client, user, "grant", reason="Faculty", start=today.isoformat()
    )
    assert response.status_code == 302
    end = find_membership(user).ends_on
    assert last_audit().action == audit.GRANT
    assert act(admin_client, user, "extend", reason="Speaker").status_code == 302
    db.session.expire_all()
    assert find_membership(user).ends_on > end + days(360)
    assert last_audit().action == audit.EXTEND
    response = act(admin_client, user, "grant", reason="Porto", residency=residency.id)
    assert response.status_code == 302
    assert audit_count(audit.GRANT) == 2


def test_invitation_email_and_role_through_the_forms(admin_client, admin, residency):
    user = add_graduate(residency, "typo@exmaple.org")
    assert act(admin_client, user, "invitation").status_code == 302
    assert last_audit().action == audit.INVITATION_RESEND
    response = act(
        admin_client, user, "email", email="right@example.org", reason="Typo"
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert user.email == "right@example.org"
    assert audit_count(audit.EMAIL_CORRECT) == 1
    assert (
        act(admin_client, user, "role", role="admin", reason="Staff").status_code == 302
    )
    db.session.expire_all()
    assert user.role == "admin"
    assert last_audit().detail == {"from": "member", "to": "admin"}


@pytest.mark.parametrize(
    ("action", "fields", "message"),
    [
        ("revoke", {"reason": ""}, "Give a reason"),
        ("revoke", {"reason": "   "}, "Give a reason"),
        ("revoke", {"reason": "x" * 100_000}, "under 500 characters"),
        ("suspend", {"reason": "r", "until": ""}, "Enter a date like"),
        ("suspend", {"reason": "r", "until": "tomorrow"}, "Enter a date like"),
        ("suspend", {"reason": "r", "until": "2001-01-01"}, "today or later"),
        ("suspend", {"reason": "r", "until": "99999-01-01"}, "Enter a date like"),
        ("reinstate", {"reason": "r"}, "neither revoked nor suspended"),
        ("grant", {"reason": "r", "residency": "999"}, "Not a valid choice"),
        ("grant", {"reason": "r", "residency": "x"}, "Invalid Choice"),
        ("extend", {"reason": "r", "start": "0001-01-01"}, "between 1900"),
        ("invitation", {}, "already claimed"),
        ("email", {"email": "bad", "reason": "r"}, "Invalid email address"),
        ("email", {"email": "admin@example.org", "reason": "r"}, "already"),
        ("role", {"role": "emperor", "reason": "r"}, "Not a valid choice"),
        ("role", {"role": "member", "reason": "r"}, "already has the role"),
    ],
)
def test_hostile_action_input_is_explained(
    admin_client, residency, action, fields, message
):
    user = add_graduate(residency)
    user.claimed_at = time.utcnow()
    db.session.commit()
    before = count(AuditEntry)
    response = act(admin_client, user, action, **fields)
    assert response.status_code == 400
    html = page(response)
    assert message in html
    assert "That action was not done" in html
    assert count(AuditEntry) == before


def test_an_action_on_an_unknown_member_is_404(admin_client):
    response = admin_client.post(
        "/admin/members/4242/revoke", data={"revoke-reason": "r"}
    )
    assert response.status_code == 404


def test_actions_need_the_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        admin = make_admin()
        user = make_graduate("m@example.org", start=time.today())
        client = sign_in(app.test_client(), admin)
        response = act(client, user, "revoke", reason="No token")
        assert response.status_code == 400
        assert status_of(user) is Status.CURRENT
        token = token_from(client.get(f"/admin/members/{user.id}").data)
        data = {"revoke-reason": "With token", "revoke-csrf_token": token}
        response = post_confirmed(client, f"/admin/members/{user.id}/revoke", data)
        assert response.status_code == 302
        assert status_of(user) is Status.REVOKED
        db.session.remove()


@pytest.mark.parametrize(
    ("action", "fields", "says"),
    [
        ("revoke", {"reason": "Spam"}, "loses access to the board at once"),
        ("suspend", {"reason": "Pause", "until": "2099-01-01"}, "cannot read or post"),
        ("role", {"role": "admin", "reason": "Staff"}, "becomes an admin"),
        ("email", {"email": "fixed@example.org", "reason": "Typo"}, "changes from"),
    ],
)
def test_a_destructive_action_never_happens_in_one_click(
    admin_client, residency, action, fields, says
):
    user = add_graduate(residency)
    entries = audit_count()
    data = {f"{action}-{name}": value for name, value in fields.items()}

    response = admin_client.post(f"/admin/members/{user.id}/{action}", data=data)

    assert response.status_code == 200
    html = page(response)
    assert "What will happen" in html and says in html
    assert audit_count() == entries
    assert status_of(user) is Status.CURRENT
    db.session.expire_all()
    assert (user.role, user.email) == ("member", "grad@example.org")
    # A made-up or replayed confirmation is the same as none.
    for forged in ("x", "eyJhIjoxfQ.abc.def"):
        again = admin_client.post(
            f"/admin/members/{user.id}/{action}", data={**data, "confirmation": forged}
        )
        assert "What will happen" in page(again)
    assert audit_count() == entries


def test_a_confirmation_covers_only_the_values_it_was_shown_for(
    admin_client, residency
):
    user = add_graduate(residency)
    url = f"/admin/members/{user.id}/suspend"
    data = {"suspend-reason": "Pause", "suspend-until": "2099-01-01"}
    html = page(admin_client.post(url, data=data))
    token = html.split('name="confirmation" value="')[1].split('"')[0]

    longer = {**data, "suspend-until": "2099-12-31", "confirmation": token}
    assert "What will happen" in page(admin_client.post(url, data=longer))
    assert status_of(user) is Status.CURRENT


def test_what_the_rules_refuse_is_said_before_any_confirmation(admin_client, residency):
    user = add_graduate(residency)
    response = admin_client.post(
        f"/admin/members/{user.id}/role",
        data={"role-role": "member", "role-reason": "No change"},
    )
    assert response.status_code == 400
    assert "already has the role" in page(response)
    assert "What will happen" not in page(response)


def test_the_member_page_leads_with_the_action_that_fits(admin_client, residency):
    def next_step(user) -> str:
        html = page(admin_client.get(f"/admin/members/{user.id}"))
        return html.split("<h2>Next step</h2>")[1].split("More actions")[0]

    current = make_graduate("current@example.org", start=time.today())
    assert "Nothing needs doing" in next_step(current)
    lapsed = make_graduate("lapsed@example.org", start=time.today() - days(400))
    assert ">Extend by a year</h3>" in next_step(lapsed)
    standing.revoke(current, actor=None, reason="Spam", notify=False)
    db.session.commit()
    assert ">Reinstate</h3>" in next_step(current)
    unclaimed = make_graduate("new@example.org", start=time.today(), claimed=False)
    assert ">Resend invitation</h3>" in next_step(unclaimed)
    # Destructive actions sit behind "More actions".
    assert ">Revoke</h3>" not in next_step(current)


def test_bulk_extend_audits_each_member_and_skips_who_the_rules_refuse(
    admin_client, admin, residency
):
    first = make_graduate("one@example.org", start=time.today() - days(300))
    second = make_graduate("two@example.org", start=time.today() - days(300))
    revoked = make_graduate("gone@example.org", start=time.today() - days(300))
    standing.revoke(revoked, actor=None, reason="Spam", notify=False)
    db.session.commit()
    ends = {u.id: find_membership(u).ends_on for u in (first, second)}
    entries = audit_count(audit.EXTEND)

    response = admin_client.post(
        "/admin/members/bulk",
        data={
            "action": "extend",
            "reason": "Taught at the 2027 residency",
            "member": [str(first.id), str(second.id), str(revoked.id)],
        },
        follow_redirects=True,
    )

    html = page(response)
    assert "2 members done, 1 skipped." in html
    assert "Skipped gone@example.org:" in html
    assert audit_count(audit.EXTEND) == entries + 2
    db.session.expire_all()
    for user in (first, second):
        assert find_membership(user).ends_on > ends[user.id]
    reasons = db.session.scalars(
        db.select(AuditEntry.reason).where(AuditEntry.action == audit.EXTEND)
    ).all()
    assert reasons.count("Taught at the 2027 residency") == 2


def test_bulk_extend_needs_a_reason_and_a_selection(admin_client, residency):
    user = make_graduate("one@example.org", start=time.today() - days(300))
    entries = audit_count()
    no_reason = admin_client.post(
        "/admin/members/bulk",
        data={"action": "extend", "member": [str(user.id)]},
        follow_redirects=True,
    )
    assert "Give a reason" in page(no_reason)
    nobody = admin_client.post(
        "/admin/members/bulk",
        data={"action": "extend", "reason": "x"},
        follow_redirects=True,
    )
    assert "Tick at least one member first." in page(nobody)
    assert audit_count() == entries


def test_bulk_invitations_and_export_of_the_selected(admin_client, residency, mailbox):
    from portal.core.mail import deliver_pending

    unclaimed = make_graduate("new@example.org", start=time.today(), claimed=False)
    claimed = make_graduate("old@example.org", start=time.today())
    response = admin_client.post(
        "/admin/members/bulk",
        data={"action": "invite", "member": [str(unclaimed.id), str(claimed.id)]},
        follow_redirects=True,
    )
    assert "1 member done, 1 skipped." in page(response)
    deliver_pending()
    assert len(mailbox.to("new@example.org")) == 1
    assert mailbox.to("old@example.org") == []

    export = admin_client.post(
        "/admin/members/bulk", data={"action": "export", "member": [str(claimed.id)]}
    )
    assert export.mimetype == "text/csv"
    text = export.get_data(as_text=True)
    assert "old@example.org" in text and "new@example.org" not in text


def test_the_list_has_a_checkbox_per_member(admin_client, residency):
    user = make_graduate("one@example.org", start=time.today())
    html = page(admin_client.get("/admin/members"))
    assert f'name="member" value="{user.id}"' in html
    assert "Apply to selected" in html
