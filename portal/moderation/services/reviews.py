"""Review items: the queue's rows, one open item per post at most.

An item opens when a post is first flagged, held by the patient-information
guard, or appealed by its author after a moderator hid it; later flags and
holds update the open item. Opening is race-free: an insert that the partial
unique index ``ux_review_item_open_post`` turns into a no-op when another
request opened the item first (it waits for that request's commit), then a
read of whichever item is open. Counting a flag is one atomic UPDATE.

Lock order: every moderation write locks its thread's question row first
(``lock_thread``), then the item. Search's indexer locks that row too when a
post changes state, and it must wait for the share lock each new flag's
foreign key takes on the question; without one order, a third flag holding
the item while it holds the post would deadlock with a fourth holding the
question while it waits for the item.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from portal.auth.models import User
from portal.board.models import HIDDEN, Question
from portal.board.services.visibility import AnyPost
from portal.core.atomic import changed, execute, insert_ignore
from portal.core.phi import Finding
from portal.core.time import utcnow
from portal.extensions import db
from portal.moderation import services
from portal.moderation.errors import Gone, ModerationError, NotAllowed
from portal.moderation.models import APPEAL, GUARD, Flag, ReviewItem

# Opening can lose a race to a moderator closing the item it found; retry.
ATTEMPTS = 3


def lock_thread(post: AnyPost) -> None:
    """Lock the post's question row (PostgreSQL; SQLite has one writer)."""
    db.session.execute(
        select(Question.id).where(Question.id == post.question_id).with_for_update()
    )


def _open_for(post: AnyPost) -> Any:
    return (
        ReviewItem.post_kind == post.kind,
        ReviewItem.post_id == post.id,
        ReviewItem.closed_at.is_(None),
    )


def _insert_item(post: AnyPost, cause: str, now: datetime, **values: Any) -> bool:
    """Open an item for ``post`` unless one is open; True when this one opened."""
    return insert_ignore(
        ReviewItem,
        post_kind=post.kind,
        post_id=post.id,
        question_id=post.question_id,
        author_id=post.author_id,
        cause=cause,
        opened_at=now,
        **values,
    )


def open_item_id(post: AnyPost, cause: str, now: datetime) -> int | None:
    """The id of the post's open item, opening one with ``cause`` if needed."""
    _insert_item(post, cause, now)
    return db.session.scalar(select(ReviewItem.id).where(*_open_for(post)))


def count_flag(post: AnyPost, cause: str, now: datetime) -> int:
    """Add a flag to the post's open item (opening it); the item's flag count."""
    for _ in range(ATTEMPTS):
        item_id = open_item_id(post, cause, now)
        count = db.session.scalar(
            update(ReviewItem)
            .where(ReviewItem.id == item_id, ReviewItem.closed_at.is_(None))
            .values(flag_count=ReviewItem.flag_count + 1, last_flag_at=now)
            .returning(ReviewItem.flag_count)
            .execution_options(synchronize_session=False)
        )
        if count is not None:
            return int(count)
    raise RuntimeError(f"could not open a review item for {services.post_name(post)}")


def finding_values(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    return [
        {"kind": f.kind, "text": f.text, "start": f.start, "end": f.end}
        for f in findings
    ]


def hold_for_guard(
    post: AnyPost, findings: Sequence[Finding], now: datetime | None = None
) -> None:
    """Its author posted it despite the guard: queue it with what was found.

    An item already open (flags came first) takes the latest findings: they
    describe the text as it stands now.
    """
    now, found = now or utcnow(), finding_values(findings)
    if _insert_item(post, GUARD, now, findings=found):
        return
    execute(update(ReviewItem).where(*_open_for(post)).values(findings=found))


def close_item(
    post: AnyPost,
    actor: User,
    outcome: str,
    reason: str | None = None,
    now: datetime | None = None,
) -> bool:
    """Close the post's open item (if any) and resolve its flags."""
    now = now or utcnow()
    closed = changed(
        update(ReviewItem)
        .where(*_open_for(post))
        .values(closed_at=now, closed_by_id=actor.id, outcome=outcome, reason=reason)
        .returning(ReviewItem.id)
    )
    execute(
        update(Flag)
        .where(
            Flag.post_kind == post.kind,
            Flag.post_id == post.id,
            Flag.resolved_at.is_(None),
        )
        .values(resolved_at=now)
    )
    return closed


def appeal(author: User, post: AnyPost, now: datetime | None = None) -> None:
    """The author edited a hidden post (or not) and asks a moderator to look again."""
    if post.author_id != author.id:
        raise NotAllowed("Only the author of a post can ask for its review.")
    if post.is_deleted:
        raise Gone("That post was deleted.")
    if post.state != HIDDEN:
        raise ModerationError("Only a hidden post can be sent back for review.")
    lock_thread(post)
    if not _insert_item(post, APPEAL, now or utcnow()):
        raise ModerationError("Your post is already waiting for a moderator.")
    services.record(services.POST_APPEAL, author, post, None)
