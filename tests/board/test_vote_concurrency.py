"""Scores stay exact when many OS processes vote at once (SQLite and PostgreSQL)."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, insert, select

from portal.auth.models import User
from portal.board.models import Answer, Question, Vote
from portal.extensions import db
from tests.board import vote_worker
from tests.factories import answer, ask, fresh, make_member

PROCESSES = 8
VOTERS_EACH = 100

# What each voter does, in order; -1/1 are votes, 0 retracts. The last value is
# what counts; repeats are double submissions.
PATTERNS = [[1], [-1], [1, -1], [-1, 1], [1, 1], [1, 0], [-1, -1, 1], [1, 0, -1]]


def make_voters(count: int) -> list[int]:
    rows = [
        {"email": f"voter{i}@example.org", "name": f"Voter {i}", "role": "member"}
        for i in range(count)
    ]
    db.session.execute(insert(User), rows)
    db.session.commit()
    return list(db.session.scalars(select(User.id).where(User.email.like("voter%"))))


def run_processes(database_url: str, kind: str, post_id: int, plans: list) -> None:
    # A fork server imports the app once, then forks each voter from that clean
    # process: fast, and no fork of this (threaded) test process.
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.board.vote_worker"])
    barrier = context.Barrier(len(plans))
    processes = [
        context.Process(
            target=vote_worker.cast_votes,
            args=(database_url, kind, post_id, plan, barrier),
        )
        for plan in plans
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=100)
    assert [process.exitcode for process in processes] == [0] * len(plans)


# Eight processes start an app each and cast ~1,500 votes: give a busy CI room.
pytestmark = pytest.mark.timeout(300)


def test_eight_processes_voting_leave_the_exact_score(app, database_url):
    asker, author = make_member("asker@example.org"), make_member("author@example.org")
    reply = answer(author, ask(asker))
    voter_ids = make_voters(PROCESSES * VOTERS_EACH)
    plans = [
        [
            (voter_ids[p * VOTERS_EACH + i], PATTERNS[(p + i) % len(PATTERNS)])
            for i in range(VOTERS_EACH)
        ]
        for p in range(PROCESSES)
    ]
    expected = sum(values[-1] for plan in plans for _, values in plan)

    run_processes(database_url, "answer", reply.id, plans)

    assert fresh(Answer, reply.id).score == expected
    total = db.session.scalar(
        select(func.coalesce(func.sum(Vote.value), 0)).where(Vote.answer_id == reply.id)
    )
    assert total == expected
    voted = sum(1 for plan in plans for _, values in plan if values[-1] != 0)
    assert db.session.scalar(select(func.count()).select_from(Vote)) == voted


def test_one_member_submitting_from_eight_processes_counts_once(app, database_url):
    question = ask(make_member("asker@example.org"))
    voter = make_member("voter@example.org")
    plans = [[(voter.id, [1])] for _ in range(PROCESSES)]

    run_processes(database_url, "question", question.id, plans)

    assert fresh(Question, question.id).score == 1
    assert db.session.scalar(select(func.count()).select_from(Vote)) == 1
