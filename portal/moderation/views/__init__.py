"""Moderation's pages, one module per thing acted on.

Shared here: finding a post or a 404, links back to it, and where to go after
a decision.
"""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from portal.auth.models import User
from portal.board.models import QUESTION, Question
from portal.board.services.visibility import AnyPost, find_post
from portal.core.paging import valid_id
from portal.core.urls import is_safe_next


def get_post(kind: str, post_id: int) -> AnyPost:
    """The post, or 404 (also for an unknown kind: URLs take any word there, so
    the question page can build them with ``path_for``); a deleted post is gone
    for everyone here."""
    post = find_post(kind, post_id) if valid_id(post_id) else None
    if post is None or post.is_deleted:
        abort(404)
    return post


def get_question(question_id: int) -> Question:
    post = get_post(QUESTION, question_id)
    assert isinstance(post, Question)  # noqa: S101 - find_post's kind
    return post


def anchor(post: AnyPost) -> str | None:
    return None if isinstance(post, Question) else f"{post.kind}-{post.id}"


def thread_url(post: AnyPost) -> str:
    """Where the post sits on its question page."""
    return url_for(
        "board.question_show", question_id=post.question_id, _anchor=anchor(post)
    )


def back_to_post(post: AnyPost) -> Response:
    """After a member acts on a post: to the post, or to the list when the
    question itself is out of their sight now."""
    sees = current_user.can_moderate or post.author_id == current_user.id
    if isinstance(post, Question) and not post.is_public and not sees:
        return redirect(url_for("board.question_list"))
    return redirect(thread_url(post))


def back(post: AnyPost) -> Response:
    """After a decision: the page it was taken on (the queue), else the post's
    moderation page."""
    target = request.form.get("next")
    if is_safe_next(target):
        return redirect(target or "/")
    return redirect(url_for("moderation.post_show", kind=post.kind, post_id=post.id))


def actor() -> User:
    """The signed-in moderator as a real ``User`` (not the proxy), for the log."""
    user: User = current_user._get_current_object()
    return user
