"""The Stripe webhook: payloads signed here exactly as Stripe signs them (t=<ts>,v1=<HMAC>),
verified by `stripe.Webhook.construct_event`; each event stored once; paid, expired, failed and
refunded sessions; anything that does not fit is flagged, never silently accepted."""

import itertools
import json
import time

import pytest
import stripe
from django.urls import reverse

from marketplace.models import Order, Product, StripeEvent, SubOrder, SubOrderEvent
from tests.factories.marketplace import ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "whsec_test_secret"
URL = "/webhooks/stripe/"
S = SubOrder.Status
_ids = itertools.count(1)


@pytest.fixture(autouse=True)
def _keys(settings):
    settings.STRIPE_SECRET_KEY = "sk_test_webhooks"
    settings.STRIPE_WEBHOOK_SECRET = SECRET


@pytest.fixture
def order():
    """A card order of two producers (150.000 ₫ + 3 × 20.000 ₫) with its Checkout Session."""
    order = place_order(
        items=[
            (ProductFactory(price=150_000, stock=10), 1),
            (ProductFactory(price=20_000, stock=10), 3),
        ],
        payment_method="stripe",
    )
    order.stripe_session_id = "cs_test_current"
    order.save(update_fields=["stripe_session_id"])
    return order


def event(event_type, obj, *, event_id=None):
    return {
        "id": event_id or f"evt_{next(_ids)}",
        "object": "event",
        "api_version": "2025-10-29.clover",
        "type": event_type,
        "data": {"object": obj},
    }


def session(order, **overrides):
    data = {
        "id": "cs_test_current",
        "object": "checkout.session",
        "client_reference_id": order.number,
        "metadata": {"order_number": order.number},
        "amount_total": order.total,
        "currency": "vnd",
        "payment_status": "paid",
        "status": "complete",
        "payment_intent": "pi_test_1",
    }
    data.update(overrides)
    return data


def charge(order, **overrides):
    data = {
        "id": "ch_test_1",
        "object": "charge",
        "amount": order.total,
        "amount_refunded": order.total,
        "refunded": True,
        "currency": "vnd",
        "payment_intent": "pi_test_1",
        "metadata": {"order_number": order.number},
    }
    data.update(overrides)
    return data


def deliver(client, payload, *, secret=SECRET, header=None, timestamp=None):
    body = payload if isinstance(payload, str) else json.dumps(payload)
    if header is None:
        header = stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)
    extra = {"HTTP_STRIPE_SIGNATURE": header} if header != "" else {}
    return client.post(URL, body, content_type="application/json", **extra)


def statuses(order):
    return sorted(order.suborders.values_list("status", flat=True))


def test_signing_scheme_is_stripes():
    body = '{"id": "evt_1"}'
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET, 1700000000)
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"1700000000.{body}".encode(), hashlib.sha256)
    assert header == f"t=1700000000,v1={expected.hexdigest()}"
    assert reverse("marketplace_webhooks:stripe_webhook") == URL


def test_completed_session_pays_every_sub_order(client, order):
    response = deliver(client, event("checkout.session.completed", session(order)))
    assert response.status_code == 200
    assert response.json() == {"ok": True, "outcome": "processed", "replay": False}
    assert statuses(order) == ["paid", "paid"]
    for suborder in order.suborders.all():
        assert suborder.paid_amount == suborder.subtotal
        assert suborder.payment_flag == ""
    events = SubOrderEvent.objects.filter(suborder__order=order)
    assert {(e.from_status, e.to_status, e.role) for e in events} == {
        ("pending", "paid", "gateway")
    }
    order.refresh_from_db()
    assert order.stripe_payment_intent == "pi_test_1"
    row = StripeEvent.objects.get()
    assert (row.order_id, row.type, row.outcome) == (
        order.pk,
        "checkout.session.completed",
        "processed",
    )


def test_replayed_event_changes_nothing(client, order):
    payload = event("checkout.session.completed", session(order), event_id="evt_same")
    deliver(client, payload)
    response = deliver(client, payload)
    assert response.status_code == 200
    assert response.json()["replay"] is True
    assert StripeEvent.objects.count() == 1
    assert SubOrderEvent.objects.filter(suborder__order=order).count() == 2


@pytest.mark.parametrize(
    "kwargs",
    [{"secret": "whsec_other"}, {"header": ""}, {"header": "t=1,v1=abc"}, {"header": "garbage"}],
    ids=["wrong secret", "no header", "forged", "garbage"],
)
def test_bad_signature_answers_400_and_changes_nothing(client, order, kwargs):
    response = deliver(client, event("checkout.session.completed", session(order)), **kwargs)
    assert response.status_code == 400
    assert not StripeEvent.objects.exists()
    assert statuses(order) == ["pending", "pending"]


def test_stale_signature_is_refused(client, order):
    payload = event("checkout.session.completed", session(order))
    response = deliver(client, payload, timestamp=int(time.time()) - 600)
    assert response.status_code == 400
    assert statuses(order) == ["pending", "pending"]


def test_body_changed_after_signing_is_refused(client, order):
    body = json.dumps(event("checkout.session.completed", session(order, amount_total=1)))
    header = stripe.WebhookSignature.generate_signature_header(body, SECRET)
    body = body.replace('"amount_total": 1', f'"amount_total": {order.total}')
    response = deliver(client, body, header=header)
    assert response.status_code == 400
    assert statuses(order) == ["pending", "pending"]


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        "[]",
        '"text"',
        '{"object": "event"}',
        '{"id": "evt_x", "type": "x"}',
        '{"id": "evt_x", "type": "x", "data": []}',
        '{"id": 5, "type": "x", "data": {"object": {}}}',
    ],
)
def test_malformed_signed_event_answers_400(client, body):
    assert deliver(client, body).status_code == 400
    assert not StripeEvent.objects.exists()


def test_not_configured_answers_503(client, order, settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    response = deliver(client, event("checkout.session.completed", session(order)), secret="x")
    assert response.status_code == 503
    assert statuses(order) == ["pending", "pending"]


def test_get_is_not_allowed(client):
    assert client.get(URL).status_code == 405


# --- Mismatches are flagged, not paid --------------------------------------------------------


@pytest.mark.parametrize(
    "overrides, flag",
    [
        ({"amount_total": 1_000}, "partial"),
        ({"amount_total": 21_000_000}, "overpaid"),  # 210000 read as cents ×100
        ({"currency": "usd"}, "mismatch"),
        ({"amount_total": None}, "mismatch"),
    ],
    ids=["less", "more", "currency", "no amount"],
)
def test_amount_or_currency_mismatch_is_flagged(client, order, overrides, flag):
    response = deliver(client, event("checkout.session.completed", session(order, **overrides)))
    assert response.status_code == 200
    assert response.json()["outcome"] == "flagged"
    assert statuses(order) == ["pending", "pending"]
    assert set(order.suborders.values_list("payment_flag", flat=True)) == {flag}
    assert StripeEvent.objects.get().needs_attention


def test_unpaid_completion_waits_for_the_async_payment(client, order):
    deliver(client, event("checkout.session.completed", session(order, payment_status="unpaid")))
    assert statuses(order) == ["pending", "pending"]
    assert StripeEvent.objects.get().outcome == "waiting"
    deliver(client, event("checkout.session.async_payment_succeeded", session(order)))
    assert statuses(order) == ["paid", "paid"]


def test_payment_after_a_producer_cancelled_is_flagged_late(client, order):
    cancelled = order.suborders.order_by("pk").first()
    SubOrder.objects.filter(pk=cancelled.pk).update(status=S.CANCELLED)
    response = deliver(client, event("checkout.session.completed", session(order)))
    assert response.json()["outcome"] == "flagged"
    cancelled.refresh_from_db()
    assert cancelled.status == S.CANCELLED
    assert cancelled.payment_flag == "late"
    assert cancelled.paid_amount == cancelled.subtotal
    assert statuses(order) == ["cancelled", "paid"]


def test_a_second_paid_session_is_flagged_duplicate(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    response = deliver(
        client,
        event("checkout.session.completed", session(order, id="cs_two", payment_intent="pi_2")),
    )
    assert response.json()["outcome"] == "flagged"
    assert set(order.suborders.values_list("payment_flag", flat=True)) == {"duplicate"}
    assert statuses(order) == ["paid", "paid"]


def test_same_payment_reported_twice_is_not_a_duplicate(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    response = deliver(client, event("checkout.session.async_payment_succeeded", session(order)))
    assert response.json()["outcome"] == "processed"
    assert set(order.suborders.values_list("payment_flag", flat=True)) == {""}


# --- Expired and failed sessions -------------------------------------------------------------


def _stock():
    return sorted(Product.objects.values_list("stock", flat=True))


@pytest.mark.parametrize(
    "event_type", ["checkout.session.expired", "checkout.session.async_payment_failed"]
)
def test_expired_or_failed_session_cancels_and_gives_stock_back(client, order, event_type):
    assert _stock() == [7, 9]
    response = deliver(client, event(event_type, session(order, payment_status="unpaid")))
    assert response.status_code == 200
    assert statuses(order) == ["cancelled", "cancelled"]
    assert _stock() == [10, 10]
    assert set(
        SubOrderEvent.objects.filter(suborder__order=order).values_list("role", flat=True)
    ) == {"gateway"}


def test_expiry_of_an_older_session_changes_nothing(client, order):
    response = deliver(client, event("checkout.session.expired", session(order, id="cs_old")))
    assert response.json()["outcome"] == "ignored"
    assert statuses(order) == ["pending", "pending"]


def test_expiry_after_payment_cancels_nothing(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    deliver(client, event("checkout.session.expired", session(order)))
    assert statuses(order) == ["paid", "paid"]


# --- Refunds ---------------------------------------------------------------------------------


def test_full_refund_refunds_paid_and_shipping_sub_orders(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    shipping = order.suborders.order_by("pk").first()
    SubOrder.objects.filter(pk=shipping.pk).update(status=S.SHIPPING)
    response = deliver(client, event("charge.refunded", charge(order)))
    assert response.json()["outcome"] == "processed"
    assert statuses(order) == ["refunded", "refunded"]


def test_partial_refund_is_only_flagged(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    response = deliver(
        client, event("charge.refunded", charge(order, amount_refunded=20_000, refunded=False))
    )
    assert response.json()["outcome"] == "flagged"
    assert statuses(order) == ["paid", "paid"]
    assert StripeEvent.objects.filter(type="charge.refunded").get().needs_attention


def test_refund_of_a_completed_sub_order_is_flagged(client, order):
    deliver(client, event("checkout.session.completed", session(order)))
    done = order.suborders.order_by("pk").first()
    SubOrder.objects.filter(pk=done.pk).update(status=S.COMPLETED)
    response = deliver(client, event("charge.refunded", charge(order)))
    assert response.json()["outcome"] == "flagged"
    assert statuses(order) == ["completed", "refunded"]


# --- Unknown orders and other events ---------------------------------------------------------


def test_unknown_order_is_stored_as_ignored_and_answered_200(client, order):
    other = session(order, id="cs_elsewhere", client_reference_id="DH-NOT-OURS", metadata={})
    response = deliver(client, event("checkout.session.completed", other))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"
    row = StripeEvent.objects.get()
    assert row.order is None
    assert statuses(order) == ["pending", "pending"]


def test_a_non_card_order_is_never_paid_by_stripe(client):
    vietqr = place_order(items=[(ProductFactory(), 1)], payment_method="vietqr")
    response = deliver(client, event("checkout.session.completed", session(vietqr)))
    assert response.json()["outcome"] == "ignored"
    assert statuses(vietqr) == ["pending"]


def test_unused_event_types_are_ignored(client, order):
    response = deliver(client, event("payment_intent.created", {"id": "pi_1", "metadata": {}}))
    assert response.status_code == 200
    assert response.json()["outcome"] == "ignored"


# --- Return pages ----------------------------------------------------------------------------


def test_return_page_says_confirming_and_does_not_pay(client, order, home):
    client.force_login(order.buyer)
    url = reverse("marketplace:stripe_return") + f"?order={order.number}&session_id=cs_test_current"
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["state"] == "waiting"
    assert 'http-equiv="refresh"' in response.content.decode()
    assert statuses(order) == ["pending", "pending"]
    deliver(client, event("checkout.session.completed", session(order)))
    response = client.get(url)
    assert response.context["state"] == "paid"
    assert 'http-equiv="refresh"' not in response.content.decode()


def test_cancel_page_offers_to_try_again(client, order, home):
    client.force_login(order.buyer)
    response = client.get(reverse("marketplace:stripe_cancel") + f"?order={order.number}")
    assert response.status_code == 200
    assert reverse("marketplace:stripe_pay", args=[order.number]) in response.content.decode()
    assert statuses(order) == ["pending", "pending"]


@pytest.mark.parametrize("name", ["marketplace:stripe_return", "marketplace:stripe_cancel"])
def test_return_pages_are_the_buyers_only(client, order, home, name):
    url = reverse(name) + f"?order={order.number}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(order.buyer)
    assert client.get(reverse(name)).status_code == 404  # no order given
    cod = place_order(items=[(ProductFactory(), 1)], payment_method="cod", buyer=order.buyer)
    assert client.get(reverse(name) + f"?order={cod.number}").status_code == 404


# --- Admin -----------------------------------------------------------------------------------


def test_flagged_event_is_listed_and_sorted_out_by_a_superuser(client, order):
    deliver(client, event("checkout.session.completed", session(order, amount_total=5)))
    row = StripeEvent.objects.get()
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    index = client.get(reverse("marketplace_stripe_events:index"), {"outcome": "flagged"})
    assert index.status_code == 200
    assert row.event_id in index.content.decode()
    response = client.post(reverse("marketplace_payment_resolve", args=["stripe", row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.resolved
    assert set(order.suborders.values_list("payment_flag", flat=True)) == {""}


def test_admin_users_without_the_permission_cannot_sort_out_stripe_events(client, order):
    from django.contrib.auth.models import Permission

    deliver(client, event("checkout.session.completed", session(order, amount_total=5)))
    row = StripeEvent.objects.get()
    editor = UserFactory()
    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    response = client.post(reverse("marketplace_payment_resolve", args=["stripe", row.pk]))
    assert response.status_code == 403
    row.refresh_from_db()
    assert not row.resolved


def test_order_total_reads_as_integer_vnd(order):
    assert Order.objects.get(pk=order.pk).total == 210_000
