"""checkout_place_order: one transaction, one sub-order per producer, nothing changed on failure."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from marketplace.models import Order, OrderLine, Product, SubOrder
from marketplace.services import checkout as checkout_service
from marketplace.services.checkout import (
    CheckoutError,
    OutOfStock,
    checkout_payment_methods,
    checkout_place_order,
)
from tests.factories.marketplace import (
    CommuneFactory,
    ProducerFactory,
    ProducerMemberFactory,
    ProductFactory,
    ProvinceFactory,
)
from tests.factories.marketplace_orders import delivery_details, place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^CDS[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$")


def stocks(*products):
    return [Product.objects.get(pk=p.pk).stock for p in products]


def nothing_ordered():
    return not (Order.objects.exists() or SubOrder.objects.exists() or OrderLine.objects.exists())


def test_cod_order_split_per_producer_with_frozen_lines(django_capture_on_commit_callbacks):
    first, second = ProducerFactory(), ProducerFactory()
    ProducerMemberFactory(producer=first)
    a = ProductFactory(producer=first, price=150_000, stock=10, name="Bưởi da xanh")
    b = ProductFactory(producer=second, price=85_000, stock=4, name="Kẹo dừa")
    c = ProductFactory(producer=first, price=42_500, stock=7)
    buyer = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(buyer=buyer, items=[(b, 2), (a, 3), (c, 1)])

    assert order.buyer == buyer and order.payment_method == "cod"
    assert order.payment_due_at is None
    assert re.fullmatch(r"DH\d{6}[0-9A-Z]{6}", order.number)
    suborders = list(order.suborders.order_by("number"))
    # Numbered in the cart's order of producers: the first line's producer is -1.
    assert [(s.number, s.producer) for s in suborders] == [
        (f"{order.number}-1", second),
        (f"{order.number}-2", first),
    ]
    assert all(REFERENCE.match(s.payment_reference) for s in suborders)
    assert len({s.payment_reference for s in suborders}) == 2
    assert all(s.status == SubOrder.Status.PENDING for s in suborders)
    assert suborders[0].subtotal == 170_000
    assert suborders[1].subtotal == 3 * 150_000 + 42_500
    assert order.total == 170_000 + 492_500
    assert isinstance(order.total, int)
    line = OrderLine.objects.get(product=a)
    assert (line.product_name, line.unit, line.unit_price, line.quantity, line.line_total) == (
        "Bưởi da xanh",
        "hop",
        150_000,
        3,
        450_000,
    )
    assert stocks(a, b, c) == [7, 2, 6]
    assert Product.objects.get(pk=a.pk).sold_count == 3

    # Prices and names move on; the order keeps what was bought.
    Product.objects.filter(pk=a.pk).update(price=999_000, name="Bưởi mới")
    line.refresh_from_db()
    assert (line.product_name, line.unit_price) == ("Bưởi da xanh", 150_000)

    # Emails after commit: the buyer's summary and one per producer.
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(mail.outbox) == 3, subjects
    assert any(buyer.email in m.to for m in mail.outbox)


def test_payment_due_and_expiry_task_for_transfer_orders(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.MARKETPLACE_PAYMENT_TIMEOUT_MINUTES = {"vietqr": 120, "stripe": 60}
    queued = []
    from marketplace import tasks

    monkeypatch.setattr(
        tasks.order_expire_task, "apply_async", lambda args, eta: queued.append((args, eta))
    )
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(payment_method="vietqr")
    assert order.payment_due_at is not None
    expected = before + datetime.timedelta(minutes=120)
    assert abs((order.payment_due_at - expected).total_seconds()) < 5
    assert queued == [((order.pk,), order.payment_due_at)]


def test_cod_orders_queue_no_expiry(monkeypatch, django_capture_on_commit_callbacks):
    queued = []
    from marketplace import tasks

    monkeypatch.setattr(tasks.order_expire_task, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        place_order()
    assert queued == []


def test_out_of_stock_changes_nothing():
    a = ProductFactory(stock=10)
    b = ProductFactory(stock=2, name="Chả lụa")
    with pytest.raises(OutOfStock) as caught:
        place_order(items=[(a, 5), (b, 3)])
    assert caught.value.product_id == b.pk
    assert caught.value.available == 2
    assert stocks(a, b) == [10, 2]
    assert Product.objects.get(pk=a.pk).sold_count == 0
    assert nothing_ordered()


def test_the_same_product_twice_is_one_line():
    a = ProductFactory(stock=5)
    order = place_order(items=[(a, 2), (a, 3)])
    assert OrderLine.objects.get(suborder__order=order).quantity == 5
    assert stocks(a) == [0]


@pytest.mark.parametrize(
    "change",
    [
        {"status": Product.Status.UNPUBLISHED},
        {"status": Product.Status.DRAFT},
    ],
)
def test_products_not_on_sale_are_refused(change):
    product = ProductFactory(**change)
    with pytest.raises(CheckoutError):
        place_order(items=[(product, 1)])
    assert nothing_ordered()
    assert stocks(product) == [100]


def test_products_of_suspended_producers_are_refused():
    product = ProductFactory(producer__status="suspended")
    with pytest.raises(CheckoutError):
        place_order(items=[(product, 1)])
    assert nothing_ordered()


@pytest.mark.parametrize("lines", [[], [(1, 0)], [(1, -2)], [(1, 1000)], [("1", 1)]])
def test_bad_lines_are_refused(lines):
    ProductFactory()
    with pytest.raises(CheckoutError):
        checkout_place_order(
            buyer=UserFactory(), lines=lines, delivery=delivery_details(), payment_method="cod"
        )
    assert nothing_ordered()


def test_commune_must_belong_to_the_province():
    other_province = ProvinceFactory(code=79, name="Thành phố Hồ Chí Minh")
    delivery = delivery_details(commune=CommuneFactory(), province=other_province)
    with pytest.raises(CheckoutError):
        place_order(delivery=delivery)
    assert nothing_ordered()


def test_anonymous_buyers_cannot_order():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(CheckoutError):
        checkout_place_order(
            buyer=AnonymousUser(),
            lines=[(ProductFactory().pk, 1)],
            delivery=delivery_details(),
            payment_method="cod",
        )
    assert nothing_ordered()


def test_vietqr_needs_every_producer_to_accept_transfers():
    with_bank = ProductFactory()
    without = ProductFactory(producer__bank_account_number="", producer__name="HTX Không Ngân Hàng")
    with pytest.raises(CheckoutError, match="HTX Không Ngân Hàng"):
        place_order(items=[(with_bank, 1), (without, 1)], payment_method="vietqr")
    assert nothing_ordered()
    assert stocks(with_bank, without) == [100, 100]
    assert checkout_payment_methods(producers=[with_bank.producer]) == ["cod", "vietqr"]
    assert checkout_payment_methods(producers=[with_bank.producer, without.producer]) == ["cod"]


@pytest.mark.parametrize("method", ["stripe", "bitcoin", ""])
def test_card_and_unknown_methods_refused_when_not_available(method, monkeypatch):
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: False)
    with pytest.raises(CheckoutError):
        place_order(payment_method=method)
    assert nothing_ordered()


def test_card_orders_when_stripe_is_configured(monkeypatch, settings):
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: True)
    order = place_order(payment_method="stripe")
    assert order.payment_due_at is not None
    delta = order.payment_due_at - order.created_at
    assert datetime.timedelta(minutes=59) < delta <= datetime.timedelta(minutes=61)


def test_checkout_token_makes_one_order():
    product = ProductFactory(stock=5)
    buyer = UserFactory()
    first = place_order(buyer=buyer, items=[(product, 2)], checkout_token="tok-1")
    again = place_order(buyer=buyer, items=[(product, 2)], checkout_token="tok-1")
    assert again.pk == first.pk
    assert again.is_duplicate_submission
    assert Order.objects.count() == 1
    assert stocks(product) == [3]
    # The same token of another buyer is another order.
    other = place_order(items=[(product, 1)], checkout_token="tok-1")
    assert other.pk != first.pk


def test_token_race_lost_at_the_database_returns_the_first_order(monkeypatch):
    """Two posts pass the early look-up together; the unique constraint stops the second."""
    product = ProductFactory(stock=5)
    buyer = UserFactory()
    first = place_order(buyer=buyer, items=[(product, 1)], checkout_token="tok-race")
    real = checkout_service._order_for_token
    calls = []

    def miss_first_time(**kwargs):
        calls.append(kwargs)
        return None if len(calls) == 1 else real(**kwargs)

    monkeypatch.setattr(checkout_service, "_order_for_token", miss_first_time)
    again = place_order(buyer=buyer, items=[(product, 1)], checkout_token="tok-race")
    assert again.pk == first.pk
    assert len(calls) == 2
    assert Order.objects.count() == 1
    assert stocks(product) == [4]  # the second take was rolled back


def test_payment_references_are_unique_and_unguessable():
    orders = [place_order() for _ in range(5)]
    references = [s.payment_reference for o in orders for s in o.suborders.all()]
    assert len(set(references)) == len(references)
    assert all(REFERENCE.match(r) for r in references)
    numbers = {o.number for o in orders}
    assert not any(o.number.lower() in r.lower() for o in orders for r in references)
    assert len(numbers) == 5
