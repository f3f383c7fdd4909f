"""Checkout under contention: 100 buyers race for the last 10 units; nothing may be oversold.

Run it alone with `python -m bench checkout` (`python -m bench` runs every benchmark):

    BENCH_CHECKOUT_BUYERS=100 BENCH_CHECKOUT_STOCK=10 BENCH_CHECKOUT_ROUNDS=3 \
        .venv/bin/python -m bench checkout   # the defaults

It needs PostgreSQL and uses Redis when it answers:

* BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench_checkout): the
  database is created afresh and dropped at the end; when the server does not answer, the
  benchmark is skipped with a printed line.
* BENCH_REDIS_URL (default redis://127.0.0.1:6379/14): Celery broker and cache; that Redis
  database is flushed before and after. No Celery worker runs: the "order placed" email task
  each order queues after commit waits in the queue, and is counted at the end.
* BENCH_CHECKOUT_CONNECTIONS: how many buyers are inside the database at once. By default as
  many as there are buyers, lowered (and said so) to what the server's max_connections leaves
  free, less a margin of 10 for everything else.

What happens:

1. A production-like site (migrate, collectstatic; no demo content) on the bench database; the
   2025 administrative units, two verified producers, the buyers (accounts with a delivery
   address in one commune) and, for the HTTP run, a signed-in session for each.
2. Service: in one child process, for each round, fresh products, then one thread per buyer
   (or BENCH_CHECKOUT_CONNECTIONS threads, each taking the next waiting buyer when done), each
   with its own database connection opened before the start, released together by a barrier;
   each buyer calls `checkout_place_order` once for one unit, cash on delivery. Scenarios:
   * contention: one product with 10 units;
   * two products, 10 units each, from two producers (two sub-orders per order), half the buyers
     listing them in the opposite order: the deadlock check (the service takes stock in
     product-id order);
   * baselines in the same run: one product with plenty of stock (every buyer succeeds, the
     row lock still serialises them), and a product each with plenty of stock (no shared row).
   Per round: wall time from the release to the last answer, attempts and orders per second,
   latency of a call, outcomes; then checks in the database: orders placed, units sold,
   final stock, oversold units, orders left by refused attempts.
3. HTTP: gunicorn on loopback (the page benchmark's worker configuration), a product with 10
   units in each buyer's session cart; every buyer opens the checkout page (not timed, it
   holds the form's one-time token), then all POST the form (cash on delivery) at once, each
   from its own client thread: the same checks. Two sync workers serve two requests at a
   time, so most buyers find the product already sold out when their turn comes (the checkout
   sends them back to the cart); the service run above is the one that races in the database.
"""

import http.client
import json
import re
import secrets
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from bench.contest_burst import _tracebacks, machine_facts
from bench.environment import (
    bench_site,
    env_numbers,
    postgres_problem,
    postgres_url,
    redis_client,
    redis_url,
    run,
)
from bench.loadgen import HOST, http_request, percentile
from bench.report import outcome_report, step, table
from bench.server import WORKERS, gunicorn, gunicorn_describe

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cds_bench_checkout"
BUYERS = 100
STOCK = 10
ROUNDS = 3
PLENTY = 1_000_000
CONNECTION_MARGIN = 10  # connections left for everything else on the server
PROVINCE = 86  # Vĩnh Long
PRICE = 150_000
TIMEOUT = 120  # seconds a client waits for one response
CHECKOUT_PATH = "/thanh-toan/"
ORDER_PATH = re.compile(r"/ca-nhan/don-hang/[^/]+/$")
CART_PATH = re.compile(r"/gio-hang/$")
CHECKOUT_TOKEN = re.compile(r'name="checkout_token" value="([^"]+)"')
# name: (label, products, units of each, whether buyers share the products, lines reversed
# for odd buyers)
SCENARIOS = {
    "last-units": ("last 10 units, one product", 1, STOCK, True, False),
    "two-products": ("last 10 units of two products, opposite orders", 2, STOCK, True, True),
    "plenty-shared": ("baseline: plenty of stock, one shared product", 1, PLENTY, True, False),
    "plenty-own": ("baseline: plenty of stock, a product each", 1, PLENTY, False, False),
}
PLACED, REFUSED = "placed", "refused: out of stock"


def free_connections(url: str) -> int:
    """Connections the server still accepts from ordinary roles, less the margin."""
    from bench.environment import _server

    conn, _name = _server(url)
    with conn:
        limit = int(conn.execute("SHOW max_connections").fetchone()[0])
        reserved = int(conn.execute("SHOW superuser_reserved_connections").fetchone()[0])
        used = conn.execute("SELECT count(*) FROM pg_stat_activity").fetchone()[0]
    return limit - reserved - used - CONNECTION_MARGIN


# In the child processes (Django set up on the bench database) --------------------------------


def _setup():
    import django

    django.setup()


def seed(buyers: int) -> dict:
    """Administrative units, two producers, the buyers and their sessions."""
    _setup()

    from django.conf import settings
    from django.db import connection

    from bench.data import marketplace_places, producers_create, signed_in_sessions, users_create

    places = marketplace_places([PROVINCE])
    producers = producers_create(2, places[:2], "thanh-toan")
    users = users_create(buyers, "nguoi-mua")
    sessions = signed_in_sessions(users)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, whether autovacuum runs or not
    return {
        "province": PROVINCE,
        "commune": places[0][1],
        "producers": [p.pk for p in producers],
        "buyers": [u.pk for u in users],
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def products_create(producer_ids: list[int], units: int, tag: str) -> list[int]:
    """Published 4-star products with `units` in stock, one per producer id given (in order)."""
    import datetime

    from django.utils import timezone

    from marketplace.models import OcopSubgroup, Product

    subgroup = OcopSubgroup.objects.get(code="1.3")
    today = timezone.localdate()
    products = [
        Product(
            producer_id=producer_id,
            name=f"Kẹo dừa sáp thử tải {tag}-{i + 1}",
            slug=f"keo-dua-sap-thu-tai-{tag}-{i + 1}",
            group_id=subgroup.group_id,
            subgroup=subgroup,
            stars=4,
            certificate_number=f"{i + 1}/QĐ-UBND",
            certificate_date=today - datetime.timedelta(days=100),
            certificate_authority="UBND tỉnh Vĩnh Long",
            certificate_expires_on=today + datetime.timedelta(days=900),
            ocop_active=True,
            price=PRICE,
            unit=Product.Unit.BOX,
            stock=units,
            province_id=PROVINCE,
            status=Product.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        for i, producer_id in enumerate(producer_ids)
    ]
    return [p.pk for p in Product.objects.bulk_create(products)]


def _outcome(exc: Exception | None) -> str:
    from marketplace.services.checkout import CheckoutError, OutOfStock

    if exc is None:
        return PLACED
    if isinstance(exc, OutOfStock):
        return REFUSED
    if isinstance(exc, CheckoutError):
        return f"CheckoutError: {exc.message}"
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"


def race(plan: dict, scenario: str, tag: str, connections: int) -> dict:
    """One round: fresh products, every buyer's checkout released at once from its own thread
    (at most `connections` in the database at a time); outcomes, timings and checks."""
    import queue

    from django.contrib.auth import get_user_model
    from django.db import connection

    from marketplace.services.checkout import DeliveryDetails, checkout_place_order
    from portal.locations.models import Commune, Province

    _label, count, units, shared, reverse = SCENARIOS[scenario]
    buyers = list(get_user_model().objects.filter(pk__in=plan["buyers"]).order_by("pk"))
    if shared:
        product_ids = products_create(plan["producers"][:count], units, tag)
        carts = [product_ids for _ in buyers]
    else:
        owners = [plan["producers"][i % 2] for i in range(len(buyers))]
        carts = [[pk] for pk in products_create(owners, units, tag)]
    if reverse:
        carts = [cart[::-1] if i % 2 else cart for i, cart in enumerate(carts)]
    commune = Commune.objects.get(pk=plan["commune"])
    delivery = DeliveryDetails(
        recipient_name="Nguyễn Văn Thử",
        phone="0912345678",
        province=Province.objects.get(pk=plan["province"]),
        commune=commune,
        street_address="12 đường 2 Tháng 9",
    )
    jobs: queue.SimpleQueue = queue.SimpleQueue()
    for buyer, cart in zip(buyers, carts, strict=True):
        jobs.put((buyer, [(pk, 1) for pk in cart]))
    threads = min(connections, len(buyers))
    barrier = threading.Barrier(threads + 1)
    latencies: list[float] = []
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def buyer_thread():
        try:
            connection.ensure_connection()
            barrier.wait()
            while True:
                try:
                    buyer, lines = jobs.get_nowait()
                except queue.Empty:
                    return
                start = time.perf_counter()
                try:
                    checkout_place_order(
                        buyer=buyer, lines=lines, delivery=delivery, payment_method="cod"
                    )
                    error = None
                except Exception as exc:  # classified and counted, never lost
                    error = exc
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    outcomes[_outcome(error)] += 1
        finally:
            connection.close()

    workers = [threading.Thread(target=buyer_thread) for _ in range(threads)]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    wall = time.perf_counter() - started
    all_products = sorted({pk for cart in carts for pk in cart})
    return {
        "scenario": scenario,
        "threads": threads,
        "wall": wall,
        "latencies": latencies,
        "outcomes": dict(outcomes),
        "state": stock_state(all_products, units, plan["buyers"]),
    }


def stock_state(product_ids: list[int], units: int, buyer_ids: list[int]) -> dict:
    """What the round left: orders, sub-orders, units in order lines and stock of each product."""
    from django.db.models import Sum

    from marketplace.models import Order, OrderLine, Product, SubOrder

    lines = OrderLine.objects.filter(product_id__in=product_ids)
    orders = Order.objects.filter(suborders__lines__product_id__in=product_ids).distinct()
    sold = dict(lines.values_list("product_id").annotate(n=Sum("quantity")).order_by("product_id"))
    stock = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "stock"))
    sold_count = dict(Product.objects.filter(pk__in=product_ids).values_list("pk", "sold_count"))
    return {
        "products": len(product_ids),
        "orders": orders.count(),
        "suborders": SubOrder.objects.filter(lines__product_id__in=product_ids).distinct().count(),
        "orders_empty": Order.objects.filter(buyer_id__in=buyer_ids, suborders=None).count(),
        "units_sold": sum(sold.values()),
        "stock_left": sum(stock.values()),
        "stock_min": min(stock.values()),
        "oversold": sum(max(0, sold.get(pk, 0) - units) for pk in product_ids),
        "unbalanced": sum(
            stock[pk] + sold.get(pk, 0) != units or sold_count[pk] != sold.get(pk, 0)
            for pk in product_ids
        ),
    }


def races(plan_path: str, rounds: int, connections: int) -> list[dict]:
    """Every scenario, `rounds` times each (interleaved: round 1 of each, then round 2, …)."""
    _setup()
    plan = json.loads(Path(plan_path).read_text())
    results = []
    for n in range(rounds):
        for scenario in SCENARIOS:
            step(f"checkout: {SCENARIOS[scenario][0]}, round {n + 1}")
            result = race(plan, scenario, f"{scenario}-{n + 1}", connections)
            result["round"] = n + 1
            results.append(result)
    return results


def http_products(plan_path: str) -> dict:
    """The HTTP run's product (STOCK units) in every buyer's session cart."""
    _setup()
    from importlib import import_module

    from django.conf import settings

    from marketplace.services.cart import SESSION_KEY

    plan = json.loads(Path(plan_path).read_text())
    (product,) = products_create(plan["producers"][:1], STOCK, "http")
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    for key in plan["sessions"]:
        store = store_class(session_key=key)
        store[SESSION_KEY] = {str(product): 1}
        store.save()
    return {"product": product}


def http_state(plan_path: str, product: int) -> dict:
    _setup()
    plan = json.loads(Path(plan_path).read_text())
    return stock_state([product], STOCK, plan["buyers"])


# In the bench process: the HTTP buyers --------------------------------------------------------


class HttpBuyers:
    """Every buyer opens the checkout page (not timed), then all POST the form at once, each
    from its own client thread and connection."""

    def __init__(self, port: int, plan: dict):
        self.port, self.plan = port, plan
        self.latencies: list[float] = []
        self.outcomes: Counter = Counter()
        self.errors: Counter = Counter()
        self.server_errors = 0
        self.lock = threading.Lock()

    def _error(self, message: str) -> None:
        with self.lock:
            self.errors[message] += 1

    def _form(self, conn, headers: dict) -> dict | None:
        """The checkout form's fields for this buyer, or None (error counted)."""
        try:
            status, _headers, body = http_request(conn, "GET", CHECKOUT_PATH, None, headers)
        except (OSError, http.client.HTTPException) as exc:
            self._error(f"GET {CHECKOUT_PATH}: {type(exc).__name__}: {exc}")
            return None
        token = CHECKOUT_TOKEN.search(body.decode("utf-8", "replace"))
        if status != 200 or token is None:
            self._error(f"GET {CHECKOUT_PATH}: HTTP {status}, no checkout token")
            return None
        return {
            "recipient_name": "Nguyễn Văn Thử",
            "phone": "0912345678",
            "province": self.plan["province"],
            "commune": self.plan["commune"],
            "street_address": "12 đường 2 Tháng 9",
            "payment_method": "cod",
            "checkout_token": token.group(1),
        }

    def _buyer(self, session: str, barrier: threading.Barrier) -> None:
        csrf = secrets.token_hex(16)  # 32 characters, as Django's own CSRF secrets
        cookie = f"{self.plan['session_cookie']}={session}; {self.plan['csrf_cookie']}={csrf}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        try:
            form = self._form(conn, {"Cookie": cookie})
            barrier.wait()
            if form is None:
                return
            headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
            body = urlencode({**form, "csrfmiddlewaretoken": csrf}).encode()
            sent = time.perf_counter()
            status, answer_headers, answer = http_request(
                conn, "POST", CHECKOUT_PATH, body, headers
            )
        except (OSError, http.client.HTTPException) as exc:
            self._error(f"POST {CHECKOUT_PATH}: {type(exc).__name__}: {exc}")
            return
        finally:
            conn.close()
        elapsed = time.perf_counter() - sent
        location = answer_headers.get("Location", "")
        with self.lock:
            self.latencies.append(elapsed)
            if status == 302 and ORDER_PATH.search(location):
                self.outcomes[PLACED] += 1
            elif status == 400:
                self.outcomes["refused: form shown again (sold out meanwhile)"] += 1
            elif status == 302 and CART_PATH.search(location):
                self.outcomes["refused: back to the cart (sold out before)"] += 1
            else:
                self.server_errors += status >= 500
                text = " ".join(answer[:200].decode("utf-8", "replace").split())
                self.errors[f"POST {CHECKOUT_PATH}: HTTP {status} {location} {text}"] += 1

    def run(self) -> float:
        """Seconds from the release of the POSTs to the last answer."""
        sessions = self.plan["sessions"]
        barrier = threading.Barrier(len(sessions) + 1)
        threads = [threading.Thread(target=self._buyer, args=(s, barrier)) for s in sessions]
        for thread in threads:
            thread.start()
        barrier.wait()
        started = time.perf_counter()
        for thread in threads:
            thread.join()
        return time.perf_counter() - started


# Reporting ------------------------------------------------------------------------------------


def _ms(value: float) -> str:
    return f"{value:,.1f}"


def rounds_table(results: list[dict], baseline_rps: float) -> str:
    rows = []
    for scenario, (label, *_rest) in SCENARIOS.items():
        for r in (r for r in results if r["scenario"] == scenario):
            placed = r["outcomes"].get(PLACED, 0)
            attempts = len(r["latencies"])
            rows.append(
                [
                    label,
                    r["round"],
                    attempts,
                    r["threads"],
                    _ms(r["wall"] * 1000),
                    _ms(attempts / r["wall"]),
                    _ms(placed / r["wall"]),
                    placed,
                    r["outcomes"].get(REFUSED, 0),
                    attempts - placed - r["outcomes"].get(REFUSED, 0),
                    _ms(percentile(r["latencies"], 50) * 1000),
                    _ms(percentile(r["latencies"], 95) * 1000),
                    r["state"]["stock_left"],
                    r["state"]["oversold"],
                    f"{attempts / r['wall'] / baseline_rps:.2f}",
                ]
            )
    headers = ["scenario", "round", "buyers", "at once", "wall ms", "attempts/s", "orders/s"]
    headers += ["placed", "out of stock", "errors", "p50 ms", "p95 ms", "stock left"]
    headers += ["oversold", "attempts/s ÷ baseline"]
    return table(headers, rows)


def http_table(buyers: "HttpBuyers", wall: float) -> str:
    answered = len(buyers.latencies)
    placed = buyers.outcomes.get(PLACED, 0)
    refusals = sorted(k for k in buyers.outcomes if k != PLACED)
    row = [
        f"POST {CHECKOUT_PATH} (cart: 1 unit)",
        answered,
        _ms(wall * 1000),
        _ms(answered / wall),
        _ms(placed / wall),
        placed,
        "; ".join(f"{buyers.outcomes[k]} {k}" for k in refusals) or "-",
        sum(buyers.errors.values()),
        _ms(percentile(buyers.latencies, 50) * 1000),
        _ms(percentile(buyers.latencies, 95) * 1000),
    ]
    headers = ["request", "answered", "wall ms", "requests/s", "orders/s", "placed"]
    return table([*headers, "refused", "errors", "p50 ms", "p95 ms"], [row])


def checks_rows(results: list[dict], buyers: int) -> list[list]:
    """[check, expected, found] per scenario; values of the rounds joined with " / "."""
    rows = []
    for scenario, (label, count, units, shared, _reverse) in SCENARIOS.items():
        mine = [r for r in results if r["scenario"] == scenario]
        winners = min(buyers, units) if shared else buyers

        def row(check, expected, found, label=label, mine=mine):
            expected = " / ".join([str(expected)] * len(mine))
            rows.append([f"{label}: {check}", expected, " / ".join(map(str, found))])

        row("orders placed", winners, [_placed(r) for r in mine])
        row(
            "refused, out of stock", buyers - winners, [r["outcomes"].get(REFUSED, 0) for r in mine]
        )
        row("orders in the database", winners, [r["state"]["orders"] for r in mine])
        row("sub-orders", winners * count, [r["state"]["suborders"] for r in mine])
        row("units sold (order lines)", winners * count, [r["state"]["units_sold"] for r in mine])
        row("oversold units", 0, [r["state"]["oversold"] for r in mine])
        if units == STOCK:
            row("stock left", 0, [r["state"]["stock_left"] for r in mine])
        row("products whose stock + sold ≠ initial", 0, [r["state"]["unbalanced"] for r in mine])
    rows.append(
        [
            "orders without sub-orders (left by a refused attempt)",
            0,
            results[-1]["state"]["orders_empty"],
        ]
    )
    return rows


def _placed(result: dict) -> int:
    return result["outcomes"].get(PLACED, 0)


def _email_tasks(redis) -> int:
    """ "Order placed" email messages waiting in the broker's queue."""
    return sum(
        json.loads(raw)["headers"]["task"] == "marketplace.tasks.order_placed_email_task"
        for raw in redis.lrange("celery", 0, -1)
    )


def main() -> int:
    """Runs the races and prints their tables; 0 when every count and check is as expected."""
    url = postgres_url(DEFAULT_DATABASE_URL)
    problem = postgres_problem(url)
    if problem is not None:
        print(f"\nCheckout contention: SKIPPED, PostgreSQL does not answer ({problem}).")
        return 0
    buyers = env_numbers("BENCH_CHECKOUT_BUYERS", (BUYERS,))[0]
    rounds = env_numbers("BENCH_CHECKOUT_ROUNDS", (ROUNDS,))[0]
    free = free_connections(url)
    connections = min(env_numbers("BENCH_CHECKOUT_CONNECTIONS", (buyers,))[0], buyers, max(2, free))
    redis = redis_client(redis_url())
    started = time.perf_counter()
    print(
        f"\nCheckout contention: {buyers} buyers, {STOCK} units, {rounds} rounds per scenario,"
        " one unit each, cash on delivery",
        flush=True,
    )
    print(machine_facts(url, redis))
    print(
        f"service: checkout_place_order from {connections} threads at once, each with its own"
        f" PostgreSQL connection (max_connections leaves {free} free after a margin of"
        f" {CONNECTION_MARGIN}) | HTTP: {gunicorn_describe(WORKERS)}, {buyers} client threads"
    )
    if redis is None:
        print("Redis does not answer: the email tasks run at once, in the buyer's thread.")
    site = bench_site(url, prefix="cds-bench-checkout-", redis=redis, EMAIL_URL="dummymail://")
    with site as (env, tmp):
        step(f"seed: producers, {buyers} buyers signed in")
        plan = json.loads(run(env, "-m", "bench.checkout_contention", "seed", str(buyers)))
        plan_path = tmp / "plan.json"
        plan_path.write_text(json.dumps(plan))
        results = json.loads(
            run(
                env,
                "-m",
                "bench.checkout_contention",
                "races",
                str(plan_path),
                str(rounds),
                str(connections),
                progress=True,
            )
        )
        step("HTTP: a product with 10 units in every cart")
        product = json.loads(
            run(env, "-m", "bench.checkout_contention", "http-products", str(plan_path))
        )["product"]
        log = tmp / "gunicorn.log"
        with gunicorn(env, log, WORKERS) as port:
            step(f"HTTP: {buyers} checkout POSTs at once")
            http_buyers = HttpBuyers(port, plan)
            http_wall = http_buyers.run()
        http_checks = json.loads(
            run(
                env,
                "-m",
                "bench.checkout_contention",
                "http-state",
                str(plan_path),
                str(product),
            )
        )
        emails = _email_tasks(redis) if redis is not None else None
        tracebacks = _tracebacks(log) if http_buyers.errors else []

    own = [r for r in results if r["scenario"] == "plenty-own"]
    baseline_rps = sum(len(r["latencies"]) / r["wall"] for r in own) / len(own)
    print(
        "\nService checkout_place_order, all buyers released at once (wall: release → last"
        " answer; attempts/s ÷ baseline: against the mean of “a product each”)"
    )
    print(rounds_table(results, baseline_rps))
    http_placed = http_buyers.outcomes.get(PLACED, 0)
    print(f"\nHTTP under gunicorn, all buyers at once\n{http_table(http_buyers, http_wall)}")
    outcomes = Counter()
    for r in results:
        outcomes.update(r["outcomes"])
    errors = Counter({k: v for k, v in outcomes.items() if k not in (PLACED, REFUSED)}) + Counter(
        {f"HTTP run: {k}": v for k, v in http_buyers.errors.items()}
    )
    checks = checks_rows(results, buyers)
    checks += [
        ["HTTP: orders placed", min(buyers, STOCK), http_placed],
        ["HTTP: refused", buyers - min(buyers, STOCK), len(http_buyers.latencies) - http_placed],
        ["HTTP: orders in the database", min(buyers, STOCK), http_checks["orders"]],
        ["HTTP: stock left", 0, http_checks["stock_left"]],
        ["HTTP: oversold units", 0, http_checks["oversold"]],
        ["HTTP: responses 5xx", 0, http_buyers.server_errors],
    ]
    if emails is not None:
        expected = sum(_placed(r) for r in results) + http_placed
        checks.append(["“order placed” email tasks queued in Redis", expected, emails])
    failed = outcome_report(errors=errors, tracebacks=tracebacks, checks=checks, after="the races")
    print(f"\nCheckout contention total time: {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "seed":
        output = seed(int(args[0]))
    elif command == "races":
        output = races(args[0], int(args[1]), int(args[2]))
    elif command == "http-products":
        output = http_products(args[0])
    elif command == "http-state":
        output = http_state(args[0], int(args[1]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(output))
