"""The batch jobs against the benchmark data set: digest, sweep, roster import.

``python -m bench.jobs --size large [--database-url URL]`` times each job through
the same service functions the commands call, inside a transaction that is rolled
back afterwards, so the data set is left as it was and the run can be repeated:

- the weekly digest for every member, after making each of them follow three tags
  (so all 10,000 members of the large set are due one);
- the daily sweep over every membership, a day with reminders and transitions;
- a 10,000-line roster of new graduates: the preview (``--dry-run``) and the import
  with its invitations.

Goals (issue 8): digest for 10,000 members under 30 s, sweep of 10,000
memberships under 5 s, 10,000-row import under 10 s. Printed, not asserted.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select

from bench.dataset import SIZES, backend, database_url, default_url
from portal import create_app
from portal.auth.models import User
from portal.board.models import Tag, TagFollow
from portal.board.services.digest import send_digests
from portal.core.time import today, utcnow
from portal.extensions import db
from portal.membership.models import Membership, Residency
from portal.membership.services.roster import import_roster, preview_roster
from portal.membership.services.sweep import run_sweep

ROSTER_LINES = 10_000


@contextmanager
def rolled_back() -> Iterator[None]:
    try:
        yield
    finally:
        db.session.rollback()


def timed(label: str, job: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = job()
    db.session.flush()
    seconds = time.perf_counter() - started
    print(f"{label:<34}{seconds:>8.2f} s   {result}", flush=True)
    return seconds, result


def everyone_follows_three_tags() -> int:
    """Inside the rolled-back transaction: a digest is due for every member."""
    tags = list(db.session.scalars(select(Tag.id).order_by(Tag.id).limit(20)))
    users = list(db.session.scalars(select(User.id)))
    db.session.execute(TagFollow.__table__.delete())
    now = utcnow()
    rows = [
        {"user_id": user, "tag_id": tags[(user + k * 7) % len(tags)], "created_at": now}
        for user in users
        for k in range(3)
    ]
    for first in range(0, len(rows), 5000):
        db.session.execute(insert(TagFollow), rows[first : first + 5000])
    return len(users)


def roster_csv(lines: int) -> str:
    rows = ["email,name,organization"]
    rows += [
        f"bench.graduate{n:05d}@hospital{n % 50}.example.org,"
        f"Graduate {n:05d},Hospital {n % 50}"
        for n in range(lines)
    ]
    return "\n".join(rows) + "\n"


def run(size: str, url: str) -> dict[str, Any]:
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench-" + "x" * 40}
    )
    results: dict[str, Any] = {}
    with app.app_context():
        memberships = db.session.scalar(select(func.count()).select_from(Membership))
        print(f"{db.engine.dialect.name} / {size}: {memberships} memberships")
        with rolled_back():
            members = everyone_follows_three_tags()
            seconds, report = timed(
                f"digest, {members} members", lambda: send_digests("weekly")
            )
            results["digest"] = {"seconds": round(seconds, 2), "report": str(report)}
        with rolled_back():
            day = today() + timedelta(days=1)
            seconds, report = timed(
                f"sweep, {memberships} memberships", lambda: run_sweep(day)
            )
            results["sweep"] = {"seconds": round(seconds, 2), "report": str(report)}
        data = roster_csv(ROSTER_LINES)
        with rolled_back():
            residency = Residency(
                name="Bench cohort", location="Online", held_on=today()
            )
            db.session.add(residency)
            db.session.flush()
            seconds, _ = timed(
                f"import preview, {ROSTER_LINES} lines",
                lambda: preview_roster(data, residency).summary(),
            )
            results["import_preview"] = {"seconds": round(seconds, 2)}
            seconds, _ = timed(
                f"import, {ROSTER_LINES} lines",
                lambda: import_roster(data, residency, actor=None).summary(),
            )
            results["import"] = {"seconds": round(seconds, 2)}
    return {"db": backend(url), "size": size, "jobs": results}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    url = database_url(args.database_url or default_url(args.size))
    print(json.dumps(run(args.size, url)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
