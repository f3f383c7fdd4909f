"""OCOP catalogue at scale: filtered listings with facet counts over 100,000 published products.

Run it alone with `python -m bench catalogue` (`python -m bench` runs every benchmark):

    BENCH_CATALOGUE_SIZES=10000,100000 BENCH_CATALOGUE_REQUESTS=30 BENCH_CATALOGUE_CLIENTS=4 \
        .venv/bin/python -m bench catalogue   # the defaults

It needs PostgreSQL and uses Redis when it answers:

* BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench_catalogue): the
  database is created afresh and dropped at the end; when the server does not answer, the
  benchmark is skipped with a printed line.
* BENCH_REDIS_URL (default redis://127.0.0.1:6379/14): cache of the server; that Redis database
  is flushed before each size and at the end.
* BENCH_CATALOGUE_SIZES, BENCH_CATALOGUE_REQUESTS (per shape and size), BENCH_CATALOGUE_CLIENTS
  (load threads); BENCH_CATALOGUE_EXPLAIN=1 prints the query plans on stderr.

What happens:

1. A production-like site (migrate, collectstatic; no demo content, which the catalogue never
   reads) on the bench database; then, without HTTP: the 2025 administrative units, 500 verified
   producers spread unevenly over 7 provinces, and 6 photos (Pillow, 1200×900 JPEG) shared by
   every product: each product has one photo, so the card's photo and its rendition are part of
   every page, while Pillow works only during the warm-up (renditions are stored once). Then
   ANALYZE: a server running without autovacuum would otherwise plan with no statistics.
2. For each size (10,000 then 100,000 published products, added by COPY, then VACUUM ANALYZE):
   products over the 18 sub-groups (food most common), 3★ 55 %, 4★ 38 %, 5★ 7 %, 15 prices
   from 25.000 ₫ to 2.500.000 ₫, one in eight out of stock, about 9 % with an expired
   certificate (no OCOP badge), realistic Vietnamese names. Then, on seven query shapes
   (SHAPES below):
   * the selector `catalogue_search()` called directly in a child process (the engine named by
     MARKETPLACE_CATALOGUE_ENGINE): median and p95 of REPEAT calls after a warm-up, products and
     facets evaluated, its SQL queries counted; once with the facet-count cache off (every call
     counts: what a new filter set costs) and once with it on (a filter set asked again before
     the next product change);
   * the view GET /cho-ocop/?… through Django's test client (same settings): SQL queries of the
     second request of each URL, which must not change with the number of products;
   * the view under gunicorn on loopback (the page benchmark's worker configuration), a closed
     loop of CLIENTS threads: req/s, p50, p95 and gunicorn's CPU per request (master + workers;
     PostgreSQL's share is not in it), beside the trivial view (the bare-framework ceiling)
     measured in the same server just before.
3. At the largest size, EXPLAIN (ANALYZE, BUFFERS) of every query the selector sends for each
   shape with the facet-count cache off: the execution time of each, and the rows read by
   sequential scans, by table. With BENCH_CATALOGUE_EXPLAIN=1 the plans themselves are printed
   on stderr.
"""

import json
import os
import statistics
import sys
import time
from urllib.parse import urlencode

from bench.contest_burst import cpu_seconds, machine_facts
from bench.environment import (
    bench_site,
    env_numbers,
    postgres_problem,
    postgres_url,
    redis_client,
    redis_url,
    run,
)
from bench.loadgen import load, percentile
from bench.report import step, table
from bench.server import READY_URL, WORKERS, gunicorn, gunicorn_describe

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cds_bench_catalogue"
DEFAULT_SIZES = (10_000, 100_000)
PRODUCERS = 500
# (province code, weight): the Mekong delta provinces hold most OCOP producers of the bench.
PROVINCES = [(86, 30), (82, 20), (92, 15), (91, 12), (68, 10), (1, 8), (38, 5)]
PHOTOS = 6
# A page at 100,000 products takes a few hundred ms on 2 cores: these keep the run near 5 min.
REQUESTS = 30  # per shape and size, after WARMUP
CLIENTS = 4
WARMUP = 5
TRIVIAL_REQUESTS = 1000
REPEAT = 7  # selector calls measured per shape, after 3 not measured
SEQ_SCAN_SHOWN = 1000  # smaller sequential scans (groups, provinces, images) are left out
CATALOGUE_PATH = "/cho-ocop/"
# Shapes of a buyer's query: label, CatalogueQuery keyword arguments.
SHAPES = [
    ("unfiltered, first page", {}),
    ("one filter: group", {"group": "1"}),
    ("three filters: group + stars + province", {"group": "1", "stars": (4,), "province": 86}),
    ("price range + in stock", {"price_min": 100_000, "price_max": 300_000, "in_stock": True}),
    ("sort by price", {"sort": "price_asc"}),
    ("deep page (200)", {"page": 200}),
    ("text: “mật ong”", {"text": "mật ong"}),
]
# Names by sub-group; a product is "<name> <origin> – lô <n>".
NAMES = {
    "1.1": ["Bưởi da xanh", "Xoài cát Hòa Lộc", "Cam sành", "Trứng gà ta", "Sầu riêng Ri6"],
    "1.2": ["Gạo thơm ST25", "Gạo lứt huyết rồng", "Tôm khô", "Hạt điều rang muối"],
    "1.3": ["Kẹo dừa sáp", "Chả lụa", "Mật ong hoa nhãn", "Mứt gừng", "Bánh pía sầu riêng"],
    "1.4": ["Nước mắm cá cơm", "Tương ớt", "Muối tôm", "Tiêu đen"],
    "1.5": ["Chè Shan tuyết", "Chè búp Thái Nguyên"],
    "1.6": ["Cà phê Robusta rang xay", "Ca cao nguyên chất"],
    "2.1": ["Rượu đế Gò Đen", "Rượu nếp cẩm", "Rượu vang sim"],
    "2.2": ["Nước cốt dừa", "Siro chanh dây", "Nước ép khóm"],
    "3.1": ["Cao atiso", "Viên nghệ mật ong", "Đông trùng hạ thảo"],
    "3.2": ["Dầu gội bồ kết", "Xà bông thảo mộc"],
    "3.3": ["Trà mãng cầu", "Tinh dầu sả chanh", "Trà khổ qua rừng"],
    "4.1": ["Khăn thổ cẩm", "Áo bà ba lụa", "Túi thổ cẩm"],
    "5.1": ["Bàn ghế gỗ me tây", "Hộp gỗ khảm"],
    "5.2": ["Giỏ lục bình", "Thảm cói", "Giỏ mây tre đan"],
    "5.3": ["Gốm đỏ Vĩnh Long", "Bình gốm men lam"],
    "5.4": ["Tranh gạo", "Hoa giấy trang trí"],
    "6.1": ["Tour miệt vườn Cù lao An Bình", "Homestay vườn trái cây"],
    "6.2": ["Vé tham quan làng nghề", "Điểm du lịch sinh thái"],
}
# How often each sub-group's products occur (food and drink dominate the real OCOP lists).
SUBGROUP_WEIGHTS = {"1": 6, "2": 3, "3": 2, "4": 1, "5": 1, "6": 1}
ORIGINS = ["Vĩnh Long", "Bến Tre", "Trà Vinh", "Cần Thơ", "Đồng Tháp", "Lâm Đồng", "Hà Nội"]
PRICES = [25_000, 35_000, 45_000, 60_000, 80_000, 95_000, 120_000, 150_000, 180_000, 250_000]
PRICES += [350_000, 500_000, 850_000, 1_200_000, 2_500_000]
UNITS = ["kg", "hop", "chai", "hu", "tui", "goi"]


def shape_querystring(kwargs: dict) -> str:
    """The catalogue URL's query string for CatalogueQuery keyword arguments (the names read by
    `CatalogueQuery.from_querydict`; the child processes check that both mean the same query)."""
    pairs = []
    for key, value in kwargs.items():
        if key == "text":
            pairs.append(("q", value))
        elif key == "stars":
            pairs += [(key, star) for star in value]
        elif key == "in_stock":
            pairs.append((key, "1"))
        else:
            pairs.append((key, value))
    return urlencode(pairs)


def shape_url(kwargs: dict) -> str:
    query = shape_querystring(kwargs)
    return f"{CATALOGUE_PATH}?{query}" if query else CATALOGUE_PATH


# In the child processes (Django set up on the bench database) --------------------------------


def _setup():
    import django

    django.setup()


def build_base() -> dict:
    """Administrative units, the producers, the shared photos."""
    _setup()
    import io
    import random

    from django.core.files.images import ImageFile
    from django.db import connection
    from PIL import Image as PILImage
    from PIL import ImageDraw
    from wagtail.images import get_image_model
    from wagtail.models import Collection

    from bench.data import marketplace_places, producers_create

    step("catalogue: administrative units, producers, photos")
    rng = random.Random(148)
    places = marketplace_places([code for code, _weight in PROVINCES])
    weights = dict(PROVINCES)
    weighted = [place for place in places for _ in range(weights[place[0]])]
    producers = producers_create(PRODUCERS, weighted, "cho-ocop", rng)
    image_model = get_image_model()
    collection = Collection.get_first_root_node()
    for i in range(PHOTOS):
        color = (40 + 30 * i, 140 - 10 * i, 60 + 25 * i)
        img = PILImage.new("RGB", (1200, 900), color)
        draw = ImageDraw.Draw(img)
        for x in range(0, 1200, 60):
            draw.line([(x, 900), (x + 300, 0)], fill=(255, 255, 255), width=6)
        buffer = io.BytesIO()
        img.save(buffer, format="JPEG", quality=85)
        image = image_model(title=f"Ảnh sản phẩm OCOP {i + 1}", collection=collection)
        image.file = ImageFile(buffer, name=f"san-pham-ocop-{i + 1}.jpg")
        image.save()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, whether autovacuum runs or not
    return {"producers": len(producers)}


def grow(size: int) -> dict:
    """Adds published products (COPY) until there are `size`, each with one shared photo."""
    _setup()
    import datetime
    import json as json_module
    import random

    from django.db import connection
    from django.utils import timezone
    from wagtail.images import get_image_model

    from bench.data import copy_rows, ids_reserve
    from marketplace.models import OcopSubgroup, Producer, Product, ProductPhoto
    from marketplace.services.slugs import vietnamese_slugify

    started = time.perf_counter()
    have = Product.objects.count()
    n = size - have
    if n <= 0:
        return {"products": have, "build_s": 0.0}
    rng = random.Random(size)
    producers = list(Producer.objects.order_by("pk").values_list("pk", "province_id", "commune_id"))
    subgroups = list(OcopSubgroup.objects.order_by("code").values_list("pk", "group_id", "code"))
    weighted = [s for s in subgroups for _ in range(SUBGROUP_WEIGHTS[s[2].split(".")[0]])]
    images = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    today = timezone.localdate()
    ids = ids_reserve(Product, n)
    step(f"catalogue {size:,}: COPY {n:,} products")

    def rows():
        for k, pk in enumerate(ids, start=have):
            producer, province, commune = producers[rng.randrange(len(producers))]
            subgroup, group, code = rng.choice(weighted)
            name = f"{rng.choice(NAMES[code])} {rng.choice(ORIGINS)} – lô {pk}"
            draw = rng.random()
            stars = 3 if draw < 0.55 else 4 if draw < 0.93 else 5
            certified = today - datetime.timedelta(days=rng.randrange(30, 1200))
            expires = certified + datetime.timedelta(days=1095)
            extra = ["vietgap"] if rng.random() < 0.2 else []
            yield (
                pk,
                producer,
                name,
                f"{vietnamese_slugify(name)[:200]}-{pk}",
                group,
                subgroup,
                stars,
                stars == 4 and rng.random() < 0.1,
                f"{pk}/QĐ-UBND",
                certified,
                expires,
                expires >= today,
                rng.choice(PRICES),
                rng.choice(UNITS),
                0 if rng.random() < 0.125 else rng.randrange(1, 500),
                rng.randrange(0, 2000),
                commune,
                province,
                json_module.dumps(extra),
                now - datetime.timedelta(minutes=7 * k),
            )

    copy_rows(
        Product,
        [
            "id",
            "producer_id",
            "name",
            "slug",
            "group_id",
            "subgroup_id",
            "stars",
            "potential_five_star",
            "certificate_number",
            "certificate_date",
            "certificate_expires_on",
            "ocop_active",
            "price",
            "unit",
            "stock",
            "sold_count",
            "origin_commune_id",
            "province_id",
            "other_certifications",
            "published_at",
        ],
        rows(),
        certificate_authority="UBND tỉnh",
        description="Sản phẩm OCOP thử tải: đặc sản địa phương, đóng gói cẩn thận.",
        status=Product.Status.PUBLISHED,
    )
    step(f"catalogue {size:,}: COPY {n:,} product photos")
    copy_rows(
        ProductPhoto,
        ["product_id", "image_id"],
        ((pk, images[pk % len(images)]) for pk in ids),
        position=0,
    )
    with connection.cursor() as cursor:
        for model in (Product, ProductPhoto):
            cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return {"products": Product.objects.count(), "build_s": time.perf_counter() - started}


def _search(query) -> tuple[int, int]:
    """Runs the selector and evaluates everything a page shows; (total, products listed)."""
    from marketplace.selectors.catalogue import catalogue_search

    result = catalogue_search(query)
    listed = len(list(result.products))
    for values in result.facets.values():
        for value in values:
            _ = (value.value, value.label, value.count, value.selected)
    return result.total, listed


def measure_selector() -> dict:
    """Per shape: median and p95 of REPEAT selector calls, total, products listed, queries."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.selectors.catalogue import CatalogueQuery

    result = {}
    for label, kwargs in SHAPES:
        query = CatalogueQuery(**kwargs)
        for _ in range(3):
            _search(query)
        times = []
        for _ in range(REPEAT):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                total, listed = _search(query)
                times.append((time.perf_counter() - start) * 1000)
        result[label] = {
            "p50": statistics.median(times),
            "p95": percentile(times, 95),
            "queries": len(captured.captured_queries),
            "total": total,
            "listed": listed,
        }
    return result


def measure_view_queries() -> dict:
    """Per shape: SQL queries of the second GET of the catalogue URL (test client)."""
    _setup()
    from django.test import Client

    from bench.queries import queries_count

    _check_urls()
    client = Client(HTTP_HOST="localhost")
    return {label: queries_count(client, shape_url(kwargs))[0] for label, kwargs in SHAPES}


def _check_urls() -> None:
    """Each shape's URL parses to the very query the selector is measured with."""
    from django.http import QueryDict

    from marketplace.selectors.catalogue import CatalogueQuery

    for label, kwargs in SHAPES:
        parsed = CatalogueQuery.from_querydict(QueryDict(shape_querystring(kwargs)))
        if parsed != CatalogueQuery(**kwargs):
            raise SystemExit(f"bench: the URL of “{label}” parses to {parsed}")


def _seq_scans(node: dict, found: dict) -> None:
    """Adds the rows each sequential scan of a JSON plan read (kept and filtered out), by table."""
    if node["Node Type"] == "Seq Scan":
        read = (node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
        found[node["Relation Name"]] = found.get(node["Relation Name"], 0) + round(read)
    for child in node.get("Plans", ()):
        _seq_scans(child, found)


def explain() -> dict:
    """Per shape: EXPLAIN (ANALYZE, BUFFERS) of each query the selector sends: execution ms of
    each, and the rows read by sequential scans, by table (BENCH_CATALOGUE_EXPLAIN=1: the plans
    in text on stderr)."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from marketplace.selectors.catalogue import CatalogueQuery

    show = bool(os.environ.get("BENCH_CATALOGUE_EXPLAIN"))
    result = {}
    for label, kwargs in SHAPES:
        query = CatalogueQuery(**kwargs)
        _search(query)
        with CaptureQueriesContext(connection) as captured:
            _search(query)
        timings, scanned = [], {}
        for captured_query in captured.captured_queries:
            sql = captured_query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}")
                (plan,) = cursor.fetchone()[0]
                if show:
                    cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                    text = "\n".join(row[0] for row in cursor.fetchall())
                    print(f"-- {label}\n{sql}\n{text}\n", file=sys.stderr)
            timings.append(plan["Execution Time"])
            _seq_scans(plan["Plan"], scanned)
        result[label] = {"ms": timings, "seq_scans": scanned}
    return result


# In the bench process -------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def _ratio(value: float, base: float | None) -> str:
    return f"{value / base:,.2f}x" if base else "-"


def selector_table(results: list[dict]) -> str:
    rows = []
    for label, _kwargs in SHAPES:
        base = results[0]["selector"][label]["p50"]
        for r in results:
            s, c = r["selector"][label], r["selector_cached"][label]
            rows.append(
                [
                    label,
                    r["products"],
                    s["total"],
                    s["listed"],
                    _ms(s["p50"]),
                    _ms(s["p95"]),
                    s["queries"],
                    _ratio(s["p50"], base),
                    _ms(c["p50"]),
                    c["queries"],
                    _ratio(c["p50"], s["p50"]),
                ]
            )
    headers = ["shape", "products", "matches", "listed", "p50 ms", "p95 ms", "queries"]
    headers += ["p50 ÷ smallest", "cached p50 ms", "cached queries", "cached ÷ counted"]
    return table(headers, rows)


def queries_table(results: list[dict]) -> tuple[str, bool]:
    """Queries per page of the view and of the selector at each size; whether any differs."""
    rows, differs = [], False
    for label, _kwargs in SHAPES:
        view = [r["view_queries"][label] for r in results]
        selector = [r["selector"][label]["queries"] for r in results]
        same = len(set(view)) == 1 and len(set(selector)) == 1
        differs |= not same
        rows.append([label, *view, *selector, "same" if same else "DIFFERS"])
    sizes = [f"@{r['products']:,}" for r in results]
    headers = ["shape", *(f"view {s}" for s in sizes), *(f"selector {s}" for s in sizes)]
    return table([*headers, "same/DIFFERS"], rows), differs


def load_table(results: list[dict]) -> str:
    rows = []
    for r in results:
        trivial = r["load"]["trivial"]
        rows.append(
            [
                f"trivial GET {READY_URL} (ceiling)",
                r["products"],
                trivial["requests"],
                _ms(trivial["rps"]),
                _ms(trivial["p50"]),
                _ms(trivial["p95"]),
                _cpu(trivial),
                "1.000",
                "-",
            ]
        )
    for label, _kwargs in SHAPES:
        base = results[0]["load"][label]["p50"]
        for r in results:
            m, trivial = r["load"][label], r["load"]["trivial"]
            rows.append(
                [
                    label,
                    r["products"],
                    m["requests"],
                    _ms(m["rps"]),
                    _ms(m["p50"]),
                    _ms(m["p95"]),
                    _cpu(m),
                    f"{m['rps'] / trivial['rps']:.3f}",
                    _ratio(m["p50"], base),
                ]
            )
    headers = ["page", "products", "requests", "req/s", "p50 ms", "p95 ms", "gunicorn CPU ms/req"]
    return table([*headers, "req/s ÷ trivial", "p50 ÷ smallest"], rows)


def _cpu(measured: dict) -> str:
    return "-" if measured["cpu_ms"] is None else _ms(measured["cpu_ms"])


def explain_table(found: dict) -> str:
    rows = [
        [
            label,
            len(found[label]["ms"]),
            _ms(sum(found[label]["ms"])),
            " + ".join(_ms(ms) for ms in found[label]["ms"]),
            ", ".join(
                f"{name} {rows:,}"
                for name, rows in sorted(found[label]["seq_scans"].items())
                if rows >= SEQ_SCAN_SHOWN
            )
            or "-",
        ]
        for label, _kwargs in SHAPES
    ]
    headers = ["shape", "SELECTs", "total ms", "each ms (in order)"]
    headers.append(f"rows read by sequential scans (≥ {SEQ_SCAN_SHOWN:,})")
    return table(headers, rows)


def _load(port: int, url: str, requests: int, clients: int) -> dict:
    """A warm-up, then the measured load; with gunicorn's CPU per request (Linux): unlike the
    latencies, it hardly depends on what else keeps the machine busy."""
    load(port, url, WARMUP, clients)
    before = cpu_seconds(port)
    result = load(port, url, requests, clients)
    after = cpu_seconds(port)
    cpu = (after["server"] - before["server"]) * 1000 / requests if before and after else None
    return {
        "requests": len(result.latencies),
        "rps": result.rps,
        "p50": result.percentile_ms(50),
        "p95": result.percentile_ms(95),
        "cpu_ms": cpu,
    }


def main() -> int:
    """Runs the catalogue benchmark and prints its tables; 0 unless a query count changes."""
    url = postgres_url(DEFAULT_DATABASE_URL)
    problem = postgres_problem(url)
    if problem is not None:
        print(f"\nCatalogue: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    sizes = sorted(env_numbers("BENCH_CATALOGUE_SIZES", DEFAULT_SIZES))
    requests = env_numbers("BENCH_CATALOGUE_REQUESTS", (REQUESTS,))[0]
    clients = env_numbers("BENCH_CATALOGUE_CLIENTS", (CLIENTS,))[0]
    redis = redis_client(redis_url())
    started = time.perf_counter()
    print(
        f"\nCatalogue: {', '.join(f'{s:,}' for s in sizes)} published OCOP products from"
        f" {PRODUCERS} producers in {len(PROVINCES)} provinces, {len(SHAPES)} query shapes",
        flush=True,
    )
    print(machine_facts(url, redis))
    print(
        f"server: {gunicorn_describe(WORKERS)}, settings bench.settings (production + trivial"
        f" view), CONN_MAX_AGE 60 | client: {clients} threads, {requests} requests per shape"
        f" after {WARMUP} | selector: median and p95 of {REPEAT} calls in one process"
    )
    if redis is None:
        print("Redis does not answer: cache per worker, in local memory.")
    results = []
    site = bench_site(url, prefix="cds-bench-catalogue-", redis=redis, EMAIL_URL="dummymail://")
    with site as (env, tmp):
        env_uncached = {**env, "MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS": "0"}
        run(env, "-m", "bench.catalogue", "base", progress=True)
        for size in sizes:
            result = json.loads(run(env, "-m", "bench.catalogue", "grow", str(size), progress=True))
            if redis is not None:
                redis.flushdb()
            step(f"catalogue {size:,}: selector, facet counts computed every call")
            result["selector"] = json.loads(run(env_uncached, "-m", "bench.catalogue", "selector"))
            step(f"catalogue {size:,}: selector, facet counts cached")
            result["selector_cached"] = json.loads(run(env, "-m", "bench.catalogue", "selector"))
            step(f"catalogue {size:,}: SQL queries per page")
            result["view_queries"] = json.loads(run(env, "-m", "bench.catalogue", "queries"))
            step(f"catalogue {size:,}: gunicorn")
            loads = {}
            with gunicorn(env, tmp / f"gunicorn-{size}.log", WORKERS) as port:
                loads["trivial"] = _load(port, READY_URL, TRIVIAL_REQUESTS, clients)
                for label, kwargs in SHAPES:
                    step(f"catalogue {size:,}: load {label}")
                    loads[label] = _load(port, shape_url(kwargs), requests, clients)
            result["load"] = loads
            results.append(result)
        step(f"catalogue {sizes[-1]:,}: EXPLAIN ANALYZE")
        found = json.loads(run(env_uncached, "-m", "bench.catalogue", "explain", progress=True))

    built = ", ".join(f"{r['products']:,} in {r['build_s']:,.1f} s" for r in results)
    print(f"\nProducts added (COPY + VACUUM ANALYZE): {built}")
    print(
        "\nSelector catalogue_search() called directly (facet counts computed every call;"
        f" cached: the same filter set again)\n{selector_table(results)}"
    )
    queries, differs = queries_table(results)
    print(f"\nSQL queries per page (view: second GET through the test client)\n{queries}")
    print(
        f"\nThe page GET {CATALOGUE_PATH}?… under gunicorn on 127.0.0.1 ({clients} client"
        f" threads, closed loop)\n{load_table(results)}"
    )
    print(
        f"\nEXPLAIN ANALYZE of the selector's queries at {results[-1]['products']:,} products"
        f"\n{explain_table(found)}"
    )
    if differs:
        print("FAIL: a page's query count changes with the number of products.")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nCatalogue total time: {time.perf_counter() - started:.0f} s")
    return 1 if differs else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "base":
        output = build_base()
    elif command == "grow":
        output = grow(int(args[0]))
    elif command == "selector":
        output = measure_selector()
    elif command == "queries":
        output = measure_view_queries()
    elif command == "explain":
        output = explain()
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(output))
