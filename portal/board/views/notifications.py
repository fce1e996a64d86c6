"""Notification pages: the list, mark-read, email settings, one-click unsubscribe."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.auth.models import User
from portal.board import bp
from portal.board.email import read_unsubscribe_token
from portal.board.forms import NotificationSettingsForm
from portal.board.models import ACCEPTED, ANSWER, COMMENT, DIGEST, REQUEST
from portal.board.queries.notifications import notifications_page, preferences_of
from portal.board.services import notifications as notification_services
from portal.core.paging import page_arg
from portal.extensions import csrf, db
from portal.membership.access import board_reader_required

KIND_NAMES = {
    ANSWER: "new answers on questions you follow",
    COMMENT: "new comments on questions you follow and on your answers",
    ACCEPTED: "your answers being accepted",
    DIGEST: "the digest of new questions in the tags you follow",
    REQUEST: "questions you are asked to answer",
}


@bp.get("/notifications")
@board_reader_required
def notification_list() -> ResponseReturnValue:
    page = notifications_page(current_user.id, page_arg())
    return render_template("board/notifications.html", page=page)


def _back_to_list() -> ResponseReturnValue:
    page = request.form.get("page", type=int) or 1
    return redirect(url_for("board.notification_list", page=page))


@bp.post("/notifications/<int:notification_id>/read")
@board_reader_required
def notification_read(notification_id: int) -> ResponseReturnValue:
    notification_services.mark_read(current_user.id, notification_id)
    db.session.commit()
    return _back_to_list()


@bp.post("/notifications/read")
@board_reader_required
def notification_read_all() -> ResponseReturnValue:
    count = notification_services.mark_all_read(current_user.id)
    db.session.commit()
    flash(f"Marked {count} notification{'' if count == 1 else 's'} as read.", "info")
    return _back_to_list()


@bp.route("/notifications/settings", methods=["GET", "POST"])
@board_reader_required
def notification_settings() -> ResponseReturnValue:
    saved = preferences_of(current_user.id)
    form = NotificationSettingsForm(data=saved.values())
    if form.validate_on_submit():
        notification_services.save_preferences(
            current_user.id,
            email_answer=bool(form.email_answer.data),
            email_comment=bool(form.email_comment.data),
            email_accepted=bool(form.email_accepted.data),
            answer_requests=bool(form.answer_requests.data),
            email_request=bool(form.email_request.data),
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
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if found is None or user is None:
        return render_template("board/unsubscribe.html", invalid=True), 400
    kind = found[1]
    done = request.method == "POST"
    if done:
        notification_services.unsubscribe(user.id, kind)
        db.session.commit()
    return render_template(
        "board/unsubscribe.html",
        invalid=False,
        done=done,
        user=user,
        what=KIND_NAMES[kind],
    )
