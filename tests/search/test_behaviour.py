"""The behaviour suite: what a Vietnamese visitor's queries must return, on every engine.

Runs on the run's database (SQLite or PostgreSQL) and, when ELASTICSEARCH_URL is set, on
Elasticsearch too. Expected catalogue numbers come from the products table and the reference
folding function, never from an engine."""

import re
import unicodedata

import pytest
from django.db.models import Q

from marketplace.models import Product
from marketplace.selectors.catalogue import PRICE_BANDS, CatalogueQuery
from marketplace.selectors.products import products_public
from search.catalogue import SearchCatalogue
from search.documents import KINDS, PRODUCT
from search.folding import fold
from search.selectors import SiteQuery, autocomplete, site_search
from search.sources import documents_all

pytestmark = pytest.mark.django_db


def found(text: str) -> set[str]:
    """Every title the site search returns for `text`, over all kinds and pages."""
    first = site_search(SiteQuery(text=text))
    titles = set()
    for kind in KINDS:
        page = 1
        while first.counts.get(kind):
            results = site_search(SiteQuery(text=text, kind=kind, page=page))
            titles |= {re.sub("</?mark>", "", str(h.title)) for h in results.hits}
            if page >= results.num_pages:
                break
            page += 1
    return titles


# query: (titles it must find, titles it must not)
QUERIES = {
    "ca phe": (
        {"Cà phê Robusta rang mộc", "Cà phê dừa hòa tan"},
        {"Cà phê bí mật", "Cà phê chưa duyệt", "Bản nháp về cà phê", "Dừa sáp Cầu Kè"},
    ),
    "CÀ PHÊ": ({"Cà phê Robusta rang mộc", "Cà phê dừa hòa tan"}, set()),
    # Decomposed input (what some phones and macOS send).
    unicodedata.normalize("NFD", "cà phê"): ({"Cà phê Robusta rang mộc"}, set()),
    "dua sap": ({"Dừa sáp Cầu Kè"}, {"Kẹo dừa Bến Tre"}),
    "keo dua ben tre": ({"Kẹo dừa Bến Tre"}, {"Dừa sáp Cầu Kè"}),
    "duong": ({"Đường thốt nốt An Giang", "Hạt hướng dương rang"}, {"Kẹo dừa Bến Tre"}),
    "Đường": ({"Đường thốt nốt An Giang", "Hạt hướng dương rang"}, set()),
    # Letters with two marks: ế (Bến), ừ (rừng, dừa), ở (cơ sở).
    "ben": ({"Kẹo dừa Bến Tre"}, set()),
    "rung": ({"Mật ong rừng U Minh"}, set()),
    "co so keo": ({"Cơ sở Kẹo truyền thống Tân Thạch"}, set()),
    "mat ong rung": ({"Mật ong rừng U Minh"}, {"Hợp tác xã Nuôi ong Tràm Chim"}),
    "ky nang so": ({"Kỹ năng số cơ bản cho cán bộ"}, set()),
    "cai cach hanh chinh": ({"Tìm hiểu ứng dụng CNTT trong cải cách hành chính"}, set()),
    "thanh toan vietqr": ({"Hướng dẫn thanh toán chuyển khoản VietQR"}, set()),
    # OCOP group names are filters, not words of every product in the group.
    "thuc pham": (set(), {"Kẹo dừa Bến Tre", "Mật ong rừng U Minh"}),
    "chuyen doi so ca phe": (
        {"Chuyển đổi số đưa cà phê và dừa Bến Tre lên sàn thương mại điện tử"},
        {"Bản nháp về cà phê"},
    ),
}


@pytest.mark.parametrize("text", list(QUERIES), ids=[fold(q) for q in QUERIES])
def test_vietnamese_queries_find_what_they_must(indexed, text):
    must, must_not = QUERIES[text]
    titles = found(text)
    assert must <= titles, must - titles
    assert not (must_not & titles), must_not & titles


# query: (suggestion, whether the results are the suggestion's because the query found none)
SUGGESTIONS = {
    "caphe": ("cà phê", True),
    "mat ong rung": ("mật ong rừng", False),
    "mat ong rugn": ("mật ong rừng", True),
    "ca phe": ("cà phê", False),
    "duong": (None, False),  # đường or dương: no guess
    "cà phê": (None, False),  # already right
}


@pytest.mark.parametrize("text", list(SUGGESTIONS))
def test_did_you_mean(indexed, text):
    suggestion, replaced = SUGGESTIONS[text]
    results = site_search(SiteQuery(text=text))
    assert results.suggestion == suggestion
    assert results.replaced is replaced
    if replaced:
        assert results.total > 0
        assert fold(results.searched) == fold(suggestion)


def test_typo_finds_through_the_suggestion(indexed):
    assert "Mật ong rừng U Minh" in found("mat ong rugn")
    assert {"Cà phê Robusta rang mộc", "Cà phê dừa hòa tan"} <= found("caphe")


def test_results_are_grouped_by_kind_with_highlights(indexed):
    results = site_search(SiteQuery(text="ca phe"))
    kinds = [g.kind for g in results.groups]
    assert kinds == [k for k in KINDS if k in kinds]  # the page's fixed order
    assert set(kinds) >= {"news", "product"}
    product_titles = {str(h.title) for g in results.groups if g.kind == PRODUCT for h in g.hits}
    assert "<mark>Cà</mark> <mark>phê</mark> Robusta rang mộc" in product_titles
    assert results.counts == {k: len(v) for k, v in _by_kind("ca phe").items()}


def _by_kind(text):
    by_kind = {}
    for kind in KINDS:
        hits = site_search(SiteQuery(text=text, kind=kind)).hits
        if hits:
            by_kind[kind] = hits
    return by_kind


def test_relevance_boosts_stars_and_stock(indexed):
    """Equally relevant names: the 4-star product in stock before the 3-star one sold out."""
    result = SearchCatalogue().search(CatalogueQuery(text="ca phe", sort="relevance"))
    assert [p.name for p in result.products] == ["Cà phê Robusta rang mộc", "Cà phê dừa hòa tan"]


def test_autocomplete_after_two_characters(indexed):
    assert autocomplete("c") == []
    titles = [s.title for s in autocomplete("ca p")]
    assert "Cà phê Robusta rang mộc" in titles
    assert "Cà phê bí mật" not in titles
    assert [s.title for s in autocomplete("mat o")] == ["Mật ong rừng U Minh"]
    assert [(s.kind, s.title) for s in autocomplete("co so ke")] == [
        ("producer", "Cơ sở Kẹo truyền thống Tân Thạch")
    ]
    assert "Kỹ năng số cơ bản cho cán bộ" in [s.title for s in autocomplete("ky na")]
    assert str(autocomplete("duo")[0].title_html).count("<mark>") == 1


# ---- The catalogue: text and filters; counts equal the database's own ----------------------


def _words(text):
    return set(re.findall(r"[^\W_]+", fold(text)))


def expected_ids(text: str) -> set[int]:
    """Public products whose document holds every folded word of `text` (the reference)."""
    wanted = _words(text)
    return {
        d.object_id
        for d in documents_all()
        if d.kind == PRODUCT and wanted <= _words(d.title + " " + d.text)
    }


def _orm(ids, **filters):
    products = products_public().filter(pk__in=ids)
    q = Q()
    if "stars" in filters:
        q &= Q(stars__in=filters["stars"])
    if "province" in filters:
        q &= Q(province_id=filters["province"])
    if filters.get("in_stock"):
        q &= Q(stock__gt=0)
    if "group" in filters:
        q &= Q(group__code=filters["group"])
    if "price" in filters:
        low, high = filters["price"]
        if low is not None:
            q &= Q(price__gte=low)
        if high is not None:
            q &= Q(price__lte=high)
    return products.filter(q)


CATALOGUE_CASES = [
    ("dua", {}),
    ("dua", {"stars": (4, 5)}),
    ("ca phe", {"in_stock": True}),
    ("ca phe", {"province": 82}),
    ("rang", {"group": "1"}),
    ("", {"stars": (3,)}),
    ("dua", {"price": PRICE_BANDS["100k-300k"]}),
    ("khong co san pham nay", {}),
]


@pytest.mark.parametrize("text,filters", CATALOGUE_CASES)
def test_catalogue_counts_equal_the_databases_own(indexed, text, filters):
    ids = expected_ids(text) if text else set(products_public().values_list("pk", flat=True))
    query = CatalogueQuery(
        text=text,
        stars=filters.get("stars", ()),
        province=filters.get("province"),
        in_stock=filters.get("in_stock", False),
        group=filters.get("group"),
        price_min=filters.get("price", (None, None))[0],
        price_max=filters.get("price", (None, None))[1],
        per_page=48,
    )
    result = SearchCatalogue().search(query)
    assert result.total == _orm(ids, **filters).count()
    assert {p.pk for p in result.products} == set(_orm(ids, **filters).values_list("pk", flat=True))
    counts = {name: {f.value: f.count for f in values} for name, values in result.facets.items()}
    others = {k: v for k, v in filters.items() if k != "stars"}
    for star in (3, 4, 5):
        assert counts["stars"][str(star)] == _orm(ids, **others).filter(stars=star).count()
    others = {k: v for k, v in filters.items() if k != "in_stock"}
    assert counts["in_stock"]["1"] == _orm(ids, **others).filter(stock__gt=0).count()
    others = {k: v for k, v in filters.items() if k != "province"}
    for code in (82, 86):
        expected = _orm(ids, **others).filter(province_id=code).count()
        assert counts["province"].get(str(code), 0) == expected
    others = {k: v for k, v in filters.items() if k != "group"}
    for code, n in counts["group"].items():
        assert n == _orm(ids, **others).filter(group__code=code).count(), code
    others = {k: v for k, v in filters.items() if k != "price"}
    for key, (low, high) in PRICE_BANDS.items():
        assert counts["price"][key] == _orm(ids, **others, price=(low, high)).count(), key


@pytest.mark.parametrize("sort", ["newest", "price_asc", "price_desc", "stars", "bestselling"])
def test_catalogue_sorts_text_matches(indexed, sort):
    result = SearchCatalogue().search(CatalogueQuery(text="dua", sort=sort, per_page=48))
    ordering = {
        "newest": ("-published_at", "-id"),
        "price_asc": ("price", "id"),
        "price_desc": ("-price", "-id"),
        "stars": ("-stars", "-published_at", "-id"),
        "bestselling": ("-sold_count", "-published_at", "-id"),
    }[sort]
    expected = Product.objects.filter(pk__in=expected_ids("dua")).order_by(*ordering)
    assert [p.pk for p in result.products] == [p.pk for p in expected]


def test_catalogue_pages_past_the_end_show_the_last(indexed):
    result = SearchCatalogue().search(CatalogueQuery(text="dua", per_page=12, page=999))
    assert result.page == result.num_pages == 1
    assert result.products


def test_cached_counts_spare_the_engine_its_counting(indexed, engine):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    query = CatalogueQuery(text="dua", stars=(4, 5))
    with CaptureQueriesContext(connection) as cold:
        first = SearchCatalogue().search(query)
    with CaptureQueriesContext(connection) as warm:
        again = SearchCatalogue().search(query.replace(sort="price_asc"))
    assert again.facets == first.facets and again.total == first.total
    if engine == "database":  # the aggregate, group and province counts are not run again
        assert len(warm) == len(cold) - 3


def test_autocomplete_reads_each_suggestion_once(indexed):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        suggestions = autocomplete("ca p")
    assert len(suggestions) == 2
    assert len(captured) <= 4  # the vocabulary aside: one search, whatever the number of hits
