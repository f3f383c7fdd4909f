"""Contest burst: thousands of contestants start a round within a minute, answer, submit.

Run it alone with `python -m bench contest` (`python -m bench` runs every benchmark):

    .venv/bin/python -m bench contest [--contestants 2000] [--ramp 60]
                                      [--start-clients 8] [--clients 16]

It needs PostgreSQL and uses Redis when it answers:

* BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench): the database is
  created afresh and dropped at the end; when the server does not answer, the benchmark is
  skipped with a printed line.
* BENCH_REDIS_URL (default redis://127.0.0.1:6379/14): cache, rate-limit counters and Celery
  broker of the server; that Redis database is flushed before and after. No Celery worker runs:
  the expiry tasks each start enqueues simply wait in the queue, which is counted at the end.

What happens:

1. A production-like site (migrate, collectstatic, seed_demo) on the bench database; then, in
   bulk and without HTTP: a bank of 200 questions, a contest whose open round draws 20 of them,
   the users, their registrations and a signed-in session for each (SessionStore, as the login
   view would leave it). The CSRF secret is a random 32-character cookie value sent back in the
   form field or the X-CSRFToken header, as a browser does.
2. gunicorn with the bench settings (production settings plus the trivial view), on loopback,
   the same worker configuration as the page benchmark; the per-address rate limits are raised
   since every contestant comes from 127.0.0.1.
3. The ceiling: the trivial view under the same server, with as many client threads as the burst.
4. The burst. Contestant i is due to start at i × ramp / contestants seconds; `--start-clients`
   threads send the starts on that schedule (POST vong/<round>/bat-dau/ → 302 to the attempt);
   `--clients` threads take started attempts in order and, with no think time, load the attempt
   page, save one answer per question shown there (PUT …/answers), then submit (POST …/submit).
   At most start-clients + clients requests are in flight: a closed loop, so the server runs
   saturated and the throughputs are its capacity; latencies include waiting in its queue.
5. Checks in the database: every attempt submitted, every answer stored, one standing each.
"""

import contextlib
import http.client
import json
import os
import platform
import queue
import random
import re
import secrets
import shutil
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.environment import (
    SITE_SETUP,
    child_env,
    postgres_database,
    postgres_problem,
    postgres_url,
    postgres_version,
    redis_client,
    redis_url,
    run,
)
from bench.loadgen import HOST, LoadResult, http_request, load
from bench.report import outcome_report, step, table
from bench.server import READY_URL, WORKERS, gunicorn, gunicorn_describe

CONTESTANTS = 2000
RAMP_SECONDS = 60.0
START_CLIENTS = 8
CLIENTS = 16
BANK_SIZE = 200
DRAW = 20
CORRECT_RATE = 0.7  # how often a contestant picks the right answer: a spread of scores
TRIVIAL_REQUESTS = 3000
TIMEOUT = 120  # seconds a client waits for one response
UNLIMITED = str(10**9)
ATTEMPT_PATH = re.compile(r"/bai-thi/([0-9a-f-]{36})/$")
QUESTION = re.compile(r'<fieldset[^>]*\bdata-question="(\d+)"')
CHOICE = re.compile(r'\bname="q(\d+)" value="(\d+)"')
ALERT = re.compile(r'<div class="alert[^"]*"[^>]*>(.*?)</div>', re.S)
PHASES = ("start", "page", "save", "submit")


# In the child process (Django set up on the bench database) ----------------------------------


def seed(n: int) -> dict:
    """Question bank, contest, users, registrations and sessions; what the clients need."""
    import datetime

    import django

    django.setup()
    from django.conf import settings
    from django.utils import timezone

    from bench.data import (
        contest_create,
        question_bank_create,
        registrations_create,
        signed_in_sessions,
        users_create,
    )
    from quizzes.models import Choice

    now = timezone.now()
    question_bank_create(BANK_SIZE)
    round_ = contest_create(
        slug="thu-tai",
        draw=DRAW,
        opens_at=now - datetime.timedelta(hours=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    users = users_create(n, "burst")
    registrations_create(round_, users)
    sessions = signed_in_sessions(users)
    contest = round_.contest
    return {
        "contest_url": contest.url,
        "round_id": round_.pk,
        "assessment_id": round_.assessment_id,
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "correct": list(Choice.objects.filter(is_correct=True).values_list("pk", flat=True)),
    }


def verify(round_id: int, n: int) -> list[list]:
    """[check, expected, found] rows about what the burst left in the database."""
    import django

    django.setup()
    from django.db.models import Avg

    from quizzes.models import Attempt, AttemptAnswer, AttemptEvent, Round, Standing

    round_ = Round.objects.get(pk=round_id)
    attempts = Attempt.objects.filter(assessment_id=round_.assessment_id)
    events = Counter(
        AttemptEvent.objects.filter(attempt__in=attempts).values_list("kind", flat=True)
    )
    submitted = attempts.filter(status=Attempt.Status.SUBMITTED)
    average = submitted.aggregate(a=Avg("score"))["a"] or 0
    return [
        ["attempts", n, attempts.count()],
        ["attempts submitted", n, submitted.count()],
        ["answers", n * DRAW, AttemptAnswer.objects.filter(attempt__in=attempts).count()],
        [
            "answers graded",
            n * DRAW,
            AttemptAnswer.objects.filter(attempt__in=attempts, is_correct__isnull=False).count(),
        ],
        ["standings of the round", n, Standing.objects.filter(round=round_).count()],
        [
            "events start / save / submit",
            f"{n:,} / {n * DRAW:,} / {n:,}",
            f"{events['start']:,} / {events['save']:,} / {events['submit']:,}",
        ],
        ["mean score (information)", "-", f"{average:.2f} / {DRAW}"],
    ]


# In the bench process: the clients ----------------------------------------------------------


@dataclass
class Contestant:
    index: int
    cookie: str
    csrf: str
    attempt_path: str = ""
    public_id: str = ""


class Burst:
    """The load: starts on a schedule from some threads, the answering from others."""

    def __init__(self, port: int, plan: dict, ramp: float, start_clients: int, clients: int):
        self.port = port
        self.start_path = f"{plan['contest_url']}vong/{plan['round_id']}/bat-dau/"
        self.correct = set(plan["correct"])
        self.contestants = []
        for i, session in enumerate(plan["sessions"]):
            csrf = secrets.token_hex(16)  # 32 characters, as Django's own CSRF secrets
            cookie = f"{plan['session_cookie']}={session}; {plan['csrf_cookie']}={csrf}"
            self.contestants.append(Contestant(i, cookie, csrf))
        self.interval = ramp / len(self.contestants)
        self.start_clients, self.clients = start_clients, clients
        self.samples: list[tuple[str, float, float]] = []  # (phase, sent, answered)
        self.lags: list[float] = []  # how late each start was sent, against its schedule
        self.journeys: list[float] = []  # from a start sent to its submit answered
        self.errors: Counter = Counter()
        self.lock = threading.Lock()
        self.pending = iter(self.contestants)
        self.started: queue.Queue = queue.Queue()
        self.t0 = 0.0

    def error(self, phase: str, message: str) -> None:
        with self.lock:
            self.errors[f"{phase}: {message}"] += 1

    def call(self, conn, phase, contestant, method, path, body=None, headers=None, expect=200):
        """One request; its sample is kept; None (and an error counted) unless `expect`."""
        headers = {"Cookie": contestant.cookie, **(headers or {})}
        sent = time.perf_counter()
        try:
            status, answer_headers, data = http_request(conn, method, path, body, headers)
        except (OSError, http.client.HTTPException) as exc:
            conn.close()
            self.error(phase, f"{type(exc).__name__}: {exc}")
            return None
        self.samples.append((phase, sent, time.perf_counter()))
        if status != expect:
            text = data[:300].decode("utf-8", "replace")
            with contextlib.suppress(ValueError, KeyError, TypeError):
                text = json.loads(data)["detail"]  # the API's refusals
            text = " ".join(text.split())
            self.error(phase, f"HTTP {status} (expected {expect}): {text}")
            return None
        return answer_headers, data, sent

    def _next(self) -> Contestant | None:
        with self.lock:
            return next(self.pending, None)

    def _refusal(self, conn, contestant, path, answer_headers) -> str:
        """The message a refused start left for the contestant on the contest page."""
        kept = [c.split(";", 1)[0] for c in answer_headers.get_all("Set-Cookie") or []]
        cookie = "; ".join([contestant.cookie, *(c for c in kept if c.startswith("messages="))])
        found = self.call(conn, "refused", contestant, "GET", path, headers={"Cookie": cookie})
        alerts = ALERT.findall(found[1].decode()) if found else []
        return " | ".join(a.strip() for a in alerts) or "no message"

    def starter(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        while (contestant := self._next()) is not None:
            due = self.t0 + contestant.index * self.interval
            time.sleep(max(0.0, due - time.perf_counter()))
            self.lags.append(time.perf_counter() - due)
            body = urlencode({"csrfmiddlewaretoken": contestant.csrf}).encode()
            found = self.call(conn, "start", contestant, "POST", self.start_path, body, form, 302)
            if found is None:
                continue
            location = urlsplit(found[0].get("Location", "")).path
            match = ATTEMPT_PATH.search(location)
            if match is None:
                reason = self._refusal(conn, contestant, location, found[0])
                self.error("start", f"redirected to {location} instead of an attempt: {reason}")
                continue
            contestant.attempt_path, contestant.public_id = location, match[1]
            self.started.put((contestant, found[2]))
        conn.close()

    def answerer(self) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        while (item := self.started.get()) is not None:
            contestant, start_sent = item
            if self._answer(conn, contestant):
                self.journeys.append(time.perf_counter() - start_sent)
        conn.close()

    def _answer(self, conn, contestant: Contestant) -> bool:
        found = self.call(conn, "page", contestant, "GET", contestant.attempt_path)
        if found is None:
            return False
        html = found[1].decode()
        questions = [int(q) for q in QUESTION.findall(html)]
        choices: dict[int, list[int]] = {}
        for question, choice in CHOICE.findall(html):
            choices.setdefault(int(question), []).append(int(choice))
        if len(questions) != DRAW or set(questions) != set(choices):
            self.error("page", f"{len(questions)} questions on the page, expected {DRAW}")
        rng = random.Random(contestant.index)
        api = f"/api/quizzes/attempts/{contestant.public_id}"
        headers = {"Content-Type": "application/json", "X-CSRFToken": contestant.csrf}
        ok = True
        for question in questions:
            shown = choices.get(question, [])
            right = [c for c in shown if c in self.correct]
            pick = right if right and rng.random() < CORRECT_RATE else [rng.choice(shown)]
            body = json.dumps({"question": question, "choices": pick[:1]}).encode()
            saved = self.call(conn, "save", contestant, "PUT", f"{api}/answers", body, headers)
            if saved is None or json.loads(saved[1]).get("saved") is not True:
                ok = False
                if saved is not None:
                    self.error("save", f"unexpected answer {saved[1][:200]!r}")
        headers = {"X-CSRFToken": contestant.csrf}
        done = self.call(conn, "submit", contestant, "POST", f"{api}/submit", b"", headers)
        if done is None:
            return False
        status = json.loads(done[1]).get("status")
        if status != "submitted":
            self.error("submit", f"status {status!r}, expected 'submitted'")
            return False
        return ok

    def run(self) -> float:
        """Runs the burst; returns the wall time from the first request to the last answer."""
        starters = [threading.Thread(target=self.starter) for _ in range(self.start_clients)]
        answerers = [threading.Thread(target=self.answerer) for _ in range(self.clients)]
        self.t0 = time.perf_counter() + 0.1
        for thread in starters + answerers:
            thread.start()
        for thread in starters:
            thread.join()
        for _ in answerers:
            self.started.put(None)
        for thread in answerers:
            thread.join()
        return self.phase(None).wall

    def phase(self, name: str | None) -> LoadResult:
        """The samples of one phase (None: all); wall is the phase's window, 0 when empty."""
        chosen = [s for s in self.samples if name is None or s[0] == name]
        window = max(s[2] for s in chosen) - min(s[1] for s in chosen) if chosen else 0.0
        return LoadResult(name or "all", [done - sent for _, sent, done in chosen], window)


# Reporting ------------------------------------------------------------------------------------


def _ms(result: LoadResult, p: float) -> str:
    return f"{result.percentile_ms(p):,.1f}"


def _quantile(values: list[float], p: float) -> float:
    return LoadResult("", values, 1).percentile_ms(p) / 1000


def phases_table(burst: Burst, wall: float, trivial: LoadResult) -> str:
    counts = Counter(message.split(":", 1)[0] for message in burst.errors.elements())
    rows = []
    labels = {
        "start": "start  POST …/vong/<id>/bat-dau/ → 302",
        "page": "page   GET …/bai-thi/<uuid>/",
        "save": "save   PUT /api/quizzes/attempts/<uuid>/answers",
        "submit": "submit POST /api/quizzes/attempts/<uuid>/submit",
    }
    for name in [*PHASES, None]:
        result = burst.phase(name)
        window = wall if name is None else result.wall
        if not result.latencies or not window:
            rows.append([labels.get(name, "all requests"), 0, counts[name], *["-"] * 6])
            continue
        rps = len(result.latencies) / window
        rows.append(
            [
                labels.get(name, "all requests (wall time)"),
                len(result.latencies),
                counts[name] if name else sum(counts.values()),
                f"{window:,.1f}",
                f"{rps:,.1f}",
                _ms(result, 50),
                _ms(result, 95),
                _ms(result, 99),
                f"{rps / trivial.rps:.3f}",
            ]
        )
    rows.append(
        [
            f"trivial GET {READY_URL} (ceiling)",
            len(trivial.latencies),
            0,
            f"{trivial.wall:,.1f}",
            f"{trivial.rps:,.1f}",
            _ms(trivial, 50),
            _ms(trivial, 95),
            _ms(trivial, 99),
            "1.000",
        ]
    )
    headers = ["phase", "requests", "errors", "window s", "req/s", "p50 ms", "p95 ms", "p99 ms"]
    return table([*headers, "req/s ÷ trivial"], rows)


def schedule_table(burst: Burst, ramp: float) -> str:
    n = len(burst.contestants)
    rows = [
        ["starts scheduled over", f"{ramp:,.1f} s ({n / ramp:,.1f}/s)"],
        [
            "starts answered within (first sent → last answered)",
            f"{burst.phase('start').wall:,.1f} s",
        ],
        [
            "start sent late vs schedule p50 / p95 / max",
            " / ".join(f"{_quantile(burst.lags, p):,.2f} s" for p in (50, 95, 100)),
        ],
        [
            "start sent → submit answered p50 / p95 / max (incl. wait for an answering thread)",
            " / ".join(f"{_quantile(burst.journeys, p):,.1f} s" for p in (50, 95, 100))
            if burst.journeys
            else "-",
        ],
    ]
    return table(["schedule", "value"], rows)


def _expiry_tasks(redis) -> int:
    """Attempt-expiry messages waiting in the broker's queue (other apps queue tasks too, e.g.
    courses syncing the assignments of the contestants' new accounts)."""
    return sum(
        json.loads(raw)["headers"]["task"] == "quizzes.tasks.attempt_expire_task"
        for raw in redis.lrange("celery", 0, -1)
    )


def cpu_seconds(port: int) -> dict[str, float] | None:
    """Core-seconds used so far by the machine, this process and the gunicorn on port (Linux)."""
    stat = Path("/proc/stat")
    if not stat.exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in stat.read_text().split("\n")[0].split()[1:9]]
    busy = sum(values) - values[3] - values[4]  # all but idle and iowait
    own = os.times()
    server = 0
    marker = f"{HOST}:{port}".encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            command = (proc / "cmdline").read_bytes()
            if b"gunicorn" in command and marker in command:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
                server += int(fields[11]) + int(fields[12])  # utime, stime
        except OSError:  # the process ended meanwhile
            continue
    return {"busy": busy / tick, "client": own.user + own.system, "server": server / tick}


def cpu_table(before: dict, after: dict, wall: float) -> str:
    used = {key: after[key] - before[key] for key in before}
    capacity = (os.cpu_count() or 1) * wall
    rest = used["busy"] - used["client"] - used["server"]
    rows = [
        [f"gunicorn (master + {WORKERS} workers)", used["server"]],
        ["load generator (this process)", used["client"]],
        ["everything else: PostgreSQL, Redis, kernel, other processes", rest],
        ["idle", capacity - used["busy"]],
    ]
    return table(
        ["CPU during the burst", "core-seconds", f"share of {os.cpu_count()} cores × wall"],
        [[label, f"{value:,.1f}", f"{value / capacity:.1%}"] for label, value in rows],
    )


def _tracebacks(log: Path) -> list[str]:
    """Distinct server tracebacks (the last line and the app frames) from gunicorn's log."""
    text = log.read_text(errors="replace") if log.exists() else ""
    found = Counter()
    for block in re.findall(r"Traceback \(most recent call last\):\n(?:[ \t].*\n)+.*", text):
        found[block] += 1
    return [f"{count} ×\n{block}" for block, count in found.most_common()]


def machine_facts(database_url: str, redis) -> str:
    memory = ""
    if Path("/proc/meminfo").exists():
        total = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
        memory = f", {int(total) / 1024 / 1024:.1f} GiB RAM"
    redis_version = redis.info()["redis_version"] if redis is not None else "not used"
    return (
        f"machine: {os.cpu_count()} CPU cores{memory}, {platform.machine()}, load average"
        f" {' '.join(f'{x:.2f}' for x in os.getloadavg())} | PostgreSQL"
        f" {postgres_version(database_url)} | Redis {redis_version} | Python"
        f" {platform.python_version()}"
    )


def main(
    contestants: int = CONTESTANTS,
    ramp: float = RAMP_SECONDS,
    start_clients: int = START_CLIENTS,
    clients: int = CLIENTS,
) -> int:
    """Runs the burst and prints its tables; 0 when every request and check succeeded."""
    database_url = postgres_url()
    problem = postgres_problem(database_url)
    if problem is not None:
        print(f"\nContest burst: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    redis = redis_client(redis_url())
    started = time.perf_counter()
    print(f"\nContest burst: {contestants:,} contestants, {DRAW} answers each", flush=True)
    print(machine_facts(database_url, redis))
    print(
        f"server: {gunicorn_describe(WORKERS)}, settings bench.settings (production + trivial"
        " view), CONN_MAX_AGE 60, sessions in the database"
    )
    print(f"client: {start_clients} start threads + {clients} answering threads, no think time")
    if redis is None:
        print("Redis does not answer: cache per worker (local memory), Celery tasks run eagerly.")
    tmp = Path(tempfile.mkdtemp(prefix="cds-bench-contest-"))
    extra = {"QUIZ_START_PER_IP": UNLIMITED, "QUIZ_SAVE_PER_IP": UNLIMITED}
    extra["QUIZ_REGISTER_PER_IP"] = UNLIMITED
    if redis is not None:
        extra.update(REDIS_URL=redis_url(), CELERY_BROKER_URL=redis_url())
        redis.flushdb()
    try:
        with postgres_database(database_url):
            env = child_env(tmp, DATABASE_URL=database_url, **extra)
            for command in SITE_SETUP:
                step(f"manage.py {' '.join(command)}")
                run(env, "manage.py", *command)
            step(f"seed: {BANK_SIZE} questions, a contest, {contestants:,} contestants")
            plan = json.loads(run(env, "-m", "bench.contest_burst", "seed", str(contestants)))
            log = tmp / "gunicorn.log"
            step("gunicorn")
            with gunicorn(env, log, WORKERS) as port:
                step("warm-up and ceiling: the trivial view")
                load(port, plan["contest_url"], 20, 2)
                load(port, READY_URL, 200, start_clients + clients)
                trivial = load(port, READY_URL, TRIVIAL_REQUESTS, start_clients + clients)
                step(f"burst: {contestants:,} starts over {ramp:.0f} s, then answers")
                burst = Burst(port, plan, ramp, start_clients, clients)
                cpu_before = cpu_seconds(port)
                wall = burst.run()
                cpu_after = cpu_seconds(port)
            step("checks in the database")
            checks = json.loads(
                run(
                    env,
                    "-m",
                    "bench.contest_burst",
                    "verify",
                    str(plan["round_id"]),
                    str(contestants),
                )
            )
            if redis is not None:
                checks.append(["expiry tasks queued in Redis", contestants, _expiry_tasks(redis)])
            tracebacks = _tracebacks(log) if burst.errors else []
    finally:
        if redis is not None:
            redis.flushdb()
        shutil.rmtree(tmp, ignore_errors=True)

    print("\nRequests by phase (phases overlap; window = first sent → last answered)")
    print(phases_table(burst, wall, trivial))
    print(f"\n{schedule_table(burst, ramp)}")
    if cpu_before and cpu_after:
        print(f"\n{cpu_table(cpu_before, cpu_after, wall)}")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failed = outcome_report(
        errors=burst.errors, tracebacks=tracebacks, checks=checks, after="the burst"
    )
    print(f"\nContest burst total time: {time.perf_counter() - started:.0f} s (wall {wall:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    elif command == "verify":
        print(json.dumps(verify(int(sys.argv[2]), int(sys.argv[3]))))
    else:
        raise SystemExit(f"unknown command {command!r}")
