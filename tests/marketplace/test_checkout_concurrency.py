"""Checkout races on PostgreSQL (threads with their own connections): no overselling, no
deadlock, one order per form, and expiry racing a payment ends in one consistent state."""

from functools import partial

from marketplace.models import Order, OrderLine, Product, SubOrder
from marketplace.services.checkout import OutOfStock
from marketplace.services.order_status import IllegalTransition, suborder_transition
from marketplace.services.orders import order_cancel_unpaid
from tests.concurrency import POSTGRES_RACES, run_together
from tests.factories.marketplace import ProductFactory
from tests.factories.marketplace_orders import delivery_details, place_order
from tests.factories.users import UserFactory

pytestmark = POSTGRES_RACES


def test_hundred_buyers_race_for_the_last_ten_units():
    product = ProductFactory(stock=10, name="Mắm cá linh")
    buyers = UserFactory.create_batch(100)
    delivery = delivery_details()

    def buy(buyer):
        return lambda: place_order(buyer=buyer, items=[(product, 1)], delivery=delivery)

    results = run_together(*[buy(buyer) for buyer in buyers])
    orders = [r for r in results if isinstance(r, Order)]
    refused = [r for r in results if isinstance(r, OutOfStock)]
    others = [r for r in results if not isinstance(r, (Order, OutOfStock))]
    assert others == []
    assert len(orders) == 10
    assert len(refused) == 90
    assert all(r.product_id == product.pk and r.available == 0 for r in refused)
    product.refresh_from_db()
    assert product.stock == 0
    assert product.sold_count == 10
    assert Order.objects.count() == 10
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == 10
    assert len({o.buyer_id for o in orders}) == 10


def test_buyers_of_several_units_never_oversell():
    product = ProductFactory(stock=25)
    delivery = delivery_details()
    quantities = [1, 2, 3, 4, 5, 6, 7] * 4

    def buy(quantity):
        return lambda: place_order(items=[(product, quantity)], delivery=delivery)

    results = run_together(*[buy(q) for q in quantities])
    sold = sum(q for q, r in zip(quantities, results, strict=True) if isinstance(r, Order))
    assert not [r for r in results if not isinstance(r, (Order, OutOfStock))]
    product.refresh_from_db()
    assert product.stock == 25 - sold >= 0
    assert sum(OrderLine.objects.values_list("quantity", flat=True)) == sold


def test_two_products_in_opposite_order_do_not_deadlock():
    a, b = ProductFactory(stock=100), ProductFactory(stock=100)
    delivery = delivery_details()

    def cart(items):
        return lambda: place_order(items=items, delivery=delivery)

    carts = []
    for _ in range(12):
        carts.append(cart([(a, 1), (b, 1)]))
        carts.append(cart([(b, 1), (a, 1)]))
    results = run_together(*carts)
    assert all(isinstance(r, Order) for r in results), results
    assert (Product.objects.get(pk=a.pk).stock, Product.objects.get(pk=b.pk).stock) == (76, 76)


def test_same_form_posted_twice_at_once_makes_one_order():
    product = ProductFactory(stock=10)
    buyer = UserFactory()
    delivery = delivery_details()

    def post():
        return place_order(
            buyer=buyer, items=[(product, 2)], delivery=delivery, checkout_token="same-form"
        )

    results = run_together(*[post for _ in range(5)])
    assert all(isinstance(r, Order) for r in results), results
    assert len({r.pk for r in results}) == 1
    assert Order.objects.count() == 1
    assert Product.objects.get(pk=product.pk).stock == 8


def test_expiry_racing_a_payment_ends_consistent():
    for _ in range(5):
        product = ProductFactory(stock=10)
        order = place_order(items=[(product, 3)], payment_method="vietqr")
        suborder = order.suborders.get()
        results = run_together(
            partial(suborder_transition, suborder_id=suborder.pk, to_status="paid", role="gateway"),
            partial(order_cancel_unpaid, order_id=order.pk, role="system", reason="hết hạn"),
        )
        paid, cancelled = results
        assert not isinstance(cancelled, Exception), cancelled
        final = SubOrder.objects.get(pk=suborder.pk)
        stock = Product.objects.get(pk=product.pk).stock
        if final.status == "paid":
            assert cancelled == 0 and stock == 7
        else:
            assert final.status == "cancelled"
            assert isinstance(paid, IllegalTransition)
            assert cancelled == 1 and stock == 10
