"""Members flag posts; enough flags hold a post until a moderator looks.

One flag per member per post, ever: the unique key on ``flag`` decides, with an
insert that does nothing on a conflict, so a double-submitted form flags once
and says so. A post flagged by ``HOLD_AFTER`` different members, or once as
patient information, is held: only its author, moderators and admins see it.
"""

from __future__ import annotations

from datetime import datetime

from portal.auth.models import User
from portal.board.models import HELD, Answer, Comment
from portal.board.services.visibility import AnyPost, set_state
from portal.core.atomic import insert_ignore
from portal.core.time import utcnow
from portal.core.validation import clean_text
from portal.moderation.errors import AlreadyFlagged, Gone, ModerationError, NotAllowed
from portal.moderation.models import FLAG_REASONS, FLAGGED, NOTE_MAX, PATIENT_INFO, Flag
from portal.moderation.services.reviews import count_flag, lock_thread

HOLD_AFTER = 3


def clean_note(note: str | None) -> str | None:
    try:
        return clean_text(note, "The note", NOTE_MAX, multiline=True)
    except ValueError as error:
        raise ModerationError(str(error)) from None


def _thread_gone(post: AnyPost) -> bool:
    if isinstance(post, Answer | Comment) and post.question.is_deleted:
        return True
    return isinstance(post, Comment) and bool(post.answer and post.answer.is_deleted)


def check_flaggable(member: User, post: AnyPost) -> None:
    """Raise unless ``member`` may flag ``post``: someone else's, live and public."""
    if post.is_deleted or not post.is_public or _thread_gone(post):
        raise Gone("That post is not there any more.")
    if post.author_id == member.id:
        raise NotAllowed("You cannot flag your own post.")


def flag_post(
    member: User,
    post: AnyPost,
    reason: str,
    note: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Record ``member``'s flag and queue the post; True when it is now held."""
    if reason not in FLAG_REASONS:
        raise ModerationError("Choose why you are flagging this post.")
    note, now = clean_note(note), now or utcnow()
    check_flaggable(member, post)
    lock_thread(post)
    inserted = insert_ignore(
        Flag,
        post_kind=post.kind,
        post_id=post.id,
        question_id=post.question_id,
        user_id=member.id,
        reason=reason,
        note=note,
        created_at=now,
    )
    if not inserted:
        raise AlreadyFlagged("You already flagged this.")
    flags = count_flag(post, FLAGGED, now)
    if reason == PATIENT_INFO or flags >= HOLD_AFTER:
        return set_state(post, HELD)
    return False
