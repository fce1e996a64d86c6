"""Moderation's mail: telling an author that a moderator hid their post.

The mail names no text of the post (not even a question's title): a post is
often hidden because it exposes a patient, and mail is the last place that
should go. It carries no ``refs`` either: mail about a hidden post waits in the
outbox (``core.mail`` checks), and this one is meant to go now.
"""

from __future__ import annotations

from portal.board.services.visibility import AnyPost
from portal.core.mail import queue_email
from portal.core.urls import absolute_url


def notice_url(post: AnyPost) -> str:
    """The author's page about their post: why it was hidden, and the appeal."""
    return absolute_url("moderation.notice_show", kind=post.kind, post_id=post.id)


def send_post_hidden(post: AnyPost, reason: str) -> None:
    author = post.author
    queue_email(
        "moderation_hidden",
        to=author.email,
        subject=f"A moderator hid your {post.kind}",
        name=author.name,
        noun=post.kind,
        posted_at=post.created_at,
        reason=reason,
        link=notice_url(post),
        headers={"X-Portal-Moderation": "hidden"},
    )
