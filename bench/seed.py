"""Generate the benchmark data set: ``python -m bench.seed --size small|large``.

The same seed and the same ``--today`` give the same rows. Dates are spread over
the three years up to ``--today`` (by default today, so membership statuses are
the ones named in ``bench.people``).
"""

from __future__ import annotations

import argparse
import hashlib
import random
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from werkzeug.security import check_password_hash

from bench import loader, posts, rows
from bench.dataset import PASSWORD, SEED, SIZES, Size, database_url, default_url
from bench.people import People, build_people, status_counts
from bench.text import Writer


class Progress:
    def __init__(self) -> None:
        self.started = time.perf_counter()

    def __call__(self, message: str) -> None:
        print(f"[{time.perf_counter() - self.started:7.1f}s] {message}", flush=True)


def password_hash(rng: random.Random) -> str:
    """werkzeug's pbkdf2 format with a salt from the seed (so runs are identical)."""
    salt = f"{rng.getrandbits(64):016x}"
    digest = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt.encode(), 1000)
    hashed = f"pbkdf2:sha256:1000${salt}${digest.hex()}"
    if not check_password_hash(hashed, PASSWORD):
        raise RuntimeError("the benchmark password hash does not verify")
    return hashed


@dataclass
class Dataset:
    people: People
    board: posts.Board
    counters: rows.Counters
    start: datetime
    now: datetime


def generate(size: Size, today: date, say: Progress) -> Dataset:
    rng = random.Random(SEED)
    now = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    people = build_people(size, rng, today, password_hash(rng))
    counts = ", ".join(
        f"{k} {v:,}" for k, v in sorted(status_counts(people, today).items())
    )
    say(f"people: {len(people.rows['user_account']):,} accounts; memberships: {counts}")
    start = now - timedelta(days=365 * posts.BOARD_YEARS)
    authors = posts.Authors(people.members, start, now)
    writer, board = Writer(rng), posts.Board()
    posts.add_questions(board, size, rng, writer, authors, start, now)
    posts.add_answers(board, size, rng, writer, authors, now)
    posts.add_comments(board, size, rng, writer, authors, now)
    posts.add_votes(board, size, rng, authors, now)
    say(
        f"board: {len(board.questions.at):,} questions, {len(board.answers.at):,} "
        f"answers, {len(board.comments):,} comments, {len(board.votes):,} votes"
    )
    return Dataset(people, board, rows.Counters(board, rng, now), start, now)


PEOPLE_TABLES = (
    "user_account",
    "residency",
    "membership",
    "term",
    "membership_audit",
    "membership_reminder",
    "member_profile",
    "member_checklist",
)


def load(url: str, size: Size, today: date, replace: bool, say: Progress) -> None:
    data = generate(size, today, say)
    loader.create_schema(url, replace)
    say("schema created")
    engine, conn, parallel = loader.connect(url)
    try:
        with loader.indexes_built_after(conn, say):
            steps = people_steps(data) + board_steps(data, size)
            if parallel:
                # Two connections: PostgreSQL uses the second core.
                heavy = {"vote", "question_follow", "tag_follow", "notification"}
                groups = [
                    [step for step in steps if step[0] not in heavy],
                    [step for step in steps if step[0] in heavy],
                ]
            else:
                groups = [steps]
            loader.load_groups(engine, groups, say)
        # Last: a data set with its accepted answers is complete (dataset_present).
        accepted = loader.set_accepted(conn, rows.accepted_rows(data.counters))
        say(f"accepted answers: {accepted:,}")
        loader.finish(conn)
        say("analyzed")
    finally:
        conn.close()
        engine.dispose()
    say(f"search index: {loader.build_search_index(url):,} questions")


def people_steps(data: Dataset) -> list[loader.Step]:
    return [(table, data.people.rows.get(table, [])) for table in PEOPLE_TABLES]


def board_steps(data: Dataset, size: Size) -> list[loader.Step]:
    """(table, rows) in foreign-key order; rows are generated as they are written.

    Each generator that draws random numbers has its own ``Random``, so the data
    does not depend on which connection writes first.
    """
    board, counters, now = data.board, data.counters, data.now
    users = data.people.rows["user_account"]
    followed = rows.follows(board)
    since = now - timedelta(days=size.notification_days)
    sweep = {
        "name": "members-sweep",
        "detail": "bench",
        "succeeded_at": _sweep_time(now),
    }

    def rng(name: str) -> random.Random:
        return random.Random(f"{SEED}-{name}")

    notifications = rows.notification_rows(
        board, counters, followed, rng("notification"), since, now
    )
    return [
        ("tag", rows.tag_rows(rng("tag"), data.start, [row["id"] for row in users])),
        ("question", rows.question_rows(board, counters)),
        ("question_tag", rows.question_tag_rows(board)),
        ("answer", rows.answer_rows(board, counters)),
        ("comment", rows.comment_rows(board)),
        ("vote", rows.vote_rows(board)),
        ("revision", rows.revision_rows(board)),
        ("question_follow", rows.follow_rows(followed)),
        ("tag_follow", rows.tag_follow_rows(rng("tag_follow"), users)),
        ("notification", notifications),
        ("notification_preference", rows.preference_rows(rng("preference"), users)),
        ("job_heartbeat", [sweep]),
    ]


def _sweep_time(now: datetime) -> datetime:
    """This morning's sweep, or yesterday's when it is not five past midnight yet."""
    ran = now + timedelta(minutes=5)
    return ran if ran < datetime.now(UTC) else ran - timedelta(days=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--database-url", default=None)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="anchor date (default: today, UTC)",
    )
    parser.add_argument(
        "--replace",
        action="store_true",
        help="drop tables that were not written by this generator",
    )
    args = parser.parse_args(argv)
    url = database_url(args.database_url or default_url(args.size))
    today = args.today or datetime.now(UTC).date()
    say = Progress()
    say(f"seeding {args.size} into {url} (today {today})")
    load(url, SIZES[args.size], today, args.replace, say)
    say(f"done: {args.size} data set loaded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
