"""The database catalogue: filters, disjunctive facet counts, sorting, pagination, visibility
and a query count that does not grow with the number of products.

Expected numbers come from plain ORM filters written here, not from the engine's own Q objects.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from marketplace.models import OcopGroup, OcopSubgroup, Producer, Product
from marketplace.selectors.catalogue import (
    PRICE_BANDS,
    CatalogueQuery,
    CatalogueResult,
    DatabaseCatalogue,
    FacetValue,
    catalogue_engine,
    catalogue_search,
)
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProductFactory,
    ProvinceFactory,
)

# name: (sub-group, stars, price, stock, province code, sold, days since publication)
CATALOGUE = {
    "keo-dua": ("1.3", 4, 55_000, 10, 86, 100, 1),
    "cha-lua": ("1.3", 3, 150_000, 0, 86, 5, 2),
    "xoai-cat": ("1.1", 5, 90_000, 20, 82, 300, 3),
    "ruou-nep": ("2.1", 4, 320_000, 3, 86, 50, 4),
    "binh-gom": ("5.3", 3, 650_000, 0, 82, 1, 5),
    "nuoc-mam": ("1.4", 4, 99_999, 5, 86, 70, 6),
    "mam-tep": ("1.4", 3, 100_000, 5, 82, 20, 7),
    "ruou-dua": ("2.1", 5, 500_000, 1, 86, 10, 8),
}


@pytest.fixture
def catalogue(db):
    """Eight public products over two provinces, three groups and every price band, and five
    that nobody but their producers may see."""
    provinces = {
        86: ProvinceFactory(code=86, name="Vĩnh Long"),
        82: ProvinceFactory(code=82, name="Đồng Tháp"),
    }
    producers = {
        code: ProducerFactory(commune=CommuneFactory(province=province))
        for code, province in provinces.items()
    }
    now = timezone.now()
    products = {}
    for slug, (subgroup, stars, price, stock, province, sold, days) in CATALOGUE.items():
        products[slug] = ProductFactory(
            slug=slug,
            name=f"Sản phẩm {slug}",
            producer=producers[province],
            subgroup=OcopSubgroup.objects.get(code=subgroup),
            stars=stars,
            price=price,
            stock=stock,
            sold_count=sold,
            published_at=now - datetime.timedelta(days=days),
        )
    hidden_producer = ProducerFactory(commune=producers[86].commune, status=Producer.Status.PENDING)
    suspended = ProducerFactory(commune=producers[86].commune, status=Producer.Status.SUSPENDED)
    for status in ("draft", "submitted", "unpublished"):
        ProductFactory(producer=producers[86], status=status, slug=f"an-{status}")
    ProductFactory(producer=hidden_producer, slug="an-nha-chua-duyet")
    ProductFactory(producer=suspended, slug="an-nha-bi-dinh-chi")
    return products


def public(**filters):
    """Public products by independent ORM filters: the answer the engine must give."""
    return Product.objects.filter(status="published", producer__status="verified", **filters)


def slugs(result: CatalogueResult) -> list[str]:
    return [p.slug for p in result.products]


def search(**kwargs) -> CatalogueResult:
    return DatabaseCatalogue().search(CatalogueQuery(**kwargs))


def counts(result, facet) -> dict[str, int]:
    return {v.value: v.count for v in result.facets[facet]}


def test_only_published_products_of_verified_producers_are_listed(catalogue):
    result = search(per_page=100)
    assert sorted(slugs(result)) == sorted(CATALOGUE)
    assert result.total == public().count() == 8
    assert Product.objects.count() == 13


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"group": "1"}, {"group__code": "1"}),
        ({"group": "2"}, {"group__code": "2"}),
        ({"subgroup": "1.4"}, {"subgroup__code": "1.4"}),
        ({"group": "1", "subgroup": "1.3"}, {"subgroup__code": "1.3"}),
        ({"stars": (5,)}, {"stars": 5}),
        ({"stars": (3, 5)}, {"stars__in": [3, 5]}),
        ({"province": 82}, {"province_id": 82}),
        ({"price_min": 100_000}, {"price__gte": 100_000}),
        ({"price_max": 99_999}, {"price__lte": 99_999}),
        ({"price_min": 90_000, "price_max": 320_000}, {"price__range": (90_000, 320_000)}),
        ({"in_stock": True}, {"stock__gt": 0}),
        ({"text": "RUOU"}, {"name__icontains": "ruou"}),
        (
            {"group": "1", "stars": (3, 4), "province": 86, "in_stock": True},
            {"group__code": "1", "stars__in": [3, 4], "province_id": 86, "stock__gt": 0},
        ),
        (
            {"group": "2", "price_min": 400_000, "price_max": 600_000, "stars": (5,)},
            {"group__code": "2", "price__range": (400_000, 600_000), "stars": 5},
        ),
    ],
)
def test_each_filter_and_combinations_match_the_orm(catalogue, query, expected):
    result = search(per_page=100, **query)
    wanted = set(public(**expected).values_list("slug", flat=True))
    assert wanted, "a filter case must select something to be worth testing"
    assert set(slugs(result)) == wanted
    assert result.total == len(wanted)


def test_a_filter_that_matches_nothing_gives_an_empty_first_page(catalogue):
    result = search(group="6")
    assert (result.products, result.total, result.page, result.num_pages) == ([], 0, 1, 1)
    assert counts(result, "group")["1"] == public(group__code="1").count()


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"stars": (4,)},
        {"group": "1", "in_stock": True},
        {"stars": (3, 5), "province": 82},
        {"group": "2", "price_min": 100_000, "price_max": 499_999},
        {"subgroup": "1.4", "stars": (3,), "in_stock": True, "province": 86},
        {"text": "ruou", "in_stock": True},
    ],
)
def test_facet_counts_are_disjunctive_and_equal_independent_counts(catalogue, query):
    """Each facet counts with every other filter applied but not its own."""
    result = search(**query)
    q = CatalogueQuery(**query)

    def others(excluded: set[str]) -> dict:
        filters = {}
        if q.text:
            filters["name__icontains"] = q.text
        if q.group and "group" not in excluded:
            filters["group__code"] = q.group
        if q.subgroup and "subgroup" not in excluded:
            filters["subgroup__code"] = q.subgroup
        if q.stars and "stars" not in excluded:
            filters["stars__in"] = list(q.stars)
        if q.province and "province" not in excluded:
            filters["province_id"] = q.province
        if q.price_min is not None and "price" not in excluded:
            filters["price__gte"] = q.price_min
        if q.price_max is not None and "price" not in excluded:
            filters["price__lte"] = q.price_max
        if q.in_stock and "in_stock" not in excluded:
            filters["stock__gt"] = 0
        return filters

    assert result.total == public(**others(set())).count()
    for group in OcopGroup.objects.all():
        expected = public(**others({"group", "subgroup"}), group=group).count()
        assert counts(result, "group")[group.code] == expected, group.code
    for star in (3, 4, 5):
        expected = public(**others({"stars"}), stars=star).count()
        assert counts(result, "stars")[str(star)] == expected, star
    province_counts = counts(result, "province")
    for code in (86, 82):
        expected = public(**others({"province"}), province_id=code).count()
        assert province_counts.get(str(code), 0) == expected, code
    for key, (low, high) in PRICE_BANDS.items():
        band = {}
        if low is not None:
            band["price__gte"] = low
        if high is not None:
            band["price__lte"] = high
        filters = {**others({"price"}), **band}
        assert counts(result, "price")[key] == public(**filters).count(), key
    expected_in_stock = public(**others({"in_stock"}), stock__gt=0).count()
    assert counts(result, "in_stock") == {"1": expected_in_stock}
    if q.subgroup or q.group:
        group_code = q.group or q.subgroup.split(".")[0]
        for subgroup in OcopSubgroup.objects.filter(group__code=group_code):
            expected = public(**others({"subgroup"}), subgroup=subgroup).count()
            assert counts(result, "subgroup")[subgroup.code] == expected, subgroup.code
    else:
        assert "subgroup" not in result.facets


def test_selected_values_are_marked_and_a_chosen_value_keeps_its_count(catalogue):
    result = search(stars=(4,), group="1", province=86)
    selected = {
        key: [v.value for v in values if v.selected] for key, values in result.facets.items()
    }
    assert selected["stars"] == ["4"]
    assert selected["group"] == ["1"]
    assert selected["province"] == ["86"]
    assert selected["price"] == [] and selected["in_stock"] == []
    # Disjunctive: choosing 4 stars does not hide the other values' counts.
    assert counts(result, "stars")["3"] == public(group__code="1", province_id=86, stars=3).count()
    assert counts(result, "stars")["3"] > 0


def test_a_chosen_province_without_products_still_shows_as_selected(catalogue):
    ProvinceFactory(code=92, name="Thành phố Cần Thơ")
    result = search(province=92)
    assert result.total == 0
    assert FacetValue("92", "Thành phố Cần Thơ", 0, True) in result.facets["province"]


def test_price_band_facet_is_selected_when_the_range_is_exactly_a_band(catalogue):
    low, high = PRICE_BANDS["100k-300k"]
    result = search(price_min=low, price_max=high)
    assert [v.value for v in result.facets["price"] if v.selected] == ["100k-300k"]
    assert set(slugs(result)) == {"cha-lua", "mam-tep"}
    # The band edges: 99.999 ₫ is below 100k, 100.000 ₫ and 500.000 ₫ start their bands.
    assert counts(result, "price") == {
        "under-100k": 3,
        "100k-300k": 2,
        "300k-500k": 1,
        "500k-up": 2,
    }


def test_unknown_codes_are_ignored_and_a_subgroup_of_another_group_is_dropped(catalogue):
    everything = search().total
    assert search(group="99").total == everything
    assert search(subgroup="9.9").total == everything
    result = search(group="2", subgroup="1.3")
    assert set(slugs(result)) == set(public(group__code="2").values_list("slug", flat=True))
    assert not any(v.selected for v in result.facets["subgroup"])


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("newest", lambda p: (-p.published_at.timestamp(), -p.pk)),
        ("relevance", lambda p: (-p.published_at.timestamp(), -p.pk)),
        ("price_asc", lambda p: (p.price, p.pk)),
        ("price_desc", lambda p: (-p.price, -p.pk)),
        ("stars", lambda p: (-p.stars, -p.published_at.timestamp(), -p.pk)),
        ("bestselling", lambda p: (-p.sold_count, -p.published_at.timestamp(), -p.pk)),
    ],
)
def test_sorting(catalogue, sort, key):
    result = search(sort=sort, per_page=100)
    expected = [p.slug for p in sorted(public(), key=key)]
    assert slugs(result) == expected


def test_sorting_orders_are_different(catalogue):
    orders = {
        sort: tuple(slugs(search(sort=sort)))
        for sort in ("newest", "price_asc", "price_desc", "bestselling")
    }
    assert len(set(orders.values())) == 4
    assert orders["price_asc"][0] == "keo-dua" and orders["price_desc"][0] == "binh-gom"
    assert orders["bestselling"][0] == "xoai-cat"


def test_pagination_pages_and_edges(catalogue):
    pages = [search(per_page=3, page=n) for n in (1, 2, 3)]
    assert [r.num_pages for r in pages] == [3, 3, 3]
    assert [len(r.products) for r in pages] == [3, 3, 2]
    seen = [slug for r in pages for slug in slugs(r)]
    assert len(set(seen)) == 8
    # A page beyond the last one gives the last page; below the first, the first.
    beyond = search(per_page=3, page=999_999)
    assert (beyond.page, slugs(beyond)) == (3, slugs(pages[2]))
    below = search(per_page=3, page=-1)
    assert (below.page, slugs(below)) == (1, slugs(pages[0]))


def test_engine_comes_from_settings(settings, catalogue):
    from search.catalogue import SearchCatalogue

    assert isinstance(catalogue_engine(), SearchCatalogue)  # the search app's, by default
    settings.MARKETPLACE_CATALOGUE_ENGINE = f"{__name__}.FixedEngine"
    result = catalogue_search(CatalogueQuery(text="anything"))
    assert result.total == 42 and result.products == ["from the other engine"]


class FixedEngine:
    """Stands for the search app's engine: anything with `search(query)` plugs in."""

    def search(self, query):
        return CatalogueResult(["from the other engine"], 42, 1, 1, {})


def _bulk_products(count: int):
    producer = ProducerFactory()
    subgroups = list(OcopSubgroup.objects.all()[:5])
    for n in range(count):
        subgroup = subgroups[n % len(subgroups)]
        ProductFactory(
            producer=producer,
            subgroup=subgroup,
            group=subgroup.group,
            stars=3 + n % 3,
            price=20_000 + n * 13_000,
            stock=n % 4,
        )


QUERY_SHAPES = [
    CatalogueQuery(),
    CatalogueQuery(group="1", stars=(4, 5), in_stock=True, sort="price_asc"),
    CatalogueQuery(subgroup="1.3", province=86, price_min=40_000, price_max=400_000),
]


def _run(query):
    result = catalogue_search(query)
    # What a product card reads: no query may hide behind these attributes.
    cards = [(p.producer.name, p.province.name, p.photo_list) for p in result.products]
    assert len(cards) == len(result.products)
    return result


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_number_of_products(
    django_assert_max_num_queries,
):
    ProvinceFactory(code=86)
    _bulk_products(5)
    small = []
    for query in QUERY_SHAPES:
        with CaptureQueriesContext(connection) as captured:
            assert _run(query).products, query  # a page of products, not the empty shortcut
        small.append(len(captured))
    assert max(small) <= 8
    _bulk_products(45)
    assert public().count() == 50
    for query, expected in zip(QUERY_SHAPES, small, strict=True):
        with django_assert_max_num_queries(expected) as captured:
            result = _run(query)
        assert len(captured) == expected
        assert result.products
    assert len(_run(QUERY_SHAPES[0]).products) == 24
