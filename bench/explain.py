"""Query plans of a page's statements: ``python -m bench.explain --size large PAGE``.

Records the statements of one request of each page (as ``bench.statements``
counts them) and asks the database for each one's plan, marking the lines that
read a whole table (SQLite ``SCAN`` without an index, PostgreSQL ``Seq Scan``).

``--check`` (run by ``make bench``) exits 1 when a board page's statement reads
all of ``question``, ``answer`` or ``vote``: at the large size such a plan is a
page that gets slower with every post ever written.
"""

from __future__ import annotations

import argparse
import itertools
import secrets
from typing import Any

from sqlalchemy import create_engine

from bench.dataset import SIZES, database_url, default_url
from bench.pages import find_fixtures, pages, reference
from bench.statements import bench_app, signed_in, statements_of


def whole_table(line: str) -> bool:
    if "Seq Scan" in line:
        return True
    return line.lstrip(" |-`").startswith("SCAN ") and " INDEX " not in line


BIG_TABLES = ("question", "answer", "vote")
BOARD_PAGES = [
    "questions_newest",
    "questions_top",
    "questions_unanswered",
    "questions_newest_page50",
    "tag_busiest",
    "tag_rare",
    "question_10_answers",
    "member_profile",
]


def reads_a_big_table(line: str) -> bool:
    if not whole_table(line):
        return False
    words = line.replace("Seq Scan on", "SCAN").split()
    return any(
        word == "SCAN" and nxt in BIG_TABLES for word, nxt in itertools.pairwise(words)
    )


def plan(conn: Any, statement: str, params: Any) -> list[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        return [f"{'  ' * (row[1] > 0)}{row[3]}" for row in rows]
    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params)
    return [row[0] for row in rows]


def explain(url: str, names: list[str]) -> list[str]:
    """Print the plans; return the lines that read a whole big table."""
    offending: list[str] = []
    fixtures = find_fixtures(url)
    every = {p.name: p for p in [reference(), *pages(fixtures, "")]}
    app = bench_app(url, secrets.token_urlsafe(32))
    clients = {False: signed_in(app, False), True: signed_in(app, True)}
    engine = create_engine(url)
    with engine.connect() as conn:
        for name in names:
            print(f"== {name}")
            for statement, params in statements_of(app, clients, every[name]):
                if not statement.lstrip().upper().startswith("SELECT"):
                    continue
                print(f"-- {' '.join(statement.split())[:160]}")
                for line in plan(conn, statement, params):
                    print(f"   {'FULL ' if whole_table(line) else '     '}{line}")
                    if reads_a_big_table(line):
                        offending.append(f"{name}: {line.strip()}")
    engine.dispose()
    return offending


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--check", action="store_true", help="Fail on big scans.")
    parser.add_argument("pages", nargs="*", help="Default: the board's pages.")
    args = parser.parse_args(argv)
    url = database_url(args.database_url or default_url(args.size))
    offending = explain(url, args.pages or BOARD_PAGES)
    if args.check:
        for line in offending:
            print(f"whole-table read: {line}")
        print(f"{len(offending)} whole-table reads of {', '.join(BIG_TABLES)}")
        return 1 if offending else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
