"""Tag pages for members, and the admins' tag management screen."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.auth.decorators import admin_required
from portal.board import follows, queries
from portal.board.blueprint import bp
from portal.board.errors import InvalidInput
from portal.board.forms import TagEditForm, TagForm
from portal.board.models import Tag
from portal.board.pages import page_arg, sort_arg
from portal.board.tags import create_tag, find_tag, update_tag
from portal.extensions import db
from portal.membership.access import board_poster_required, board_reader_required


@bp.get("/tags")
@board_reader_required
def tag_list() -> ResponseReturnValue:
    return render_template(
        "board/tags.html", summaries=queries.tag_summaries(current_user.id)
    )


@bp.get("/tags/<name>")
@board_reader_required
def tag_show(name: str) -> ResponseReturnValue:
    summary = queries.tag_summary(name, current_user.id)
    if summary is None:
        abort(404)
    sort = sort_arg()
    page = queries.question_page(sort, page_arg(), summary.tag.id)
    return render_template(
        "board/tag.html",
        summary=summary,
        tag=summary.tag,
        page=page,
        sort=sort,
        sorts=queries.SORTS,
    )


def _tag_or_404(name: str) -> Tag:
    tag = find_tag(name)
    if tag is None:
        abort(404)
    return tag


@bp.post("/tags/<name>/follow")
@board_poster_required
def tag_follow(name: str) -> ResponseReturnValue:
    tag = _tag_or_404(name)
    follows.follow_tag(current_user, tag)
    db.session.commit()
    flash(f"You follow “{tag.name}”.", "success")
    return redirect(url_for("board.tag_show", name=tag.name))


@bp.post("/tags/<name>/unfollow")
@board_poster_required
def tag_unfollow(name: str) -> ResponseReturnValue:
    tag = _tag_or_404(name)
    follows.unfollow_tag(current_user, tag)
    db.session.commit()
    flash(f"You no longer follow “{tag.name}”.", "info")
    return redirect(url_for("board.tag_show", name=tag.name))


def _admin_page(form: TagForm, status: int = 200) -> ResponseReturnValue:
    summaries = queries.tag_summaries(current_user.id)
    return render_template(
        "board/admin_tags.html", summaries=summaries, form=form
    ), status


@bp.get("/admin/tags")
@admin_required
def tag_admin_list() -> ResponseReturnValue:
    return _admin_page(TagForm(formdata=None))


@bp.post("/admin/tags")
@admin_required
def tag_admin_create() -> ResponseReturnValue:
    form = TagForm()
    if not form.validate_on_submit():
        return _admin_page(form, 400)
    try:
        tag = create_tag(
            form.name.data or "",
            form.description.data or "",
            current_user,
            is_starter=bool(form.is_starter.data),
        )
    except InvalidInput as error:
        form.name.errors = [str(error)]
        return _admin_page(form, 400)
    db.session.commit()
    flash(f"Tag “{tag.name}” created.", "success")
    return redirect(url_for("board.tag_admin_list"))


@bp.route("/admin/tags/<int:tag_id>", methods=["GET", "POST"])
@admin_required
def tag_admin_edit(tag_id: int) -> ResponseReturnValue:
    tag = db.get_or_404(Tag, tag_id)
    form = TagEditForm(obj=tag)
    if form.validate_on_submit():
        update_tag(tag, form.description.data or "", bool(form.is_starter.data))
        db.session.commit()
        flash(f"Tag “{tag.name}” saved.", "success")
        return redirect(url_for("board.tag_admin_list"))
    return render_template("board/admin_tag_edit.html", form=form, tag=tag)
