"""Following questions and tags; the notifications feature reads these tables."""

from __future__ import annotations

from sqlalchemy import delete

from portal.auth.models import User
from portal.board.models import Question, QuestionFollow, Tag, TagFollow
from portal.board.services.tags import count_follower
from portal.core.atomic import changed, insert_ignore
from portal.core.time import utcnow


def follow_question(user: User, question: Question) -> bool:
    """True when this started a follow (False: already following)."""
    return insert_ignore(
        QuestionFollow, user_id=user.id, question_id=question.id, created_at=utcnow()
    )


def unfollow_question(user: User, question: Question) -> bool:
    return changed(
        delete(QuestionFollow)
        .where(
            QuestionFollow.user_id == user.id,
            QuestionFollow.question_id == question.id,
        )
        .returning(QuestionFollow.user_id)
    )


def follow_tag(user: User, tag: Tag) -> bool:
    """True when newly followed; the tag's follower counter moves only then."""
    followed = insert_ignore(
        TagFollow, user_id=user.id, tag_id=tag.id, created_at=utcnow()
    )
    if followed:
        count_follower(tag.id, +1)
    return followed


def unfollow_tag(user: User, tag: Tag) -> bool:
    unfollowed = changed(
        delete(TagFollow)
        .where(TagFollow.user_id == user.id, TagFollow.tag_id == tag.id)
        .returning(TagFollow.user_id)
    )
    if unfollowed:
        count_follower(tag.id, -1)
    return unfollowed
