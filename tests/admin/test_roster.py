"""The roster import: upload, preview every line, confirm all or nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from portal.auth import services as accounts
from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership
from portal.membership.services import audit, standing
from tests.factories import (
    add_graduate,
    add_residency,
    audit_count,
    count,
    days,
    deliver,
    fresh,
    make_admin,
    make_graduate,
    outbox,
    page,
    roster_csv,
    sign_in,
)
from tests.mailbox import text_of


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
    for box in re.findall(r"<input checked[^>]*>", html):  # ticked checkboxes
        fields[re.search(r'name="([^"]*)"', box).group(1)] = "y"
    return fields


def checkboxes(html: str) -> dict[str, bool]:
    """The preview's choices: name -> ticked."""
    return {
        name: "checked" in tag
        for tag in re.findall(r'<input[^>]*type="checkbox"[^>]*>', html)
        for name in re.findall(r'name="([^"]*)"', tag)
    }


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


GOOD = "email,name,organization\nana@example.org,Ana Silva,Clinic\nbo@example.org,Bo,\n"


def test_clean_roster_previews_then_imports_everything(admin_client, residency):
    make_graduate("known@example.org", start=time.today() - days(100))
    text = GOOD + "known@example.org,Grace Graduate,\n"
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
        (b"name,phone\nA,1\n", "(missing: email)"),
        (b"PK\x03\x04\x14\x00\x06\x00", "This is an Excel workbook, not a CSV file"),
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
        client = sign_in(app.test_client(), make_admin())
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


def confirm(client, residency, html: str, **changes: str | None):
    """Post the preview's confirm form, with checkboxes changed (None: untick)."""
    fields = {**confirm_fields(html), **changes}
    fields = {name: value for name, value in fields.items() if value is not None}
    return client.post(f"/admin/residencies/{residency.id}/roster/import", data=fields)


def test_a_semicolon_windows_file_with_a_phone_column_previews_with_a_warning(
    admin_client, residency, mailbox
):
    data = roster_csv(
        "ana@example.org;Ana Müller;+351 912 345 678",
        header="Email Address;Full Name;Phone",
        encoding="cp1252",
    )
    response = upload(admin_client, residency, data)
    html = page(response)
    assert response.status_code == 200
    assert "Read as Windows-1252, values separated by semicolons." in html
    assert "Columns not imported: Phone." in html
    assert "Import 1 graduate</button>" in html
    assert checkboxes(html) == {"invite": True}
    assert confirm(admin_client, residency, html).status_code == 302
    deliver()
    assert "Ana Müller" in text_of(mailbox.single("ana@example.org"))


def test_one_error_is_one_error(admin_client, residency):
    html = page(upload(admin_client, residency, GOOD + "not-an-email,Bad,\n"))
    assert "The roster has 1 error; nothing will be imported." in html


def test_unticking_send_invitations_imports_without_mail(
    admin_client, residency, mailbox
):
    html = page(upload(admin_client, residency, GOOD))
    assert "Import 2 graduates</button>" in html
    assert confirm(admin_client, residency, html, invite=None).status_code == 302
    assert count(Membership) == 2 and outbox() == []


def test_a_back_dated_roster_offers_to_tell_them_their_membership_ended(
    admin_client, today, mailbox
):
    old = add_residency(today - days(800), "Residency Faro")
    html = page(upload(admin_client, old, GOOD))
    assert html.count("(already over)") == 2
    assert checkboxes(html) == {"invite": True, "notify_ended": False}
    assert "The term of 2 graduates is already over." in html
    confirm(admin_client, old, html)
    assert count(Membership) == 2 and outbox() == []
    other = add_residency(today - days(800), "Residency Braga")
    html = page(upload(admin_client, other, "email,name\ncy@example.org,Cy\n"))
    confirm(admin_client, other, html, notify_ended="y")
    deliver()
    assert "Your membership ended on" in mailbox.single("cy@example.org")["Subject"]


def test_profiles_that_differ_are_updated_only_when_ticked(admin_client, residency):
    add_graduate(residency, "ana@example.org", "Ana Silva")
    text = "email,name\nana@example.org,Ana Souza\n"
    html = page(upload(admin_client, residency, text))
    assert checkboxes(html) == {"update_profiles": False}
    assert "Update 1 profile" in html and "name: Ana Silva → Ana Souza" in html
    confirm(admin_client, residency, html)
    assert fresh(User, accounts.find_by_email("ana@example.org").id).name == (
        "Ana Silva"
    )
    response = confirm(admin_client, residency, html, update_profiles="y")
    assert response.status_code == 302
    user = fresh(User, accounts.find_by_email("ana@example.org").id)
    assert user.name == "Ana Souza"
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == audit.PROFILE_UPDATE)
    ).one()
    assert entry.actor_id is not None
    assert entry.detail == {"name": {"from": "Ana Silva", "to": "Ana Souza"}}
    follow = admin_client.get(response.headers["Location"])
    assert "Updated 1 profile." in page(follow)


def test_a_member_export_uploaded_again_changes_nothing(admin_client, residency):
    add_graduate(residency, "ana@example.org", "Ana Müller", organisation="Clínica")
    add_graduate(residency, "bo@example.org", "Bo, Jr.", title="=Chief")
    exported = admin_client.post(
        "/admin/members/export", data={"residency": str(residency.id)}
    )
    assert exported.data.startswith("\ufeff".encode())
    assert "Ana Müller".encode() in exported.data
    html = page(upload(admin_client, residency, exported.data))
    assert "0 new, 0 extended, 2 already granted, 0 with errors" in html
    assert "nothing to import" in html and "not imported" not in html


def test_an_oversized_value_is_a_clear_400(admin_client, residency):
    text = f"email,name\nana@example.org,{'A' * 140_000}\n"
    response = upload(admin_client, residency, text)
    assert response.status_code == 400
    assert "line 2: a value is longer than 128 KB" in page(response)


def test_a_unicode_text_file_previews_and_imports(admin_client, residency):
    data = roster_csv(
        "ana@example.org\tAna Müller\tClínica",
        header="E-mail\tName\tOrganisation",
        encoding="utf-16",
    )
    html = page(upload(admin_client, residency, data))
    assert "Read as UTF-16, values separated by tabs." in html
    assert confirm(admin_client, residency, html).status_code == 302
    assert fresh(User, accounts.find_by_email("ana@example.org").id).name == (
        "Ana Müller"
    )


def test_an_upload_over_the_request_limit_is_a_clear_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=16 * 1024)
    with app.app_context():
        residency = add_residency(time.today(), "Residency Porto")
        client = sign_in(app.test_client(), make_admin())
        response = upload(client, residency, b"email,name\n" + b"x" * 20_000)
        assert response.status_code == 413
        assert "That upload is too large" in page(response)
        db.session.remove()
