"""The mail outbox for admins: what was queued, sent or failed, and retrying."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from portal.admin import bp
from portal.auth.decorators import admin_required
from portal.core.mail import retry_now
from portal.core.models import OutboxMessage
from portal.extensions import db

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "held", "cancelled")


@bp.get("/outbox")
@admin_required
def outbox_list() -> ResponseReturnValue:
    status = request.args.get("status", "")
    query = select(OutboxMessage).order_by(OutboxMessage.id.desc())
    if status in OUTBOX_STATUSES:
        query = query.where(OutboxMessage.status == status)
    counts = dict(
        db.session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    page = db.paginate(query, per_page=50)
    return render_template(
        "admin/outbox.html",
        page=page,
        counts=counts,
        status=status,
        statuses=OUTBOX_STATUSES,
    )


@bp.get("/outbox/<int:message_id>")
@admin_required
def outbox_show(message_id: int) -> ResponseReturnValue:
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message)


@bp.post("/outbox/<int:message_id>/retry")
@admin_required
def outbox_retry(message_id: int) -> ResponseReturnValue:
    if retry_now(message_id):
        db.session.commit()
        flash("The message is queued again.", "success")
    else:
        flash("Only a message that failed can be retried.", "info")
    return redirect(url_for("admin.outbox_show", message_id=message_id))
