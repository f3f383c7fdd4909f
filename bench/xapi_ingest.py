"""xAPI ingestion: statements per second from H5P players, beside the bare-framework ceiling.

Run it alone with `python -m bench xapi` (`python -m bench` runs every benchmark):

    BENCH_XAPI_REQUESTS=1500 BENCH_XAPI_CLIENTS=4,8 BENCH_XAPI_LEARNERS=200 \
        .venv/bin/python -m bench xapi   # the defaults

It needs PostgreSQL and uses Redis when it answers:

* BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench_xapi): the database
  is created afresh and dropped at the end; when the server does not answer, the benchmark is
  skipped with a printed line.
* BENCH_REDIS_URL (default redis://127.0.0.1:6379/14): cache (so the per-user rate-limit
  counters) of the server; that Redis database is flushed before and after. The course issues
  no certificate, so no Celery task is enqueued.

What happens:

1. A production-like site (migrate, collectstatic; no demo content, which the endpoint never
   reads) on the bench database; then, without HTTP: an H5P package of our own CDS.ChoiceQuiz
   content type (4 questions) imported through the real import service, a course whose lesson
   holds it as an H5P block (published, so its LessonActivity exists), 200 learners enrolled
   for this year and a signed-in session for each (SessionStore, as the login view would leave
   it). The CSRF secret is a random 32-character cookie value sent back in the X-CSRFToken
   header, as the player does.
2. gunicorn with the bench settings (production settings plus the trivial view), on loopback,
   the same worker configuration as the page benchmark. The per-user xAPI rate limit of
   courses/api.py (240 a minute) is raised through the COURSES_XAPI_PER_USER variable read by
   bench/settings.py: every learner here plays far faster than a person. The counter is still
   kept, so its cost is measured.
3. For each number of client threads: the ceiling (the trivial view, same threads), then a
   fixed number of POST /api/courses/xapi/statements, each a fresh statement id (uuid4). Every
   learner belongs to one client thread, which takes its learners in turn, with no think time,
   and sends each one's next statement of a play: top-level `attempted`, then per question a
   sub-content `attempted` and `interacted`, then a top-level `answered` with the score, which
   closes the attempt (1 statement in 10). A closed loop: the throughput is the server's
   capacity; latencies include waiting in its queue. Beside each row: gunicorn's CPU per
   request and how many cores the rest of the machine kept busy meanwhile (PostgreSQL, Redis,
   and anything else running: a busy machine lowers every number).
4. Checks in the database: every statement answered 200 is stored exactly once (and nothing
   else), every closing statement closed an attempt, at most one open attempt per learner.
5. SQL queries of each step of a learner's first two plays, on one more enrolled learner the
   load never used (Django's test client in a child process, same settings), counted with
   CaptureQueriesContext; BENCH_XAPI_SHOW_SQL=1 also prints them on stderr.
"""

import contextlib
import datetime
import http.client
import json
import os
import random
import sys
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.contest_burst import _tracebacks, cpu_seconds, machine_facts
from bench.environment import (
    bench_site,
    env_numbers,
    postgres_problem,
    postgres_url,
    redis_client,
    redis_url,
    run,
)
from bench.loadgen import HOST, LoadResult, http_request, load
from bench.report import outcome_report, step, table
from bench.server import READY_URL, WORKERS, gunicorn, gunicorn_describe

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cds_bench_xapi"
LEARNERS = 200
QUESTIONS = 4
REQUESTS = 1500  # statements measured per number of client threads
CLIENTS = (4, 8)
WARMUP = 100  # statements (and trivial requests) before each measured run, not timed
TRIVIAL_REQUESTS = 3000
TIMEOUT = 60  # seconds a client waits for one response
UNLIMITED = str(10**9)
XAPI_PATH = "/api/courses/xapi/statements"
VERB = "http://adlnet.gov/expapi/verbs/"
LIBRARY = "CDS.ChoiceQuiz-1.0"
# One play of the activity: (verb, question index or None for the whole activity).
PLAY = [
    ("attempted", None),
    *[(verb, q) for q in range(QUESTIONS) for verb in ("attempted", "interacted")],
    ("answered", None),
]


# In the child processes (Django set up on the bench database) --------------------------------


def seed(n: int) -> dict:
    """The H5P content, a course with one H5P lesson, n enrolled learners and their sessions."""

    import django

    django.setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from wagtail.models import Page
    from wagtail.rich_text import RichText

    from bench.data import signed_in_sessions, users_create
    from courses.h5p_demo import h5p_demo_package_build
    from courses.models import CourseIndexPage, CoursePage, Enrolment, LessonActivity, LessonPage
    from courses.selectors.learning import activity_iri, current_cycle
    from courses.services.h5p import h5p_package_import

    questions = [
        {"text": f"Câu {q + 1}: dịch vụ công trực tuyến", "answers": ["Đúng", "Sai"], "correct": 0}
        for q in range(QUESTIONS)
    ]
    data = h5p_demo_package_build(title="Thử tải xAPI: đúng hay sai", questions=questions)
    content = h5p_package_import(
        upload=SimpleUploadedFile("thu-tai-xapi.h5p", data, "application/zip")
    )
    index = CourseIndexPage.objects.first()
    if index is None:
        home = Page.get_first_root_node().get_children().first()
        index = home.add_child(instance=CourseIndexPage(title="Đào tạo thử tải", slug="dao-tao-tt"))
    course = index.add_child(
        instance=CoursePage(
            title="Khóa học thử tải xAPI",
            slug="khoa-hoc-thu-tai-xapi",
            summary="Một bài học có hoạt động H5P.",
            estimated_hours=1,
            certificate_enabled=False,
        )
    )
    course.save_revision().publish()
    block = {"content": content, "completion": "passed", "pass_percent": 60, "grading": "highest"}
    lesson = course.add_child(
        instance=LessonPage(
            title="Bài 1. Hoạt động tương tác",
            slug="bai-1-hoat-dong",
            body=[("paragraph", RichText("<p>Trả lời các câu hỏi dưới đây.</p>")), ("h5p", block)],
        )
    )
    lesson.save_revision().publish()  # the publish signal creates the LessonActivity
    activity = LessonActivity.objects.get(lesson=lesson, kind=LessonActivity.Kind.H5P, is_live=True)

    users = users_create(n + 1, "xapi")  # the last one: the probe of the query counts
    cycle = current_cycle()
    Enrolment.objects.bulk_create(Enrolment(user=u, course=course, cycle=cycle) for u in users)
    learners = [
        [key, user.email, user.full_name]
        for key, user in zip(signed_in_sessions(users), users, strict=True)
    ]
    return {
        "activity": activity.pk,
        "iri": activity_iri(activity),
        "content_id": content.pk,
        "title": content.title,
        "learners": learners[:-1],
        "probe": learners[-1],
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def verify(plan_path: str) -> list[list]:
    """[check, expected, found] rows about the statements and attempts left in the database."""
    import django

    django.setup()
    from django.db.models import Count

    from courses.models import Enrolment, H5PAttempt, XapiStatement

    sent = json.loads(Path(plan_path).read_text())
    activity, ids = sent["activity"], sent["stored"]
    statements = XapiStatement.objects.filter(attempt__activity_id=activity)
    found = 0
    for start in range(0, len(ids), 5000):
        found += XapiStatement.objects.filter(statement_id__in=ids[start : start + 5000]).count()
    attempts = H5PAttempt.objects.filter(activity_id=activity)
    open_twice = (
        attempts.filter(finished_at__isnull=True)
        .values("enrolment_id")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .count()
    )
    return [
        ["statements stored for the activity (= answered 200)", len(ids), statements.count()],
        ["statement ids answered 200 found in the table", len(ids), found],
        [
            "attempts closed (= top-level `answered` answered 200)",
            sent["closing"],
            attempts.filter(finished_at__isnull=False).count(),
        ],
        ["learners with more than one open attempt", 0, open_twice],
        [
            "enrolments completed (information)",
            "-",
            Enrolment.objects.filter(
                h5p_attempts__activity_id=activity, status=Enrolment.Status.COMPLETED
            )
            .distinct()
            .count(),
        ],
    ]


def _kinds(queries: list[dict]) -> str:
    counts = Counter(q["sql"].split(None, 1)[0].upper() for q in queries)
    return ", ".join(f"{kind} {n}" for kind, n in counts.most_common())


def queries(plan_path: str) -> list[list]:
    """[statement, queries, by kind] of each step of a learner's first two plays, through the
    test client, on the probe learner (enrolled, never used by the load)."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    plan = json.loads(Path(plan_path).read_text())
    session, email, name = plan["probe"]
    csrf = "q" * 32
    client = Client(HTTP_HOST="127.0.0.1", enforce_csrf_checks=True)
    client.cookies[plan["session_cookie"]] = session
    client.cookies[plan["csrf_cookie"]] = csrf
    rng = random.Random(0)
    learner = Learner(0, "", csrf, email, name)

    def post(verb, question, raw=None):
        body = {
            "activity": plan["activity"],
            "statement": statement(plan, learner, verb, question, rng, raw),
        }
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                XAPI_PATH,
                json.dumps(body),
                content_type="application/json",
                HTTP_X_CSRFTOKEN=csrf,
            )
        if response.status_code != 200:
            raise SystemExit(f"{verb}: HTTP {response.status_code} {response.content[:300]!r}")
        return captured.captured_queries

    rows = []
    for label, verb, question, raw in [
        ("first statement of the learner: opens attempt 1", "attempted", None, None),
        ("sub-content `attempted` / `interacted` (attempt open)", "interacted", 0, None),
        ("`answered` 4/4, closes attempt 1, completes the course", "answered", None, QUESTIONS),
        ("sub-content statement opening attempt 2", "attempted", 0, None),
        ("`answered` 2/4, closes attempt 2 (course completed)", "answered", None, 2),
    ]:
        captured = post(verb, question, raw)
        rows.append([label, len(captured), _kinds(captured)])
        if os.environ.get("BENCH_XAPI_SHOW_SQL"):  # to read them: which queries, in order
            print(f"-- {label}", *(q["sql"][:300] for q in captured), sep="\n", file=sys.stderr)
    return rows


# In the bench process: the players ------------------------------------------------------------


@dataclass
class Learner:
    index: int
    cookie: str
    csrf: str
    email: str
    name: str
    step: int = 0  # position in PLAY of the next statement


def statement(plan: dict, learner: Learner, verb: str, question, rng, raw=None) -> dict:
    """A statement shaped like the ones H5P's xAPI events carry, with a fresh id; `answered`
    carries a random score unless `raw` is given."""
    iri = plan["iri"]
    if question is None:
        obj_id, name = iri, plan["title"]
        definition = {
            "name": {"vi": name},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
        }
    else:
        obj_id = f"{iri}?subContentId=00000000-0000-4000-8000-{question:012d}"
        definition = {
            "name": {"vi": f"Câu {question + 1}"},
            "type": "http://adlnet.gov/expapi/activities/cmi.interaction",
            "interactionType": "choice",
            "choices": [
                {"id": "0", "description": {"vi": "Đúng"}},
                {"id": "1", "description": {"vi": "Sai"}},
            ],
            "correctResponsesPattern": ["0"],
        }
    data = {
        "id": str(uuid.uuid4()),
        "actor": {"name": learner.name, "mbox": f"mailto:{learner.email}", "objectType": "Agent"},
        "verb": {"id": VERB + verb, "display": {"en-US": verb}},
        "object": {"id": obj_id, "objectType": "Activity", "definition": definition},
        "context": {
            "contextActivities": {
                "category": [
                    {"id": f"http://h5p.org/libraries/{LIBRARY}", "objectType": "Activity"}
                ]
            },
            "extensions": {"http://h5p.org/x-api/h5p-local-content-id": plan["content_id"]},
        },
        "timestamp": datetime.datetime.now(datetime.UTC).isoformat(timespec="milliseconds"),
    }
    if verb == "interacted":
        data["result"] = {"response": str(rng.randrange(2))}
    elif verb == "answered":
        raw = rng.randint(0, QUESTIONS) if raw is None else raw
        data["result"] = {
            "score": {"min": 0, "max": QUESTIONS, "raw": raw, "scaled": raw / QUESTIONS},
            "completion": True,
            "success": raw == QUESTIONS,
            "duration": f"PT{rng.uniform(20, 90):.2f}S",
        }
    return data


class Ingest:
    """The players: each learner belongs to one client thread and plays PLAY over and over."""

    def __init__(self, port: int, plan: dict):
        self.port, self.plan = port, plan
        self.learners = []
        for i, (session, email, name) in enumerate(plan["learners"]):
            csrf = uuid.uuid4().hex  # 32 characters, as Django's own CSRF secrets
            cookie = f"{plan['session_cookie']}={session}; {plan['csrf_cookie']}={csrf}"
            # Staggered through the play, so every run has the mix of statements of PLAY.
            self.learners.append(Learner(i, cookie, csrf, email, name, step=i % len(PLAY)))
        self.stored: list[str] = []  # ids of the statements answered 200
        self.closing = 0  # of them, top-level `answered` (each closes an attempt)
        self.errors: Counter = Counter()
        self.server_errors = 0
        self.lock = threading.Lock()

    def _client(self, mine: list[Learner], count: int, latencies: list, seed: int) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        rng = random.Random(seed)
        for k in range(count):
            learner = mine[k % len(mine)]
            verb, question = PLAY[learner.step % len(PLAY)]
            learner.step += 1
            data = statement(self.plan, learner, verb, question, rng)
            body = json.dumps({"activity": self.plan["activity"], "statement": data}).encode()
            headers = {
                "Cookie": learner.cookie,
                "Content-Type": "application/json",
                "Accept": "application/json",
                "X-CSRFToken": learner.csrf,
            }
            sent = time.perf_counter()
            try:
                status, _headers, answer = http_request(conn, "POST", XAPI_PATH, body, headers)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                with self.lock:
                    self.errors[f"{type(exc).__name__}: {exc}"] += 1
                continue
            latencies.append(time.perf_counter() - sent)
            if status == 200 and json.loads(answer).get("recorded") is True:
                with self.lock:
                    self.stored.append(data["id"])
                    self.closing += question is None and verb == "answered"
                continue
            text = answer[:300].decode("utf-8", "replace")
            with contextlib.suppress(ValueError, KeyError, TypeError):
                text = json.loads(answer)["detail"]  # the API's refusals
            with self.lock:
                self.server_errors += status >= 500
                self.errors[f"HTTP {status} ({verb}): {' '.join(str(text).split())}"] += 1
        conn.close()

    def run(self, requests: int, clients: int) -> LoadResult:
        """Sends `requests` statements from `clients` threads; returns their latencies."""
        latencies: list[float] = []
        shares = [requests // clients + (i < requests % clients) for i in range(clients)]
        threads = [
            threading.Thread(
                target=self._client,
                args=(self.learners[i::clients], share, latencies, requests * 100 + i),
            )
            for i, share in enumerate(shares)
            if share and self.learners[i::clients]
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return LoadResult(XAPI_PATH, latencies, time.perf_counter() - started)


# Reporting ------------------------------------------------------------------------------------


def _measured(port: int, run_load) -> tuple[LoadResult, dict | None]:
    """Runs run_load(); returns its result and the core-seconds used meanwhile (Linux)."""
    before = cpu_seconds(port)
    result = run_load()
    after = cpu_seconds(port)
    used = {key: after[key] - before[key] for key in before} if before and after else None
    return result, used


def _cpu(used: dict | None, result: LoadResult) -> list[str]:
    """gunicorn's CPU ms per request, and the machine's other busy cores (PostgreSQL, Redis,
    other processes) beside the load generator."""
    if used is None:
        return ["-", "-"]
    others = max(0.0, used["busy"] - used["client"] - used["server"])  # ticks round
    return [
        f"{used['server'] * 1000 / len(result.latencies):,.1f}",
        f"{others / result.wall:.2f}",
    ]


def _row(label, clients, result: LoadResult, errors, ceiling: LoadResult, used) -> list:
    return [
        label,
        clients,
        len(result.latencies),
        errors,
        f"{result.rps:,.1f}",
        f"{result.percentile_ms(50):,.1f}",
        f"{result.percentile_ms(95):,.1f}",
        f"{result.percentile_ms(99):,.1f}",
        f"{result.rps / ceiling.rps:.3f}",
        *_cpu(used, result),
    ]


def main(requests: int | None = None, clients: list[int] | None = None) -> int:
    """Runs the ingestion and prints its tables; 0 when every request and check succeeded."""
    requests = requests or env_numbers("BENCH_XAPI_REQUESTS", (REQUESTS,))[0]
    clients = clients or env_numbers("BENCH_XAPI_CLIENTS", CLIENTS)
    learners = env_numbers("BENCH_XAPI_LEARNERS", (LEARNERS,))[0]
    url = postgres_url(DEFAULT_DATABASE_URL)
    problem = postgres_problem(url)
    if problem is not None:
        print(f"\nxAPI ingestion: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    redis = redis_client(redis_url())
    started = time.perf_counter()
    print(
        f"\nxAPI ingestion: {learners:,} learners on one H5P activity, {requests:,} statements"
        f" per run, {' and '.join(map(str, clients))} client threads",
        flush=True,
    )
    print(machine_facts(url, redis))
    print(
        f"server: {gunicorn_describe(WORKERS)}, settings bench.settings (production + trivial"
        " view), CONN_MAX_AGE 60, sessions in the database, xAPI per-user limit raised"
        " (COURSES_XAPI_PER_USER)"
    )
    if redis is None:
        print("Redis does not answer: cache (rate-limit counters) per worker, in local memory.")
    site = bench_site(url, prefix="cds-bench-xapi-", redis=redis, COURSES_XAPI_PER_USER=UNLIMITED)
    with site as (env, tmp):
        step(f"seed: an H5P lesson, {learners:,} learners enrolled and signed in")
        plan = json.loads(run(env, "-m", "bench.xapi_ingest", "seed", str(learners)))
        plan_path = tmp / "plan.json"
        plan_path.write_text(json.dumps(plan))
        log = tmp / "gunicorn.log"
        step("gunicorn")
        rows = []
        with gunicorn(env, log, WORKERS) as port:
            ingest = Ingest(port, plan)
            for n in clients:
                step(f"{n} client threads: the trivial view, then {requests:,} statements")
                load(port, READY_URL, WARMUP, n)
                trivial, used = _measured(
                    port, lambda n=n: load(port, READY_URL, TRIVIAL_REQUESTS, n)
                )
                label = f"trivial GET {READY_URL} (ceiling)"
                rows.append(_row(label, n, trivial, 0, trivial, used))
                ingest.run(WARMUP, n)
                errors_before = sum(ingest.errors.values())
                result, used = _measured(port, lambda n=n: ingest.run(requests, n))
                errors = sum(ingest.errors.values()) - errors_before
                rows.append(_row(f"xAPI POST {XAPI_PATH}", n, result, errors, trivial, used))
        step("checks in the database")
        sent = {"activity": plan["activity"], "stored": ingest.stored}
        sent["closing"] = ingest.closing
        (tmp / "sent.json").write_text(json.dumps(sent))
        checks = json.loads(run(env, "-m", "bench.xapi_ingest", "verify", str(tmp / "sent.json")))
        checks.append(["responses 5xx", 0, ingest.server_errors])
        step("SQL queries per statement")
        counted = run(env, "-m", "bench.xapi_ingest", "queries", str(plan_path), progress=True)
        counted = json.loads(counted)
        tracebacks = _tracebacks(log) if ingest.errors else []

    headers = ["requests", "client threads", "answered", "errors", "req/s", "p50 ms", "p95 ms"]
    print("\nThroughput on 127.0.0.1 (statements/s = req/s of the xAPI rows)")
    headers += ["p99 ms", "req/s ÷ trivial", "gunicorn CPU ms/req", "other busy cores"]
    print(table(headers, rows))
    print(
        "gunicorn CPU: master + workers, per answered request; other busy cores: the machine's"
        " busy cores minus gunicorn and the load generator (PostgreSQL, Redis, kernel, other"
        f" processes), out of {os.cpu_count()}."
    )
    print("\nSQL queries per statement (one request each, after the runs)")
    print(table(["statement", "queries", "by kind"], counted))
    failed = outcome_report(
        errors=ingest.errors, tracebacks=tracebacks, checks=checks, after="the runs"
    )
    print(f"\nxAPI ingestion total time: {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "seed":
        print(json.dumps(seed(int(sys.argv[2]))))
    elif command == "verify":
        print(json.dumps(verify(sys.argv[2])))
    elif command == "queries":
        print(json.dumps(queries(sys.argv[2])))
    else:
        raise SystemExit(f"unknown command {command!r}")
