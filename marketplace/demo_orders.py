"""Demo orders for `seed_demo`: the demo buyer's orders at several stages, placed and moved by the
real services (checkout, the sub-order state machine), so "My orders" and the demo producer's
"Orders" show a delivered cash-on-delivery order, a transfer waiting with its VietQR code, a paid
transfer on its way and an order the buyer cancelled.

Runs once: when the demo buyer has any order, nothing is added.
"""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from portal.locations.models import Commune, Province

from .models import Order, ProducerMember, Product, SubOrder, SubOrderEvent
from .services.checkout import DeliveryDetails, checkout_place_order
from .services.orders import (
    suborder_buyer_cancel,
    suborder_buyer_received,
    suborder_producer_confirm,
    suborder_producer_delivered,
    suborder_producer_mark_paid,
    suborder_producer_ship,
)

M = Order.PaymentMethod
# (days ago, payment method, [(product slug, quantity)], steps every sub-order takes)
DEMO_ORDERS = [
    (
        12,
        M.COD,
        [("buoi-da-xanh-cho-lach-loai-1", 2), ("keo-dua-sap-thanh-long", 3)],
        ["confirm", "ship", "delivered", "received"],
    ),
    (6, M.COD, [("mut-vo-buoi-cho-lach", 2)], ["buyer_cancel"]),
    (3, M.VIETQR, [("hop-qua-buoi-da-xanh-2-trai", 1)], ["mark_paid", "ship"]),
    (0, M.VIETQR, [("buoi-da-xanh-cho-lach-loai-1", 1), ("keo-dua-sap-thanh-long", 2)], []),
]
CARRIER, TRACKING = "Viettel Post", "VTP{number}"


def _step(step: str, *, suborder: SubOrder, buyer, actor) -> None:
    """One step as the buyer or the sub-order's producer would take it, through its service."""
    producer, pk = suborder.producer, suborder.pk
    if step == "confirm":
        suborder_producer_confirm(suborder_id=pk, producer=producer, actor=actor)
    elif step == "mark_paid":
        suborder_producer_mark_paid(
            suborder_id=pk, producer=producer, actor=actor, amount=suborder.subtotal
        )
    elif step == "ship":
        tracking = TRACKING.format(number=suborder.number.replace("-", ""))
        suborder_producer_ship(
            suborder_id=pk,
            producer=producer,
            actor=actor,
            carrier=CARRIER,
            tracking_number=tracking,
        )
    elif step == "delivered":
        suborder_producer_delivered(suborder_id=pk, producer=producer, actor=actor)
    elif step == "received":
        suborder_buyer_received(suborder_id=pk, user=buyer)
    elif step == "buyer_cancel":
        suborder_buyer_cancel(
            suborder_id=pk, user=buyer, reason="Đặt nhầm số lượng, tôi sẽ đặt lại."
        )
    else:
        raise ValueError(step)


def _delivery(buyer) -> DeliveryDetails:
    province = Province.objects.get(code=settings.PORTAL_PROVINCE_CODE)
    commune = Commune.objects.filter(province=province).order_by("code").first()
    return DeliveryDetails(
        recipient_name=buyer.full_name,
        phone=buyer.phone or "0912000012",
        province=province,
        commune=commune,
        street_address="25 đường Phạm Thái Bường",
        note="Gọi trước khi giao.",
    )


def _backdate(order: Order, placed_at: datetime.datetime) -> None:
    """Moves an order and its history back to `placed_at`, as if placed then; its number, and
    its sub-orders', carry that day as a real one would. Empty times stay empty."""
    delta = order.created_at - placed_at
    number = f"DH{timezone.localtime(placed_at):%y%m%d}{order.number[8:]}"

    def shifted(*names):
        return {name: F(name) - delta for name in names}

    Order.objects.filter(pk=order.pk).update(
        number=number, **shifted("created_at", "payment_due_at", "buyer_emailed_at")
    )
    for suborder in order.suborders.all():
        SubOrder.objects.filter(pk=suborder.pk).update(
            number=number + suborder.number[len(order.number) :],
            **shifted(
                "created_at", "updated_at", "paid_at", "stock_released_at", "producer_emailed_at"
            ),
        )
    SubOrderEvent.objects.filter(suborder__order=order).update(
        **shifted("created_at", "emailed_at")
    )


@transaction.atomic
def marketplace_demo_orders_seed(*, buyer, report) -> int:
    """Places and moves the demo orders; returns how many were placed."""
    if Order.objects.filter(buyer=buyer).exists():
        report.count("orders", False)
        return 0
    products = {p.slug: p for p in Product.objects.filter(status=Product.Status.PUBLISHED)}
    delivery = _delivery(buyer)
    now = timezone.now()
    placed = 0
    for days_ago, method, lines, steps in DEMO_ORDERS:
        items = [(products[slug].pk, quantity) for slug, quantity in lines if slug in products]
        if not items:
            continue
        order = checkout_place_order(
            buyer=buyer, lines=items, delivery=delivery, payment_method=method
        )
        for suborder in order.suborders.select_related("producer").order_by("pk"):
            owner = (
                suborder.producer.members.filter(role=ProducerMember.Role.OWNER)
                .select_related("user")
                .first()
            )
            for step in steps:
                _step(step, suborder=suborder, buyer=buyer, actor=owner.user if owner else None)
        if days_ago:
            _backdate(order, now - datetime.timedelta(days=days_ago, hours=3))
        report.count("orders", True)
        placed += 1
    return placed
