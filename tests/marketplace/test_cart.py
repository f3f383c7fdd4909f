"""The session cart: quantities within stock, products that leave the catalogue, grouping."""

import copy

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from marketplace.models import Producer, Product
from marketplace.services.cart import (
    MAX_QUANTITY,
    SESSION_KEY,
    CartError,
    cart_add,
    cart_count,
    cart_remove,
    cart_set,
    cart_summary,
)
from tests.factories.marketplace import ProducerFactory, ProductFactory

pytestmark = pytest.mark.django_db


class Session(dict):
    modified = False


def test_add_groups_by_producer_with_subtotals_and_integer_total():
    session = Session()
    first, second = ProducerFactory(), ProducerFactory()
    a = ProductFactory(producer=first, price=150_000)
    b = ProductFactory(producer=second, price=85_000)
    c = ProductFactory(producer=first, price=42_500)
    cart_add(session=session, product_id=a.pk, quantity=2)
    cart_add(session=session, product_id=b.pk)
    cart_add(session=session, product_id=c.pk, quantity="3")
    cart_add(session=session, product_id=a.pk, quantity=1)  # adds up

    summary = cart_summary(session=session)
    assert [g.producer for g in summary.groups] == [first, second]
    assert [(line.product, line.quantity) for line in summary.groups[0].lines] == [(a, 3), (c, 3)]
    assert summary.groups[0].subtotal == 3 * 150_000 + 3 * 42_500
    assert summary.groups[1].subtotal == 85_000
    assert summary.total == 450_000 + 127_500 + 85_000
    assert isinstance(summary.total, int)
    assert summary.count == cart_count(session=session) == 7
    assert summary.checkout_lines() == [(a.pk, 3), (c.pk, 3), (b.pk, 1)]
    assert session.modified


@pytest.mark.parametrize("quantity", ["0", "-1", "abc", "", "1.5", None])
def test_bad_quantities_are_refused_and_change_nothing(quantity):
    session = Session()
    product = ProductFactory()
    with pytest.raises(CartError):
        cart_add(session=session, product_id=product.pk, quantity=quantity)
    assert SESSION_KEY not in session


def test_quantity_is_limited_by_stock_and_by_max():
    session = Session()
    product = ProductFactory(stock=5)
    with pytest.raises(CartError, match="5"):
        cart_add(session=session, product_id=product.pk, quantity=6)
    cart_add(session=session, product_id=product.pk, quantity=5)
    with pytest.raises(CartError):
        cart_add(session=session, product_id=product.pk, quantity=1)
    big = ProductFactory(stock=10_000)
    with pytest.raises(CartError, match=str(MAX_QUANTITY)):
        cart_add(session=session, product_id=big.pk, quantity=MAX_QUANTITY + 1)
    cart_add(session=session, product_id=big.pk, quantity=MAX_QUANTITY)
    assert cart_count(session=session) == 5 + MAX_QUANTITY


def test_sold_out_product_cannot_be_added():
    product = ProductFactory(stock=0)
    with pytest.raises(CartError):
        cart_add(session=Session(), product_id=product.pk)


@pytest.mark.parametrize("status", [s for s in Product.Status.values if s != "published"])
def test_unpublished_products_cannot_be_added(status):
    product = ProductFactory(status=status)
    with pytest.raises(CartError):
        cart_add(session=Session(), product_id=product.pk)


def test_products_of_unverified_producers_cannot_be_added():
    product = ProductFactory(producer__status=Producer.Status.SUSPENDED)
    with pytest.raises(CartError):
        cart_add(session=Session(), product_id=product.pk)


@pytest.mark.parametrize("product_id", [0, -3, 999_999, "x", None, "1 OR 1=1"])
def test_unknown_products_are_refused(product_id):
    with pytest.raises(CartError):
        cart_add(session=Session(), product_id=product_id)


def test_set_and_remove():
    session = Session()
    product = ProductFactory(stock=8)
    cart_add(session=session, product_id=product.pk)
    assert cart_set(session=session, product_id=product.pk, quantity="4") == 4
    with pytest.raises(CartError):
        cart_set(session=session, product_id=product.pk, quantity=9)
    assert cart_count(session=session) == 4
    other = ProductFactory()
    with pytest.raises(CartError):  # only products already in the cart
        cart_set(session=session, product_id=other.pk, quantity=1)
    assert cart_set(session=session, product_id=product.pk, quantity=0) == 0
    assert cart_count(session=session) == 0
    assert cart_remove(session=session, product_id=product.pk) is False


def test_summary_drops_unpublished_and_sold_out_and_lowers_quantities_with_notices():
    session = Session()
    keep, hidden, gone, short = ProductFactory.create_batch(4, stock=10)
    for product in (keep, hidden, gone, short):
        cart_add(session=session, product_id=product.pk, quantity=5)
    Product.objects.filter(pk=hidden.pk).update(status=Product.Status.UNPUBLISHED)
    Product.objects.filter(pk=gone.pk).update(stock=0)
    Product.objects.filter(pk=short.pk).update(stock=2)
    summary = cart_summary(session=session)
    assert [(line.product.pk, line.quantity) for line in summary.lines] == [
        (keep.pk, 5),
        (short.pk, 2),
    ]
    assert len(summary.notices) == 3
    assert any(gone.name in notice for notice in summary.notices)
    assert any(short.name in notice and "2" in notice for notice in summary.notices)
    # The cleaned cart was saved: showing it again has nothing more to say.
    again = cart_summary(session=session)
    assert again.notices == []
    assert again.checkout_lines() == [(keep.pk, 5), (short.pk, 2)]


def test_forged_session_content_is_ignored():
    product = ProductFactory()
    session = Session({SESSION_KEY: {"abc": 1, str(product.pk): "2", "-4": 3, "7": "x"}})
    summary = cart_summary(session=session)
    assert summary.checkout_lines() == [(product.pk, 2)]
    assert cart_count(session=Session({SESSION_KEY: ["not", "a", "dict"]})) == 0


def test_vietqr_needs_every_producer_to_have_a_bank_account():
    session = Session()
    with_bank = ProductFactory()
    without = ProductFactory(producer__bank_account_number="")
    cart_add(session=session, product_id=with_bank.pk)
    assert cart_summary(session=session).accepts_vietqr
    cart_add(session=session, product_id=without.pk)
    summary = cart_summary(session=session)
    assert not summary.accepts_vietqr
    assert summary.producers_without_vietqr == [without.producer]


# --- Views ------------------------------------------------------------------------------


def test_add_view_redirects_back_with_message(client, home):
    product = ProductFactory(name="Mật ong hoa nhãn")
    response = client.post(
        reverse("marketplace:cart_add"),
        {"product": product.pk, "quantity": "2", "next": "/cho-ocop/"},
        follow=False,
    )
    assert response.status_code == 302
    assert response["Location"] == "/cho-ocop/"
    page = client.get(reverse("marketplace:cart"))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Mật ong hoa nhãn" in content
    assert "300.000 ₫" in content


def test_add_view_refuses_foreign_redirects_and_bad_input(client, home):
    response = client.post(
        reverse("marketplace:cart_add"),
        {"product": "999999", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("marketplace:cart")
    page = client.get(response["Location"])
    assert "alert--error" in page.content.decode()
    assert SESSION_KEY not in client.session


def test_add_view_is_post_only(client, home):
    assert client.get(reverse("marketplace:cart_add")).status_code == 405
    assert client.get(reverse("marketplace:cart_update")).status_code == 405


def test_update_view_sets_quantities_and_removes(client, home):
    a, b = ProductFactory(stock=3), ProductFactory()
    client.post(reverse("marketplace:cart_add"), {"product": a.pk})
    client.post(reverse("marketplace:cart_add"), {"product": b.pk})
    client.post(reverse("marketplace:cart_update"), {f"quantity-{a.pk}": "3"})
    assert client.session[SESSION_KEY] == {str(a.pk): 3, str(b.pk): 1}
    before = copy.deepcopy(client.session[SESSION_KEY])
    response = client.post(
        reverse("marketplace:cart_update"), {f"quantity-{a.pk}": "50"}, follow=True
    )
    assert client.session[SESSION_KEY] == before  # refused, unchanged
    assert "3" in response.content.decode()
    client.post(reverse("marketplace:cart_update"), {"remove": b.pk})
    assert client.session[SESSION_KEY] == {str(a.pk): 3}


def test_empty_cart_page(client, home):
    response = client.get(reverse("marketplace:cart"))
    assert response.status_code == 200
    assert "Giỏ hàng" in response.content.decode() or "Cart" in response.content.decode()


def test_context_processor_counts_units_without_queries(client, home, django_assert_num_queries):
    from django.test import RequestFactory

    from marketplace.context_processors import cart as cart_context

    product = ProductFactory()
    client.post(reverse("marketplace:cart_add"), {"product": product.pk, "quantity": 4})
    request = RequestFactory().get("/")
    request.session = client.session
    request.session.keys()  # the session itself is loaded by the request anyway
    with django_assert_num_queries(0):
        context = cart_context(request)
        assert context["marketplace_cart_count"]() == 4


def test_header_line_for_the_lead_renders_the_count(client, home, settings):
    """The line the site's header is to get, with the context processor installed."""
    from django.template import engines
    from django.test import RequestFactory

    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["OPTIONS"] = {
        **templates[0]["OPTIONS"],
        "context_processors": [
            *templates[0]["OPTIONS"]["context_processors"],
            "marketplace.context_processors.cart",
        ],
    }
    settings.TEMPLATES = templates
    product = ProductFactory()
    client.post(reverse("marketplace:cart_add"), {"product": product.pk, "quantity": 3})
    request = RequestFactory().get("/")
    request.session = client.session
    request.user = AnonymousUser()
    line = (
        '{% load i18n %}<a href="{% url \'marketplace:cart\' %}">{% translate "Cart" %}'
        "{% if marketplace_cart_count %} ({{ marketplace_cart_count }}){% endif %}</a>"
    )
    html = engines["django"].from_string(line).render({}, request)
    assert html.endswith(" (3)</a>")
    assert reverse("marketplace:cart") in html
