"""Search latency at scale: fill a database, index it, time searches.

    python -m bench.search --database-url sqlite:////tmp/search.db --questions 100000
    python -m bench.search --database-url postgresql://postgres@127.0.0.1/bench

Fills an EMPTY database (its tables are dropped and created; a SQLite file is
deleted first) with synthetic questions and answers about social media in
healthcare, by bulk Core inserts with a fixed seed: about five answers per
question, some deleted, some accepted.
Then it times ``reindex_all`` and the p50/p95 latency of ``search()`` and
``similar()`` for several kinds of query, next to a naive ``ILIKE`` scan over
the board's own tables in the same run. ``--reuse`` skips the fill and index.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import random
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import and_, event, exists, func, insert, or_, select, text, update
from sqlalchemy.engine import Engine

from portal import create_app
from portal.auth.models import User
from portal.board.models import Answer, Question, Tag, question_tag
from portal.extensions import db
from portal.search.queries import search, similar
from portal.search.services import reindex_all


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION = _words("""
the a an of to and in for on with is are we our you your it this that
how what do does can should be have has at from by as or not about any our their
when who would will if there they been more some than just also""")
GENERAL = _words("""
time team staff week month year plan content guidelines example advice
question answer experience approach process tool template calendar leadership
legal compliance risk people community message messages page account accounts
photo photos video videos post posts comment comments review reviews story
stories image images link links group groups channel channels update updates
approval workflow training budget goal goals result results idea ideas problem
policy policies rule rules question thread feedback survey data number numbers
public private official personal professional internal external weekly daily
new small large rural urban academic local national negative positive angry
anonymous quick simple clear best good better worse hard easy useful""")
DOMAIN = _words("""
facebook instagram tiktok youtube linkedin twitter threads reddit
pinterest snapchat whatsapp bluesky mastodon podcast blog newsletter website
physician doctor nurse resident surgeon pediatrician cardiologist oncologist
dermatologist psychiatrist radiologist pharmacist dentist midwife therapist
communicator marketer manager director coordinator chaplain administrator
volunteer student fellow attending hospital clinic practice department ward unit
system network foundation pharmacy hospice laboratory consent privacy hipaa
patient patients reel reels livestream caption captions hashtag hashtags rating
misinformation vaccine vaccines flu measles covid cancer diabetes stroke
maternity pediatrics mental nutrition screening awareness campaign recruitment
fundraising donor event webinar conference respond reply moderate schedule
publish boost promote monitor measure track report approve edit film record
interview engagement reach impressions followers audience algorithm analytics
metrics ads advertising targeting influencer creator brand reputation crisis
statement press media journalist newsroom emergency surgery transplant
telehealth appointment waiting testimonial storytelling photographer consent
release form lawsuit complaint troll harassment outage accessibility alt text
translation spanish infographic animation shorts carousel live qa trend trends
employee ambassador ceo spokesperson disclaimer scheduling dashboard""")
TAGS = _words("""
facebook instagram x-twitter linkedin youtube tiktok blogs podcasts
strategy policy crisis measurement advertising patient-stories physician-brand
hipaa recruitment fundraising accessibility video analytics moderation
reputation telehealth vaccines mental-health oncology pediatrics nursing
residency conferences newsletters internal-comms media-relations
misinformation employee-advocacy live-streaming photography captions
influencers reviews""")
SYLLABLES = _words(
    "ka ri mo len sa tor vi an del bro mar quin sel ta wen ox lu per ham"
)


def _zipf(words: Sequence[str], weight: float, rng: random.Random) -> dict[str, float]:
    shuffled = list(dict.fromkeys(words))
    rng.shuffle(shuffled)
    raw = [1 / (rank + 1) ** 0.9 for rank in range(len(shuffled))]
    total = sum(raw)
    return {word: weight * r / total for word, r in zip(shuffled, raw, strict=True)}


class Writer:
    """Random text with a realistic mix of function, general, domain, rare words."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        rare = {
            "".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(4000)
        }
        self.rare = sorted(rare)
        self.body = self._table(0.42, 0.25, 0.28, 0.05)
        self.title = self._table(0.30, 0.12, 0.53, 0.05)

    def _table(self, *mix: float) -> tuple[list[str], list[float]]:
        weights: dict[str, float] = {}
        for pool, share in zip(
            (FUNCTION, GENERAL, DOMAIN, self.rare), mix, strict=True
        ):
            for word, weight in _zipf(pool, share, self.rng).items():
                weights[word] = weights.get(word, 0) + weight
        return list(weights), list(itertools.accumulate(weights.values()))

    def words(self, n: int, focus: Sequence[str], title: bool = False) -> list[str]:
        words, cumulative = self.title if title else self.body
        rng, top = self.rng, cumulative[-1]
        chosen = [
            words[bisect.bisect(cumulative, rng.random() * top)] for _ in range(n)
        ]
        for i in range(n):
            if rng.random() < 0.08:
                chosen[i] = rng.choice(focus)
        return chosen

    def text(self, n: int, focus: Sequence[str]) -> str:
        words, sentences = self.words(n, focus), []
        while words:
            size = self.rng.randint(6, 16)
            sentence, words = words[:size], words[size:]
            sentences.append(" ".join(sentence).capitalize() + ".")
        return " ".join(sentences)

    def headline(self, focus: Sequence[str]) -> str:
        return (
            " ".join(self.words(self.rng.randint(6, 12), focus, True)).capitalize()
            + "?"
        )

    def focus(self) -> list[str]:
        return self.rng.sample(DOMAIN, 3)


def _batches(
    rows: Iterator[dict[str, Any]], size: int = 5000
) -> Iterator[list[dict[str, Any]]]:
    while batch := list(itertools.islice(rows, size)):
        yield batch


def fill(questions: int, seed: int) -> dict[str, int]:
    """Bulk-insert users, tags, questions, answers; returns the row counts."""
    rng, writer = random.Random(seed), Writer(random.Random(seed + 1))
    start = datetime(2021, 1, 1, tzinfo=UTC)
    users = max(50, questions // 30)
    db.session.execute(
        insert(User),
        [
            {"id": n, "email": f"member{n}@example.org", "name": f"Member {n}"}
            for n in range(1, users + 1)
        ],
    )
    db.session.execute(
        insert(Tag),
        [
            {"id": n, "name": name, "is_starter": n <= 16}
            for n, name in enumerate(TAGS, 1)
        ],
    )
    answer_id, counts, accepted = 0, {"questions": questions, "answers": 0}, []
    step = timedelta(days=5 * 365) / questions
    for first in range(1, questions + 1, 2000):
        qrows, trows, arows = [], [], []
        for qid in range(first, min(first + 2000, questions + 1)):
            focus, created = writer.focus(), start + step * qid
            n_answers = (
                min(16, int(rng.expovariate(1 / 6.45))) if rng.random() > 0.08 else 0
            )
            live = 0
            best: tuple[int, int] | None = None
            for _ in range(n_answers):
                answer_id += 1
                deleted = rng.random() < 0.03
                score = int(rng.expovariate(0.4)) - 1
                live += not deleted
                if not deleted and (best is None or score > best[0]):
                    best = (score, answer_id)
                arows.append(
                    {
                        "id": answer_id,
                        "question_id": qid,
                        "author_id": rng.randint(1, users),
                        "body": writer.text(rng.randint(20, 90), focus),
                        "score": score,
                        "created_at": created + timedelta(hours=1 + len(arows) % 48),
                        "deleted_at": created + timedelta(days=1) if deleted else None,
                    }
                )
            if best and rng.random() < 0.45:
                accepted.append({"id": qid, "accepted_answer_id": best[1]})
            qrows.append(
                {
                    "id": qid,
                    "author_id": rng.randint(1, users),
                    "title": writer.headline(focus)[:150],
                    "body": writer.text(rng.randint(30, 150), focus),
                    "score": int(rng.expovariate(0.3)) - 1,
                    "answer_count": live,
                    "created_at": created,
                    "last_activity_at": created,
                    "deleted_at": created + timedelta(days=2)
                    if rng.random() < 0.02
                    else None,
                }
            )
            for tag_id in set(
                rng.choices(range(1, len(TAGS) + 1), k=rng.randint(1, 3))
            ):
                trows.append({"question_id": qid, "tag_id": tag_id})
        db.session.execute(insert(Question), qrows)
        db.session.execute(insert(question_tag), trows)
        for batch in _batches(iter(arows)):
            db.session.execute(insert(Answer), batch)
        counts["answers"] += len(arows)
        db.session.commit()
    db.session.execute(update(Question), accepted)  # bulk UPDATE by primary key
    if db.engine.dialect.name == "postgresql":
        # Rows were inserted with their ids: move the sequences past them.
        for model in (User, Tag, Question, Answer):
            sequence = func.pg_get_serial_sequence(model.__tablename__, "id")
            top = select(func.max(model.id)).scalar_subquery()
            db.session.execute(select(func.setval(sequence, top)))
    db.session.commit()
    return counts


def naive(words: Sequence[str]) -> list[int]:
    """What search would be without an index: LIKE over titles, bodies, answers."""

    def contains(word: str) -> Any:
        pattern = f"%{word}%"
        in_answers = exists().where(
            Answer.question_id == Question.id,
            Answer.deleted_at.is_(None),
            Answer.body.ilike(pattern),
        )
        return or_(
            Question.title.ilike(pattern), Question.body.ilike(pattern), in_answers
        )

    return list(
        db.session.scalars(
            select(Question.id)
            .where(Question.deleted_at.is_(None), and_(*map(contains, words)))
            .order_by(Question.created_at.desc())
            .limit(21)
        )
    )


def timed(
    run: Callable[[Any], Any], inputs: Sequence[Any]
) -> tuple[float, float, float]:
    """p50, p95 and max in milliseconds, after one untimed warm-up call."""
    run(inputs[0])
    samples = []
    for item in inputs:
        started = time.perf_counter()
        run(item)
        samples.append((time.perf_counter() - started) * 1000)
        db.session.rollback()
    samples.sort()
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return statistics.median(samples), p95, samples[-1]


def workloads(
    rng: random.Random, n: int
) -> dict[str, tuple[Callable[[Any], Any], list[Any]]]:
    writer = Writer(random.Random(99))
    topical = [w for w in DOMAIN if len(w) > 3]
    common = ["patient", "video", "hospital", "instagram", "facebook", "team", "policy"]
    one = [rng.choice(topical) for _ in range(n)]
    rare = [rng.choice(writer.rare) for _ in range(n)]
    two = [" ".join(rng.sample(topical, 2)) for _ in range(n)]
    three = [" ".join(rng.sample(topical, 3)) for _ in range(n)]
    titles = [writer.headline(writer.focus()) for _ in range(n)]
    phrases = []
    for title in titles:
        words = [
            w.strip("?").lower() for w in title.split() if w.lower() not in FUNCTION
        ]
        phrases.append(
            '"' + " ".join(words[:2]) + '"' if len(words) >= 2 else f'"{title}"'
        )
    return {
        "one word": (search, one),
        "one common word": (search, [rng.choice(common) for _ in range(n)]),
        "one rare word": (search, rare),
        "two words": (search, two),
        "three words": (search, three),
        '"phrase"': (search, phrases),
        "word -excluded": (
            search,
            [f"{a} -{b}" for a, b in zip(one, topical[::-1], strict=False)],
        ),
        "tag:x word": (search, [f"tag:{rng.choice(TAGS)} {w}" for w in one]),
        "tag:x alone": (search, [f"tag:{rng.choice(TAGS)}" for _ in range(n)]),
        "one word, newest": (lambda q: search(q, sort="newest"), one),
        "word is:unanswered": (search, [f"{w} is:unanswered" for w in one]),
        "page 5": (lambda q: search(q, page=5), one),
        "similar(title)": (similar, titles),
        "naive ILIKE, one word": (lambda q: naive([q]), one[: max(5, n // 20)]),
        "naive ILIKE, rare word": (lambda q: naive([q]), rare[: max(5, n // 20)]),
        "naive ILIKE, two words": (lambda q: naive(q.split()), two[: max(5, n // 20)]),
    }


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--questions", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200, help="per kind of query")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--reuse", action="store_true", help="keep the data and index")
    parser.add_argument(
        "--sqlite-mmap",
        action="store_true",
        help="read SQLite through a 256 MB memory map and a 64 MB page cache",
    )
    args = parser.parse_args(argv)
    if args.sqlite_mmap:
        event.listen(Engine, "connect", _memory_mapped)
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "TESTING": True})
    with app.app_context():
        url = db.engine.url.render_as_string()
        print(f"engine: {db.engine.dialect.name} {url} mmap={args.sqlite_mmap}")
        if not args.reuse:
            prepare(args.questions, args.seed)
        print(f"{'query':24} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
        for name, (run, inputs) in workloads(
            random.Random(args.seed), args.queries
        ).items():
            p50, p95, worst = timed(run, inputs)
            print(f"{name:24} {p50:8.1f} {p95:8.1f} {worst:8.1f}", flush=True)


def _memory_mapped(dbapi_connection: Any, _record: Any) -> None:
    """What core.db's SQLite settings could add: reads without a system call."""
    if type(dbapi_connection).__module__ == "sqlite3":
        dbapi_connection.execute("PRAGMA mmap_size = 268435456")
        dbapi_connection.execute("PRAGMA cache_size = -65536")


def prepare(questions: int, seed: int) -> None:
    if db.engine.dialect.name == "sqlite":
        db.engine.dispose()
        for suffix in ("", "-wal", "-shm"):  # a fresh file, not one full of free pages
            Path(f"{db.engine.url.database}{suffix}").unlink(missing_ok=True)
    db.drop_all()
    db.create_all()
    started = time.perf_counter()
    counts = fill(questions, seed)
    print(
        f"filled {counts['questions']:,} questions, {counts['answers']:,} answers "
        f"in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    started = time.perf_counter()
    indexed = reindex_all()
    db.session.commit()
    print(
        f"reindex_all: {indexed:,} documents in {time.perf_counter() - started:.0f} s",
        flush=True,
    )
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.execute(text("VACUUM ANALYZE"))


if __name__ == "__main__":
    main()
