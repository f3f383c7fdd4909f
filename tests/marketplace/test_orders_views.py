"""Order pages: a buyer sees only their orders, a producer only its sub-orders; the actions
the state machine allows work, the others give a message, never a 500."""

import datetime
import sys
import types

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, Producer, Product, SubOrder
from marketplace.services import checkout as checkout_service
from marketplace.services.order_status import suborder_transition
from tests.factories.marketplace import ProducerMemberFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def vietqr_include(settings, tmp_path):
    folder = tmp_path / "templates" / "marketplace" / "includes"
    folder.mkdir(parents=True)
    (folder / "vietqr_payment.html").write_text(
        '<div class="test-vietqr">{{ suborder.payment_reference }}</div>'
    )
    templates = [dict(t) for t in settings.TEMPLATES]
    templates[0]["DIRS"] = [tmp_path / "templates", *templates[0]["DIRS"]]
    settings.TEMPLATES = templates


def login(client, user):
    client.force_login(user)
    return user


def detail_url(order):
    return reverse("marketplace:order_detail", args=[order.number])


def shop_url(suborder):
    return reverse("marketplace:shop_suborder", args=[suborder.number])


# --- Buyer pages ------------------------------------------------------------------------


def test_anonymous_users_reach_no_order_page(client, home):
    order = place_order()
    suborder = order.suborders.get()
    for url in (
        reverse("marketplace:my_orders"),
        detail_url(order),
        reverse("marketplace:shop_suborders"),
        shop_url(suborder),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("login") in response["Location"]
    response = client.post(detail_url(order), {"action": "cancel", "suborder": suborder.pk})
    assert response.status_code == 302
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"


def test_my_orders_lists_only_my_orders(client, home):
    me = login(client, UserFactory())
    mine = place_order(buyer=me, items=[(ProductFactory(name="Bánh pía Sóc Trăng"), 1)])
    theirs = place_order(items=[(ProductFactory(name="Nước mắm Phú Quốc"), 1)])
    content = client.get(reverse("marketplace:my_orders")).content.decode()
    assert mine.number in content
    assert theirs.number not in content
    assert "150.000 ₫" in content


def test_someone_elses_order_is_404(client, home):
    login(client, UserFactory())
    order = place_order()
    assert client.get(detail_url(order)).status_code == 404
    response = client.post(
        detail_url(order), {"action": "cancel", "suborder": order.suborders.get().pk}
    )
    assert response.status_code == 404
    assert SubOrder.objects.get(order=order).status == "pending"
    assert client.get(reverse("marketplace:order_detail", args=["DH000000NOPE"])).status_code == 404


def test_order_page_shows_lines_history_and_buyer_actions(client, home):
    me = login(client, UserFactory())
    order = place_order(buyer=me, items=[(ProductFactory(name="Kẹo dừa Bến Tre", price=45_000), 2)])
    content = client.get(detail_url(order)).content.decode()
    assert "Kẹo dừa Bến Tre" in content
    assert "90.000 ₫" in content
    assert 'value="cancel"' in content
    assert 'value="received"' not in content
    assert "test-vietqr" not in content


def test_buyer_cancel_and_received_through_the_page(client, home):
    me = login(client, UserFactory())
    product = ProductFactory(stock=5)
    order = place_order(buyer=me, items=[(product, 2)])
    suborder = order.suborders.get()
    response = client.post(
        detail_url(order), {"action": "cancel", "suborder": suborder.pk, "reason": "Đổi ý"}
    )
    assert response.status_code == 302
    assert SubOrder.objects.get(pk=suborder.pk).status == "cancelled"
    assert Product.objects.get(pk=product.pk).stock == 5
    # Cancelling again is refused with a message, not an error page.
    response = client.post(
        detail_url(order), {"action": "cancel", "suborder": suborder.pk}, follow=True
    )
    assert response.status_code == 200
    assert "alert--error" in response.content.decode()

    other = place_order(buyer=me).suborders.get()
    for to in ("confirmed", "shipping"):
        suborder_transition(suborder_id=other.pk, to_status=to, role="producer")
    page = client.get(detail_url(other.order)).content.decode()
    assert 'value="received"' in page and 'value="cancel"' not in page
    client.post(detail_url(other.order), {"action": "received", "suborder": other.pk})
    assert SubOrder.objects.get(pk=other.pk).status == "delivered"
    client.post(detail_url(other.order), {"action": "complete", "suborder": other.pk})
    assert SubOrder.objects.get(pk=other.pk).status == "completed"


def test_bad_actions_on_the_order_page(client, home):
    me = login(client, UserFactory())
    order = place_order(buyer=me)
    suborder = order.suborders.get()
    elsewhere = place_order(buyer=me).suborders.get()
    # A sub-order of another order, or none at all: not found.
    assert (
        client.post(detail_url(order), {"action": "cancel", "suborder": elsewhere.pk}).status_code
        == 404
    )
    assert client.post(detail_url(order), {"action": "cancel", "suborder": "x"}).status_code == 404
    response = client.post(
        detail_url(order), {"action": "explode", "suborder": suborder.pk}, follow=True
    )
    assert response.status_code == 200
    assert SubOrder.objects.get(pk=suborder.pk).status == "pending"
    response = client.post(
        detail_url(order), {"action": "received", "suborder": suborder.pk}, follow=True
    )
    assert "alert--error" in response.content.decode()


def test_pending_transfer_suborders_show_the_qr(client, home, vietqr_include):
    me = login(client, UserFactory())
    order = place_order(
        buyer=me, items=[(ProductFactory(), 1), (ProductFactory(), 1)], payment_method="vietqr"
    )
    first, second = order.suborders.order_by("number")
    suborder_transition(suborder_id=first.pk, to_status="paid", role="gateway")
    content = client.get(detail_url(order)).content.decode()
    assert content.count('class="test-vietqr"') == 1
    assert second.payment_reference in content


def fake_stripe(monkeypatch, *, error=None):
    module = types.ModuleType("marketplace.payments.stripe_api")

    class PaymentUnavailable(Exception):
        def __init__(self, message):
            super().__init__(message)
            self.message = message

    def start(*, order_id, base_url):
        if error:
            raise PaymentUnavailable(error)
        return f"https://checkout.stripe.test/{order_id}"

    module.PaymentUnavailable = PaymentUnavailable
    module.stripe_enabled = lambda: True
    module.stripe_checkout_start = start
    monkeypatch.setitem(sys.modules, "marketplace.payments.stripe_api", module)
    monkeypatch.setattr(checkout_service, "stripe_available", lambda: True)


def test_pending_card_order_can_be_paid_again_before_its_time(client, home, monkeypatch):
    fake_stripe(monkeypatch)
    me = login(client, UserFactory())
    order = place_order(buyer=me, payment_method="stripe")
    assert 'value="pay_card"' in client.get(detail_url(order)).content.decode()
    response = client.post(detail_url(order), {"action": "pay_card"})
    assert response["Location"] == f"https://checkout.stripe.test/{order.pk}"

    Order.objects.filter(pk=order.pk).update(
        payment_due_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert 'value="pay_card"' not in client.get(detail_url(order)).content.decode()
    response = client.post(detail_url(order), {"action": "pay_card"})
    assert response["Location"] == detail_url(order)


def test_card_payment_refused_shows_the_message(client, home, monkeypatch):
    fake_stripe(monkeypatch, error="Không thể thanh toán thẻ lúc này.")
    me = login(client, UserFactory())
    order = place_order(buyer=me, payment_method="stripe")
    response = client.post(detail_url(order), {"action": "pay_card"}, follow=True)
    assert "Không thể thanh toán thẻ lúc này." in response.content.decode()
    assert SubOrder.objects.get(order=order).status == "pending"


# --- Producer pages ---------------------------------------------------------------------


@pytest.fixture
def producer_user(client, home):
    member = ProducerMemberFactory()
    client.force_login(member.user)
    return member


def test_shop_lists_only_its_suborders_with_counts_and_filter(client, producer_user):
    producer = producer_user.producer
    mine = [
        place_order(items=[(ProductFactory(producer=producer), 1)]).suborders.get()
        for _ in range(3)
    ]
    theirs = place_order().suborders.get()
    suborder_transition(suborder_id=mine[0].pk, to_status="confirmed", role="producer")
    response = client.get(reverse("marketplace:shop_suborders"))
    content = response.content.decode()
    assert all(s.number in content for s in mine)
    assert theirs.number not in content
    tabs = response.context["tabs"]
    counts = {tab["value"]: tab["count"] for tab in tabs}
    assert counts["pending"] == 2 and counts["confirmed"] == 1 and counts["paid"] == 0
    assert response.context["total"] == 3
    # Newest first.
    listed = [s.number for s in response.context["suborders"]]
    assert listed == [s.number for s in reversed(mine)]
    filtered = client.get(reverse("marketplace:shop_suborders"), {"status": "confirmed"})
    assert [s.number for s in filtered.context["suborders"]] == [mine[0].number]
    forged = client.get(reverse("marketplace:shop_suborders"), {"status": "<script>"})
    assert forged.status_code == 200 and len(forged.context["suborders"]) == 3


def test_another_producers_suborder_is_404(client, producer_user):
    theirs = place_order().suborders.get()
    assert client.get(shop_url(theirs)).status_code == 404
    assert client.post(shop_url(theirs), {"action": "confirm"}).status_code == 404
    assert SubOrder.objects.get(pk=theirs.pk).status == "pending"


def test_users_without_a_verified_producer_are_sent_away(client, home):
    suborder = place_order().suborders.get()
    client.force_login(UserFactory())  # no producer at all
    response = client.get(reverse("marketplace:shop_suborders"))
    assert response.status_code == 302
    member = ProducerMemberFactory(producer__status=Producer.Status.PENDING)
    client.force_login(member.user)
    for url in (reverse("marketplace:shop_suborders"), shop_url(suborder)):
        assert client.get(url).status_code == 302
    # The buyer of an order is not its producer.
    client.force_login(suborder.order.buyer)
    assert client.get(shop_url(suborder)).status_code == 302


def test_producer_sees_delivery_details_of_its_suborder(client, producer_user):
    product = ProductFactory(producer=producer_user.producer)
    suborder = place_order(items=[(product, 2)]).suborders.get()
    content = client.get(shop_url(suborder)).content.decode()
    assert "Trần Thị Bình" in content and "0987654321" in content
    assert "12 đường Phạm Thái Bường" in content
    assert 'value="confirm"' in content
    assert 'value="mark_paid"' not in content


def test_producer_actions_through_the_page(client, producer_user):
    product = ProductFactory(producer=producer_user.producer, stock=10)
    suborder = place_order(items=[(product, 2)]).suborders.get()
    assert client.post(shop_url(suborder), {"action": "confirm"}).status_code == 302
    assert SubOrder.objects.get(pk=suborder.pk).status == "confirmed"
    # Ship without a carrier: the form comes back with its error.
    response = client.post(shop_url(suborder), {"action": "ship", "ship-carrier": ""})
    assert response.status_code == 400
    assert SubOrder.objects.get(pk=suborder.pk).status == "confirmed"
    client.post(
        shop_url(suborder),
        {"action": "ship", "ship-carrier": "VNPost", "ship-tracking_number": "EB123456789VN"},
    )
    suborder.refresh_from_db()
    assert (suborder.status, suborder.carrier, suborder.tracking_number) == (
        "shipping",
        "VNPost",
        "EB123456789VN",
    )
    client.post(shop_url(suborder), {"action": "delivered"})
    assert SubOrder.objects.get(pk=suborder.pk).status == "delivered"
    # A move the state machine refuses: a message, no change, no 500.
    response = client.post(shop_url(suborder), {"action": "confirm"}, follow=True)
    assert response.status_code == 200
    assert "alert--error" in response.content.decode()
    assert SubOrder.objects.get(pk=suborder.pk).status == "delivered"
    assert client.post(shop_url(suborder), {"action": "nonsense"}).status_code == 302


def test_producer_marks_a_transfer_paid_with_the_amount(client, producer_user):
    product = ProductFactory(producer=producer_user.producer, price=120_000)
    suborder = place_order(items=[(product, 1)], payment_method="vietqr").suborders.get()
    content = client.get(shop_url(suborder)).content.decode()
    assert suborder.payment_reference in content
    assert 'value="confirm"' not in content
    for wrong in ("100000", "abc", "-5", ""):
        response = client.post(
            shop_url(suborder), {"action": "mark_paid", "mark_paid-amount": wrong}
        )
        assert response.status_code == 400, wrong
        assert SubOrder.objects.get(pk=suborder.pk).status == "pending"
    response = client.post(
        shop_url(suborder), {"action": "mark_paid", "mark_paid-amount": "120000"}
    )
    assert response.status_code == 302
    suborder.refresh_from_db()
    assert (suborder.status, suborder.paid_amount) == ("paid", 120_000)


def test_producer_cancel_and_refund_need_a_reason(client, producer_user):
    product = ProductFactory(producer=producer_user.producer, stock=10)
    suborder = place_order(items=[(product, 3)], payment_method="vietqr").suborders.get()
    client.post(
        shop_url(suborder), {"action": "mark_paid", "mark_paid-amount": str(suborder.subtotal)}
    )
    assert (
        client.post(shop_url(suborder), {"action": "refund", "refund-reason": ""}).status_code
        == 400
    )
    assert SubOrder.objects.get(pk=suborder.pk).status == "paid"
    client.post(shop_url(suborder), {"action": "refund", "refund-reason": "Hàng bị dập"})
    assert SubOrder.objects.get(pk=suborder.pk).status == "refunded"
    assert Product.objects.get(pk=product.pk).stock == 10

    other = place_order(items=[(product, 1)]).suborders.get()
    assert (
        client.post(shop_url(other), {"action": "cancel", "cancel-reason": " "}).status_code == 400
    )
    client.post(shop_url(other), {"action": "cancel", "cancel-reason": "Hết hàng"})
    other.refresh_from_db()
    assert (other.status, other.cancel_reason) == ("cancelled", "Hết hàng")
