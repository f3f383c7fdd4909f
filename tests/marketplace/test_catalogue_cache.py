"""Facet counts are cached per filter set until the next product change; the cache is a speed-up,
never a dependency."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from marketplace.models import Producer, Product
from marketplace.selectors.catalogue import CatalogueQuery, catalogue_search
from marketplace.services.stock import stock_take
from tests.factories.marketplace import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    producer = ProducerFactory()
    return [
        ProductFactory(producer=producer, stars=4, price=55_000, stock=1),
        ProductFactory(producer=producer, stars=5, price=250_000, stock=8),
        ProductFactory(producer=producer, stars=4, price=90_000, stock=0),
    ]


def _search(**kwargs):
    with CaptureQueriesContext(connection) as captured:
        result = catalogue_search(CatalogueQuery(**kwargs))
    return result, len(captured)


def _counts(result, facet) -> dict[str, int]:
    return {value.value: value.count for value in result.facets[facet]}


def test_the_same_filter_set_reads_its_counts_from_the_cache(products):
    first, cold = _search(stars=(4,))
    again, warm = _search(stars=(4,), sort="price_asc", page=1)
    # Groups, sub-groups and the page (products, photos) remain; the three count queries go.
    assert warm == cold - 3
    assert again.total == first.total == 2
    assert again.facets == first.facets
    # Another filter set is counted on its own.
    other, other_queries = _search(stars=(5,))
    assert other_queries == cold
    assert other.total == 1


def test_a_stock_take_or_a_product_change_drops_the_cached_counts(products):
    before, _ = _search(in_stock=True)
    assert before.total == 2
    stock_take(product_id=products[0].pk, quantity=1)  # the last unit: no longer in stock
    after, _ = _search(in_stock=True)
    assert after.total == 1
    assert _counts(after, "in_stock") == {"1": 1}

    products[1].status = Product.Status.UNPUBLISHED
    products[1].save(update_fields=["status"])
    assert _search(in_stock=True)[0].total == 0


def test_suspending_the_producer_drops_the_cached_counts(products):
    assert _search()[0].total == 3
    producer = products[0].producer
    producer.status = Producer.Status.SUSPENDED
    producer.save(update_fields=["status"])
    assert _search()[0].total == 0


def test_counts_are_computed_when_the_cache_fails(products, monkeypatch):
    expected, cold = _search(stars=(4,))

    def broken(*args, **kwargs):
        raise ConnectionError("cache down")

    for name in ("get", "set", "add", "incr"):
        monkeypatch.setattr(cache, name, broken)
    result, queries = _search(stars=(4,))
    assert queries == cold
    assert result.total == expected.total
    assert result.facets == expected.facets
    # Changes still go through (nothing to drop).
    stock_take(product_id=products[0].pk, quantity=1)


def test_caching_can_be_turned_off(products, settings):
    settings.MARKETPLACE_CATALOGUE_FACETS_CACHE_SECONDS = 0
    _, cold = _search()
    _, again = _search()
    assert again == cold
