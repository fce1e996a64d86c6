"""A moderator's decisions on a post: dismiss, hide, restore; an admin's suspend.

Each changes the post's state through the board's ``set_state`` (counters,
search and held mail follow), closes the post's open review item with the
outcome, resolves its flags, and writes an audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from portal.auth.models import User
from portal.board.models import HELD, HIDDEN, PUBLIC, Answer, Comment, Notification
from portal.board.services.visibility import AnyPost, set_state
from portal.core.time import utcnow
from portal.core.validation import clean_text
from portal.extensions import db
from portal.membership.errors import MembershipError
from portal.membership.services import standing
from portal.moderation import email, services
from portal.moderation.errors import Gone, ModerationError, NotAllowed
from portal.moderation.models import (
    DISMISSED,
    HIDDEN_OUTCOME,
    NOTE_MAX,
    NOTICE,
    RESTORED,
)
from portal.moderation.services.reviews import close_item, lock_thread


def clean_reason(reason: str | None, *, required: bool = False) -> str | None:
    try:
        return clean_text(
            reason, "A reason", NOTE_MAX, required=required, multiline=True
        )
    except ValueError as error:
        raise ModerationError(str(error)) from None


def _check_live(post: AnyPost) -> None:
    if post.is_deleted:
        raise Gone("That post was deleted.")


def dismiss(actor: User, post: AnyPost, reason: str | None = None) -> None:
    """Nothing wrong with it: close its item, and release it if it was held
    (by flags or by the guard: its waiting notifications and mail then go).
    A hidden post stays hidden: dismissing an appeal declines it."""
    reason = clean_reason(reason)
    lock_thread(post)
    before = post.state
    closed = close_item(post, actor, DISMISSED, reason)
    released = before == HELD and set_state(post, PUBLIC)
    if not (closed or released):
        raise ModerationError("That post is not waiting for review.")
    _record(services.POST_DISMISS, actor, post, reason, before)


def hide(
    actor: User, post: AnyPost, reason: str | None, now: datetime | None = None
) -> None:
    """Only its author, moderators and admins see it now; the author is told
    why, by email and in the app, and may edit it and ask for a review."""
    reason = clean_reason(reason, required=True)
    _check_live(post)
    lock_thread(post)
    before, now = post.state, now or utcnow()
    moved = set_state(post, HIDDEN)
    closed = close_item(post, actor, HIDDEN_OUTCOME, reason, now)
    if not (moved or closed):
        raise ModerationError("That post is already hidden.")
    _tell_author(post, reason or "")
    _record(services.POST_HIDE, actor, post, reason, before)


def restore(actor: User, post: AnyPost, reason: str | None = None) -> None:
    """Public again, whatever held or hid it."""
    reason = clean_reason(reason)
    _check_live(post)
    lock_thread(post)
    before = post.state
    moved = set_state(post, PUBLIC)
    closed = close_item(post, actor, RESTORED, reason)
    if not (moved or closed):
        raise ModerationError("That post is public already.")
    _record(services.POST_RESTORE, actor, post, reason, before)


def suspend_author(
    actor: User,
    post: AnyPost,
    until: date,
    reason: str | None,
    today: date | None = None,
) -> None:
    """Admins only: the membership rules' suspension, naming the post."""
    if not actor.is_admin:
        raise NotAllowed("Only admins can suspend a member.")
    try:
        standing.suspend(
            post.author,
            actor=actor,
            until=until,
            reason=reason or "",
            today=today,
            detail={"post": services.post_name(post)},
        )
    except MembershipError as error:
        raise ModerationError(str(error)) from None


def _record(
    action: str, actor: User, post: AnyPost, reason: str | None, before: str
) -> None:
    services.record(
        action, actor, post, reason, state_before=before, state_after=post.state
    )


def _tell_author(post: AnyPost, reason: str) -> None:
    answer_id = post.id if isinstance(post, Answer) else None
    if isinstance(post, Comment):
        answer_id = post.answer_id
    db.session.add(
        Notification(
            user_id=post.author_id,
            kind=NOTICE,
            question_id=post.question_id,
            answer_id=answer_id,
            comment_id=post.id if isinstance(post, Comment) else None,
        )
    )
    email.send_post_hidden(post, reason)
