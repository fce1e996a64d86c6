"""Tag management for admins: create tags, describe them, pick the starters."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from portal.admin import bp
from portal.admin.forms import TagEditForm, TagForm
from portal.auth.decorators import admin_required
from portal.board.errors import InvalidInput
from portal.board.models import Tag
from portal.board.queries.tags import tag_summaries
from portal.board.services.tags import create_tag, update_tag
from portal.core.paging import get_or_404
from portal.extensions import db


def _admin_page(form: TagForm, status: int = 200) -> ResponseReturnValue:
    summaries = tag_summaries(current_user.id)
    return render_template("admin/tags.html", summaries=summaries, form=form), status


@bp.get("/tags")
@admin_required
def tag_list() -> ResponseReturnValue:
    return _admin_page(TagForm(formdata=None))


@bp.post("/tags")
@admin_required
def tag_create() -> ResponseReturnValue:
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
    return redirect(url_for("admin.tag_list"))


@bp.route("/tags/<int:tag_id>", methods=["GET", "POST"])
@admin_required
def tag_edit(tag_id: int) -> ResponseReturnValue:
    tag = get_or_404(Tag, tag_id)
    form = TagEditForm(obj=tag)
    if form.validate_on_submit():
        update_tag(tag, form.description.data or "", bool(form.is_starter.data))
        db.session.commit()
        flash(f"Tag “{tag.name}” saved.", "success")
        return redirect(url_for("admin.tag_list"))
    return render_template("admin/tag_edit.html", form=form, tag=tag)
