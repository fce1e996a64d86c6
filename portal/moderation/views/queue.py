"""The moderation queue, and one post's moderation page."""

from __future__ import annotations

from flask import render_template
from flask.typing import ResponseReturnValue

from portal.auth.decorators import moderator_required
from portal.core.paging import page_arg
from portal.moderation import bp, queries
from portal.moderation.models import FLAG_REASONS
from portal.moderation.views import get_post, thread_url


@bp.get("/moderation")
@moderator_required
def queue_show() -> ResponseReturnValue:
    return render_template(
        "moderation/queue.html",
        page=queries.queue_page(page_arg()),
        summary=queries.queue_summary(),
        reasons=FLAG_REASONS,
    )


@bp.get("/moderation/<kind>/<int:post_id>")
@moderator_required
def post_show(kind: str, post_id: int) -> ResponseReturnValue:
    """Everything a moderator may do to one post, queued or not."""
    post = get_post(kind, post_id)
    return render_template(
        "moderation/post.html",
        entry=queries.post_entry(post),
        post=post,
        past=queries.past_items(post),
        thread_url=thread_url(post),
        reasons=FLAG_REASONS,
    )
