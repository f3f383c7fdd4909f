"""Order services: unpaid expiry (service, tasks, beat), buyer and producer actions."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from marketplace.models import Order, Product, SubOrder, SubOrderEvent
from marketplace.services import checkout as checkout_service
from marketplace.services.order_status import IllegalTransition, suborder_transition
from marketplace.services.orders import (
    OrderActionError,
    order_cancel_unpaid,
    orders_expire_unpaid,
    suborder_buyer_actions,
    suborder_buyer_cancel,
    suborder_buyer_received,
    suborder_producer_actions,
    suborder_producer_cancel,
    suborder_producer_confirm,
    suborder_producer_delivered,
    suborder_producer_mark_paid,
    suborder_producer_refund,
    suborder_producer_ship,
)
from marketplace.tasks import order_expire_task, orders_expire_unpaid_task
from tests.factories.marketplace import ProducerFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


def stock(product):
    return Product.objects.get(pk=product.pk).stock


def two_producer_order(method="vietqr", **kwargs):
    a, b = ProductFactory(stock=10), ProductFactory(stock=10)
    order = place_order(items=[(a, 2), (b, 3)], payment_method=method, **kwargs)
    first, second = order.suborders.order_by("number")
    return order, (a, b), (first, second)


def overdue(order, minutes=1):
    Order.objects.filter(pk=order.pk).update(
        payment_due_at=timezone.now() - datetime.timedelta(minutes=minutes)
    )


# --- Unpaid orders ---------------------------------------------------------------------


def test_cancel_unpaid_cancels_pending_only_and_is_idempotent():
    order, (a, b), (first, second) = two_producer_order()
    suborder_transition(suborder_id=first.pk, to_status="paid", role="gateway")
    assert order_cancel_unpaid(order_id=order.pk, role="gateway", reason="Phiên hết hạn") == 1
    assert SubOrder.objects.get(pk=first.pk).status == "paid"
    second.refresh_from_db()
    assert second.status == "cancelled" and second.cancel_reason == "Phiên hết hạn"
    assert (stock(a), stock(b)) == (8, 10)
    assert order_cancel_unpaid(order_id=order.pk, role="gateway", reason="again") == 0
    assert (stock(a), stock(b)) == (8, 10)
    assert SubOrderEvent.objects.filter(to_status="cancelled").count() == 1


def test_expire_unpaid_cancels_overdue_transfer_and_card_orders(monkeypatch):
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: True)
    late_qr, (a, b), _ = two_producer_order("vietqr")
    late_card, (c, d), _ = two_producer_order("stripe")
    in_time, (e, f), _ = two_producer_order("vietqr")
    cod, (g, h), _ = two_producer_order("cod")
    overdue(late_qr)
    overdue(late_card)
    Order.objects.filter(pk=cod.pk).update(payment_due_at=None)

    assert orders_expire_unpaid() == 4
    for order in (late_qr, late_card):
        assert set(order.suborders.values_list("status", flat=True)) == {"cancelled"}
        assert set(
            SubOrderEvent.objects.filter(suborder__order=order).values_list("role", flat=True)
        ) == {"system"}
    assert set(in_time.suborders.values_list("status", flat=True)) == {"pending"}
    assert set(cod.suborders.values_list("status", flat=True)) == {"pending"}
    assert [stock(p) for p in (a, b, c, d, e, f, g, h)] == [10, 10, 10, 10, 8, 7, 8, 7]
    assert orders_expire_unpaid() == 0  # idempotent
    assert [stock(p) for p in (a, b, c, d)] == [10, 10, 10, 10]


def test_expire_unpaid_spares_paid_suborders():
    order, (a, b), (first, second) = two_producer_order()
    suborder_transition(suborder_id=first.pk, to_status="paid", role="producer")
    overdue(order)
    assert orders_expire_unpaid() == 1
    assert SubOrder.objects.get(pk=first.pk).status == "paid"
    assert SubOrder.objects.get(pk=second.pk).status == "cancelled"
    assert (stock(a), stock(b)) == (8, 10)


def test_expire_unpaid_accepts_a_clock():
    order, _, _ = two_producer_order()
    assert orders_expire_unpaid(now=order.payment_due_at - datetime.timedelta(seconds=1)) == 0
    assert orders_expire_unpaid(now=order.payment_due_at) == 2


def test_order_expire_task_does_nothing_early_and_cancels_when_due():
    order, (a, b), _ = two_producer_order()
    assert order_expire_task.delay(order.pk).get() == 0
    assert set(order.suborders.values_list("status", flat=True)) == {"pending"}
    overdue(order)
    assert order_expire_task.delay(order.pk).get() == 2
    assert order_expire_task.delay(order.pk).get() == 0  # twice is harmless
    assert (stock(a), stock(b)) == (10, 10)
    assert order_expire_task.delay(987654).get() == 0  # a deleted order


def test_beat_task_and_schedule():
    order, _, _ = two_producer_order()
    overdue(order)
    assert orders_expire_unpaid_task.delay().get() == 2
    entry = settings.CELERY_BEAT_SCHEDULE["marketplace-expire-unpaid-orders"]
    assert (
        entry["task"]
        == orders_expire_unpaid_task.name
        == "marketplace.tasks.orders_expire_unpaid_task"
    )
    assert entry["schedule"] == 300.0
    from portal.celery import app

    assert entry["task"] in app.tasks


# --- Buyer ------------------------------------------------------------------------------


def test_buyer_cancels_pending_cod_and_stock_comes_back():
    buyer = UserFactory()
    product = ProductFactory(stock=5)
    suborder = place_order(buyer=buyer, items=[(product, 2)]).suborders.get()
    assert suborder_buyer_actions(suborder=suborder) == ["cancel"]
    suborder_buyer_cancel(suborder_id=suborder.pk, user=buyer, reason="Đặt nhầm")
    suborder.refresh_from_db()
    assert suborder.status == "cancelled" and suborder.cancel_reason == "Đặt nhầm"
    assert stock(product) == 5
    event = suborder.events.get()
    assert (event.role, event.actor) == ("buyer", buyer)


def test_buyer_cannot_cancel_once_shipped():
    buyer = UserFactory()
    suborder = place_order(buyer=buyer).suborders.get()
    for to in ("confirmed", "shipping"):
        suborder_transition(suborder_id=suborder.pk, to_status=to, role="producer")
    with pytest.raises(IllegalTransition):
        suborder_buyer_cancel(suborder_id=suborder.pk, user=buyer)
    assert SubOrder.objects.get(pk=suborder.pk).status == "shipping"


def test_buyer_received_then_completed():
    buyer = UserFactory()
    suborder = place_order(buyer=buyer).suborders.get()
    with pytest.raises(IllegalTransition):
        suborder_buyer_received(suborder_id=suborder.pk, user=buyer)
    for to in ("confirmed", "shipping"):
        suborder_transition(suborder_id=suborder.pk, to_status=to, role="producer")
    suborder.refresh_from_db()
    assert suborder_buyer_actions(suborder=suborder) == ["received"]
    suborder_buyer_received(suborder_id=suborder.pk, user=buyer)
    suborder.refresh_from_db()
    assert suborder.status == "delivered"
    assert suborder_buyer_actions(suborder=suborder) == ["complete"]
    suborder_buyer_received(suborder_id=suborder.pk, user=buyer)
    assert SubOrder.objects.get(pk=suborder.pk).status == "completed"


def test_buyer_cannot_touch_someone_elses_suborder():
    suborder = place_order().suborders.get()
    stranger = UserFactory()
    with pytest.raises(SubOrder.DoesNotExist):
        suborder_buyer_cancel(suborder_id=suborder.pk, user=stranger)
    with pytest.raises(SubOrder.DoesNotExist):
        suborder_buyer_received(suborder_id=suborder.pk, user=stranger)
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"


# --- Producer ---------------------------------------------------------------------------


def cod_suborder():
    product = ProductFactory(stock=10)
    return product, place_order(items=[(product, 2)]).suborders.select_related("producer").get()


def test_producer_cod_journey():
    product, suborder = cod_suborder()
    producer, actor = suborder.producer, UserFactory()
    assert suborder_producer_actions(suborder=suborder) == ["confirm", "cancel"]
    suborder_producer_confirm(suborder_id=suborder.pk, producer=producer, actor=actor)
    with pytest.raises(OrderActionError):
        suborder_producer_ship(suborder_id=suborder.pk, producer=producer, actor=actor, carrier=" ")
    assert SubOrder.objects.get(pk=suborder.pk).status == "confirmed"
    suborder_producer_ship(
        suborder_id=suborder.pk,
        producer=producer,
        actor=actor,
        carrier="Viettel Post",
        tracking_number="VTP123456789",
    )
    suborder.refresh_from_db()
    assert (suborder.status, suborder.carrier, suborder.tracking_number) == (
        "shipping",
        "Viettel Post",
        "VTP123456789",
    )
    suborder_producer_delivered(suborder_id=suborder.pk, producer=producer, actor=actor)
    suborder.refresh_from_db()
    assert suborder.status == "delivered"
    assert suborder_producer_actions(suborder=suborder) == []  # COD: no refund here
    assert stock(product) == 8


def test_producer_cod_cannot_be_marked_paid_or_refunded():
    _product, suborder = cod_suborder()
    with pytest.raises(OrderActionError):
        suborder_producer_mark_paid(
            suborder_id=suborder.pk,
            producer=suborder.producer,
            actor=None,
            amount=suborder.subtotal,
        )
    with pytest.raises(IllegalTransition):
        suborder_producer_refund(
            suborder_id=suborder.pk, producer=suborder.producer, actor=None, reason="Hoàn tiền"
        )
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"


def test_producer_marks_transfer_paid_only_with_the_exact_amount():
    product = ProductFactory(stock=10, price=150_000)
    suborder = place_order(items=[(product, 2)], payment_method="vietqr").suborders.get()
    producer = suborder.producer
    assert "mark_paid" in suborder_producer_actions(suborder=suborder)
    assert "confirm" not in suborder_producer_actions(suborder=suborder)
    for wrong in (0, 299_999, 300_001, 150_000):
        with pytest.raises(OrderActionError):
            suborder_producer_mark_paid(
                suborder_id=suborder.pk, producer=producer, actor=None, amount=wrong
            )
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"
    with pytest.raises(IllegalTransition):  # transfers are never "confirmed"
        suborder_producer_confirm(suborder_id=suborder.pk, producer=producer, actor=None)
    suborder_producer_mark_paid(
        suborder_id=suborder.pk, producer=producer, actor=None, amount=300_000
    )
    suborder.refresh_from_db()
    assert (suborder.status, suborder.paid_amount) == ("paid", 300_000)
    assert suborder.paid_at is not None


def test_producer_refund_needs_a_reason_and_gives_stock_back():
    product = ProductFactory(stock=10)
    suborder = place_order(items=[(product, 3)], payment_method="vietqr").suborders.get()
    producer = suborder.producer
    suborder_producer_mark_paid(
        suborder_id=suborder.pk, producer=producer, actor=None, amount=suborder.subtotal
    )
    with pytest.raises(OrderActionError):
        suborder_producer_refund(
            suborder_id=suborder.pk, producer=producer, actor=None, reason="  "
        )
    with pytest.raises(OrderActionError):
        suborder_producer_refund(
            suborder_id=suborder.pk, producer=producer, actor=None, reason="x" * 501
        )
    assert stock(product) == 7
    suborder_producer_refund(
        suborder_id=suborder.pk, producer=producer, actor=None, reason="Không đủ hàng"
    )
    assert SubOrder.objects.get(pk=suborder.pk).status == "refunded"
    assert stock(product) == 10


def test_card_refunds_are_not_the_producers(monkeypatch):
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: True)
    suborder = place_order(payment_method="stripe").suborders.get()
    suborder_transition(suborder_id=suborder.pk, to_status="paid", role="gateway")
    suborder.refresh_from_db()
    assert "refund" not in suborder_producer_actions(suborder=suborder)
    assert "mark_paid" not in suborder_producer_actions(suborder=suborder)
    with pytest.raises(OrderActionError):
        suborder_producer_refund(
            suborder_id=suborder.pk, producer=suborder.producer, actor=None, reason="Hết hàng"
        )
    assert SubOrder.objects.get(pk=suborder.pk).status == "paid"


def test_producer_cancel_needs_a_reason():
    product, suborder = cod_suborder()
    with pytest.raises(OrderActionError):
        suborder_producer_cancel(
            suborder_id=suborder.pk, producer=suborder.producer, actor=None, reason=""
        )
    suborder_producer_cancel(
        suborder_id=suborder.pk, producer=suborder.producer, actor=None, reason="Mất mùa"
    )
    assert SubOrder.objects.get(pk=suborder.pk).cancel_reason == "Mất mùa"
    assert stock(product) == 10


def test_producer_cannot_act_on_another_producers_suborder():
    _product, suborder = cod_suborder()
    other = ProducerFactory()
    calls = [
        lambda: suborder_producer_confirm(suborder_id=suborder.pk, producer=other, actor=None),
        lambda: suborder_producer_ship(
            suborder_id=suborder.pk, producer=other, actor=None, carrier="VNPost"
        ),
        lambda: suborder_producer_delivered(suborder_id=suborder.pk, producer=other, actor=None),
        lambda: suborder_producer_cancel(
            suborder_id=suborder.pk, producer=other, actor=None, reason="x"
        ),
        lambda: suborder_producer_refund(
            suborder_id=suborder.pk, producer=other, actor=None, reason="x"
        ),
        lambda: suborder_producer_mark_paid(
            suborder_id=suborder.pk, producer=other, actor=None, amount=1
        ),
    ]
    for call in calls:
        with pytest.raises(SubOrder.DoesNotExist):
            call()
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"
    assert not SubOrderEvent.objects.exists()
