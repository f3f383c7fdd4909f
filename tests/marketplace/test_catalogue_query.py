"""Parsing the catalogue's GET parameters: bad values are ignored, never raised."""

import pytest
from django.http import QueryDict

from marketplace.selectors.catalogue import PAGE_MAX, CatalogueQuery


def parse(query_string: str) -> CatalogueQuery:
    return CatalogueQuery.from_querydict(QueryDict(query_string))


def test_defaults():
    assert parse("") == CatalogueQuery()
    assert CatalogueQuery() == CatalogueQuery(
        text="",
        group=None,
        subgroup=None,
        stars=(),
        province=None,
        price_min=None,
        price_max=None,
        in_stock=False,
        sort="newest",
        page=1,
        per_page=24,
    )


def test_every_parameter():
    query = parse(
        "q=+k%E1%BA%B9o++d%E1%BB%ABa+&group=1&subgroup=1.3&stars=5&stars=3&stars=5"
        "&province=86&price_min=50000&price_max=300000&in_stock=1&sort=price_desc&page=3"
    )
    assert query == CatalogueQuery(
        text="kẹo dừa",
        group="1",
        subgroup="1.3",
        stars=(3, 5),
        province=86,
        price_min=50_000,
        price_max=300_000,
        in_stock=True,
        sort="price_desc",
        page=3,
    )


@pytest.mark.parametrize(
    ("raw", "page"),
    [("-1", 1), ("0", 1), ("abc", 1), ("", 1), ("2.5", 1), (" 7 ", 7), ("999999999999", PAGE_MAX)],
)
def test_page_numbers(raw, page):
    assert parse(f"page={raw}").page == page


@pytest.mark.parametrize(
    "query_string",
    [
        "stars=6&stars=0&stars=abc&stars=-4",
        "group=<script>&subgroup=1.3.4.5.6.7",
        "province=abc&province=-3",
        "price_min=abc&price_max=-5",
        "sort=DROP TABLE&in_stock=maybe",
        "per_page=1000000",
    ],
)
def test_garbage_is_ignored(query_string):
    query = parse(query_string)
    assert query == CatalogueQuery()


def test_prices_accept_vietnamese_grouping_and_a_reversed_range_is_swapped():
    query = parse("price_min=300.000&price_max=100.000 ₫")
    assert (query.price_min, query.price_max) == (100_000, 300_000)


def test_text_is_trimmed_and_capped():
    assert len(parse("q=" + "a" * 500).text) == 100


def test_to_querydict_round_trips_and_leaves_defaults_out():
    query = CatalogueQuery(
        text="bưởi",
        group="1",
        stars=(4, 5),
        province=86,
        price_max=99_999,
        in_stock=True,
        sort="relevance",
    )
    data = query.to_querydict()
    assert data.getlist("stars") == ["4", "5"]
    assert "page" not in data and "sort" not in data and "subgroup" not in data
    assert CatalogueQuery.from_querydict(data) == query
    assert CatalogueQuery().to_querydict().urlencode() == ""
    # With words, the default order is relevance; without, the newest first.
    assert CatalogueQuery.from_querydict({"q": "bưởi"}).sort == "relevance"
    assert CatalogueQuery.from_querydict({}).sort == "newest"
    assert CatalogueQuery(text="bưởi", sort="newest").to_querydict()["sort"] == "newest"


def test_querystring_changes_go_back_to_the_first_page():
    query = CatalogueQuery(group="1", page=4)
    assert query.querystring(stars=(5,)) == "?group=1&stars=5"
    assert query.querystring(page=5) == "?group=1&page=5"
    assert CatalogueQuery().querystring() == "?"


def test_has_filters_and_price_band():
    assert not CatalogueQuery(sort="price_asc", page=3).has_filters
    assert CatalogueQuery(in_stock=True).has_filters
    assert CatalogueQuery(price_min=100_000, price_max=299_999).price_band == "100k-300k"
    assert CatalogueQuery(price_min=100_000, price_max=300_000).price_band is None
