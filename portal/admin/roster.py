"""Roster import: upload a CSV, preview every line, then confirm; all or nothing.

Between the two steps the roster's text travels back to the admin's browser in a
hidden field, with a signed token over a digest of exactly that text (and the
residency, start date, reason and admin). The confirm step refuses text that
does not match the token (changed, or over an hour old) and then runs the whole
import again from scratch, so it never trusts the preview either: if the world
changed in between (someone was revoked), it reports the new errors and imports
nothing. No table, no files on disk, nothing to clean up.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import date

from flask import current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from itsdangerous import BadData, URLSafeTimedSerializer

from portal.admin import bp, current_actor
from portal.admin.forms import RosterConfirmForm, RosterUploadForm
from portal.auth.decorators import admin_required
from portal.core.paging import get_or_404
from portal.core.templating import counted
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.models import Residency
from portal.membership.services import roster as importer

TOKEN_MAX_AGE = 3600
SALT = "roster-import"


def normalise(text: str) -> str:
    """Browsers send a textarea's line breaks as CRLF whatever it held."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _digest(
    residency: Residency, start: date | None, reason: str | None, text: str
) -> str:
    fields = [
        residency.id,
        current_actor().id,
        start and start.isoformat(),
        normalise(reason or ""),
        normalise(text),
    ]
    return hashlib.sha256(json.dumps(fields).encode()).hexdigest()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def sign_roster(
    residency: Residency, start: date | None, reason: str | None, text: str
) -> str:
    return str(_serializer().dumps(_digest(residency, start, reason, text)))


def roster_matches(
    token: str,
    residency: Residency,
    start: date | None,
    reason: str | None,
    text: str,
) -> bool:
    try:
        signed = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except BadData:
        return False
    expected = _digest(residency, start, reason, text)
    return isinstance(signed, str) and hmac.compare_digest(signed, expected)


def _upload_page(
    residency: Residency, form: RosterUploadForm, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "admin/membership/roster_upload.html",
        residency=residency,
        form=form,
        token_minutes=TOKEN_MAX_AGE // 60,
    )
    return page, status


def _preview_page(
    residency: Residency,
    preview: importer.RosterPreview,
    confirm: RosterConfirmForm | None,
) -> ResponseReturnValue:
    page = render_template(
        "admin/membership/roster_preview.html",
        residency=residency,
        preview=preview,
        confirm=confirm,
    )
    return page, 200 if preview.ok else 400


def _confirm_form(
    residency: Residency, start: date | None, reason: str | None, text: str
) -> RosterConfirmForm:
    text, reason = normalise(text), normalise(reason or "")
    return RosterConfirmForm(
        formdata=None,
        roster=text,
        token=sign_roster(residency, start, reason, text),
        start=start,
        reason=reason,
    )


def _read_upload(form: RosterUploadForm) -> bytes | None:
    """The file's bytes, or None (with a field error) when it is too large to
    send back with the confirmation."""
    limit = int(current_app.config["MAX_FORM_MEMORY_SIZE"]) - 4096
    upload = form.roster.data
    try:
        data: bytes = upload.read(limit + 1)
    finally:
        upload.close()
    if len(data) > limit:
        form.roster.errors = [
            f"The file is larger than {limit // 1024} KB; split it into smaller files."
        ]
        return None
    return data


def _imported(preview: importer.RosterPreview, profiles: bool) -> str:
    message = f"Imported into {preview.residency.name}: {preview.summary()}."
    if profiles and preview.updates:
        message += f" Updated {counted(preview.updates, 'profile')}."
    return message


@bp.get("/residencies/<int:residency_id>/roster")
@admin_required
def roster_upload(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    return _upload_page(residency, RosterUploadForm(formdata=None))


@bp.post("/residencies/<int:residency_id>/roster/preview")
@admin_required
def roster_preview(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    form = RosterUploadForm()
    data = _read_upload(form) if form.validate_on_submit() else None
    if data is None:
        return _upload_page(residency, form, 400)
    preview = importer.preview_roster(data, residency, start=form.start.data)
    confirm = None
    if preview.ok and (preview.changes or preview.updates):
        # The decoded text goes back, so the confirm step reads it as text.
        text = preview.file.text
        confirm = _confirm_form(residency, form.start.data, form.reason.data, text)
    return _preview_page(residency, preview, confirm)


@bp.post("/residencies/<int:residency_id>/roster/import")
@admin_required
def roster_import(residency_id: int) -> ResponseReturnValue:
    residency = get_or_404(Residency, residency_id)
    form = RosterConfirmForm()
    text = normalise(form.roster.data or "")
    start, reason = form.start.data, normalise(form.reason.data or "") or None
    if not form.validate_on_submit() or not roster_matches(
        form.token.data or "", residency, start, reason, text
    ):
        upload = RosterUploadForm(formdata=None)
        upload.roster.errors = [
            "The preview has expired or the roster was changed after it; "
            "nothing was imported. Upload the file again."
        ]
        return _upload_page(residency, upload, 400)
    mail = importer.CohortMail(invite=form.invite.data, ended=form.notify_ended.data)
    try:
        preview = importer.import_roster(
            text, residency, actor=current_actor(), start=start, reason=reason,
            mail=mail, overwrite_profiles=form.update_profiles.data,
        )  # fmt: skip
    except importer.RosterError as error:
        db.session.rollback()
        return _preview_page(residency, error.preview, None)
    except MembershipError as error:
        db.session.rollback()
        upload = RosterUploadForm(formdata=None)
        upload.roster.errors = [str(error)]
        return _upload_page(residency, upload, 400)
    db.session.commit()
    flash(_imported(preview, form.update_profiles.data), "success")
    return redirect(url_for("admin.residency_show", residency_id=residency_id))
