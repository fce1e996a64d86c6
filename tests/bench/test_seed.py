"""The benchmark data set is what the services would have written, every time."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from bench import seed
from bench.dataset import SIZES
from bench.loader import dataset_present

TODAY = date(2026, 3, 1)

INCONSISTENT = {
    "question scores": """SELECT count(*) FROM question q WHERE score !=
        (SELECT coalesce(sum(value), 0) FROM vote v WHERE v.question_id = q.id)""",
    "answer scores": """SELECT count(*) FROM answer a WHERE score !=
        (SELECT coalesce(sum(value), 0) FROM vote v WHERE v.answer_id = a.id)""",
    "answer counts": """SELECT count(*) FROM question q WHERE answer_count !=
        (SELECT count(*) FROM answer a
         WHERE a.question_id = q.id AND a.deleted_at IS NULL)""",
    "accepted answers": """SELECT count(*) FROM question q
        JOIN answer a ON a.id = q.accepted_answer_id
        WHERE a.question_id != q.id OR a.deleted_at IS NOT NULL""",
    "last activity": """SELECT count(*) FROM question q WHERE last_activity_at <
        (SELECT max(created_at) FROM answer a WHERE a.question_id = q.id)""",
    "votes on own posts": """SELECT count(*) FROM vote v
        LEFT JOIN answer a ON a.id = v.answer_id
        LEFT JOIN question q ON q.id = v.question_id
        WHERE v.user_id = coalesce(a.author_id, q.author_id)""",
    "membership ends": """SELECT count(*) FROM membership m WHERE ends_on !=
        (SELECT max(ends_on) FROM term t WHERE t.membership_id = m.id)""",
    "first revisions": """SELECT count(*) FROM answer a WHERE NOT EXISTS
        (SELECT 1 FROM revision r WHERE r.answer_id = a.id)""",
    "unclaimed accounts": "SELECT count(*) FROM user_account WHERE claimed_at IS NULL",
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('bench') / 'small.db'}"
    seed.load(url, SIZES["small"], TODAY, replace=False, say=lambda _m: None)
    return url


def scalar(url: str, sql: str) -> object:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text(sql))
    finally:
        engine.dispose()


@pytest.mark.parametrize("what", sorted(INCONSISTENT))
def test_seeded_rows_are_consistent(seeded, what):
    assert scalar(seeded, INCONSISTENT[what]) == 0


def test_every_membership_status_occurs(seeded):
    statuses = scalar(
        seeded, "SELECT group_concat(DISTINCT last_status) FROM membership"
    )
    assert set(str(statuses).split(",")) >= {"current", "expired", "upcoming"}


def test_the_benchmark_finds_a_complete_data_set(seeded):
    assert dataset_present(seeded, SIZES["small"])
    assert not dataset_present(seeded, SIZES["large"])


def test_two_runs_write_the_same_rows(seeded, tmp_path: Path):
    again = f"sqlite:///{tmp_path / 'again.db'}"
    seed.load(again, SIZES["small"], TODAY, replace=False, say=lambda _m: None)
    tables = ("user_account", "membership", "term", "question", "answer", "vote")
    for table in tables:
        query = f"SELECT * FROM {table} ORDER BY 1"  # noqa: S608 - our own names
        assert _rows(seeded, query) == _rows(again, query), table


def _rows(url: str, query: str) -> list[tuple[object, ...]]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(query))]
    finally:
        engine.dispose()
