"""Notification pages: the list, mark-read, email settings, one-click unsubscribe.

The unread count in the header is one ``COUNT`` per page, run only when the
navigation asks for it (signed-in board readers) and remembered for the request.
"""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, SubmitField

from portal.auth.models import User
from portal.board import notifications
from portal.board.blueprint import bp
from portal.board.cli import digest_command
from portal.board.notifications import ACCEPTED, ANSWER, COMMENT, DIGEST
from portal.board.pages import page_arg
from portal.extensions import csrf, db
from portal.membership.access import board_reader_required

bp.cli.add_command(digest_command)

KIND_NAMES = {
    ANSWER: "new answers on questions you follow",
    COMMENT: "new comments on questions you follow and on your answers",
    ACCEPTED: "your answers being accepted",
    DIGEST: "the digest of new questions in the tags you follow",
}


def unread_notification_count() -> int:
    if not current_user.is_authenticated:
        return 0
    if "unread_notifications" not in g:
        g.unread_notifications = notifications.unread_count(current_user.id)
    return int(g.unread_notifications)


@bp.app_context_processor
def notification_globals() -> dict[str, Any]:
    """A function, not a number: pages without the navigation (emails) skip it."""
    return {"unread_notification_count": unread_notification_count}


@bp.get("/notifications")
@board_reader_required
def notification_list() -> ResponseReturnValue:
    page = notifications.notifications_page(current_user.id, page_arg())
    return render_template("board/notifications.html", page=page)


def _back_to_list() -> ResponseReturnValue:
    page = request.form.get("page", type=int) or 1
    return redirect(url_for("board.notification_list", page=page))


@bp.post("/notifications/<int:notification_id>/read")
@board_reader_required
def notification_read(notification_id: int) -> ResponseReturnValue:
    notifications.mark_read(current_user.id, notification_id)
    db.session.commit()
    return _back_to_list()


@bp.post("/notifications/read")
@board_reader_required
def notification_read_all() -> ResponseReturnValue:
    count = notifications.mark_all_read(current_user.id)
    db.session.commit()
    flash(f"Marked {count} notification{'' if count == 1 else 's'} as read.", "info")
    return _back_to_list()


class NotificationSettingsForm(FlaskForm):
    email_answer = BooleanField("Email me about new answers on questions I follow")
    email_comment = BooleanField(
        "Email me about new comments on questions I follow and on my answers"
    )
    email_accepted = BooleanField("Email me when my answer is accepted")
    digest_frequency = SelectField(
        "Digest of new questions in the tags I follow",
        choices=[
            SelectChoice(notifications.OFF, "Never"),
            SelectChoice(notifications.DAILY, "Daily"),
            SelectChoice(notifications.WEEKLY, "Weekly"),
        ],
    )
    submit = SubmitField("Save settings")


@bp.route("/notifications/settings", methods=["GET", "POST"])
@board_reader_required
def notification_settings() -> ResponseReturnValue:
    saved = notifications.preferences_of(current_user.id)
    form = NotificationSettingsForm(data=saved.values())
    if form.validate_on_submit():
        notifications.save_preferences(
            current_user.id,
            email_answer=bool(form.email_answer.data),
            email_comment=bool(form.email_comment.data),
            email_accepted=bool(form.email_accepted.data),
            digest_frequency=form.digest_frequency.data,
        )
        db.session.commit()
        flash("Your notification settings are saved.", "success")
        return redirect(url_for("board.notification_settings"))
    status = 400 if form.errors else 200
    return render_template("board/settings_notifications.html", form=form), status


@csrf.exempt
@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> ResponseReturnValue:
    """GET asks; POST (the button, or a mail client's one-click) unsubscribes.

    Exempt from CSRF because mail clients POST without a token (RFC 8058); the
    signed token is the authentication, and it can only ever switch mail off.
    """
    found = notifications.read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if found is None or user is None:
        return render_template("board/unsubscribe.html", invalid=True), 400
    kind = found[1]
    done = request.method == "POST"
    if done:
        notifications.unsubscribe(user.id, kind)
        db.session.commit()
    return render_template(
        "board/unsubscribe.html",
        invalid=False,
        done=done,
        user=user,
        what=KIND_NAMES[kind],
    )
