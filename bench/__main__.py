"""`python -m bench [pages|contest|ranking|compliance|xapi|catalogue|checkout|search]`: the
benchmarks; with none, all.

* pages: seeds a throwaway production-like site (SQLite), counts queries, load-tests pages.
* contest: a burst of contestants starting, answering and submitting (bench/contest_burst.py).
* ranking: standings at 10k, 100k, 1M attempts: ranking, top 100, one rank (bench/ranking.py).
* compliance: training dashboard and exports at 5k, 50k, 500k enrolments (bench/compliance.py).
* xapi: xAPI statements per second under gunicorn beside the ceiling (bench/xapi_ingest.py).
* catalogue: the OCOP catalogue with facet counts at 10k and 100k products (bench/catalogue.py).
* checkout: 100 buyers racing for the last 10 units; oversold units (bench/checkout_contention.py).
* search: indexing and search latency on PostgreSQL and SQLite, 10k to 1M entries (bench/search.py).

The contest, ranking, compliance, xapi, catalogue and checkout benchmarks need PostgreSQL
(BENCH_DATABASE_URL) and are skipped with a printed line when it does not answer; search skips
only its PostgreSQL half. See their module docstrings.
"""

import argparse
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import unquote_plus

import django
import wagtail

from bench import (
    catalogue,
    checkout_contention,
    compliance,
    contest_burst,
    ranking,
    search,
    xapi_ingest,
)
from bench.environment import SITE_SETUP, child_env, run
from bench.loadgen import load
from bench.report import step, table
from bench.server import WORKERS, gunicorn

WARMUP = 50
SIZES = (10, 1000)
NOT_COUNTED = {"sitemap"}  # lists every page by design: its growth is reported, not failed
BENCHMARKS = (
    "pages",
    "contest",
    "ranking",
    "compliance",
    "xapi",
    "catalogue",
    "checkout",
    "search",
)


def queries_table(small: dict, large: dict) -> tuple[str, bool]:
    """The table and its note, and whether a counted page's queries grow with the articles."""
    rows, grows = [], False
    for label, before in small["queries"].items():
        after = large["queries"][label]
        verdict = "same" if after == before else "GROWS" if after > before else "fewer"
        if after > before and label in NOT_COUNTED:
            verdict += " (by design, not counted)"
        grows |= after > before and label not in NOT_COUNTED
        rows.append([f"{label} {unquote_plus(small['urls'][label])}", before, after, verdict])
    headers = ["page", f"queries @{small['articles']:,} articles"]
    headers += [f"queries @{large['articles']:,} articles", "same/GROWS"]
    extra = large["queries"]["sitemap"] - small["queries"]["sitemap"]
    added = large["articles"] - small["articles"]
    shape = f"O(n), +{extra / added:.2f} per article" if extra > 0 else "constant"
    note = (
        f"The sitemap lists every page by design ({small['sitemap_urls']:,} → "
        f"{large['sitemap_urls']:,} URLs); its query count is {shape}, "
        "and it is not counted toward the exit code."
    )
    return f"{table(headers, rows)}\n{note}", grows


def load_table(port: int, urls: dict[str, str], requests: int, concurrency: int) -> str:
    results = {}
    for label, url in urls.items():
        step(f"load: {label} {url}")
        load(port, url, WARMUP, concurrency)
        results[label] = load(port, url, requests, concurrency)
    ceiling = results["trivial"].rps
    rows = [
        [
            f"{label} {r.url}",
            len(r.latencies),
            f"{r.rps:,.1f}",
            f"{r.percentile_ms(50):.1f}",
            f"{r.percentile_ms(95):.1f}",
            f"{r.rps / ceiling:.3f}",
        ]
        for label, r in results.items()
    ]
    headers = ["page", "requests", "req/s", "p50 ms", "p95 ms", "req/s ÷ trivial"]
    return table(headers, rows)


def pages(requests: int, concurrency: int) -> int:
    """Query counts and throughput of the public pages; 1 when a page's queries grow."""
    started = time.perf_counter()
    print(
        f"Pages: gunicorn sync, {WORKERS} workers × 1 thread | {concurrency} client threads"
        f" | {requests} requests per URL (+{WARMUP} warm-up) | Python"
        f" {platform.python_version()}, Django {django.get_version()}, Wagtail"
        f" {wagtail.__version__}, SQLite {sqlite3.sqlite_version} | {os.cpu_count()} CPUs",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="cds-bench-"))
    try:
        env = child_env(tmp)
        for command in SITE_SETUP:
            step(f"manage.py {' '.join(command)}")
            run(env, "manage.py", *command)
        measured = []
        for size in SIZES:
            step(f"queries with {size} articles")
            measured.append(json.loads(run(env, "-m", "bench.queries", str(size))))
        queries, grows = queries_table(*measured)

        step("gunicorn")
        article = measured[-1]["urls"]["article"]
        urls = {"trivial": "/_bench/trivial", "home": "/", "article": article}
        with gunicorn(env, tmp / "gunicorn.log", WORKERS) as port:
            throughput = load_table(port, urls, requests, concurrency)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print(f"\nSQL queries per page (each URL warmed once first)\n{queries}")
    print(f"\nThroughput on 127.0.0.1 with {measured[-1]['articles']:,} articles\n{throughput}")
    print(f"\nPages total time: {time.perf_counter() - started:.0f} s")
    if grows:
        print("FAIL: a page's query count grows with the number of articles.")
    return 1 if grows else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument(
        "benchmarks",
        nargs="*",
        metavar="{pages,contest,ranking,compliance,xapi,catalogue,checkout,search}",
        help="which (default: all)",
    )
    group = parser.add_argument_group("pages")
    group.add_argument("--requests", type=int, default=600, help="requests per URL (600)")
    group.add_argument("--concurrency", type=int, default=8, help="client threads (8)")
    group = parser.add_argument_group("contest")
    group.add_argument("--contestants", type=int, default=contest_burst.CONTESTANTS, help="(2000)")
    group.add_argument(
        "--ramp",
        type=float,
        default=contest_burst.RAMP_SECONDS,
        help="seconds over which the starts are spread (60)",
    )
    group.add_argument(
        "--start-clients",
        type=int,
        default=contest_burst.START_CLIENTS,
        help="threads sending the starts (8)",
    )
    group.add_argument(
        "--clients",
        type=int,
        default=contest_burst.CLIENTS,
        help="threads answering and submitting (16)",
    )
    args = parser.parse_args(argv)
    numbers = [args.requests, args.concurrency, args.contestants, args.start_clients, args.clients]
    if min(numbers) < 1 or args.ramp <= 0:
        parser.error("counts and --ramp must be positive")
    unknown = sorted(set(args.benchmarks) - set(BENCHMARKS))
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}: choose from {', '.join(BENCHMARKS)}")

    started = time.perf_counter()
    chosen = args.benchmarks or list(BENCHMARKS)
    status = 0
    if "pages" in chosen:
        status |= pages(args.requests, args.concurrency)
    if "contest" in chosen:
        status |= contest_burst.main(args.contestants, args.ramp, args.start_clients, args.clients)
    if "ranking" in chosen:
        status |= ranking.main()
    if "compliance" in chosen:
        status |= compliance.main()
    if "xapi" in chosen:
        status |= xapi_ingest.main()
    if "catalogue" in chosen:
        status |= catalogue.main()
    if "checkout" in chosen:
        status |= checkout_contention.main()
    if "search" in chosen:
        status |= search.main()
    if len(chosen) > 1:
        print(f"\nTotal time: {time.perf_counter() - started:.0f} s")
    return status


if __name__ == "__main__":
    sys.exit(main())
