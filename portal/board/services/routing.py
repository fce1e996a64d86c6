"""Routing: ask the members best placed to answer a question (docs/routing.md).

Round 1 runs when a question is posted (``ask_question`` calls
``route_question`` in its transaction, so a rolled-back question asks nobody).
Round 2 is the follow-up: ``flask board follow-up`` (hourly) finds questions
still unanswered 48 hours after they were posted and asks the next best-placed
members, once per question. Both write ``answer_request`` rows and send through
the notification fan-out (in-app, and an outbox email per preference).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from portal.auth.models import User
from portal.board.models import PUBLIC, AnswerRequest, Question, UnansweredFollowUp
from portal.board.queries.routing import answered_by_tag, best_placed
from portal.board.services.notifications import notify_answer_request
from portal.core.atomic import insert_ignore
from portal.core.db import conflict_insert
from portal.core.locks import wait_for_turn
from portal.core.settings import save_setting, setting
from portal.core.time import utcnow
from portal.extensions import db
from portal.membership.services import audit

ROUTING = "BOARD_ROUTING_ENABLED"
FIRST, SECOND = 1, 2
FOLLOW_UP_AFTER = timedelta(hours=48)
# Older questions are left to the digest: switching routing on, or a follow-up
# job that was stopped for days, must not send members a backlog.
FOLLOW_UP_WITHIN = timedelta(days=7)


def routing_enabled() -> bool:
    """The admin's setting, else ``BOARD_ROUTING_ENABLED``; one key read."""
    return bool(setting(ROUTING))


def set_routing(enabled: bool, actor: User, reason: str | None = None) -> bool:
    """Switch routing on or off (audited); False when it already was."""
    if routing_enabled() == enabled:
        return False
    save_setting(ROUTING, enabled)
    audit.record(
        audit.SETTING_CHANGE,
        actor=actor,
        reason=reason,
        detail={"setting": ROUTING, "value": enabled},
    )
    return True


def route_question(question: Question, now: datetime | None = None) -> list[int]:
    """Round 1: ask up to three best-placed members; their ids. A question held
    for review asks nobody until it is released (``services/visibility.py``)."""
    if not question.is_public or not routing_enabled():
        return []
    return _ask(question, FIRST, now or utcnow())


def _ask(question: Question, round_: int, now: datetime) -> list[int]:
    """Choose (in SQL), record, notify; members already asked are skipped."""
    # The weekly cap is a count read before the insert: concurrent asks take
    # turns so two questions cannot both give a member their third request.
    wait_for_turn("board-routing")
    chosen = [c.user_id for c in best_placed(question.id, question.author_id, now)]
    if not chosen:
        return []
    values = {"question_id": question.id, "round": round_, "created_at": now}
    rows = [{**values, "user_id": user_id} for user_id in chosen]
    dialect = db.session.get_bind().dialect.name
    inserted = db.session.execute(
        conflict_insert(AnswerRequest, dialect)
        .values(rows)
        .on_conflict_do_nothing()
        .returning(AnswerRequest.user_id)
    )
    asked = sorted(set(inserted.scalars()))
    if asked:
        notify_answer_request(question, _reasons(asked, question, round_, now))
    return asked


def _reasons(
    user_ids: list[int], question: Question, round_: int, now: datetime
) -> dict[int, dict[str, Any]]:
    """Each member's "4 questions about tiktok and 1 about policy"."""
    by_tag = answered_by_tag(user_ids, question.id, now)
    return {
        user_id: {
            "track_record": track_record(by_tag.get(user_id, [])),
            "waiting": round_ == SECOND,
        }
        for user_id in user_ids
    }


def track_record(counts: list[tuple[str, int]]) -> str:
    """[("tiktok", 4), ("policy", 1)] -> "4 questions about tiktok and 1 about
    policy"."""
    if not counts:
        return "questions like this one"
    (first, most), *rest = counts
    parts = [f"{most} question{'' if most == 1 else 's'} about {first}"]
    parts += [f"{count} about {name}" for name, count in rest]
    if len(parts) == 1:
        return parts[0]
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


@dataclass
class FollowUpReport:
    questions: int = 0
    asked: int = 0
    enabled: bool = True

    def __str__(self) -> str:
        if not self.enabled:
            return "Routing is switched off: nothing followed up."
        return (
            f"{self.questions} unanswered question"
            f"{'' if self.questions == 1 else 's'} followed up, "
            f"{self.asked} member{'' if self.asked == 1 else 's'} asked"
        )


def _due(now: datetime) -> list[Question]:
    """Unanswered, posted 48 hours to 9 days ago, not followed up yet
    (``ix_question_unanswered``: answer_count, created_at over live questions)."""
    followed_up = exists().where(UnansweredFollowUp.question_id == Question.id)
    return list(
        db.session.scalars(
            select(Question)
            .where(
                Question.deleted_at.is_(None),
                Question.state == PUBLIC,
                Question.answer_count == 0,
                Question.created_at <= now - FOLLOW_UP_AFTER,
                Question.created_at > now - FOLLOW_UP_AFTER - FOLLOW_UP_WITHIN,
                ~followed_up,
            )
            .options(joinedload(Question.author))
            .order_by(Question.created_at, Question.id)
        )
    )


def follow_up_unanswered(now: datetime | None = None) -> FollowUpReport:
    """Round 2 for each question still unanswered after 48 hours (caller commits).

    Each question is claimed first with an INSERT … ON CONFLICT DO NOTHING of
    its ``unanswered_follow_up`` row, so two runs, even concurrent ones, follow a
    question up once; the claim stands even when nobody is left to ask, and the
    digest lists the question first for its tags' followers.
    """
    if not routing_enabled():
        return FollowUpReport(enabled=False)
    now = now or utcnow()
    report = FollowUpReport()
    for question in _due(now):
        if not insert_ignore(
            UnansweredFollowUp, question_id=question.id, created_at=now
        ):
            continue
        report.questions += 1
        report.asked += len(_ask(question, SECOND, now))
    return report
