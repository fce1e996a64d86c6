"""A new member's welcome: "How the network works" and the first-run checklist."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from portal.board import bp
from portal.board.queries.checklist import TAGS_TO_FOLLOW
from portal.board.services import checklist
from portal.extensions import db
from portal.membership.status import grace_days


@bp.get("/how-it-works")
def guide_show() -> ResponseReturnValue:
    """A static page, open to anyone; opening it ticks the checklist's step
    (a bookkeeping write, idempotent, like a session's last-seen time)."""
    if current_user.is_authenticated:
        checklist.mark_guide_read(current_user)
        db.session.commit()
    return render_template(
        "board/guide.html", grace_days=grace_days(), tags_to_follow=TAGS_TO_FOLLOW
    )


@bp.post("/checklist/dismiss")
@login_required
def checklist_dismiss() -> ResponseReturnValue:
    checklist.dismiss(current_user)
    db.session.commit()
    flash(
        "The checklist is hidden. How the network works stays linked at the "
        "foot of every page.",
        "info",
    )
    return redirect(url_for("board.question_list"))
