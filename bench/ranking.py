"""Ranking at scale: standings built in bulk, then ranking, the top 100 and one contestant's rank.

Run it alone with `python -m bench ranking` (`python -m bench` runs every benchmark). It needs
PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench; the
database is created afresh and dropped at the end) and is skipped with a printed line when the
server does not answer. Sizes count attempts, five per contestant, one standing per contestant:

    BENCH_RANKING_SIZES=10000,100000,1000000 .venv/bin/python -m bench ranking   # the default

For each size a child process adds a contest with one closed, not yet ranked round and COPYs
its users, registrations, attempts (submitted; their draws left empty, ranking never reads them)
and standings (the best attempt of each contestant, with a prediction for most), then runs
VACUUM ANALYZE as autovacuum would after a bulk load. Sizes accumulate in one database, each in
its own round. It then times, as the portal calls them (median of several runs for reads):

* before ranking: the top 100 in live order (`round_leaderboard`) and one contestant's place by
  counting those ahead (`round_position`), for the median and the last contestant;
* the full ranking: `round_close` (prediction's actual value, every prediction error, the rank
  of every standing in one UPDATE) once, then `standings_rank` alone (a re-rank);
* after ranking: the same reads, now on the rank column;

and prints the EXPLAIN (ANALYZE) of the top-100 queries of the largest size.
"""

import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.environment import (
    child_env,
    postgres_database,
    postgres_problem,
    postgres_url,
    postgres_version,
    run,
)
from bench.report import step, table

ATTEMPTS_PER_CONTESTANT = 5
DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
REPEAT = 7  # runs of each read; the median is reported
RERANK_REPEAT = 3
DRAW = 20
STANDING_READ = re.compile(
    r"((?:Parallel )?(?:Seq Scan|Index Only Scan|Index Scan|Bitmap Heap Scan)(?: Backward)?"
    r"(?: using \w+)?) on quizzes_standing\b"
)
BITMAP_INDEX = re.compile(r"Bitmap Index Scan on (quizzes_standing\w*)")
SORT_METHOD = re.compile(r"Sort Method: ([^\n]+)")
METRICS = [
    ("build", "build: COPY users, registrations, attempts, standings + VACUUM ANALYZE"),
    ("top_live", "top 100, live order (round_leaderboard)"),
    ("position_live_median", "rank of the median contestant, live count (round_position)"),
    ("position_live_last", "rank of the last contestant, live count (round_position)"),
    ("close", "full ranking: round_close (prediction errors + ranks)"),
    ("rerank", "re-rank only: standings_rank"),
    ("top_ranked", "top 100, rank column (round_leaderboard)"),
    ("position_ranked_median", "rank of the median contestant, rank column (round_position)"),
    ("position_ranked_last", "rank of the last contestant, rank column (round_position)"),
]


def ranking_sizes() -> list[int]:
    value = os.environ.get("BENCH_RANKING_SIZES", "")
    sizes = [int(v.replace("_", "")) for v in value.split(",") if v.strip()] or DEFAULT_SIZES
    return [max(ATTEMPTS_PER_CONTESTANT, s) for s in sizes]


# In the child process (Django set up on the bench database) ----------------------------------


def _build(attempts: int):
    """A closed round of attempts // 5 contestants, five submitted attempts each."""
    import datetime
    import random
    import uuid

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from django.utils import timezone

    from bench.data import contest_create, copy_rows, ids_reserve
    from quizzes.models import Attempt, Registration, Standing

    contestants = attempts // ATTEMPTS_PER_CONTESTANT
    now = timezone.now()
    opened = now - datetime.timedelta(days=8)
    round_ = contest_create(
        slug=f"xep-hang-{attempts}",
        draw=DRAW,
        opens_at=opened,
        closes_at=now - datetime.timedelta(days=1),
        attempts_allowed=ATTEMPTS_PER_CONTESTANT,
        time_limit_minutes=20,
        prediction_prompt="Bao nhiêu người trả lời đúng tất cả câu hỏi?",
    )
    rng = random.Random(attempts)
    user_model = get_user_model()
    users = ids_reserve(user_model, contestants)
    step(f"{attempts:,}: COPY {contestants:,} users")
    copy_rows(
        user_model,
        ["id", "email", "full_name", "phone"],
        (
            (pk, f"xh{attempts}-{i}@example.vn", f"Thí sinh {i}", f"09{i:08d}")
            for i, pk in enumerate(users)
        ),
        password=make_password(None),
    )
    registrations = ids_reserve(Registration, contestants)
    step(f"{attempts:,}: COPY {contestants:,} registrations")
    copy_rows(
        Registration,
        ["id", "user_id", "full_name", "phone", "email"],
        (
            (reg, user, f"Thí sinh {i}", f"09{i:08d}", f"xh{attempts}-{i}@example.vn")
            for i, (reg, user) in enumerate(zip(registrations, users, strict=True))
        ),
        contest_id=round_.contest_id,
        audience=Registration.Audience.CITIZEN,
        consent_text="Tôi đồng ý.",
        consented_at=now,
    )
    attempt_ids = iter(ids_reserve(Attempt, contestants * ATTEMPTS_PER_CONTESTANT))
    standings = []
    limit = datetime.timedelta(minutes=20)

    def attempt_rows():
        for reg, user in zip(registrations, users, strict=True):
            ability = rng.random()
            mine = []
            for number in range(1, ATTEMPTS_PER_CONTESTANT + 1):
                score = min(DRAW, max(0, round(DRAW * ability + rng.gauss(0, 2))))
                duration = rng.randint(60_000, 1_200_000)
                started = opened + datetime.timedelta(seconds=rng.random() * 6 * 86_400)
                finished = started + datetime.timedelta(milliseconds=duration)
                prediction = rng.randint(0, contestants) if rng.random() < 0.9 else None
                row = (
                    next(attempt_ids),
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    user,
                    number,
                    started,
                    started + limit,
                    finished,
                    score,
                    duration,
                    prediction,
                )
                mine.append(row)
                yield row
            best = min(mine, key=lambda a: (-a[7], a[8], a[6], a[3]))
            standings.append((reg, best[0], best[7], best[8], best[6], best[9]))

    step(f"{attempts:,}: COPY {attempts:,} attempts")
    copy_rows(
        Attempt,
        ["id", "public_id", "user_id", "number", "started_at", "deadline", "finished_at"]
        + ["score", "duration_ms", "prediction"],
        attempt_rows(),
        assessment_id=round_.assessment_id,
        status=Attempt.Status.SUBMITTED,
        grace_seconds=30,
        draw=[],
        max_score=DRAW,
    )
    step(f"{attempts:,}: COPY {len(standings):,} standings")
    copy_rows(
        Standing,
        ["registration_id", "attempt_id", "score", "duration_ms", "submitted_at", "prediction"],
        standings,
        round_id=round_.pk,
        audience=Registration.Audience.CITIZEN,
        attempts_count=ATTEMPTS_PER_CONTESTANT,
        max_score=DRAW,
    )
    step(f"{attempts:,}: VACUUM ANALYZE")
    with connection.cursor() as cursor:
        for model in (user_model, Registration, Attempt, Standing):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return round_


def _timed(fn, repeat: int = REPEAT) -> tuple[float, object]:
    """Median milliseconds of `repeat` calls after a warm-up call, and the last result."""
    result = fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _explain(fn, marker: str) -> list[str]:
    """EXPLAIN (ANALYZE, BUFFERS) of the query fn runs whose SQL contains `marker`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    query = next(q["sql"] for q in captured.captured_queries if marker in q["sql"])
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
        return [query, *(line for (line,) in cursor.fetchall())]


def measure(attempts: int) -> dict:
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from quizzes.models import Attempt, Registration, Round, Standing
    from quizzes.selectors.leaderboard import round_leaderboard, round_position
    from quizzes.services.rounds import round_close
    from quizzes.services.standings import standings_rank

    start = time.perf_counter()
    round_id = _build(attempts).pk
    ms = {"build": (time.perf_counter() - start) * 1000}
    count = Standing.objects.filter(round_id=round_id).count()
    live = Standing.objects.filter(round_id=round_id).order_by(
        "-score", "duration_ms", "submitted_at", "id"
    )
    picked = {
        "median": Registration.objects.get(
            pk=live.values_list("registration_id", flat=True)[count // 2]
        ),
        "last": Registration.objects.get(
            pk=live.values_list("registration_id", flat=True)[count - 1]
        ),
    }
    plans, positions = {}, {}

    def reads(phase: str) -> None:
        round_ = Round.objects.select_related("contest").get(pk=round_id)
        assert (round_.ranked_at is None) == (phase == "live")
        step(f"{attempts:,}: reads, {phase}")
        ms[f"top_{phase}"], rows = _timed(lambda: round_leaderboard(round_=round_, limit=100))
        assert len(rows) == min(100, count), len(rows)
        for which, registration in picked.items():
            ms[f"position_{phase}_{which}"], place = _timed(
                lambda g=registration: round_position(round_=round_, registration=g)
            )
            positions[f"{phase} {which}"] = place
        plans[f"top 100, {phase}"] = _explain(
            lambda: round_leaderboard(round_=round_, limit=100), "LIMIT 100"
        )
        if phase == "live":
            plans["rank of the last contestant, live count"] = _explain(
                lambda: round_position(round_=round_, registration=picked["last"]), "COUNT(*)"
            )

    reads("live")
    step(f"{attempts:,}: round_close")
    with CaptureQueriesContext(connection) as captured:
        start = time.perf_counter()
        assert round_close(round_id=round_id), "round_close refused to close the round"
        ms["close"] = (time.perf_counter() - start) * 1000
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))
    round_ = Round.objects.select_related("contest").get(pk=round_id)

    def rerank():
        with transaction.atomic():
            standings_rank(round_=round_)

    ms["rerank"], _ = _timed(rerank, RERANK_REPEAT)
    reads("ranked")
    return {
        "attempts": Attempt.objects.filter(assessment__contest_round=round_id).count(),
        "contestants": Registration.objects.filter(contest__rounds=round_id).count(),
        "standings": count,
        "ms": ms,
        "positions": positions,
        "plans": plans,
        "close_queries": slowest[:6],
    }


# In the bench process -----------------------------------------------------------------------


def _cell(value: float) -> str:
    return f"{value:,.1f}" if value < 1000 else f"{value:,.0f}"


def results_table(results: list[dict]) -> str:
    sizes = [f"{r['attempts']:,}" for r in results]
    headers = ["ms (median)", *[f"@{s} attempts" for s in sizes]]
    headers += [f"×{a}→{b}" for a, b in zip(sizes, sizes[1:], strict=False)]
    rows = []
    for key, label in METRICS:
        values = [r["ms"][key] for r in results]
        growth = [f"{b / a:,.1f}x" for a, b in zip(values, values[1:], strict=False)]
        rows.append([label, *map(_cell, values), *growth])
    return table(headers, rows)


def plan_summary(plan: list[str]) -> str:
    """How the plan reads quizzes_standing (index or not) and how it sorts."""
    text = "\n".join(plan)
    reads = [*dict.fromkeys(STANDING_READ.findall(text))]
    reads += [f"(bitmap on {name})" for name in dict.fromkeys(BITMAP_INDEX.findall(text))]
    indexed = any("Index" in read or "bitmap" in read for read in reads)
    sorts = [*dict.fromkeys(" ".join(m.split()) for m in SORT_METHOD.findall(text))]
    if sorts:
        sorts.insert(0, "Incremental Sort" if "Incremental Sort" in text else "Sort")
    verdict = "uses an index" if indexed else "NO INDEX on quizzes_standing"
    return f"{verdict}: {'; '.join(reads)}" + (f" | {', '.join(sorts)}" if sorts else "")


def plans_text(result: dict) -> str:
    parts = []
    for label, (query, *plan) in result["plans"].items():
        if len(query) > 300:  # a long column list says nothing about the plan
            query = re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", query)
        parts.append(
            f"{label} — {plan_summary(plan)}\n  SQL: {query}\n"
            + "\n".join(f"  {line}" for line in plan)
        )
    return "\n\n".join(parts)


def close_table(result: dict) -> str:
    rows = [
        [
            f"{float(q['time']) * 1000:,.1f}",
            re.sub(r"^SELECT .*? FROM ", "SELECT … FROM ", q["sql"])[:140],
        ]
        for q in result["close_queries"]
    ]
    return table(["ms", "query (first 140 characters)"], rows)


def main() -> int:
    database_url = postgres_url()
    problem = postgres_problem(database_url)
    if problem is not None:
        print(f"\nRanking: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    sizes = ranking_sizes()
    started = time.perf_counter()
    print(
        f"\nRanking: sizes {', '.join(f'{s:,}' for s in sizes)} attempts"
        f" ({ATTEMPTS_PER_CONTESTANT} per contestant; BENCH_RANKING_SIZES to change) |"
        f" PostgreSQL {postgres_version(database_url)} | {os.cpu_count()} CPU cores",
        flush=True,
    )
    tmp = Path(tempfile.mkdtemp(prefix="cds-bench-ranking-"))
    results = []
    try:
        with postgres_database(database_url):
            env = child_env(tmp, DATABASE_URL=database_url)
            step("manage.py migrate --noinput")
            run(env, "manage.py", "migrate", "--noinput")
            for size in sizes:
                step(f"ranking with {size:,} attempts")
                output = run(env, "-m", "bench.ranking", str(size), progress=True)
                results.append(json.loads(output))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    rows = [
        [
            f"{r['attempts']:,}",
            f"{r['contestants']:,}",
            f"{r['standings']:,}",
            f"{r['ms']['build'] / 1000:,.1f}",
        ]
        + [f"{r['positions'][k]:,}" for k in ("live median", "ranked median")]
        for r in results
    ]
    headers = ["attempts", "contestants", "standings", "build s"]
    headers += ["median's place (live)", "median's rank (ranked)"]
    print(
        f"\nSizes (each its own round; the median contestant's place differs once predictions"
        f" count)\n{table(headers, rows)}"
    )
    print(
        f"\nTimings, milliseconds, median of {REPEAT} reads after a warm-up (round_close: one"
        f" run; re-rank: median of {RERANK_REPEAT})\n{results_table(results)}"
    )
    largest = results[-1]
    print(f"\nround_close at {largest['attempts']:,} attempts: its slowest queries")
    print(close_table(largest))
    print(f"\nQuery plans at {largest['attempts']:,} attempts\n{plans_text(largest)}")
    print(f"\nRanking total time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]))))
