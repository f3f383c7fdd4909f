"""Site search at scale: indexing throughput and query latency, on PostgreSQL and on SQLite.

Run it alone with `python -m bench search` (`python -m bench` runs every benchmark):

    BENCH_SEARCH_PRODUCTS=100000 BENCH_SEARCH_PAGES=10000 \
        BENCH_SEARCH_GROWTH=10000,100000,1000000 .venv/bin/python -m bench search  # the defaults

* BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/cds_bench_search): the
  database is created afresh and dropped at the end; when PostgreSQL does not answer, its half
  is skipped with a printed line and the SQLite half (a file in a temporary folder) still runs.
* BENCH_SEARCH_PRODUCTS, BENCH_SEARCH_PAGES: the site indexed and queried; BENCH_SEARCH_GROWTH:
  the index sizes of the growth table; BENCH_SEARCH_CALLS (200) and BENCH_SEARCH_GROWTH_CALLS
  (100): calls measured per query, on the site and in the growth table.

Each database gets a production-like site (migrate, collectstatic; settings bench.settings) and
every step below runs in a child process on it. The children have no REDIS_URL, so Django's
cache is the local-memory one, private to the measuring process.

1. Data, written straight to the database (never through HTTP or the admin):
   * the catalogue benchmark's base (bench.catalogue.build_base): the 2025 administrative
     units, 500 verified producers over 7 provinces, 6 photos shared by the products;
   * products, published, with one photo each: "<product> [<grade>] <place> [<package>]"
     ("Kẹo dừa sáp truyền thống Chợ Lách hộp 500g"), products over the OCOP sub-groups as in
     the catalogue benchmark (food most common), stars, prices and stock likewise; COPY on
     PostgreSQL (bench.data.copy_rows), bulk_create on SQLite;
   * pages: the demo home page and news section with its 12 articles, through Wagtail's API
     (add_child, a revision, publish: portal.core.demo.seed), then the other news articles by
     a fast path, because treebeard's add_child locks the tree and reads and writes the parent
     for every page: the `wagtailcore_page` rows are bulk-inserted with the path, depth,
     url_path, live flag and publication dates that add_child and publish would give them
     (consecutive paths after the last child, the parent's numchild raised once), and the
     `news_articlepage` rows (lead, body, category, date, author) inserted beside them. They
     have no revision, no tag and no entry in Wagtail's own admin search index, and no signal
     fires: none of that is read by the site search (search/sources.py reads live, public
     pages and their search fields), which sees them like any published article.
2. Indexing: `search_rebuild()` timed as the management command runs it (documents, vocabulary),
   then VACUUM ANALYZE on PostgreSQL, ANALYZE on SQLite (not timed), and the sizes: products,
   pages, producers, search_entry rows, vocabulary terms, the index on disk (PostgreSQL:
   pg_total_relation_size('search_entry'), indexes and TOAST included; SQLite: the pages of
   search_entry, its indexes and the FTS5 tables, from dbstat) and the whole database.
3. Queries, the selectors called in process (no HTTP), each over a list of about 20 realistic
   unaccented inputs: one warm-up pass over the inputs, then CALLS calls (inputs in turn; at
   most ROW_BUDGET_SECONDS per query once MIN_CALLS are done): p50 and p95, beside a baseline
   measured in the same process just before (a product read by primary key):
   * the catalogue (SearchCatalogue) with text, 4–5 stars, in stock, by relevance, with facet
     counts: cold (MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS=0: counted every call) and warm
     (the counts of each filter set cached by the warm-up pass);
   * site search (site_search), the "all kinds" page: counts, the top 3 of each kind, spelling;
   * autocomplete with prefixes of 2 to 6 characters.
4. Growth: search_entry emptied (TRUNCATE on PostgreSQL; the engine's delete and VACUUM on
   SQLite), then filled directly with synthetic product entries (the same name generator, the
   columns a product document gives: title and text with their folded forms from
   search.folding.fold, catalogue fields) up to each BENCH_SEARCH_GROWTH size; PostgreSQL's
   `document` column and GIN indexes, and SQLite's FTS5 triggers, fill themselves (COPY then
   VACUUM ANALYZE; bulk_create then the FTS5 optimize a rebuild ends with, and ANALYZE). Then
   the engine called directly (DatabaseEngine: catalogue with the same filters, counts and top
   3 per kind, autocomplete), p50/p95 at each size and the ratio to the smallest. SQLite stops
   growing when the next size would take more than SQLITE_BUILD_LIMIT_SECONDS to build
   (projected from the last size's rate), and says so.
"""

import functools
import json
import os
import platform
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from bench import catalogue
from bench.contest_burst import machine_facts
from bench.environment import (
    bench_site,
    child_env,
    env_numbers,
    postgres_problem,
    postgres_url,
    run,
    site_prepare,
)
from bench.loadgen import percentile
from bench.report import step, table

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/cds_bench_search"
PRODUCTS = 100_000
PAGES = 10_000
GROWTH = (10_000, 100_000, 1_000_000)
CALLS = 200
MIN_CALLS = 50  # a query stops at ROW_BUDGET_SECONDS only once this many calls are measured
ROW_BUDGET_SECONDS = 60
GROWTH_CALLS = 100  # per query and size: the 1M index is slow enough to need a budget
GROWTH_MIN_CALLS = 20
GROWTH_BUDGET_SECONDS = 20
WARMUP_BUDGET_SECONDS = 20
SQLITE_BUILD_LIMIT_SECONDS = 300
BATCH = 2000
FILTERS = {"stars": (4, 5), "in_stock": True}

# Names: the catalogue benchmark's, and more of what people type into the search.
MORE_NAMES = {
    "1.1": ["Bưởi da xanh", "Bưởi năm roi", "Dừa sáp", "Dừa xiêm xanh", "Chôm chôm", "Măng cụt"],
    "1.2": ["Gạo ST25", "Gạo nàng thơm Chợ Đào", "Hạt sen sấy", "Hạt điều"],
    "1.3": ["Kẹo dừa", "Kẹo dừa lá dứa", "Mật ong rừng", "Bánh tráng dừa", "Nem chua"],
    "1.4": ["Nước mắm", "Nước mắm nhĩ", "Mắm tép", "Tương hột"],
    "1.5": ["Trà xanh Thái Nguyên"],
    "1.6": ["Cà phê", "Cà phê rang xay", "Cà phê hạt Arabica"],
    "2.1": ["Rượu dừa"],
    "3.3": ["Trà atiso", "Tinh dầu tràm"],
}
NAMES = {code: names + MORE_NAMES.get(code, []) for code, names in catalogue.NAMES.items()}
PLACES = catalogue.ORIGINS + [
    "Cầu Kè",
    "Chợ Lách",
    "Mỏ Cày",
    "Cái Bè",
    "Tiểu Cần",
    "U Minh",
    "Châu Thành",
    "Phong Điền",
]
GRADES = ["", "", "", "", "loại 1", "đặc biệt", "truyền thống", "hữu cơ", "nguyên chất"]
GRADES += ["thượng hạng", "cao cấp"]
PACKAGES = {
    "kg": ["1kg", "túi 2kg", "thùng 5kg"],
    "hop": ["hộp 250g", "hộp 500g", "hộp quà"],
    "chai": ["chai 500ml", "chai 1 lít"],
    "hu": ["hũ 250g", "hũ 500g"],
    "tui": ["túi 200g", "túi 500g"],
    "goi": ["gói 100g", "gói 300g"],
}
DESCRIPTIONS = [
    "Đặc sản {place}, làm theo cách truyền thống, đóng gói cẩn thận.",
    "Sản phẩm OCOP {stars} sao của {place}, nguyên liệu địa phương, không chất bảo quản.",
    "Hàng tuyển chọn từ vườn nhà ở {place}, giao trong ngày.",
    "Hợp tác xã ở {place} sản xuất, có truy xuất nguồn gốc bằng mã QR.",
]
NEWS_TITLES = [
    "Hội chợ OCOP {place} giới thiệu {product}",
    "{place} đẩy mạnh chuyển đổi số trong sản xuất {product}",
    "Tập huấn bán hàng trực tuyến cho hợp tác xã ở {place}",
    "Nông dân {place} được mùa {product}",
    "Thêm sản phẩm {product} của {place} đạt chuẩn OCOP",
    "Người dân {place} nộp hồ sơ dịch vụ công trực tuyến qua điện thoại",
    "Kết nối tiêu thụ {product} trên sàn thương mại điện tử",
    "{place} ra mắt mô hình chợ số cho tiểu thương",
    "Thanh toán không dùng tiền mặt tại các chợ ở {place}",
    "Truy xuất nguồn gốc {product} bằng mã QR",
]
NEWS_PARAGRAPHS = [
    "Theo ban tổ chức, năm nay có hơn {n} chủ thể OCOP tham gia; các sản phẩm như {product},"
    " {other} được người tiêu dùng quan tâm.",
    "Các hợp tác xã được hướng dẫn mở gian hàng, chụp ảnh sản phẩm, quản lý đơn hàng và nhận"
    " thanh toán qua mã VietQR.",
    "Sở Công Thương cho biết sẽ tiếp tục hỗ trợ quảng bá, kết nối tiêu thụ và truy xuất nguồn"
    " gốc cho sản phẩm của {place}.",
    "Người dân có thể tra cứu thông tin, nộp hồ sơ và theo dõi kết quả giải quyết thủ tục hành"
    " chính trên Cổng dịch vụ công trực tuyến.",
]
# What is typed, unaccented as most people type it.
CATALOGUE_TEXTS = [
    "ca phe",
    "keo dua",
    "mat ong rung",
    "buoi da xanh ben tre",
    "nuoc mam",
    "gao st25",
    "keo dua ben tre",
    "ca phe rang xay",
    "mat ong",
    "xoai cat hoa loc",
    "dua sap cau ke",
    "banh pia",
    "tra vinh",
    "cho lach",
    "nuoc mam ca com",
    "gao lut",
    "huu co",
    "ruou nep",
    "tinh dau sa",
    "hat dieu",
]
# Site search: products, news, producers, and two typos ("did you mean").
SITE_TEXTS = CATALOGUE_TEXTS[:14] + [
    "chuyen doi so",
    "dich vu cong truc tuyen",
    "hop tac xa",
    "ban hang truc tuyen",
    "caphe",
    "keo dau",
]
PREFIXES = ["ca", "ca p", "ca ph", "keo d", "mat o", "mat on", "buoi", "buoi d", "gao s"]
PREFIXES += ["nuoc m", "xoai", "dua s", "banh p", "tra", "tinh d", "ruou", "hop t", "hat d"]
PREFIXES += ["che", "cam s"]
# Product columns written from a spec (product_specs), besides id, slug and certificate number.
SPEC_FIELDS = ["producer_id", "name", "group_id", "subgroup_id", "stars", "potential_five_star"]
SPEC_FIELDS += ["certificate_date", "certificate_expires_on", "ocop_active", "price", "unit"]
SPEC_FIELDS += ["stock", "sold_count", "origin_commune_id", "province_id"]
SPEC_FIELDS += ["other_certifications", "published_at", "description"]


# In the child processes (Django set up on the bench database) --------------------------------


def _setup():
    import django

    django.setup()


def _world() -> dict:
    """What products are made of, from the database: producers, weighted sub-groups, names."""
    from marketplace.models import OcopGroup, OcopSubgroup, Producer
    from portal.locations.models import Province

    producers = list(
        Producer.objects.order_by("pk").values_list("pk", "province_id", "commune_id", "name")
    )
    subgroups = list(OcopSubgroup.objects.order_by("code").values_list("pk", "group_id", "code"))
    weights = catalogue.SUBGROUP_WEIGHTS
    return {
        "producers": producers,
        "subgroups": [s for s in subgroups for _ in range(weights[s[2].split(".")[0]])],
        "groups": dict(OcopGroup.objects.values_list("pk", "name")),
        "subgroup_names": dict(OcopSubgroup.objects.values_list("pk", "name")),
        "provinces": dict(Province.objects.values_list("code", "name")),
    }


def product_name(rng, code: str, unit: str) -> tuple[str, str]:
    """("<product> [<grade>] <place> [<package>]", place)."""
    place = rng.choice(PLACES)
    parts = [rng.choice(NAMES[code]), rng.choice(GRADES), place]
    if code[0] in "123":  # food, drinks, herbs: sold by the package
        parts.append(rng.choice(PACKAGES[unit]))
    return " ".join(p for p in parts if p), place


def product_specs(rng, world: dict):
    """Endless published products, as field values (attnames) of Product."""
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    now = timezone.now()
    k = 0
    while True:
        producer, province, commune, producer_name = rng.choice(world["producers"])
        subgroup, group, code = rng.choice(world["subgroups"])
        unit = rng.choice(catalogue.UNITS)
        name, place = product_name(rng, code, unit)
        draw = rng.random()
        stars = 3 if draw < 0.55 else 4 if draw < 0.93 else 5
        certified = today - datetime.timedelta(days=rng.randrange(30, 1200))
        expires = certified + datetime.timedelta(days=1095)
        yield {
            "producer_id": producer,
            "name": name,
            "group_id": group,
            "subgroup_id": subgroup,
            "stars": stars,
            "potential_five_star": stars == 4 and rng.random() < 0.1,
            "certificate_date": certified,
            "certificate_expires_on": expires,
            "ocop_active": expires >= today,
            "price": rng.choice(catalogue.PRICES),
            "unit": unit,
            "stock": 0 if rng.random() < 0.125 else rng.randrange(1, 500),
            "sold_count": rng.randrange(0, 2000),
            "origin_commune_id": commune,
            "province_id": province,
            "other_certifications": ["vietgap"] if rng.random() < 0.2 else [],
            "published_at": now - datetime.timedelta(minutes=7 * k),
            "description": rng.choice(DESCRIPTIONS).format(place=place, stars=stars),
            "producer_name": producer_name,
        }
        k += 1


def products_add(n: int) -> None:
    """n published products with one shared photo each: COPY on PostgreSQL, else bulk_create."""
    import itertools
    import random

    from django.db import connection, transaction
    from django.db.models import Max
    from wagtail.images import get_image_model

    from bench.data import copy_rows, ids_reserve
    from marketplace.models import Product, ProductPhoto
    from marketplace.services.slugs import vietnamese_slugify

    rng = random.Random(n)
    world = _world()
    images = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
    constants = {"certificate_authority": "UBND tỉnh", "status": Product.Status.PUBLISHED}
    postgres = connection.vendor == "postgresql"
    if postgres:
        ids = ids_reserve(Product, n)
    else:
        start = (Product.objects.aggregate(last=Max("pk"))["last"] or 0) + 1
        ids = range(start, start + n)

    def rows():
        for pk, spec in zip(ids, product_specs(rng, world), strict=False):
            spec.pop("producer_name")
            slug = f"{vietnamese_slugify(spec['name'])[:200]}-{pk}"
            yield {"id": pk, "slug": slug, "certificate_number": f"{pk}/QĐ-UBND", **spec}

    step(f"search: {n:,} products")
    if postgres:
        fields = ["id", "slug", "certificate_number", *SPEC_FIELDS]
        copy_rows(
            Product,
            fields,
            (
                tuple(json.dumps(r[f]) if f == "other_certifications" else r[f] for f in fields)
                for r in rows()
            ),
            **constants,
        )
        copy_rows(
            ProductPhoto,
            ["product_id", "image_id"],
            ((pk, images[pk % len(images)]) for pk in ids),
            position=0,
        )
        return
    with transaction.atomic():
        generated = rows()
        while batch := list(itertools.islice(generated, BATCH)):
            Product.objects.bulk_create([Product(**row, **constants) for row in batch])
        ProductPhoto.objects.bulk_create(
            (ProductPhoto(product_id=pk, image_id=images[pk % len(images)]) for pk in ids),
            batch_size=BATCH,
        )


def pages_add(total: int) -> None:
    """The demo home page and news section through Wagtail's API, then news articles by the fast
    path (see the module docstring) until `total` articles are live."""
    import datetime
    import random

    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from django.db.models import F
    from django.utils import timezone
    from wagtail.images import get_image_model
    from wagtail.models import Page

    from bench.data import ARCHIVE_START
    from marketplace.services.slugs import vietnamese_slugify
    from portal.core.demo.seed import SeedReport, home_seed, news_seed
    from portal.news.models import ArticleCategory, ArticlePage

    step("search: home page and news section (Wagtail API)")
    with transaction.atomic():
        report = SeedReport()
        index = news_seed(home_seed(report), report)
    have = ArticlePage.objects.child_of(index).count()
    n = total - have
    if n <= 0:
        return
    step(f"search: {n:,} news articles (fast path)")
    rng = random.Random(total)
    index = Page.objects.get(pk=index.pk)
    last = index.get_last_child()
    first_step = Page._str2int(last.path[-Page.steplen :]) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(ArticlePage)
    categories = list(ArticleCategory.objects.order_by("pk").values_list("pk", flat=True))
    images = list(get_image_model().objects.order_by("pk").values_list("pk", flat=True))
    tz = timezone.get_current_timezone()
    fields = ArticlePage._meta.local_concrete_fields
    quote = connection.ops.quote_name
    # Identifiers from the model's options; the values are parameters.
    table_name = quote(ArticlePage._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    insert = f"INSERT INTO {table_name} ({columns}) VALUES ({marks})"  # noqa: S608
    products = [name for names in NAMES.values() for name in names[:3]]

    def article(i: int) -> ArticlePage:
        product = rng.choice(products)
        words = {
            "place": rng.choice(PLACES),
            "product": product[0].lower() + product[1:],
            "other": rng.choice(products).lower(),
            "n": rng.randrange(20, 300),
        }
        title = rng.choice(NEWS_TITLES).format(**words)
        title = title[0].upper() + title[1:]
        slug = f"{vietnamese_slugify(title)[:200]}-{i}"
        day = ARCHIVE_START - datetime.timedelta(days=i // 3)
        published = datetime.datetime.combine(day, datetime.time(8, i % 60), tzinfo=tz)
        paragraphs = rng.sample(NEWS_PARAGRAPHS, 3)
        lead = f"{title}. {paragraphs[0].format(**words)}"
        return ArticlePage(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type,
            locale_id=index.locale_id,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
            path=Page._get_path(index.path, index.depth + 1, first_step + i - have - 1),
            depth=index.depth + 1,
            numchild=0,
            url_path=f"{index.url_path}{slug}/",
            lead=lead[:600],
            body=[
                ("heading", {"text": "Kết quả triển khai", "level": "h2"}),
                *(("paragraph", f"<p>{p.format(**words)}</p>") for p in paragraphs[1:]),
            ],
            category_id=categories[i % len(categories)] if categories else None,
            featured_image_id=images[i % len(images)] if images else None,
            publish_date=day,
            author="Ban Biên tập",
        )

    page_fields = [f.attname for f in Page._meta.concrete_fields if not f.primary_key]
    with transaction.atomic():
        for start in range(have + 1, total + 1, BATCH):
            articles = [article(i) for i in range(start, min(start + BATCH, total + 1))]
            pages = Page.objects.bulk_create(
                [Page(**{name: getattr(a, name) for name in page_fields}) for a in articles]
            )
            for a, page in zip(articles, pages, strict=True):
                a.page_ptr_id = a.id = page.pk
            with connection.cursor() as cursor:
                cursor.executemany(
                    insert,
                    [
                        [f.get_db_prep_save(f.pre_save(a, True), connection) for f in fields]
                        for a in articles
                    ],
                )
        Page.objects.filter(pk=index.pk).update(numchild=F("numchild") + n)


def _analyze(*tables: str) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for name in tables:
                cursor.execute(f"VACUUM ANALYZE {connection.ops.quote_name(name)}")
        else:
            cursor.execute("ANALYZE")


def build(products: int, pages: int) -> dict:
    """The catalogue benchmark's base, products, pages; seconds of each."""
    _setup()
    from django.db import connection

    started = time.perf_counter()
    catalogue.build_base()
    base = time.perf_counter()
    products_add(products)
    made = time.perf_counter()
    pages_add(pages)
    done = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"base_s": base - started, "products_s": made - base, "pages_s": done - made}


def _sizes() -> dict:
    """Counts and bytes on disk of what the search reads."""
    from marketplace.selectors.products import producers_public, products_public
    from portal.news.models import ArticlePage
    from search.models import SearchEntry, SearchTerm
    from search.sources import documents_count

    sizes = {
        "products": products_public().count(),
        "pages": documents_count()["pages"],
        "articles": ArticlePage.objects.live().count(),
        "producers": producers_public().count(),
        "entries": SearchEntry.objects.count(),
        "terms": SearchTerm.objects.count(),
    }
    return sizes | _bytes()


def _bytes() -> dict:
    """search_entry on disk (with its indexes, and the FTS5 tables on SQLite); the database."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size('search_entry'),"
                " pg_database_size(current_database())"
            )
            index, database = cursor.fetchone()
            return {"index_bytes": index, "database_bytes": database}
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        try:
            cursor.execute(
                "SELECT SUM(pgsize) FROM dbstat WHERE name IN (SELECT name FROM sqlite_master"
                " WHERE tbl_name = 'search_entry' OR tbl_name LIKE 'search_entry_fts%')"
            )
            index = cursor.fetchone()[0]
        except Exception:  # noqa: BLE001 - SQLite built without dbstat: the file size alone
            index = None
    name = Path(connection.settings_dict["NAME"])
    files = [name, name.with_name(name.name + "-wal")]
    return {
        "index_bytes": index,
        "database_bytes": sum(f.stat().st_size for f in files if f.exists()),
    }


def rebuild() -> dict:
    """search_rebuild() timed; then ANALYZE (not timed) and the sizes."""
    _setup()
    from search.services import search_rebuild

    shown = [0]

    def progress(done: int, total: int) -> None:
        tenth = done * 10 // max(total, 1)
        if tenth > shown[0]:
            shown[0] = tenth
            step(f"search: rebuild {done:,} of {total:,} documents")

    result = search_rebuild(progress=progress)
    _analyze("search_entry", "search_term")
    return {
        "documents": result.documents,
        "seconds": result.seconds,
        "by_kind": result.by_kind,
        "terms": result.terms,
        **_sizes(),
    }


class _Warnings:
    """Counts the search's warnings: each one is an engine that could not answer (the selectors
    carry on with an empty or fallback result, so latencies alone would hide it)."""

    def __init__(self):
        import logging

        self.count = 0
        counter = self

        class Handler(logging.Handler):
            def emit(self, record):
                counter.count += 1

        handler = Handler(level=logging.WARNING)
        logging.getLogger("search").addHandler(handler)


def _timed(call, inputs: list, *, calls: int, minimum: int, budget: float, warnings) -> dict:
    """A warm-up pass over `inputs` (at most WARMUP_BUDGET_SECONDS), the SQL queries of one call,
    then `calls` calls on the inputs in turn (stopping after `budget` seconds once `minimum` are
    done): p50, p95 (ms), mean of what each call found, warnings meanwhile."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    started = time.perf_counter()
    for value in inputs:
        call(value)
        if time.perf_counter() - started > WARMUP_BUDGET_SECONDS:
            break
    with CaptureQueriesContext(connection) as captured:
        call(inputs[0])
    times, found = [], []
    before = warnings.count
    started = time.perf_counter()
    for i in range(calls):
        value = inputs[i % len(inputs)]
        start = time.perf_counter()
        found.append(call(value))
        times.append(time.perf_counter() - start)
        if len(times) >= minimum and time.perf_counter() - started > budget:
            break
    return {
        "calls": len(times),
        "p50": percentile(times, 50) * 1000,
        "p95": percentile(times, 95) * 1000,
        "queries": len(captured.captured_queries),
        "found": sum(found) / len(found),
        "unavailable": warnings.count - before,
    }


def measure(calls: int) -> dict:
    """The selectors in this process: baseline, catalogue cold and warm, site search,
    autocomplete."""
    _setup()
    import random

    from django.conf import settings
    from django.test.utils import override_settings

    from marketplace.models import Product
    from marketplace.selectors.catalogue import CatalogueQuery
    from search.catalogue import SearchCatalogue
    from search.selectors import SiteQuery, autocomplete, site_search

    warnings = _Warnings()
    ids = list(Product.objects.values_list("pk", flat=True))
    sample = random.Random(7).sample(ids, min(len(ids), len(CATALOGUE_TEXTS)))

    def product(pk: int) -> int:
        return int(Product.objects.get(pk=pk).pk == pk)

    def catalogue_page(text: str) -> int:
        query = CatalogueQuery(text=text, sort="relevance", **FILTERS)
        result = SearchCatalogue().search(query)
        _ = [p.name for p in result.products]
        _ = [(v.label, v.count) for values in result.facets.values() for v in values]
        return result.total

    def site(text: str) -> int:
        return site_search(SiteQuery(text=text)).total

    def suggest(prefix: str) -> int:
        return len(autocomplete(prefix))

    options = {"calls": calls, "minimum": MIN_CALLS, "budget": ROW_BUDGET_SECONDS}
    options["warnings"] = warnings
    result = {"cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}
    result["baseline"] = _timed(product, sample, **options)
    with override_settings(MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS=0):
        result["catalogue_cold"] = _timed(catalogue_page, CATALOGUE_TEXTS, **options)
    result["catalogue_warm"] = _timed(catalogue_page, CATALOGUE_TEXTS, **options)
    result["site"] = _timed(site, SITE_TEXTS, **options)
    result["autocomplete"] = _timed(suggest, PREFIXES, **options)
    return result


def growth_reset() -> dict:
    """search_entry emptied (the vocabulary is left as the rebuild made it)."""
    _setup()
    from django.db import connection

    from search.engines.database import DatabaseEngine

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE search_entry")
    else:
        DatabaseEngine().rebuild(iter(()), progress=lambda done: None)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    return _bytes()


def _entries(n: int, first_id: int, world: dict):
    """n synthetic product entries, as `search.engines.database._entry` would write them (no
    query while they are made: a COPY may be reading them)."""
    import random

    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from portal.core.money import format_vnd
    from search.documents import PRODUCT, SearchDocument
    from search.folding import fold

    folded = functools.lru_cache(maxsize=100_000)(fold)
    with translation.override(settings.LANGUAGE_CODE):
        url = reverse("marketplace:product", kwargs={"slug": "slug"})
    rng = random.Random(first_id)
    for object_id, spec in zip(
        range(first_id, first_id + n), product_specs(rng, world), strict=False
    ):
        province = world["provinces"].get(spec["province_id"], "")
        document = SearchDocument(
            kind=PRODUCT,
            object_id=object_id,
            title=spec["name"],
            url=url.replace("slug", f"san-pham-{object_id}"),
            text=" ".join(
                [
                    spec["producer_name"],
                    world["groups"][spec["group_id"]],
                    world["subgroup_names"][spec["subgroup_id"]],
                    province,
                    spec["description"],
                ]
            ),
            published_at=spec["published_at"],
            meta={
                "price": format_vnd(spec["price"]),
                "stars": spec["stars"],
                "producer": spec["producer_name"],
            },
        )
        yield {
            "kind": PRODUCT,
            "object_id": object_id,
            "title": document.title,
            "text": document.text,
            "folded_title": folded(document.title),
            "folded_text": folded(document.text),
            "url": document.url,
            "meta": document.meta,
            "published_at": document.published_at,
            "group_id": spec["group_id"],
            "subgroup_id": spec["subgroup_id"],
            "stars": spec["stars"],
            "province_id": spec["province_id"],
            "province_name": province,
            "price": spec["price"],
            "stock": spec["stock"],
            "sold_count": spec["sold_count"],
        }


def growth(size: int) -> dict:
    """Synthetic product entries added until search_entry holds `size`, then the engine timed."""
    _setup()
    import itertools

    from django.db import connection, transaction
    from django.db.models import Max

    from bench.data import copy_rows
    from marketplace.selectors.catalogue import CatalogueFilters
    from search.documents import AUTOCOMPLETE_KINDS, KINDS
    from search.engines import EngineUnavailable
    from search.engines.database import DatabaseEngine
    from search.folding import tokens
    from search.models import SearchEntry
    from search.selectors import AUTOCOMPLETE_LIMIT, PER_GROUP

    have = SearchEntry.objects.count()
    n = size - have
    started = time.perf_counter()
    if n > 0:
        step(f"search growth: {n:,} entries up to {size:,}")
        first = (SearchEntry.objects.aggregate(last=Max("object_id"))["last"] or 0) + 1
        rows = _entries(n, first, _world())
        if connection.vendor == "postgresql":
            fields = [f.attname for f in SearchEntry._meta.concrete_fields if not f.primary_key]
            copy_rows(
                SearchEntry,
                fields,
                (tuple(json.dumps(r[f]) if f == "meta" else r[f] for f in fields) for r in rows),
            )
            _analyze("search_entry")
        else:
            with transaction.atomic():
                while batch := list(itertools.islice(rows, BATCH)):
                    SearchEntry.objects.bulk_create([SearchEntry(**r) for r in batch])
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
    build_s = time.perf_counter() - started

    engine = DatabaseEngine()
    filters = CatalogueFilters(**FILTERS)
    warnings = _Warnings()

    def guarded(run):
        def call(value):
            try:
                return run(value)
            except EngineUnavailable:
                warnings.count += 1
                return 0

        return call

    @guarded
    def catalogue_hits(text: str) -> int:
        hits = engine.catalogue(tokens(text), filters, sort="relevance", offset=0, limit=24)
        return hits.numbers["aggregates"]["total"]

    @guarded
    def site(text: str) -> int:
        terms = tokens(text)
        counts = engine.counts(terms)
        for kind in KINDS:
            if counts.get(kind):
                engine.search(terms, kind=kind, offset=0, limit=PER_GROUP)
        return sum(counts.values())

    @guarded
    def suggest(prefix: str) -> int:
        hits = engine.autocomplete(
            tokens(prefix), kinds=AUTOCOMPLETE_KINDS, limit=AUTOCOMPLETE_LIMIT
        )
        return len(hits)

    calls = env_numbers("BENCH_SEARCH_GROWTH_CALLS", (GROWTH_CALLS,))[0]
    options = {"calls": calls, "minimum": min(calls, GROWTH_MIN_CALLS)}
    options |= {"budget": GROWTH_BUDGET_SECONDS, "warnings": warnings}
    return {
        "entries": SearchEntry.objects.count(),
        "added": max(n, 0),
        "build_s": build_s,
        **_bytes(),
        "catalogue": _timed(catalogue_hits, CATALOGUE_TEXTS, **options),
        "site": _timed(site, CATALOGUE_TEXTS, **options),
        "autocomplete": _timed(suggest, PREFIXES, **options),
    }


# In the bench process -------------------------------------------------------------------------

QUERY_ROWS = [
    ("baseline", "baseline: one product by primary key (ORM)"),
    ("catalogue_cold", "catalogue: text + 4–5★ + in stock, relevance, counts computed (cold)"),
    ("catalogue_warm", "catalogue: the same, counts from the cache (warm)"),
    ("site", "site search, all kinds: counts, top 3 per kind, did you mean"),
    ("autocomplete", "autocomplete: prefixes of 2–6 characters"),
]
GROWTH_ROWS = [
    ("catalogue", "catalogue: engine.catalogue, text + 4–5★ + in stock, relevance + counts"),
    ("site", "site search: engine.counts + engine.search top 3 per kind"),
    ("autocomplete", "autocomplete: engine.autocomplete"),
]


def _ms(value: float) -> str:
    return f"{value:,.1f}" if value >= 10 else f"{value:,.2f}"


def _mb(value: int | None) -> str:
    return "-" if value is None else f"{value / 1024 / 1024:,.1f}"


def sizes_table(name: str, built: dict, indexed: dict) -> str:
    rows = [
        [
            name,
            indexed["products"],
            f"{indexed['articles']:,} ({indexed['pages']:,})",
            indexed["producers"],
            indexed["entries"],
            indexed["terms"],
            _mb(indexed["index_bytes"]),
            _mb(indexed["database_bytes"]),
            indexed["documents"],
            f"{indexed['seconds']:,.1f}",
            f"{indexed['documents'] / indexed['seconds']:,.0f}",
        ]
    ]
    headers = ["database", "products", "articles (page documents)", "producers"]
    headers.append("search_entry rows")
    headers += ["terms", "search_entry MB", "database MB", "documents", "rebuild s", "docs/s"]
    by_kind = ", ".join(f"{kind} {n:,}" for kind, n in sorted(indexed["by_kind"].items()))
    note = (
        f"Documents by kind: {by_kind}. Data written in {built['base_s']:,.1f} s (base),"
        f" {built['products_s']:,.1f} s (products), {built['pages_s']:,.1f} s (pages)."
        " search_entry MB: PostgreSQL's pg_total_relation_size (indexes and TOAST included);"
        " SQLite's pages of search_entry, its indexes and the FTS5 tables (dbstat)."
    )
    return f"{table(headers, rows)}\n{note}"


def queries_table(measured: dict) -> str:
    base = measured["baseline"]["p50"]
    rows = [
        [
            label,
            measured[key]["calls"],
            _ms(measured[key]["p50"]),
            _ms(measured[key]["p95"]),
            f"{measured[key]['p50'] / base:,.1f}x" if base else "-",
            measured[key]["queries"],
            f"{measured[key]['found']:,.1f}",
            measured[key]["unavailable"],
        ]
        for key, label in QUERY_ROWS
    ]
    headers = ["query", "calls", "p50 ms", "p95 ms", "p50 ÷ baseline", "SQL/call"]
    return table([*headers, "mean found", "unavailable"], rows)


def growth_table(measured: list[dict]) -> str:
    rows = []
    for key, label in GROWTH_ROWS:
        base = measured[0][key]["p50"]
        for m in measured:
            rows.append(
                [
                    label,
                    m["entries"],
                    m[key]["calls"],
                    _ms(m[key]["p50"]),
                    _ms(m[key]["p95"]),
                    f"{m[key]['p50'] / base:,.2f}x" if base else "-",
                    f"{m[key]['found']:,.1f}",
                    m[key]["unavailable"],
                ]
            )
    headers = ["query", "entries", "calls", "p50 ms", "p95 ms", "p50 ÷ smallest", "mean found"]
    return table([*headers, "unavailable"], rows)


def database_run(env: dict, name: str, products: int, pages: int, calls: int, sizes: list[int]):
    """Every step on one database; prints its tables."""
    step(f"search {name}: data")
    built = json.loads(
        run(env, "-m", "bench.search", "build", str(products), str(pages), progress=True)
    )
    step(f"search {name}: search_rebuild()")
    indexed = json.loads(run(env, "-m", "bench.search", "rebuild", progress=True))
    step(f"search {name}: queries")
    measured = json.loads(run(env, "-m", "bench.search", "measure", str(calls), progress=True))
    step(f"search {name}: growth, emptying search_entry")
    run(env, "-m", "bench.search", "growth-reset", progress=True)
    grown, note = [], ""
    for i, size in enumerate(sizes):
        step(f"search {name}: growth {size:,} entries")
        result = json.loads(run(env, "-m", "bench.search", "growth", str(size), progress=True))
        grown.append(result)
        if name != "SQLite" or i + 1 == len(sizes) or not result["added"]:
            continue
        rate = result["build_s"] / result["added"]
        projected = rate * (sizes[i + 1] - result["entries"])
        if projected > SQLITE_BUILD_LIMIT_SECONDS:
            note = (
                f"SQLite capped at {result['entries']:,} entries: {sizes[i + 1]:,} would take"
                f" about {projected / 60:,.0f} min to build at the last size's rate"
                f" ({result['added'] / result['build_s']:,.0f} entries/s), over the"
                f" {SQLITE_BUILD_LIMIT_SECONDS // 60} min limit."
            )
            break

    print(f"\n{name}: sizes and indexing (search_rebuild, documents per second)")
    print(sizes_table(name, built, indexed))
    print(
        f"\n{name}: selectors in process, Django cache {measured['cache']}; each query after one"
        " warm-up pass over its inputs; p50 ÷ baseline in the same process"
    )
    print(queries_table(measured))
    print(
        "mean found: catalogue matches, site-search results of all kinds, autocomplete"
        " suggestions (8 at most). SQL/call: one call's statements, transaction control included."
        " unavailable: calls the engine failed (logged; the page degrades)."
    )
    cold, warm = measured["catalogue_cold"]["queries"], measured["catalogue_warm"]["queries"]
    if warm >= cold:
        print(f"The warm catalogue sends as many SQL statements as the cold one ({warm}).")
    builds = ", ".join(f"{g['added']:,} in {g['build_s']:,.1f} s" for g in grown if g["added"])
    print(
        f"\n{name}: growth, search_entry holding synthetic products only; the engine called"
        " directly (no spelling suggestion), the catalogue's texts for catalogue and site"
        f" search, the same prefixes; entries added (with ANALYZE): {builds}"
    )
    print(growth_table(grown))
    index = ", ".join(f"{g['entries']:,}: {_mb(g['index_bytes'])} MB" for g in grown)
    print(f"search_entry on disk: {index}")
    if note:
        print(note)


def main() -> int:
    """Runs the search benchmark on PostgreSQL (when it answers) and SQLite; prints tables."""
    products = env_numbers("BENCH_SEARCH_PRODUCTS", (PRODUCTS,))[0]
    pages = env_numbers("BENCH_SEARCH_PAGES", (PAGES,))[0]
    sizes = sorted(set(env_numbers("BENCH_SEARCH_GROWTH", GROWTH)))
    calls = env_numbers("BENCH_SEARCH_CALLS", (CALLS,))[0]
    started = time.perf_counter()
    print(
        f"\nSearch: {products:,} products, {pages:,} news articles, growth"
        f" {', '.join(f'{s:,}' for s in sizes)} entries | PostgreSQL, and SQLite"
        f" {sqlite3.sqlite_version} | {calls} calls per query (at most {ROW_BUDGET_SECONDS} s"
        f" once {MIN_CALLS} are done)",
        flush=True,
    )
    url = postgres_url(DEFAULT_DATABASE_URL)
    problem = postgres_problem(url)
    if problem is None:
        print(machine_facts(url, None))
    else:
        print(
            f"machine: {os.cpu_count()} CPU cores, {platform.machine()} | Python"
            f" {platform.python_version()}"
        )
    print(
        "Cold: MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS=0, counts computed every call; warm:"
        " each filter set's counts cached by the warm-up pass (local-memory cache)."
    )
    extra = {"EMAIL_URL": "dummymail://"}
    if problem is not None:
        print(f"\nSearch on PostgreSQL: SKIPPED, PostgreSQL does not answer ({problem}).")
    else:
        with bench_site(url, prefix="cds-bench-search-", **extra) as (env, _tmp):
            database_run(env, "PostgreSQL", products, pages, calls, sizes)
    tmp = Path(tempfile.mkdtemp(prefix="cds-bench-search-sqlite-"))
    try:
        env = child_env(tmp, PRIVATE_ROOT=str(tmp / "private"), **extra)
        site_prepare(env)
        database_run(env, "SQLite", products, pages, calls, sizes)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nSearch total time: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    if command == "build":
        output = build(int(args[0]), int(args[1]))
    elif command == "rebuild":
        output = rebuild()
    elif command == "measure":
        output = measure(int(args[0]))
    elif command == "growth-reset":
        output = growth_reset()
    elif command == "growth":
        output = growth(int(args[0]))
    else:
        raise SystemExit(f"unknown command {command}")
    print(json.dumps(output))
