"""The mail outbox for admins: what was queued, sent or failed, and retrying.

An admin reads what a message says, never the secrets in it: the token part of
every link to a route that takes a ``<token>`` (invitations, password resets,
email confirmations, unsubscribe links) is shown as ``•••``, and the body is
plain text, so no admin can claim someone else's account from here.
"""

from __future__ import annotations

import re
from functools import cache

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select

from portal.admin import bp
from portal.auth.decorators import admin_required
from portal.core.mail import retry_now
from portal.core.models import OutboxMessage
from portal.extensions import db

OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "held", "cancelled")
MASK = "•••"


@cache
def _token_links(rules: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for every token route: its fixed path, then the token."""
    prefixes = sorted({rule.split("<token>")[0] for rule in rules}, key=len)
    alternatives = "|".join(re.escape(prefix) for prefix in reversed(prefixes))
    return re.compile(rf"(?P<path>(?:{alternatives}))[^\s/?#<>\"')]+")


def hide_tokens(text: str) -> str:
    """``text`` with the secret part of every token link replaced by •••."""
    rules = tuple(
        sorted(r.rule for r in current_app.url_map.iter_rules() if "<token>" in r.rule)
    )
    if not rules:
        return text
    return _token_links(rules).sub(rf"\g<path>{MASK}", text)


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
    return render_template(
        "admin/outbox_message.html",
        message=message,
        body=hide_tokens(message.text_body),
    )


@bp.post("/outbox/<int:message_id>/retry")
@admin_required
def outbox_retry(message_id: int) -> ResponseReturnValue:
    if retry_now(message_id):
        db.session.commit()
        flash("The message is queued again.", "success")
    else:
        flash("Only a message that failed can be retried.", "info")
    return redirect(url_for("admin.outbox_show", message_id=message_id))
