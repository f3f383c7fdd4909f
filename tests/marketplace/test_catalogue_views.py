"""The catalogue page: filter form with counts, chips, sorting, pagination, never a 500, and a
query count that does not depend on the number of products."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail_factories import ImageFactory

from marketplace.models import MarketplacePage, OcopSubgroup, Producer, Product, ProductPhoto
from marketplace.selectors.catalogue import CatalogueResult
from search.services import search_rebuild
from tests.factories.marketplace import ProducerFactory, ProductFactory, ProvinceFactory

URL = "/cho-ocop/"


@pytest.fixture
def products(home):
    keo = ProductFactory(name="Kẹo dừa sáp", slug="keo-dua-sap", price=55_000, stars=4)
    cha = ProductFactory(
        name="Chả lụa Cái Vồn",
        slug="cha-lua",
        price=180_000,
        stars=3,
        stock=0,
        subgroup=OcopSubgroup.objects.get(code="1.3"),
    )
    ruou = ProductFactory(
        name="Rượu nếp Phú Lễ",
        slug="ruou-nep",
        price=120_000,
        stars=5,
        subgroup=OcopSubgroup.objects.get(code="2.1"),
        group=OcopSubgroup.objects.get(code="2.1").group,
        ocop_active=False,
    )
    ProductFactory(name="Bánh tráng nháp", slug="banh-trang-nhap", status="draft")
    ProductFactory(
        name="Mật ong chưa duyệt",
        slug="mat-ong",
        producer=ProducerFactory(status=Producer.Status.PENDING),
    )
    return {"keo": keo, "cha": cha, "ruou": ruou}


def html_of(response) -> str:
    assert response.status_code == 200
    return response.content.decode()


def card_names(html: str) -> list[str]:
    return re.findall(r'<h3 class="product-card__name">([^<]+)</h3>', html)


@translation.override("vi")
def test_url_name():
    assert reverse("marketplace:catalogue") == URL


def test_lists_public_products_with_price_stars_badge_and_producer(client, products):
    html = html_of(client.get(URL))
    assert sorted(card_names(html)) == ["Chả lụa Cái Vồn", "Kẹo dừa sáp", "Rượu nếp Phú Lễ"]
    assert "55.000 ₫" in html and "180.000 ₫" in html
    assert products["keo"].producer.name in html
    assert 'href="/cho-ocop/san-pham/keo-dua-sap/"' in html
    assert "Vĩnh Long" in html
    # The badge shows with a valid certificate only: two of three products carry it.
    assert html.count('class="ocop-badge"') == 2
    assert "OCOP 5★" not in html
    assert "Out of stock" in html or "Hết hàng" in html
    assert "Bánh tráng nháp" not in html and "Mật ong chưa duyệt" not in html


def test_filter_form_shows_counts_and_keeps_the_choices(client, products):
    html = html_of(client.get(URL, {"stars": ["4", "5"], "in_stock": "1", "sort": "price_asc"}))
    assert card_names(html) == ["Kẹo dừa sáp", "Rượu nếp Phú Lễ"]
    assert re.search(r'name="stars" value="4" checked', html)
    assert re.search(r'name="stars" value="5" checked', html)
    assert re.search(r'name="stars" value="3"(?! checked)', html)
    assert 'name="in_stock" value="1" checked' in html
    assert '<option value="price_asc" selected>' in html
    # Disjunctive counts: 3 stars would add the (out of stock) chả lụa: 0 with in_stock kept.
    stars3 = re.search(r'name="stars" value="3"[^>]*>.*?\((\d+)\)', html, re.S)
    assert stars3.group(1) == "0"
    group_option = re.search(r'<option value="1"[^>]*>Thực phẩm \((\d+)\)</option>', html)
    assert group_option.group(1) == "1"  # food, 4–5 stars, in stock: the kẹo dừa only


def test_active_filters_are_chips_with_removal_links(client, products):
    search_rebuild()  # words are matched through the search index
    html = html_of(client.get(URL, {"group": "1", "stars": "4", "q": "kẹo"}))
    assert card_names(html) == ["Kẹo dừa sáp"]
    chips = re.findall(r'<a class="chip" href="([^"]+)"', html)
    assert len(chips) == 3
    assert "?group=1&amp;stars=4" in chips  # removing the text
    assert any("stars" not in chip and "group=1" in chip for chip in chips)
    assert 'class="chip chip--clear"' in html


def test_price_filter_and_reversed_range(client, products):
    html = html_of(client.get(URL, {"price_min": "150000", "price_max": "100000"}))
    assert card_names(html) == ["Rượu nếp Phú Lễ"]
    assert 'name="price_min" min="0" step="1000" inputmode="numeric" value="100000"' in html
    assert "100.000 ₫ – 150.000 ₫" in html


@pytest.mark.parametrize("page", ["-1", "0", "abc", "999999", "1e9", "%00", "2" * 40])
def test_any_page_parameter_gives_a_page(client, products, page):
    html = html_of(client.get(URL, {"page": page}))
    assert len(card_names(html)) == 3


@pytest.mark.parametrize(
    "params",
    [
        {"stars": "x", "province": "'; DROP TABLE", "group": "<b>"},
        {"price_min": "-50", "price_max": "1" * 30, "sort": "../../etc"},
        {"subgroup": "9.9", "in_stock": "perhaps", "per_page": "-3"},
    ],
)
def test_garbage_parameters_never_fail(client, products, params):
    html = html_of(client.get(URL, params))
    assert len(card_names(html)) == 3


def test_pagination_links_keep_the_filters(client, home):
    producer = ProducerFactory()
    for n in range(30):
        ProductFactory(producer=producer, price=10_000 + n * 1_000, name=f"Gạo thơm {n:02d}")
    first = html_of(client.get(URL, {"sort": "price_asc", "in_stock": "1"}))
    assert card_names(first)[0] == "Gạo thơm 00" and len(card_names(first)) == 24
    assert 'href="?in_stock=1&amp;sort=price_asc&amp;page=2" rel="next"' in first
    last = html_of(client.get(URL, {"sort": "price_asc", "in_stock": "1", "page": "999999"}))
    assert card_names(last) == [f"Gạo thơm {n:02d}" for n in range(24, 30)]
    assert '<span aria-current="page">2</span>' in last
    assert 'rel="prev"' in last and 'rel="next"' not in last


def test_empty_result_offers_to_clear_the_filters(client, products):
    html = html_of(client.get(URL, {"group": "6"}))
    assert card_names(html) == []
    assert "No product matches these filters." in html or "Không có sản phẩm" in html


def test_filtered_listings_are_not_indexed(client, products):
    assert "X-Robots-Tag" not in client.get(URL)
    assert client.get(URL, {"stars": "4"})["X-Robots-Tag"] == "noindex, follow"


def test_marketplace_page_serves_the_catalogue_with_its_intro(client, home):
    ProductFactory(name="Bưởi da xanh", slug="buoi-da-xanh")
    page = MarketplacePage(title="Chợ OCOP tỉnh", slug="cho", intro="<p>Giới thiệu chợ</p>")
    home.add_child(instance=page)
    page.save_revision().publish()
    html = html_of(client.get("/cho/", {"stars": "4"}))
    assert "Giới thiệu chợ" in html and "Chợ OCOP tỉnh" in html
    assert card_names(html) == ["Bưởi da xanh"]
    # At the catalogue's own URL the page's title and intro are shown too.
    html = html_of(client.get(URL))
    assert "Giới thiệu chợ" in html and '<h1 class="page-title">Chợ OCOP tỉnh</h1>' in html


def _products_with_photos(count: int):
    province = ProvinceFactory(code=86)
    producer = ProducerFactory(commune__province=province)
    for n in range(count):
        product = ProductFactory(producer=producer, price=20_000 + n * 500)
        ProductPhoto.objects.create(product=product, image=ImageFactory(), position=0)


def _page_queries(client, params) -> int:
    client.get(URL, params)  # renditions are made on the first view
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert 'class="product-card__image"' in response.content.decode()
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"group": "1", "stars": ["4"], "in_stock": "1"}])
def test_page_query_count_is_the_same_for_5_and_50_products(
    client, home, params, django_assert_max_num_queries
):
    _products_with_photos(5)
    small = _page_queries(client, params)
    assert small <= 16  # site chrome (site, settings, menu, page) + the catalogue's own
    _products_with_photos(45)
    assert _page_queries(client, params) == small
    with django_assert_max_num_queries(small):
        response = client.get(URL, params)
    assert len(card_names(response.content.decode())) == 24


class BareEngine:
    """Another engine (the search app's) may give fewer facets and unprefetched products."""

    def search(self, query):
        products = list(
            Product.objects.filter(status="published", producer__status="verified").order_by("pk")
        )
        return CatalogueResult(products, len(products), 1, 1, {})


def test_page_works_with_another_engine(client, products, settings):
    settings.MARKETPLACE_CATALOGUE_ENGINE = f"{__name__}.BareEngine"
    html = html_of(client.get(URL, {"group": "1", "price_min": "100000", "price_max": "299999"}))
    assert len(card_names(html)) == 3
    chips = re.findall(r'<a class="chip" href="([^"]+)"', html)
    assert len(chips) == 2  # the group (no facet to check it against) and the price band
    assert "100.000 ₫ – 300.000 ₫" in html
