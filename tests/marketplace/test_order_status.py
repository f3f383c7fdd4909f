"""The sub-order state machine: every allowed move per payment method and role, everything else
refused with nothing changed, and stock given back exactly once."""

import itertools

import pytest
from django.utils import timezone

from marketplace.models import Product, SubOrder, SubOrderEvent
from marketplace.services import checkout as checkout_service
from marketplace.services.order_status import (
    IllegalTransition,
    suborder_allowed_moves,
    suborder_transition,
)
from marketplace.services.stock import suborder_stock_release
from tests.factories.marketplace import ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

ROLES = ["buyer", "producer", "moderator", "gateway", "system"]
STATUSES = [
    "pending",
    "confirmed",
    "paid",
    "shipping",
    "delivered",
    "completed",
    "cancelled",
    "refunded",
]
ALL = set(ROLES)

# Written out by hand from the rules (not derived from the code under test).
COD_MOVES = {
    ("pending", "confirmed"): {"producer", "moderator"},
    ("pending", "cancelled"): ALL,
    ("confirmed", "shipping"): {"producer", "moderator"},
    ("confirmed", "cancelled"): {"buyer", "producer", "moderator"},
    ("shipping", "delivered"): {"producer", "buyer", "moderator"},
    ("shipping", "cancelled"): {"producer", "moderator"},  # the parcel came back unpaid
    ("delivered", "completed"): {"buyer", "system", "moderator"},
}
PREPAID_MOVES = {
    ("pending", "paid"): {"producer", "gateway", "moderator"},
    ("pending", "cancelled"): ALL,
    ("paid", "shipping"): {"producer", "moderator"},
    ("paid", "refunded"): {"producer", "gateway", "moderator"},
    ("shipping", "delivered"): {"producer", "buyer", "moderator"},
    ("shipping", "refunded"): {"gateway", "moderator"},
    ("delivered", "completed"): {"buyer", "system", "moderator"},
    ("delivered", "refunded"): {"producer", "gateway", "moderator"},
}
MOVES = {"cod": COD_MOVES, "vietqr": PREPAID_MOVES, "stripe": PREPAID_MOVES}
# Statuses a sub-order can be in: COD is never "paid" (nor refunded), prepaid never "confirmed".
REACHABLE = {
    "cod": [s for s in STATUSES if s not in ("paid", "refunded")],
    "vietqr": [s for s in STATUSES if s != "confirmed"],
    "stripe": [s for s in STATUSES if s != "confirmed"],
}

# A readable sample of what each role may never do (the exhaustive check is below).
ILLEGAL_EXAMPLES = [
    ("cod", "pending", "paid", "producer"),  # COD is paid to the courier, not marked paid
    ("cod", "delivered", "refunded", "producer"),
    ("vietqr", "pending", "confirmed", "producer"),  # transfers go pending → paid
    ("vietqr", "pending", "paid", "buyer"),  # a buyer cannot declare their own payment
    ("vietqr", "paid", "cancelled", "producer"),  # paid money is refunded, not cancelled
    ("vietqr", "shipping", "cancelled", "producer"),
    ("vietqr", "shipping", "refunded", "producer"),
    ("stripe", "pending", "paid", "system"),
    ("stripe", "paid", "refunded", "buyer"),
    ("cod", "confirmed", "cancelled", "system"),  # only unpaid transfers/cards expire
    ("cod", "shipping", "delivered", "gateway"),
    ("cod", "completed", "cancelled", "moderator"),  # final statuses stay final
    ("vietqr", "cancelled", "paid", "gateway"),
    ("vietqr", "refunded", "shipping", "moderator"),
    ("cod", "pending", "shipping", "producer"),  # no skipping the confirmation
    ("cod", "pending", "unknown", "moderator"),
]


@pytest.fixture
def stripe_on(monkeypatch):
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: True)


def suborder_in(method: str, status: str) -> SubOrder:
    order = place_order(payment_method=method, items=[(ProductFactory(stock=10), 2)])
    suborder = order.suborders.get()
    SubOrder.objects.filter(pk=suborder.pk).update(status=status)
    return suborder


@pytest.mark.usefixtures("stripe_on")
@pytest.mark.parametrize("method", ["cod", "vietqr", "stripe"])
def test_every_move_for_every_role(method):
    """Every (from, to, role) combination: the table's moves succeed and record an event;
    every other one raises IllegalTransition and changes nothing. (Stock is marked as given
    back already here; stock moves have their own tests below.)"""
    suborder = suborder_in(method, "pending")
    actor = UserFactory()
    allowed = MOVES[method]
    released = timezone.now()
    for frm, to, role in itertools.product(REACHABLE[method], STATUSES, ROLES):
        SubOrder.objects.filter(pk=suborder.pk).update(status=frm, stock_released_at=released)
        events = SubOrderEvent.objects.count()
        if role in allowed.get((frm, to), set()):
            result = suborder_transition(
                suborder_id=suborder.pk, to_status=to, role=role, actor=actor, note="ok"
            )
            assert result.suborder.status == to
            assert SubOrder.objects.get(pk=suborder.pk).status == to
            event = result.event
            assert (event.from_status, event.to_status, event.role, event.actor) == (
                frm,
                to,
                role,
                actor,
            )
        else:
            with pytest.raises(IllegalTransition) as caught:
                suborder_transition(suborder_id=suborder.pk, to_status=to, role=role, actor=actor)
            assert caught.value.message
            assert SubOrder.objects.get(pk=suborder.pk).status == frm, (frm, to, role)
            assert SubOrderEvent.objects.count() == events


@pytest.mark.usefixtures("stripe_on")
@pytest.mark.parametrize("method,status,target,role", ILLEGAL_EXAMPLES)
def test_illegal_moves_are_refused_with_a_message(method, status, target, role):
    suborder = suborder_in(method, status)
    with pytest.raises(IllegalTransition) as caught:
        suborder_transition(suborder_id=suborder.pk, to_status=target, role=role)
    assert caught.value.message
    assert SubOrder.objects.get(pk=suborder.pk).status == status
    assert not SubOrderEvent.objects.exists()


@pytest.mark.usefixtures("stripe_on")
@pytest.mark.parametrize("method", ["cod", "vietqr", "stripe"])
def test_allowed_moves_match_the_table(method):
    for status, role in itertools.product(REACHABLE[method], ROLES):
        suborder = suborder_in(method, status)
        suborder.refresh_from_db()
        expected = {
            to for (frm, to), roles in MOVES[method].items() if frm == status and role in roles
        }
        assert set(suborder_allowed_moves(suborder=suborder, role=role)) == expected, (status, role)


def stock(product):
    return Product.objects.get(pk=product.pk).stock


def test_cancel_gives_stock_back_once():
    product = ProductFactory(stock=10)
    suborder = place_order(items=[(product, 3)]).suborders.get()
    assert stock(product) == 7
    suborder_transition(suborder_id=suborder.pk, to_status="cancelled", role="buyer")
    assert stock(product) == 10
    assert Product.objects.get(pk=product.pk).sold_count == 0
    with pytest.raises(IllegalTransition):
        suborder_transition(suborder_id=suborder.pk, to_status="cancelled", role="producer")
    suborder.refresh_from_db()
    assert suborder.stock_released_at is not None
    assert suborder_stock_release(suborder=suborder) is False
    assert stock(product) == 10


def test_refund_of_a_paid_suborder_gives_stock_back():
    product = ProductFactory(stock=10)
    suborder = place_order(items=[(product, 4)], payment_method="vietqr").suborders.get()
    suborder_transition(suborder_id=suborder.pk, to_status="paid", role="gateway")
    assert SubOrder.objects.get(pk=suborder.pk).paid_at is not None
    suborder_transition(
        suborder_id=suborder.pk, to_status="refunded", role="producer", note="Hết hàng"
    )
    assert stock(product) == 10


def test_refund_after_delivery_keeps_the_stock_sold():
    product = ProductFactory(stock=10)
    suborder = place_order(items=[(product, 4)], payment_method="vietqr").suborders.get()
    for to, role in [("paid", "gateway"), ("shipping", "producer"), ("delivered", "buyer")]:
        suborder_transition(suborder_id=suborder.pk, to_status=to, role=role)
    suborder_transition(suborder_id=suborder.pk, to_status="refunded", role="producer")
    assert stock(product) == 6  # the goods were delivered: they are not back on the shelf


def test_cod_parcel_returned_gives_stock_back():
    product = ProductFactory(stock=10)
    suborder = place_order(items=[(product, 2)]).suborders.get()
    for to in ["confirmed", "shipping"]:
        suborder_transition(suborder_id=suborder.pk, to_status=to, role="producer")
    assert stock(product) == 8
    suborder_transition(
        suborder_id=suborder.pk, to_status="cancelled", role="producer", note="Khách không nhận"
    )
    assert stock(product) == 10
    assert SubOrder.objects.get(pk=suborder.pk).cancel_reason == "Khách không nhận"


def test_full_cod_journey_records_history():
    suborder = place_order().suborders.get()
    path = [
        ("confirmed", "producer"),
        ("shipping", "producer"),
        ("delivered", "buyer"),
        ("completed", "buyer"),
    ]
    for to, role in path:
        suborder_transition(suborder_id=suborder.pk, to_status=to, role=role)
    history = list(
        SubOrderEvent.objects.filter(suborder=suborder).values_list("from_status", "to_status")
    )
    assert history == [
        ("pending", "confirmed"),
        ("confirmed", "shipping"),
        ("shipping", "delivered"),
        ("delivered", "completed"),
    ]
