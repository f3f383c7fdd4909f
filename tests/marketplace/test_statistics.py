"""OCOP statistics: numbers equal to direct counts, a fixed number of queries, charts with tables
and Vietnamese number formatting."""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from marketplace.models import OcopSubgroup, Producer, Product
from marketplace.selectors.statistics import ocop_statistics
from marketplace.views.public import CHART_BAR_MAX
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProductFactory,
    ProvinceFactory,
)


@pytest.fixture
def market(home):
    vinh_long = ProvinceFactory(code=86, name="Vĩnh Long")
    dong_thap = ProvinceFactory(code=82, name="Đồng Tháp")
    cooperative = ProducerFactory(commune=CommuneFactory(province=vinh_long))
    household = ProducerFactory(
        kind=Producer.Kind.HOUSEHOLD, commune=CommuneFactory(province=dong_thap)
    )
    enterprise = ProducerFactory(kind=Producer.Kind.ENTERPRISE, status="pending")
    drinks = OcopSubgroup.objects.get(code="2.1")
    for stars in (3, 3, 4, 5):
        ProductFactory(producer=cooperative, stars=stars)
    ProductFactory(producer=household, stars=4, subgroup=drinks)
    ProductFactory(producer=household, stars=3, subgroup=drinks)
    ProductFactory(producer=cooperative, stars=5, status="draft")
    ProductFactory(producer=enterprise, stars=5)  # not verified: not counted


def rows(stats, key) -> dict[str, int]:
    chart = next(c for c in stats.charts if c.key == key)
    return {row.label: row.value for row in chart.rows}


def test_numbers_equal_direct_counts(market):
    with translation.override("en"):  # labels of stars and producer types are translated
        stats = ocop_statistics()
    public = Product.objects.filter(status="published", producer__status="verified")
    assert stats.products == public.count() == 6
    assert stats.five_star == public.filter(stars=5).count() == 1
    assert stats.producers == Producer.objects.filter(status="verified").count() == 2
    assert rows(stats, "stars") == {
        "3 stars": public.filter(stars=3).count(),
        "4 stars": public.filter(stars=4).count(),
        "5 stars": public.filter(stars=5).count(),
    }
    assert rows(stats, "stars") == {"3 stars": 3, "4 stars": 2, "5 stars": 1}
    groups = rows(stats, "group")
    assert len(groups) == 6  # every OCOP group, empty ones included
    assert groups["Thực phẩm"] == public.filter(group__code="1").count() == 4
    assert groups["Đồ uống"] == public.filter(group__code="2").count() == 2
    assert sum(groups.values()) == 6
    assert rows(stats, "province") == {"Vĩnh Long": 4, "Đồng Tháp": 2}
    assert list(rows(stats, "province")) == ["Vĩnh Long", "Đồng Tháp"]  # most first
    kinds = rows(stats, "producer_kind")
    assert kinds["Cooperative"] == 1 and kinds["Household business"] == 1
    assert kinds["Enterprise"] == 0


def test_a_fixed_number_of_queries(market, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        ocop_statistics()
    for n in range(20):
        ProductFactory(stars=3 + n % 3)
    with django_assert_max_num_queries(len(small)) as large:
        stats = ocop_statistics()
    assert len(large) == len(small) == 5
    assert stats.products == 26


def test_page_draws_charts_with_tables(client, market):
    response = client.get(reverse("marketplace:statistics"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('<svg class="chart__svg"') == 4
    assert html.count('<table class="table chart__table">') == 4
    # The longest bar of a chart is the full width; the others are in proportion.
    stars_chart = html[html.index('id="chart-stars"') : html.index('id="chart-group"')]
    widths = [int(w) for w in re.findall(r'class="chart__bar"[^>]*width="(\d+)"', stars_chart)]
    assert widths == [CHART_BAR_MAX, round(CHART_BAR_MAX * 2 / 3), round(CHART_BAR_MAX / 3)]
    assert "<td>50\u00a0%</td>" in stars_chart  # 3 of 6 products have 3 stars


def test_page_with_no_product(client, home):
    response = client.get(reverse("marketplace:statistics"))
    assert response.status_code == 200
    assert "chart__svg" in response.content.decode()  # stars and groups list zero rows


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (7, "7"), (1234, "1.234"), (14_600, "14.600"), (1_250_000, "1.250.000")],
)
def test_numbers_are_formatted_the_vietnamese_way(value, text):
    template = Template("{% load marketplace_tags %}{{ value|vn_number }}")
    assert template.render(Context({"value": value})) == text


@pytest.mark.parametrize(
    ("value", "total", "text"),
    [(1, 3, "33,3\u00a0%"), (1, 2, "50\u00a0%"), (0, 0, "0\u00a0%"), (5, 5, "100\u00a0%")],
)
def test_shares_use_a_decimal_comma(value, total, text):
    template = Template("{% load marketplace_tags %}{{ value|vn_percent:total }}")
    assert template.render(Context({"value": value, "total": total})) == text
