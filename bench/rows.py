"""Board rows as the services would have left them, counters included.

``question.score``/``answer.score`` are the sums of their votes,
``answer_count`` counts non-deleted answers, ``last_activity_at`` is the latest
ask, edit, answer, answer edit or comment, the accepted answer is a live answer
of that question, every post has its first revision (and an edited one a second),
posters follow what they asked, answered or commented on, and notifications are
the fan-out of the last weeks' answers, comments and accepts.
"""

from __future__ import annotations

import functools
import random
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from bench.posts import TAG_NAMES, Board
from portal.board.services.tags import STARTER_TAGS
from portal.core.markdown import RENDERER_VERSION, render_markdown

Row = dict[str, Any]


class Counters:
    """Everything on the question and answer rows that other rows decide."""

    def __init__(self, board: Board, rng: random.Random, now: datetime) -> None:
        questions, answers = board.questions, board.answers
        self.q_score = [0] * len(questions.at)
        self.a_score = [0] * len(answers.at)
        for _voter, is_answer, index, value, _at in board.votes:
            (self.a_score if is_answer else self.q_score)[index] += value
        self.answer_count = [0] * len(questions.at)
        self.activity = [
            max(at, questions.edited[i][0]) if i in questions.edited else at
            for i, at in enumerate(questions.at)
        ]
        best: dict[int, int] = {}
        for index, question in enumerate(board.answer_question):
            latest = answers.edited.get(index, (answers.at[index], ""))[0]
            self.activity[question] = max(self.activity[question], latest)
            if index in answers.deleted:
                continue
            self.answer_count[question] += 1
            if answers.author[index] != questions.author[question] and (
                question not in best
                or self.a_score[index] > self.a_score[best[question]]
            ):
                best[question] = index
        for question, _answer, _who, at, _body in board.comments:
            self.activity[question] = max(self.activity[question], at)
        self.accepted = {
            q: a
            for q, a in best.items()
            if q not in questions.deleted
            and q != board.sandbox
            and (q == board.ten_answers or rng.random() < 0.35)
        }


@functools.lru_cache(maxsize=50_000)
def _html(body: str) -> str:
    """Stored HTML as the services store it (bodies repeat, so renders are cached)."""
    return str(render_markdown(body))


def _body(posts: Any, index: int) -> str:
    edit = posts.edited.get(index)
    return posts.body[index] + (f"\n\nEdit: {edit[1]}" if edit else "")


def tag_rows(
    rng: random.Random, start: datetime, member_ids: list[int]
) -> Iterator[Row]:
    for index, name in enumerate(TAG_NAMES):
        starter = name in STARTER_TAGS
        yield {
            "id": index + 1,
            "name": name,
            "description": STARTER_TAGS.get(name, ""),
            "is_starter": starter,
            "created_at": start - timedelta(days=10)
            if starter
            else start + timedelta(days=rng.randint(0, 700)),
            "created_by_id": None if starter else rng.choice(member_ids),
        }


def question_rows(board: Board, counters: Counters) -> Iterator[Row]:
    q = board.questions
    for i, at in enumerate(q.at):
        deleted = q.deleted.get(i)
        yield {
            "id": i + 1,
            "author_id": q.author[i],
            "title": board.titles[i],
            "body": _body(q, i),
            "body_html": _html(_body(q, i)),
            "body_html_version": RENDERER_VERSION,
            "score": counters.q_score[i],
            "answer_count": counters.answer_count[i],
            "accepted_answer_id": None,
            "created_at": at,
            "last_activity_at": counters.activity[i],
            "edited_at": q.edited[i][0] if i in q.edited else None,
            "deleted_at": deleted,
            "deleted_by_id": q.author[i] if deleted else None,
        }


def accepted_rows(counters: Counters) -> Iterator[Row]:
    for question, answer in sorted(counters.accepted.items()):
        yield {"qid": question + 1, "aid": answer + 1}


def question_tag_rows(board: Board) -> Iterator[Row]:
    for i, tags in enumerate(board.tags):
        for tag in tags:
            yield {"question_id": i + 1, "tag_id": tag + 1}


def answer_rows(board: Board, counters: Counters) -> Iterator[Row]:
    a = board.answers
    for i, at in enumerate(a.at):
        deleted = a.deleted.get(i)
        yield {
            "id": i + 1,
            "question_id": board.answer_question[i] + 1,
            "author_id": a.author[i],
            "body": _body(a, i),
            "body_html": _html(_body(a, i)),
            "body_html_version": RENDERER_VERSION,
            "score": counters.a_score[i],
            "created_at": at,
            "edited_at": a.edited[i][0] if i in a.edited else None,
            "deleted_at": deleted,
            "deleted_by_id": a.author[i] if deleted else None,
        }


def comment_rows(board: Board) -> Iterator[Row]:
    for i, (question, answer, who, at, body) in enumerate(board.comments):
        yield {
            "id": i + 1,
            "question_id": question + 1,
            "answer_id": answer + 1 if answer >= 0 else None,
            "author_id": who,
            "body": body,
            "created_at": at,
            "deleted_at": None,
            "deleted_by_id": None,
        }


def vote_rows(board: Board) -> Iterator[Row]:
    for i, (voter, is_answer, index, value, at) in enumerate(board.votes):
        yield {
            "id": i + 1,
            "user_id": voter,
            "question_id": None if is_answer else index + 1,
            "answer_id": index + 1 if is_answer else None,
            "value": value,
            "created_at": at,
            "updated_at": at,
        }


def revision_rows(board: Board) -> Iterator[Row]:
    """The original of every post, then the edit of the edited ones."""
    q, a, next_id = board.questions, board.answers, 1
    for i, at in enumerate(q.at):
        tags = " ".join(sorted(TAG_NAMES[t] for t in board.tags[i]))
        versions = [(at, q.body[i])]
        if i in q.edited:
            versions.append((q.edited[i][0], _body(q, i)))
        for when, body in versions:
            yield {
                "id": next_id,
                "question_id": i + 1,
                "answer_id": None,
                "editor_id": q.author[i],
                "created_at": when,
                "title": board.titles[i],
                "body": body,
                "tags": tags,
            }
            next_id += 1
    for i, at in enumerate(a.at):
        versions = [(at, a.body[i])]
        if i in a.edited:
            versions.append((a.edited[i][0], _body(a, i)))
        for when, body in versions:
            yield {
                "id": next_id,
                "question_id": None,
                "answer_id": i + 1,
                "editor_id": a.author[i],
                "created_at": when,
                "title": None,
                "body": body,
                "tags": None,
            }
            next_id += 1


def follows(board: Board) -> dict[tuple[int, int], datetime]:
    """(member, question index) -> when they first asked, answered or commented."""
    first: dict[tuple[int, int], datetime] = {}

    def touch(user: int, question: int, at: datetime) -> None:
        key = (user, question)
        if key not in first or at < first[key]:
            first[key] = at

    for i, at in enumerate(board.questions.at):
        touch(board.questions.author[i], i, at)
    for i, at in enumerate(board.answers.at):
        touch(board.answers.author[i], board.answer_question[i], at)
    for question, _answer, who, at, _body in board.comments:
        touch(who, question, at)
    return first


def follow_rows(followed: dict[tuple[int, int], datetime]) -> Iterator[Row]:
    for (user, question), at in sorted(followed.items(), key=lambda kv: kv[0]):
        yield {"user_id": user, "question_id": question + 1, "created_at": at}


def notification_rows(
    board: Board,
    counters: Counters,
    followed: dict[tuple[int, int], datetime],
    rng: random.Random,
    since: datetime,
    now: datetime,
) -> Iterator[Row]:
    """The fan-out ``notify_*`` would have written for events after ``since``."""
    followers: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for (user, question), at in followed.items():
        followers[question].append((at, user))
    events = []
    for i, at in enumerate(board.answers.at):
        if at >= since:
            events.append(
                (
                    at,
                    "answer",
                    board.answer_question[i],
                    i,
                    None,
                    board.answers.author[i],
                )
            )
    for c, (question, answer, who, at, _body) in enumerate(board.comments):
        if at >= since:
            events.append(
                (at, "comment", question, answer if answer >= 0 else None, c, who)
            )
    for question, answer in counters.accepted.items():
        at = board.answers.at[answer] + timedelta(hours=rng.randint(2, 72))
        if since <= at < now:
            events.append(
                (
                    at,
                    "accepted",
                    question,
                    answer,
                    None,
                    board.questions.author[question],
                )
            )
    next_id = 1
    for at, kind, question, answer, comment, actor in sorted(
        events, key=lambda e: e[0]
    ):
        if kind == "accepted":
            told = {board.answers.author[answer]}  # type: ignore[index]
        else:
            told = {user for since_at, user in followers[question] if since_at < at}
            if kind == "comment" and answer is not None:
                told.add(board.answers.author[answer])
        for user in sorted(told - {actor}):
            read = at < now - timedelta(days=3) and rng.random() < 0.85
            yield {
                "id": next_id,
                "user_id": user,
                "kind": kind,
                "question_id": question + 1,
                "answer_id": answer + 1 if answer is not None else None,
                "comment_id": comment + 1 if comment is not None else None,
                "actor_id": actor,
                "created_at": at,
                "read_at": at + timedelta(hours=rng.randint(1, 48)) if read else None,
            }
            next_id += 1


def tag_follow_rows(rng: random.Random, users: list[Row]) -> Iterator[Row]:
    weights = [1 / (r + 1) for r in range(len(TAG_NAMES))]
    for user in users:
        if rng.random() < 0.3:
            tags = set(
                rng.choices(range(len(TAG_NAMES)), weights=weights, k=rng.randint(1, 4))
            )
            for tag in sorted(tags):
                yield {
                    "user_id": user["id"],
                    "tag_id": tag + 1,
                    "created_at": user["claimed_at"],
                }


def preference_rows(rng: random.Random, users: list[Row]) -> Iterator[Row]:
    for user in users:
        if rng.random() < 0.1:
            yield {
                "user_id": user["id"],
                "email_answer": rng.random() < 0.7,
                "email_comment": rng.random() < 0.5,
                "email_accepted": True,
                "digest_frequency": rng.choice(("off", "daily", "weekly")),
                "last_digest_at": None,
                "updated_at": user["claimed_at"],
            }
