"""What the moderation pages read."""

from __future__ import annotations

from sqlalchemy import select

from portal.board.services.visibility import AnyPost
from portal.extensions import db
from portal.moderation.models import Flag


def has_flagged(user_id: int, post: AnyPost) -> bool:
    return (
        db.session.scalar(
            select(Flag.id).where(
                Flag.post_kind == post.kind,
                Flag.post_id == post.id,
                Flag.user_id == user_id,
            )
        )
        is not None
    )
