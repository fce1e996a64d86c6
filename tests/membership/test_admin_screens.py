"""The admin's membership screens: dashboard, residencies, roster import,
members and their actions, the audit log and the CSV exports."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from portal.auth.models import User
from portal.core import time
from portal.core.templating import format_date
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership, Residency
from portal.membership.services import audit, grants, standing, sweep
from portal.membership.services.exports import AUDIT_CSV_COLUMNS
from portal.membership.services.grants import find_membership
from portal.membership.services.profiles import update_profile
from portal.membership.status import Status
from tests.core.test_csrf import token_from
from tests.factories import (
    PASSWORD,
    add_residency,
    audit_count,
    days,
    login,
    make_graduate,
    make_user,
)


def page(response) -> str:
    return response.get_data(as_text=True).replace("&#39;", "'")


@pytest.fixture
def admin(app):
    return make_user("admin@example.org", "Avery Admin", role="admin")


@pytest.fixture
def admin_client(client, admin):
    assert login(client, admin.email).status_code == 302
    return client


@pytest.fixture
def residency(app, today):
    return add_residency(today - days(10), "Residency Porto")


def graduate(residency, email="grad@example.org", name="Grace Graduate", **extra):
    result = grants.add_graduate(
        email, name, actor=None, residency=residency, notify=False, **extra
    )
    db.session.commit()
    return result.membership.user


def count(model) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def status_of(user) -> Status:
    db.session.expire_all()
    return grants.status_of(find_membership(user), time.today())


def last_audit() -> AuditEntry:
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)
    ).one()


SCREENS = [
    "/admin/",
    "/admin/residencies",
    "/admin/residencies/{r}",
    "/admin/residencies/{r}/edit",
    "/admin/residencies/{r}/roster",
    "/admin/members",
    "/admin/members/{u}",
    "/admin/audit",
]


@pytest.mark.parametrize("url", SCREENS)
def test_every_screen_renders_for_an_admin(admin_client, residency, url):
    user = graduate(residency)
    response = admin_client.get(url.format(r=residency.id, u=user.id))
    assert response.status_code == 200


@pytest.mark.parametrize("kind", ["current", "revoked"])
def test_members_get_403_on_every_admin_screen_and_action(client, residency, kind):
    user = graduate(residency, "m@example.org")
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


# Residencies


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
    graduate(residency)
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/edit",
        data={"name": residency.name, "location": "Porto", "held_on": "2020-01-01"},
    )
    assert response.status_code == 400
    assert "The date cannot change once graduates" in page(response)


def test_residency_page_lists_graduates_with_status(admin_client, residency, today):
    graduate(residency, "a@example.org", "Ana Silva")
    revoked = graduate(residency, "b@example.org", "Bo Chen")
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


# Roster import


def upload(client, residency, text: bytes | str, **extra):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        f"/admin/residencies/{residency.id}/roster/preview",
        data={"roster": (io.BytesIO(data), "roster.csv"), **extra},
        content_type="multipart/form-data",
    )


def confirm_fields(html: str) -> dict[str, str]:
    """What the preview's confirm form sends back, as a browser would."""
    textarea = re.search(
        r'<textarea[^>]*name="roster"[^>]*>\r?\n(.*?)</textarea>', html, re.S
    )
    assert textarea, "no confirm form"
    fields = {"roster": unescape(textarea.group(1)).replace("\n", "\r\n")}
    for name in ("token", "start", "reason"):
        found = re.search(rf'name="{name}" type="hidden" value="([^"]*)"', html)
        found = found or re.search(
            rf'type="hidden" name="{name}" value="([^"]*)"', html
        )
        fields[name] = unescape(found.group(1)) if found else ""
    return fields


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


GOOD = "email,name,organization\nana@example.org,Ana Silva,Clinic\nbo@example.org,Bo,\n"


def test_clean_roster_previews_then_imports_everything(admin_client, residency):
    make_graduate("known@example.org", start=time.today() - days(100))
    text = GOOD + "known@example.org,Known,\n"
    preview = upload(admin_client, residency, text, reason="Class of 2026")
    assert preview.status_code == 200
    html = page(preview)
    assert "2 new, 1 extended, 0 already granted, 0 with errors" in html
    assert count(Membership) == 1  # the preview wrote nothing
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/roster/import", data=confirm_fields(html)
    )
    assert response.status_code == 302
    assert count(Membership) == 3
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.IMPORT)
    ).one()
    assert entry.reason == "Class of 2026"
    again = upload(admin_client, residency, text)
    assert "0 new, 0 extended, 3 already granted" in page(again)
    assert "nothing to import" in page(again)


def test_preview_lists_every_error_with_its_line_and_offers_no_import(
    admin_client, residency
):
    text = GOOD + ",No Email,\nnot-an-email,Bad,\nana@example.org,Twice,\n"
    response = upload(admin_client, residency, text)
    assert response.status_code == 400
    html = page(response)
    assert "The roster has 3 errors; nothing will be imported." in html
    assert "line 4: The email address is missing." in html
    assert "line 5: The email address 'not-an-email' is not valid" in html
    assert "line 6: ana@example.org is also on line 2." in html
    assert "<textarea" not in html
    assert count(Membership) == count(User) - 1 == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"name,phone\nA,1\n", "Unknown columns: phone."),
        (b"email,name\n\xff\xfe,A\n", "not UTF-8"),
    ],
)
def test_bad_files_are_explained(admin_client, residency, data, message):
    response = upload(admin_client, residency, data)
    assert response.status_code == 400
    assert message in page(response)


def test_upload_without_a_file_is_explained(admin_client, residency):
    url = f"/admin/residencies/{residency.id}/roster/preview"
    response = admin_client.post(url, data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a CSV file." in page(response)


def test_a_roster_too_large_to_confirm_is_refused_at_upload(make_app):
    # The text must fit in a form field for the confirm step.
    app = make_app(MAX_FORM_MEMORY_SIZE=64 * 1024)
    with app.app_context():
        residency = add_residency(time.today(), "Residency Porto")
        admin = make_user("admin@example.org", "Avery Admin", role="admin")
        client = app.test_client()
        assert login(client, admin.email).status_code == 302
        big = "email,name\n" + "".join(f"p{n}@example.org,P\n" for n in range(5000))
        response = upload(client, residency, big)
        assert response.status_code == 400
        assert "larger than 60 KB; split it into smaller files" in page(response)
        db.session.remove()


def test_confirm_imports_nothing_when_the_roster_now_has_errors(
    admin_client, residency
):
    known = make_graduate("known@example.org", start=time.today() - days(100))
    html = page(upload(admin_client, residency, GOOD + "known@example.org,Known,\n"))
    fields = confirm_fields(html)
    standing.revoke(known, actor=None, reason="r")  # between preview and confirm
    db.session.commit()
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/roster/import", data=fields
    )
    assert response.status_code == 400
    assert "line 4: the membership of known@example.org is revoked" in page(response)
    assert count(Membership) == 1 and audit_count(audit.IMPORT) == 0


@pytest.mark.parametrize(
    "tamper",
    [
        lambda f: {**f, "roster": f["roster"] + "eve@example.org,Eve\r\n"},
        lambda f: {**f, "token": f["token"][:-2] + "xx"},
        lambda f: {**f, "reason": "Something else"},
        lambda f: {**f, "start": "2020-01-01"},
        lambda f: {k: v for k, v in f.items() if k != "token"},
    ],
)
def test_confirm_refuses_anything_but_the_previewed_roster(
    admin_client, residency, tamper
):
    fields = confirm_fields(page(upload(admin_client, residency, GOOD)))
    response = admin_client.post(
        f"/admin/residencies/{residency.id}/roster/import", data=tamper(fields)
    )
    assert response.status_code == 400
    assert "Upload the file again" in page(response)
    assert count(Membership) == 0


def test_confirm_for_another_residency_is_refused(admin_client, residency, today):
    other = add_residency(today, "Residency Faro")
    fields = confirm_fields(page(upload(admin_client, residency, GOOD)))
    response = admin_client.post(
        f"/admin/residencies/{other.id}/roster/import", data=fields
    )
    assert response.status_code == 400
    assert count(Membership) == 0


# Members


def test_members_list_filters_and_pages(admin_client, residency, today):
    for n in range(3):
        graduate(residency, f"porto{n}@example.org", f"Porto {n}")
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
        user = graduate(residency, f"g{n}@example.org", f"Graduate {n:02}")
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
    graduate(residency, "a@example.org", "=cmd|' /C calc'!A0")
    make_graduate("old@example.org", start=time.today() - days(400))
    response = admin_client.post("/admin/members/export", data={"status": "current"})
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment;" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["email", "name", "organisation"]
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
    user = graduate(residency, reason="Top of the class")
    standing.suspend(user, actor=None, until=time.today() + days(3), reason="Pause")
    db.session.commit()
    html = page(admin_client.get(f"/admin/members/{user.id}"))
    assert 'class="badge status-suspended"' in html
    assert "Residency: Residency Porto" in html and "Top of the class" in html
    assert "Pause" in html and "suspend" in html
    assert "Reinstate" in html


def act(client, user, action: str, **fields):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(f"/admin/members/{user.id}/{action}", data=data)


def test_revoke_suspend_reinstate_through_the_forms(admin_client, admin, residency):
    user = graduate(residency)
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
    user = graduate(residency, "typo@exmaple.org")
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
    user = graduate(residency)
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
        admin = make_user("admin@example.org", "Avery Admin", role="admin")
        user = make_graduate("m@example.org", start=time.today())
        client = app.test_client()
        token = token_from(client.get("/login").data)
        data = {"email": admin.email, "password": PASSWORD, "csrf_token": token}
        assert client.post("/login", data=data).status_code == 302
        response = act(client, user, "revoke", reason="No token")
        assert response.status_code == 400
        assert status_of(user) is Status.CURRENT
        token = token_from(client.get(f"/admin/members/{user.id}").data)
        data = {"revoke-reason": "With token", "revoke-csrf_token": token}
        response = client.post(f"/admin/members/{user.id}/revoke", data=data)
        assert response.status_code == 302
        assert status_of(user) is Status.REVOKED
        db.session.remove()


# Dashboard and audit log


def test_dashboard_counts_and_warns_about_a_stale_sweep(admin_client, residency, today):
    graduate(residency, "a@example.org")
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


def test_audit_log_filters_and_exports(admin_client, admin, residency):
    user = graduate(residency, "a@example.org")
    other = graduate(residency, "b@example.org")
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
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
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
    user = graduate(residency)
    for n in range(55):
        audit.record(audit.INVITATION_RESEND, actor=None, user=user, reason=f"n{n}")
    db.session.commit()
    assert admin_client.get(f"/admin/members/{user.id}?page=2").status_code == 200
    assert format_date(time.today()) in page(
        admin_client.get(f"/admin/members/{user.id}")
    )
