"""Questions, answers, comments and votes, kept in compact lists until written.

Ids follow time (a post written later has a larger id), every author could post
when they wrote (their membership was current then), votes are unique per member
and post and never on one's own post, and nothing is written to a post after it
was deleted. The counters on ``question`` and ``answer`` are computed from these
lists by ``bench.rows``.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bench.dataset import BUSIEST_TAG, RARE_TAG, SANDBOX_TITLE, TEN_ANSWERS_TITLE, Size
from bench.people import Member
from bench.text import Writer
from portal.board.services.tags import STARTER_TAGS

OTHER_TAGS = [
    "reviews",
    "residents",
    "consent",
    "misinformation",
    "recruitment",
    "analytics",
    "threads",
    "reddit",
    "doximity",
    "live-video",
    "vaccines",
    "telehealth",
    "nursing",
    "employer-brand",
    "influencers",
    "accessibility",
    "captions",
    "spanish",
    "photography",
    "video-editing",
    "scheduling-tools",
    "crisis-drills",
    "board-reporting",
    "legal",
    "trolls",
    "harassment",
    "personal-accounts",
    "newsletters",
    "seo",
    "google-reviews",
    "yelp",
    "awards",
    "fundraising",
    "research",
    "conferences",
    "templates",
    "approvals",
    "budgets",
    "interns",
]
RARE_TAGS = [RARE_TAG, "bluesky", "whatsapp", "snapchat", "pinterest"]
TAG_NAMES = [*STARTER_TAGS, *OTHER_TAGS, *RARE_TAGS]
BOARD_YEARS = 3


class Authors:
    """Who may post at a given time, weighted by how active they are."""

    def __init__(self, members: list[Member], start: datetime, end: datetime) -> None:
        self.start, self.width = start, timedelta(days=14)
        count = math.ceil((end - start) / self.width) + 1
        self.buckets: list[tuple[list[int], list[float]]] = []
        for n in range(count):
            lo, hi = start + self.width * n, start + self.width * (n + 1)
            able = [
                m for m in members if any(s <= lo and hi <= e for s, e in m.windows)
            ]
            able = able or [
                m for m in members if any(s <= hi and lo <= e for s, e in m.windows)
            ]
            cum, total = [], 0.0
            for member in able:
                total += member.weight
                cum.append(total)
            self.buckets.append(([m.user_id for m in able], cum))

    def pick(self, rng: random.Random, when: datetime, avoid: int = 0) -> int:
        ids, cum = self.buckets[int((when - self.start) / self.width)]
        for _ in range(20):
            choice = ids[bisect.bisect(cum, rng.random() * cum[-1])]
            if choice != avoid:
                return choice
        return ids[0] if ids[0] != avoid else ids[-1]


@dataclass
class Posts:
    """One list per column; index i of each list is post i (id i + 1)."""

    at: list[datetime] = field(default_factory=list)
    author: list[int] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    deleted: dict[int, datetime] = field(default_factory=dict)
    edited: dict[int, tuple[datetime, str]] = field(default_factory=dict)


@dataclass
class Board:
    questions: Posts = field(default_factory=Posts)
    titles: list[str] = field(default_factory=list)
    tags: list[list[int]] = field(default_factory=list)
    answers: Posts = field(default_factory=Posts)
    answer_question: list[int] = field(default_factory=list)
    # (question index, answer index or -1, author, at, body)
    comments: list[tuple[int, int, int, datetime, str]] = field(default_factory=list)
    # (voter, is_answer, post index, value, at)
    votes: list[tuple[int, bool, int, int, datetime]] = field(default_factory=list)
    ten_answers: int = 0
    sandbox: int = 0


def _after(
    rng: random.Random, start: datetime, mean_hours: float, now: datetime
) -> datetime:
    when = start + timedelta(hours=rng.expovariate(1 / mean_hours) + 0.05)
    return when if when < now else start + (now - start) * rng.random()


def _tags_for(rng: random.Random, common_cum: list[float]) -> list[int]:
    count = rng.choices((1, 2, 3, 4, 5), weights=(20, 30, 28, 15, 7))[0]
    chosen = [TAG_NAMES.index(BUSIEST_TAG)] if rng.random() < 0.25 else []
    while len(chosen) < count:
        tag = bisect.bisect(common_cum, rng.random() * common_cum[-1])
        if tag not in chosen and TAG_NAMES[tag] != BUSIEST_TAG:
            chosen.append(tag)
    return chosen


def add_questions(
    board: Board,
    size: Size,
    rng: random.Random,
    writer: Writer,
    authors: Authors,
    start: datetime,
    now: datetime,
) -> None:
    common = len(TAG_NAMES) - len(RARE_TAGS)
    cum = list(itertools.accumulate(1 / (r + 5) for r in range(common)))
    span = now - start
    times = sorted(
        start + span * math.sqrt(rng.random()) for _ in range(size.questions)
    )
    q = board.questions
    for when in times:
        q.at.append(when)
        q.author.append(authors.pick(rng, when))
        q.body.append(writer.question_body())
        board.titles.append(writer.title())
        board.tags.append(_tags_for(rng, cum))
    per_rare = max(3, size.questions // 4000)
    for offset, _name in enumerate(RARE_TAGS):
        for index in rng.sample(range(size.questions), per_rare):
            if len(board.tags[index]) < 5:
                board.tags[index].append(common + offset)
    board.ten_answers = bisect.bisect(q.at, now - timedelta(days=10))
    board.sandbox = bisect.bisect(q.at, now - timedelta(days=700))
    board.titles[board.ten_answers] = TEN_ANSWERS_TITLE
    board.titles[board.sandbox] = SANDBOX_TITLE
    _delete_and_edit(q, rng, writer, now, keep={board.ten_answers, board.sandbox})


def _delete_and_edit(
    posts: Posts,
    rng: random.Random,
    writer: Writer,
    now: datetime,
    keep: set[int],
    deleted: float = 0.005,
) -> None:
    for index, when in enumerate(posts.at):
        if index in keep:
            continue
        roll = rng.random()
        if roll < deleted:
            posts.deleted[index] = _after(rng, when, 200, now)
        elif roll < deleted + 0.03:
            posts.edited[index] = (_after(rng, when, 30, now), writer.paragraph())


def _answer_counts(board: Board, size: Size, rng: random.Random) -> list[int]:
    counts = [
        0 if rng.random() < 0.12 else 1 + int(rng.expovariate(1 / 4.7))
        for _ in board.questions.at
    ]
    counts[board.ten_answers], counts[board.sandbox] = 10, 20
    fixed = {board.ten_answers, board.sandbox}
    answered = [i for i, c in enumerate(counts) if c and i not in fixed]
    diff = size.answers - sum(counts)
    while diff:
        index = rng.choice(answered)
        if diff > 0:
            counts[index], diff = counts[index] + 1, diff - 1
        elif counts[index] > 1:
            counts[index], diff = counts[index] - 1, diff + 1
    return counts


def add_answers(
    board: Board,
    size: Size,
    rng: random.Random,
    writer: Writer,
    authors: Authors,
    now: datetime,
) -> None:
    q, pending = board.questions, []
    for index, count in enumerate(_answer_counts(board, size, rng)):
        until = q.deleted.get(index, now)
        for _ in range(count):
            when = _after(rng, q.at[index], 40, until)
            pending.append(
                (when, index, authors.pick(rng, when, avoid=q.author[index]))
            )
    pending.sort()
    a = board.answers
    for when, index, author in pending:
        a.at.append(when)
        a.author.append(author)
        a.body.append(writer.answer_body())
        board.answer_question.append(index)
    keep = {
        i
        for i, qi in enumerate(board.answer_question)
        if qi in (board.ten_answers, board.sandbox)
    }
    _delete_and_edit(a, rng, writer, now, keep, deleted=0.01)


def _open_until(board: Board, question: int, answer: int, now: datetime) -> datetime:
    ends = [now, board.questions.deleted.get(question, now)]
    if answer >= 0:
        ends.append(board.answers.deleted.get(answer, now))
    return min(ends)


def add_comments(
    board: Board,
    size: Size,
    rng: random.Random,
    writer: Writer,
    authors: Authors,
    now: datetime,
) -> None:
    pending = []
    special = [
        i for i, qi in enumerate(board.answer_question) if qi == board.ten_answers
    ]
    targets = [(board.ten_answers, -1)] * 4 + [
        (board.ten_answers, a) for a in special[:6]
    ]
    while len(targets) < size.comments:
        if rng.random() < 0.3:
            target = (rng.randrange(len(board.questions.at)), -1)
        else:
            answer = rng.randrange(len(board.answers.at))
            target = (board.answer_question[answer], answer)
        if target[0] != board.ten_answers:
            targets.append(target)
    for question, answer in targets:
        since = (
            board.answers.at[answer] if answer >= 0 else board.questions.at[question]
        )
        when = _after(rng, since, 24, _open_until(board, question, answer, now))
        pending.append((when, question, answer, authors.pick(rng, when)))
    pending.sort()
    board.comments = [
        (qi, ai, who, when, writer.comment()) for when, qi, ai, who in pending
    ]


def add_votes(
    board: Board, size: Size, rng: random.Random, authors: Authors, now: datetime
) -> None:
    weights = [
        rng.paretovariate(1.3)
        for _ in range(len(board.questions.at) + len(board.answers.at))
    ]
    cum = list(itertools.accumulate(weights))
    first_answer, seen = len(board.questions.at), set()
    while len(board.votes) < size.votes:
        post = bisect.bisect(cum, rng.random() * cum[-1])
        is_answer = post >= first_answer
        index = post - first_answer if is_answer else post
        posts = board.answers if is_answer else board.questions
        question = board.answer_question[index] if is_answer else index
        until = _open_until(board, question, index if is_answer else -1, now)
        when = _after(rng, posts.at[index], 72, until)
        voter = authors.pick(rng, when, avoid=posts.author[index])
        key = (voter, post)
        if voter == posts.author[index] or key in seen:
            continue
        seen.add(key)
        value = 1 if rng.random() < 0.85 else -1
        board.votes.append((voter, is_answer, index, value, when))
