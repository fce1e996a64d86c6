"""Moderation's writes: flags, review items, and the moderators' decisions.

What the modules share lives here: the names of moderation's entries in the
audit log, and writing one. Every decision is recorded with who made it, the
post it was about (its author is the entry's member) and the reason given.
"""

from __future__ import annotations

from typing import Any

from portal.auth.models import User
from portal.board.services.visibility import AnyPost
from portal.membership.history import register_sentence
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


VERBS = {
    POST_DISMISS: "Flags dismissed on {post} by {by}",
    POST_HIDE: "Hid {post} by {by}",
    POST_RESTORE: "Restored {post} by {by}",
    POST_APPEAL: "Review of {post} asked for by {by}",
    QUESTION_LOCK: "Locked {post} by {by}",
    QUESTION_UNLOCK: "Unlocked {post} by {by}",
    QUESTION_DUPLICATE: "Closed {post} as a duplicate of question {original} by {by}",
    QUESTION_REOPEN: "Reopened {post} by {by}",
}


def _sentence(action: str) -> Any:
    def say(entry: AuditEntry, detail: dict[str, Any], by: str) -> str:
        text = VERBS[action].format(
            post=detail.get("post", "a post"), original=detail.get("original"), by=by
        )
        before, after = detail.get("state_before"), detail.get("state_after")
        moved = f" ({before} → {after})" if before and after and before != after else ""
        return f"{text}{moved}."

    return say


for _action in ACTIONS:
    register_sentence(_action, _sentence(_action))
