"""Query plans of a page's statements: ``python -m bench.explain --size large PAGE``.

Records the statements of one request of each page (as ``bench.statements``
counts them) and asks the database for each one's plan, marking the lines that
read a whole table (SQLite ``SCAN`` without an index, PostgreSQL ``Seq Scan``).
"""

from __future__ import annotations

import argparse
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


def plan(conn: Any, statement: str, params: Any) -> list[str]:
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)
        return [f"{'  ' * (row[1] > 0)}{row[3]}" for row in rows]
    rows = conn.exec_driver_sql(f"EXPLAIN {statement}", params)
    return [row[0] for row in rows]


def explain(url: str, names: list[str]) -> None:
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
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="large")
    parser.add_argument("--database-url", default="")
    parser.add_argument("pages", nargs="+")
    args = parser.parse_args(argv)
    explain(database_url(args.database_url or default_url(args.size)), args.pages)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
