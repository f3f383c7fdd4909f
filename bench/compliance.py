"""Compliance dashboard and exports at scale: 1,000 units, 50,000 staff, 20 assigned courses.

Run it alone with `python -m bench compliance` (`python -m bench` runs every benchmark). It needs
PostgreSQL at BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench; the
database is created afresh and dropped at the end) and is skipped with a printed line when the
server does not answer. Sizes count mandatory enrolments of this year:

    BENCH_COMPLIANCE_SIZES=5000,50000,500000 .venv/bin/python -m bench compliance   # the default

Tracing allocations slows the export two to three times, so the tracemalloc run is made only up
to BENCH_COMPLIANCE_TRACEMALLOC_MAX enrolments (default 50,000; about 10 minutes in all). Set it
to 500000 to trace the largest size too (about 16 minutes on 2 cores).

The tree is a province, 37 departments and 26 offices under each (1,000 units); staff are spread
over the departments and offices. A first child process builds the tree, the staff (COPY), the
courses and their assignments. For each size, a child process replaces the enrolments (COPY; four
in ten completed, each with a valid certificate, three in ten in progress, the rest not started;
a third of the unfinished ones overdue) and runs VACUUM ANALYZE; then fresh child processes
measure, through Django's test client as a superuser:

* the dashboard at the province (37 department rows) and at one department (26 office rows):
  median response time of several requests after a warm-up, and the number of SQL queries;
* each export (.xlsx, .csv) of the whole province: time to the last byte, bytes, the peak of
  Python allocations (tracemalloc, in a second run since tracing slows Python down) and the
  growth of the process's maximum resident set (ru_maxrss) during the timed run, which also
  counts what tracemalloc does not see (lxml, the database driver).

Each export runs in its own process so ru_maxrss starts from the same baseline. The ratios
compare each size with the first one.
"""

import json
import os
import resource
import statistics
import sys
import time

from bench.environment import (
    bench_site,
    postgres_problem,
    postgres_url,
    postgres_version,
    run,
)
from bench.report import step, table

DEFAULT_SIZES = (5_000, 50_000, 500_000)
DEPARTMENTS = 37
OFFICES_PER_DEPARTMENT = 26  # 1 + 37 + 37 × 26 = 1,000 units
STAFF = 50_000
COURSES = 20
TRACEMALLOC_MAX = 50_000
REPEAT = 5  # dashboard requests measured after a warm-up; the median is reported
SUPERUSER = "bench-admin@example.vn"
FORMATS = ("xlsx", "csv")


def compliance_sizes() -> list[int]:
    value = os.environ.get("BENCH_COMPLIANCE_SIZES", "")
    sizes = [int(v.replace("_", "")) for v in value.split(",") if v.strip()] or DEFAULT_SIZES
    return [min(max(1, s), STAFF * COURSES) for s in sizes]


# In the child processes (Django set up on the bench database) --------------------------------


def _setup():
    import logging

    import django

    django.setup()
    # Each export logs who took personal data out; not bench output.
    logging.getLogger("courses.admin.compliance").setLevel(logging.WARNING)


def build_base() -> dict:
    """The unit tree, the staff, a superuser, the courses and their assignments."""
    _setup()
    import datetime

    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection
    from wagtail.models import Page

    from bench.data import copy_rows, ids_reserve
    from courses.models import Assignment, CourseIndexPage, CoursePage
    from portal.organisations.models import OrganisationUnit, Position

    step("compliance: 1,000 units")
    get_path = OrganisationUnit._get_path
    kinds = OrganisationUnit.Kind
    root = OrganisationUnit.add_root(
        name="UBND tỉnh thử tải", code="bench-tinh", kind=kinds.PROVINCE
    )
    units = []
    for d in range(DEPARTMENTS):
        units.append(
            OrganisationUnit(
                name=f"Sở thử tải {d + 1:02d}",
                code=f"bench-so-{d + 1:02d}",
                kind=kinds.DEPARTMENT,
                path=get_path(root.path, 2, d + 1),
                depth=2,
                numchild=OFFICES_PER_DEPARTMENT,
            )
        )
    for d, department in enumerate(list(units)):
        for o in range(OFFICES_PER_DEPARTMENT):
            units.append(
                OrganisationUnit(
                    name=f"Phòng {o + 1:02d} của sở {d + 1:02d}",
                    code=f"bench-phong-{d + 1:02d}-{o + 1:02d}",
                    kind=kinds.OFFICE,
                    path=get_path(department.path, 3, o + 1),
                    depth=3,
                    numchild=0,
                )
            )
    OrganisationUnit.objects.bulk_create(units, batch_size=1000)
    OrganisationUnit.objects.filter(pk=root.pk).update(numchild=DEPARTMENTS)
    placed = list(OrganisationUnit.objects.filter(depth__gt=1).values_list("pk", flat=True))
    positions = [
        Position.objects.get_or_create(code=code, defaults={"name": name})[0].pk
        for code, name in [
            ("bench-cv", "Chuyên viên (thử tải)"),
            ("bench-tp", "Trưởng phòng (thử tải)"),
        ]
    ]

    step(f"compliance: COPY {STAFF:,} staff")
    user_model = get_user_model()
    copy_rows(
        user_model,
        ["id", "email", "full_name", "phone", "unit_id", "position_id"],
        (
            (
                pk,
                f"canbo{i}@bench.example.vn",
                f"Cán bộ thử tải {i}",
                f"09{i:08d}",
                placed[i % len(placed)],
                positions[1 if i % 10 == 0 else 0],
            )
            for i, pk in enumerate(ids_reserve(user_model, STAFF))
        ),
        password=make_password(None),
    )
    user_model.objects.create_superuser(
        email=SUPERUSER, password=None, full_name="Quản trị thử tải"
    )

    step(f"compliance: {COURSES} courses and their assignments")
    home = Page.get_first_root_node().get_children().first()
    index = home.add_child(instance=CourseIndexPage(title="Khóa học thử tải", slug="khoa-hoc-tt"))
    due = datetime.date.today().replace(month=12, day=1)
    for c in range(COURSES):
        course = index.add_child(
            instance=CoursePage(
                title=f"Khóa bắt buộc {c + 1:02d}",
                slug=f"khoa-bat-buoc-{c + 1:02d}",
                summary="Kỹ năng số cho cán bộ, công chức, viên chức.",
                estimated_hours=4,
            )
        )
        assignment = Assignment.objects.create(course=course, due_date=due, yearly=True)
        assignment.units.set([root])
    with connection.cursor() as cursor:
        for model in (OrganisationUnit, user_model):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {"units": OrganisationUnit.objects.count(), "staff": STAFF}


def build_enrolments(size: int) -> dict:
    """Replaces every enrolment (and certificate) by `size` mandatory enrolments of this year:
    enrolment i is staff member i mod 50,000 in course i div 50,000."""
    _setup()
    import datetime
    import random

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from bench.data import copy_rows, ids_reserve
    from courses.models import Assignment, Certificate, Enrolment

    started = time.perf_counter()
    with connection.cursor() as cursor:
        tables = [Certificate._meta.db_table, Enrolment._meta.db_table]
        cursor.execute(f"TRUNCATE {', '.join(map(connection.ops.quote_name, tables))} CASCADE")
    users = list(
        get_user_model()
        .objects.filter(email__endswith="@bench.example.vn")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assignments = list(Assignment.objects.order_by("pk").values_list("pk", "course_id"))
    today = timezone.localdate()
    year = today.year
    due_late, due_later = today - datetime.timedelta(days=10), today + datetime.timedelta(days=60)
    now = timezone.now()
    rng = random.Random(size)
    ids = ids_reserve(Enrolment, size)
    completed = []
    status = Enrolment.Status

    def rows():
        for i, pk in enumerate(ids):
            assignment, course = assignments[(i // len(users)) % len(assignments)]
            draw = rng.random()
            if draw < 0.4:
                completed.append(pk)
                yield (
                    pk,
                    users[i % len(users)],
                    course,
                    assignment,
                    status.COMPLETED,
                    100,
                    due_later,
                    now,
                    now,
                )
            elif draw < 0.7:
                yield (
                    pk,
                    users[i % len(users)],
                    course,
                    assignment,
                    status.IN_PROGRESS,
                    50,
                    due_late if draw < 0.6 else due_later,
                    now,
                    None,
                )
            else:
                yield (
                    pk,
                    users[i % len(users)],
                    course,
                    assignment,
                    status.NOT_STARTED,
                    0,
                    due_late if draw < 0.8 else due_later,
                    None,
                    None,
                )

    step(f"compliance {size:,}: COPY enrolments")
    copy_rows(
        Enrolment,
        [
            "id",
            "user_id",
            "course_id",
            "assignment_id",
            "status",
            "progress_percent",
            "due_date",
            "started_at",
            "completed_at",
        ],
        rows(),
        cycle=year,
    )
    step(f"compliance {size:,}: COPY {len(completed):,} certificates")
    copy_rows(
        Certificate,
        ["serial", "enrolment_id"],
        ((f"BENCH-{pk:08d}", pk) for pk in completed),
        holder_name="Cán bộ thử tải",
        course_title="Khóa bắt buộc",
        hours=4,
        completed_on=today,
        issued_at=now,
        status=Certificate.Status.VALID,
    )
    with connection.cursor() as cursor:
        for model in (Enrolment, Certificate):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {
        "enrolments": Enrolment.objects.count(),
        "certificates": len(completed),
        "build_s": time.perf_counter() - started,
    }


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(get_user_model().objects.get(email=SUPERUSER))
    return client


def measure_dashboard() -> dict:
    """Median time and query count of the dashboard at the province and at one department."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from portal.organisations.models import OrganisationUnit

    client = _client()
    url = reverse("courses_compliance")
    result = {}
    for label, code in (("province", "bench-tinh"), ("department", "bench-so-01")):
        unit = OrganisationUnit.objects.get(code=code)
        query = {"unit": unit.pk}
        assert client.get(url, query).status_code == 200  # warm-up
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                response = client.get(url, query)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, response.status_code
        result[label] = {
            "ms": statistics.median(times),
            "queries": len(captured.captured_queries),
            "rows": response.content.count(b"data-unit="),
        }
    return result


def _export(client, url: str) -> tuple[float, int]:
    start = time.perf_counter()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = 0
    for chunk in response.streaming_content:
        size += len(chunk)
    response.close()
    return (time.perf_counter() - start) * 1000, size


def measure_export(fmt: str, traced: bool) -> dict:
    """Time, bytes, ru_maxrss growth (timed run), then tracemalloc's peak (a second run, when
    `traced`)."""
    _setup()
    import tracemalloc

    from django.urls import reverse

    from portal.organisations.models import OrganisationUnit

    client = _client()
    unit = OrganisationUnit.objects.get(code="bench-tinh")
    url = f"{reverse(f'courses_compliance_{fmt}')}?unit={unit.pk}"
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ms, size = _export(client, url)
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak = None
    if traced:
        tracemalloc.start()
        _export(client, url)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return {
        "ms": ms,
        "bytes": size,
        "rss_before_kib": rss_before,
        "rss_growth_kib": rss_after - rss_before,
        "tracemalloc_peak": peak,
    }


# In the bench process -------------------------------------------------------------------------


def _ratio(value: float | None, base: float | None) -> str:
    return f"{value / base:,.2f}x" if base and value is not None else "-"


def _mib(n_bytes: float | None) -> str:
    return "-" if n_bytes is None else f"{n_bytes / 1_048_576:,.1f}"


def results_tables(results: list[dict]) -> str:
    base = results[0]
    headers = ["enrolments", "build s", "dashboard ms (province)", "queries", "ratio"]
    headers += ["dashboard ms (department)", "queries", "ratio"]
    rows = []
    for r in results:
        d, b = r["dashboard"], base["dashboard"]
        rows.append(
            [
                f"{r['enrolments']:,}",
                f"{r['build_s']:,.1f}",
                f"{d['province']['ms']:,.1f}",
                d["province"]["queries"],
                _ratio(d["province"]["ms"], b["province"]["ms"]),
                f"{d['department']['ms']:,.1f}",
                d["department"]["queries"],
                _ratio(d["department"]["ms"], b["department"]["ms"]),
            ]
        )
    parts = [f"Dashboard (median of {REPEAT} requests after a warm-up)\n{table(headers, rows)}"]
    headers = ["enrolments", "format", "time s", "ratio", "rows/s", "file MiB"]
    headers += ["tracemalloc peak MiB", "ratio", "ru_maxrss growth MiB"]
    rows = []
    for fmt in FORMATS:
        for r in results:
            e, b = r["exports"][fmt], base["exports"][fmt]
            rows.append(
                [
                    f"{r['enrolments']:,}",
                    fmt,
                    f"{e['ms'] / 1000:,.2f}",
                    _ratio(e["ms"], b["ms"]),
                    f"{r['enrolments'] / (e['ms'] / 1000):,.0f}",
                    _mib(e["bytes"]),
                    _mib(e["tracemalloc_peak"]),
                    _ratio(e["tracemalloc_peak"], b["tracemalloc_peak"]),
                    _mib(e["rss_growth_kib"] * 1024),
                ]
            )
    parts.append(
        "Exports of the whole province (one row per enrolment; time to the last byte;"
        " tracemalloc: - above BENCH_COMPLIANCE_TRACEMALLOC_MAX)\n" + table(headers, rows)
    )
    return "\n\n".join(parts)


def main() -> int:
    database_url = postgres_url()
    problem = postgres_problem(database_url)
    if problem is not None:
        print(f"\nCompliance: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    sizes = compliance_sizes()
    tracemalloc_max = int(os.environ.get("BENCH_COMPLIANCE_TRACEMALLOC_MAX", TRACEMALLOC_MAX))
    started = time.perf_counter()
    print(
        f"\nCompliance: {DEPARTMENTS * OFFICES_PER_DEPARTMENT + DEPARTMENTS + 1:,} units,"
        f" {STAFF:,} staff, {COURSES} assigned courses | sizes"
        f" {', '.join(f'{s:,}' for s in sizes)} enrolments (BENCH_COMPLIANCE_SIZES to change) |"
        f" PostgreSQL {postgres_version(database_url)} | {os.cpu_count()} CPU cores",
        flush=True,
    )
    results = []
    failed = False
    with bench_site(database_url, prefix="cds-bench-compliance-") as (env, tmp):
        run(env, "-m", "bench.compliance", "base", progress=True)
        for size in sizes:
            result = json.loads(
                run(env, "-m", "bench.compliance", "enrolments", str(size), progress=True)
            )
            step(f"compliance {size:,}: dashboard")
            result["dashboard"] = json.loads(
                run(env, "-m", "bench.compliance", "dashboard", progress=True)
            )
            result["exports"] = {}
            traced = "traced" if size <= tracemalloc_max else "untraced"
            for fmt in FORMATS:
                step(f"compliance {size:,}: export {fmt}")
                result["exports"][fmt] = json.loads(
                    run(env, "-m", "bench.compliance", "export", fmt, traced, progress=True)
                )
            results.append(result)

    print(f"\n{results_tables(results)}")
    for label in ("province", "department"):
        counts = {r["dashboard"][label]["queries"] for r in results}
        if len(counts) > 1:
            failed = True
            print(f"FAIL: the dashboard's query count ({label}) changes with the data: {counts}")
    print(f"\nCompliance total time: {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "base":
        output = build_base()
    elif command == "enrolments":
        output = build_enrolments(int(args[0]))
    elif command == "dashboard":
        output = measure_dashboard()
    elif command == "export":
        output = measure_export(args[0], traced=args[1] == "traced")
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(output))
