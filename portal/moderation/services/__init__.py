"""Moderation's writes: flags, review items, and the moderators' decisions.

What the modules share lives here: the names of moderation's entries in the
audit log, and writing one. Every decision is recorded with who made it, the
post it was about (its author is the entry's member) and the reason given.
"""

from __future__ import annotations

from typing import Any

from portal.auth.models import User
from portal.board.services.visibility import AnyPost
from portal.membership.models import AuditEntry
from portal.membership.services import audit

POST_DISMISS, POST_HIDE, POST_RESTORE, POST_APPEAL = (
    "post_dismiss",
    "post_hide",
    "post_restore",
    "post_appeal",
)
QUESTION_LOCK, QUESTION_UNLOCK, QUESTION_DUPLICATE, QUESTION_REOPEN = (
    "question_lock",
    "question_unlock",
    "question_duplicate",
    "question_reopen",
)
ACTIONS = (
    POST_DISMISS,
    POST_HIDE,
    POST_RESTORE,
    POST_APPEAL,
    QUESTION_LOCK,
    QUESTION_UNLOCK,
    QUESTION_DUPLICATE,
    QUESTION_REOPEN,
)


def post_name(post: AnyPost) -> str:
    """How the audit log and the queue name a post: "answer 12"."""
    return f"{post.kind} {post.id}"


def record(
    action: str, actor: User, post: AnyPost, reason: str | None, **detail: Any
) -> AuditEntry:
    """One audit entry about ``post``, in the caller's transaction."""
    return audit.record(
        action,
        actor=actor,
        user=post.author,
        reason=reason,
        detail={"post": post_name(post), "question": post.question_id, **detail},
    )
