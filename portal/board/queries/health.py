"""The board's health for the admin dashboard: two statements in all.

"This month" is the calendar month in the portal's zone
(``reputation.month_start``). The figures are scalar subqueries of one SELECT,
each a single query of its own; the busiest tags are the second statement.
None walks a whole table (docs/performance.md):

- this month's questions are a range of ``ix_question_newest`` (live only), and
  "answered" reads their ``answer_count`` (live answers), never ``answer``;
  their tags are probes of ``question_tag``'s primary key;
- the first answer of each answered question is a probe of
  ``ix_answer_thread`` (question_id, deleted_at);
- unanswered for 48 hours is a range of ``ix_question_unanswered``;
- members who never posted probe ``ix_question_author_newest`` and
  ``ix_answer_author_newest`` per current member.

The median time to first answer: PostgreSQL's ``percentile_cont(0.5)``; SQLite
has no percentiles, so it sorts the delays and averages the middle one (odd
count) or two (even count) with ``LIMIT 2 - n % 2 OFFSET (n - 1) / 2``. Both
read only this month's answered questions, so the sort is bounded by a month.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, exists, func, select

from portal.board.models import Answer, Question, Tag, question_tag
from portal.board.queries.reputation import month_start
from portal.core import time
from portal.extensions import db
from portal.membership.models import Membership
from portal.membership.status import Status, status_clause

UNANSWERED_AFTER = timedelta(hours=48)
BUSIEST_TAGS = 5


@dataclass(frozen=True)
class TagActivity:
    name: str
    questions: int


@dataclass(frozen=True)
class BoardHealth:
    questions: int = 0
    answered: int = 0
    median_first_answer: timedelta | None = None
    unanswered_48h: int = 0
    never_posted: int = 0
    tags: list[TagActivity] = field(default_factory=list)

    @property
    def answered_percent(self) -> int | None:
        """Of this month's questions, the share with a live answer (rounded)."""
        if not self.questions:
            return None
        return round(100 * self.answered / self.questions)


def _this_month(since: datetime) -> list[ColumnElement[bool]]:
    return [Question.deleted_at.is_(None), Question.created_at >= since]


def _count(*where: ColumnElement[bool]) -> ScalarSelect[Any]:
    return select(func.count()).select_from(Question).where(*where).scalar_subquery()


def _answered(since: datetime) -> ScalarSelect[Any]:
    return _count(*_this_month(since), Question.answer_count > 0)


def _delay_seconds(dialect: str) -> ColumnElement[Any]:
    """Seconds from a question to its first live answer (None: no answer)."""
    first = (
        select(func.min(Answer.created_at))
        .where(Answer.question_id == Question.id, Answer.deleted_at.is_(None))
        .correlate(Question)
        .scalar_subquery()
    )
    if dialect == "postgresql":
        return func.extract("epoch", first - Question.created_at)
    return (func.julianday(first) - func.julianday(Question.created_at)) * 86400


def _median_first_answer(since: datetime, dialect: str) -> ScalarSelect[Any]:
    delays = (
        select(_delay_seconds(dialect).label("delay"))
        .where(*_this_month(since), Question.answer_count > 0)
        .cte("delays")
    )
    if dialect == "postgresql":
        median = func.percentile_cont(0.5).within_group(delays.c.delay)
        return select(median).scalar_subquery()
    n = select(func.count()).select_from(delays).scalar_subquery()
    middle = (
        select(delays.c.delay)
        .order_by(delays.c.delay)
        .limit(2 - n % 2)
        .offset((n - 1) // 2)
        .subquery("middle")
    )
    return select(func.avg(middle.c.delay)).scalar_subquery()


def _never_posted(today: date) -> ScalarSelect[Any]:
    """Current members without a question or an answer, deleted ones included."""
    return (
        select(func.count())
        .select_from(Membership)
        .where(
            status_clause(Status.CURRENT, today),
            ~exists().where(Question.author_id == Membership.user_id),
            ~exists().where(Answer.author_id == Membership.user_id),
        )
        .scalar_subquery()
    )


def busiest_tags(since: datetime, limit: int = BUSIEST_TAGS) -> list[TagActivity]:
    """The tags on most of this month's questions."""
    # IN, not a join from ``tag``: SQLite then starts from the month's questions
    # instead of walking every tag's questions.
    month = select(Question.id).where(*_this_month(since))
    count = func.count()
    rows = db.session.execute(
        select(Tag.name, count)
        .select_from(question_tag)
        .join(Tag, Tag.id == question_tag.c.tag_id)
        .where(question_tag.c.question_id.in_(month))
        .group_by(Tag.id, Tag.name)
        .order_by(count.desc(), Tag.name)
        .limit(limit)
    )
    return [TagActivity(name, int(questions)) for name, questions in rows]


def _whole_seconds(value: float) -> timedelta:
    return timedelta(seconds=round(value))


def board_health(now: datetime | None = None, today: date | None = None) -> BoardHealth:
    now, today = now or time.utcnow(), today or time.today()
    since = month_start(now)
    dialect = db.session.get_bind().dialect.name
    row = db.session.execute(
        select(
            _count(*_this_month(since)),
            _answered(since),
            _median_first_answer(since, dialect),
            _count(
                Question.deleted_at.is_(None),
                Question.answer_count == 0,
                Question.created_at < now - UNANSWERED_AFTER,
            ),
            _never_posted(today),
        )
    ).one()
    questions, answered, median, unanswered, never_posted = row
    return BoardHealth(
        questions=int(questions),
        answered=int(answered),
        # Whole seconds: SQLite's julianday arithmetic is off by microseconds.
        median_first_answer=None if median is None else _whole_seconds(median),
        unanswered_48h=int(unanswered),
        never_posted=int(never_posted),
        tags=busiest_tags(since),
    )
