"""Load benchmark: ``python -m bench.load --size small|large [--database-url URL]``.

Seeds the data set if it is not there, counts each page's SQL statements
in-process, starts gunicorn on 127.0.0.1, signs a member and an admin in, checks
every page once, then drives each page with 8 concurrent clients for a fixed
time. Prints a table, then one JSON line (the last line) for machines.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import secrets
import signal
import sys
import time
from datetime import UTC, datetime
from types import FrameType
from typing import Any

from bench import client, seed
from bench.dataset import SIZES, backend, database_url, default_url
from bench.loader import dataset_present
from bench.pages import Page, find_fixtures, pages, reference
from bench.server import ServerFailed, gunicorn
from bench.statements import PageFailed, count_statements

SECONDS = {"small": 5.0, "large": 15.0}
CLIENTS = 8


class BenchmarkFailed(RuntimeError):
    pass


def ensure_dataset(url: str, size: str) -> None:
    if dataset_present(url, size=SIZES[size]):
        print(f"data set: {size} already in {url}", flush=True)
        return
    started = time.perf_counter()
    seed.load(url, SIZES[size], datetime.now(UTC).date(), False, seed.Progress())
    print(
        f"data set: seeded {size} in {time.perf_counter() - started:.1f}s", flush=True
    )


async def _run_load(
    base: str, fixtures: Any, clients: int, seconds: float
) -> tuple[list[Page], dict[str, client.Result]]:
    form_page = f"/questions/{fixtures.ten_answers_id}"
    member = await client.sign_in(base, admin=False, form_page=form_page)
    admin = await client.sign_in(base, admin=True, form_page="/admin/members")
    measured = [reference(), *pages(fixtures, member.token)]
    accounts = {False: member, True: admin}
    problems = [await client.check(base, p, accounts[p.admin]) for p in measured]
    if any(problems):
        raise BenchmarkFailed("; ".join(p for p in problems if p))
    results = {}
    for page in measured:
        results[page.name] = await client.measure(
            base, page, accounts[page.admin], clients, seconds
        )
        print(f"  measured {page.name}: {len(results[page.name].latencies)} requests",
              flush=True)  # fmt: skip
    return measured, results


def report(
    db: str, size: str, results: dict[str, client.Result], statements: dict[str, int]
) -> dict[str, Any]:
    ref_rps = results["reference"].rps
    rows = {}
    for name, result in results.items():
        p50 = result.percentile(0.5)
        rows[name] = {
            "rps": round(result.rps, 1),
            "p50_ms": round(p50, 1),
            "p99_ms": round(result.percentile(0.99), 1),
            # Throughput against the reference measured in the same run: 0.5
            # means the page serves half as many requests a second.
            "ratio_to_reference": round(result.rps / ref_rps, 3)
            if ref_rps
            else math.nan,
            "statements": statements.get(name),
            "errors": len(result.errors),
        }
    reference_row = {k: rows["reference"][k] for k in ("rps", "p50_ms", "p99_ms")}
    pages_rows = {k: v for k, v in rows.items() if k != "reference"}
    return {"db": db, "size": size, "reference": reference_row, "pages": pages_rows}


def print_table(summary: dict[str, Any], statements: dict[str, int]) -> None:
    header = (
        f"{'page':<26}{'rps':>8}{'p50 ms':>10}{'p99 ms':>10}{'ratio':>8}{'stmts':>7}"
    )
    print(f"\n{summary['db']} / {summary['size']}\n{header}\n{'-' * len(header)}")
    ref = summary["reference"]
    print(f"{'reference':<26}{ref['rps']:>8.1f}{ref['p50_ms']:>10.1f}"
          f"{ref['p99_ms']:>10.1f}{1.0:>8.3f}{statements['reference']:>7}")  # fmt: skip
    for name, row in summary["pages"].items():
        errors = f"  {row['errors']} errors" if row["errors"] else ""
        print(
            f"{name:<26}{row['rps']:>8.1f}{row['p50_ms']:>10.1f}"
            f"{row['p99_ms']:>10.1f}{row['ratio_to_reference']:>8.3f}"
            f"{row['statements']:>7}{errors}"
        )
    print()


def _stop_on_term(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def run(url: str, size: str, seconds: float, clients: int) -> dict[str, Any]:
    ensure_dataset(url, size)
    fixtures = find_fixtures(url)
    secret = secrets.token_urlsafe(48)
    every = [reference(), *pages(fixtures, "")]
    statements = count_statements(url, secret, every)
    print(f"statements counted for {len(statements)} pages", flush=True)
    with gunicorn(url, secret) as base:
        print(
            f"gunicorn on {base}: {clients} clients, {seconds:g}s per page", flush=True
        )
        _, results = asyncio.run(_run_load(base, fixtures, clients, seconds))
    summary = report(backend(url), size, results, statements)
    print_table(summary, statements)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--database-url", default="")
    parser.add_argument("--seconds", type=float, default=None, help="per page")
    parser.add_argument("--clients", type=int, default=CLIENTS)
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop_on_term)
    url = database_url(args.database_url or default_url(args.size))
    seconds = args.seconds or SECONDS[args.size]
    started = time.perf_counter()
    try:
        summary = run(url, args.size, seconds, args.clients)
    except (BenchmarkFailed, PageFailed, ServerFailed, client.SignInFailed) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    print(f"total time {time.perf_counter() - started:.0f}s")
    print(json.dumps(summary))
    errors = sum(row["errors"] for row in summary["pages"].values())
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
