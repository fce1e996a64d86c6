"""The roster import: upload, preview every line, confirm all or nothing."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from portal.auth.models import User
from portal.core import time
from portal.extensions import db
from portal.membership.models import AuditEntry, Membership
from portal.membership.services import audit, standing
from tests.factories import (
    add_residency,
    audit_count,
    count,
    days,
    make_admin,
    make_graduate,
    page,
    sign_in,
)


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
