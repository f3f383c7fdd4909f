"""Stripe Checkout against a server on loopback that plays Stripe's API: the exact form-encoded
request (VND is zero-decimal), the idempotency key, the session stored on the order, and
PaymentUnavailable on a 5xx or a timeout, after which the order can still be cancelled."""

import datetime
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest
from django.urls import reverse
from django.utils import timezone

from marketplace.models import Order, Product, SubOrder
from marketplace.payments.stripe_api import (
    PaymentUnavailable,
    session_expires_at,
    stripe_checkout_start,
    stripe_enabled,
)
from tests.factories.marketplace import ProducerFactory, ProductFactory
from tests.factories.marketplace_orders import place_order
from tests.factories.users import UserFactory

pytestmark = pytest.mark.django_db

CHECKOUT_URL = "https://checkout.stripe.com/c/pay/cs_test_123"


class FakeStripe:
    """What the fake API received, and what it answers next: a list of (status, body, delay)."""

    def __init__(self):
        self.requests = []
        self.answers = []

    def next_answer(self):
        if self.answers:
            return self.answers.pop(0)
        return (
            200,
            {
                "id": "cs_test_123",
                "object": "checkout.session",
                "url": CHECKOUT_URL,
                "status": "open",
            },
            0,
        )


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode() if length else ""
            fake.requests.append(
                {
                    "method": self.command,
                    "path": self.path,
                    "headers": dict(self.headers),
                    "form": parse_qs(body, keep_blank_values=True),
                }
            )
            status, payload, delay = fake.next_answer()
            if delay:
                time.sleep(delay)
            data = json.dumps(payload).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = _answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.STRIPE_SECRET_KEY = "sk_test_loopback"
    settings.STRIPE_WEBHOOK_SECRET = "whsec_loopback"
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_API_TIMEOUT_SECONDS = 1
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def order(settings):
    settings.STRIPE_SECRET_KEY = settings.STRIPE_SECRET_KEY or "sk_test_loopback"
    settings.STRIPE_WEBHOOK_SECRET = settings.STRIPE_WEBHOOK_SECRET or "whsec_loopback"
    keo = ProductFactory(name="Kẹo dừa sáp", price=150_000, stock=10)
    buoi = ProductFactory(name="Bưởi da xanh", price=45_000, stock=10)
    return place_order(items=[(keo, 1), (buoi, 2)], payment_method="stripe")


def test_enabled_only_with_both_keys(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk", ""
    assert not stripe_enabled()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "", "whsec"
    assert not stripe_enabled()
    settings.STRIPE_SECRET_KEY, settings.STRIPE_WEBHOOK_SECRET = "sk", "whsec"
    assert stripe_enabled()


def test_session_request_is_exactly_what_stripe_needs(fake_stripe, order):
    url = stripe_checkout_start(order_id=order.pk, base_url="https://cho.example.vn/")
    assert url == CHECKOUT_URL
    [request] = fake_stripe.requests
    assert request["method"] == "POST"
    assert request["path"] == "/v1/checkout/sessions"
    assert request["headers"]["Authorization"] == "Bearer sk_test_loopback"
    expires = int(order.payment_due_at.timestamp())
    assert request["headers"]["Idempotency-Key"] == f"checkout-{order.number}-{expires}"
    form = {key: values[0] for key, values in request["form"].items()}
    # VND is zero-decimal: 150000 means ₫150.000, not ₫1.500.
    assert form["line_items[0][price_data][unit_amount]"] == "150000"
    assert form["line_items[0][price_data][currency]"] == "vnd"
    assert form["line_items[0][price_data][product_data][name]"] == "Kẹo dừa sáp (hop)"
    assert form["line_items[0][quantity]"] == "1"
    assert form["line_items[1][price_data][unit_amount]"] == "45000"
    assert form["line_items[1][quantity]"] == "2"
    assert "line_items[2][quantity]" not in form
    assert form["mode"] == "payment"
    assert form["client_reference_id"] == order.number
    assert form["metadata[order_number]"] == order.number
    assert form["payment_intent_data[metadata][order_number]"] == order.number
    assert form["expires_at"] == str(expires)
    assert form["locale"] == "vi"
    assert form["customer_email"] == order.buyer.email
    assert form["success_url"] == (
        "https://cho.example.vn/thanh-toan/the/hoan-tat/"
        f"?order={order.number}&session_id={{CHECKOUT_SESSION_ID}}"
    )
    assert form["cancel_url"].startswith("https://cho.example.vn/thanh-toan/the/da-huy/?order=")
    order.refresh_from_db()
    assert order.stripe_session_id == "cs_test_123"
    assert (
        sum(
            int(form[f"line_items[{i}][price_data][unit_amount]"])
            * int(form[f"line_items[{i}][quantity]"])
            for i in range(2)
        )
        == order.total
        == 240_000
    )


def test_charges_beyond_the_lines_become_one_more_line(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(total=order.total + 30_000)
    stripe_checkout_start(order_id=order.pk, base_url="https://cho.example.vn")
    form = {key: values[0] for key, values in fake_stripe.requests[0]["form"].items()}
    assert form["line_items[2][price_data][unit_amount]"] == "30000"
    assert form["line_items[2][quantity]"] == "1"


def test_lines_above_the_total_refuse(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(total=1)
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=order.pk, base_url="https://cho.example.vn")
    assert fake_stripe.requests == []


def test_expiry_is_brought_within_stripes_limits():
    now = datetime.datetime(2030, 1, 1, tzinfo=datetime.UTC)
    soon = session_expires_at(payment_due_at=now + datetime.timedelta(minutes=5), now=now)
    assert soon == int((now + datetime.timedelta(minutes=31)).timestamp())
    late = session_expires_at(payment_due_at=now + datetime.timedelta(days=3), now=now)
    assert late == int((now + datetime.timedelta(hours=23, minutes=55)).timestamp())
    hour = session_expires_at(payment_due_at=now + datetime.timedelta(hours=1), now=now)
    assert hour == int((now + datetime.timedelta(hours=1)).timestamp())


def test_order_kept_as_long_as_a_clamped_session(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(
        payment_due_at=timezone.now() + datetime.timedelta(minutes=10)
    )
    stripe_checkout_start(order_id=order.pk, base_url="https://cho.example.vn")
    expires = int(fake_stripe.requests[0]["form"]["expires_at"][0])
    assert expires - time.time() > 30 * 60
    order.refresh_from_db()
    assert int(order.payment_due_at.timestamp()) == expires


def test_an_open_session_is_reused(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_test_123")
    assert stripe_checkout_start(order_id=order.pk, base_url="https://x.vn") == CHECKOUT_URL
    [request] = fake_stripe.requests
    assert (request["method"], request["path"]) == ("GET", "/v1/checkout/sessions/cs_test_123")


def test_an_expired_session_is_replaced(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_old")
    fake_stripe.answers.append(
        (200, {"id": "cs_old", "object": "checkout.session", "status": "expired", "url": None}, 0)
    )
    stripe_checkout_start(order_id=order.pk, base_url="https://x.vn")
    assert [r["method"] for r in fake_stripe.requests] == ["GET", "POST"]
    order.refresh_from_db()
    assert order.stripe_session_id == "cs_test_123"


def test_a_session_stripe_does_not_know_is_replaced(fake_stripe, order):
    Order.objects.filter(pk=order.pk).update(stripe_session_id="cs_from_test_mode")
    fake_stripe.answers.append(
        (404, {"error": {"type": "invalid_request_error", "message": "No such session"}}, 0)
    )
    assert stripe_checkout_start(order_id=order.pk, base_url="https://x.vn") == CHECKOUT_URL
    assert [r["method"] for r in fake_stripe.requests] == ["GET", "POST"]


def _stock(order):
    return dict(Product.objects.values_list("name", "stock"))


@pytest.mark.parametrize(
    "answer",
    [
        (500, {"error": {"type": "api_error", "message": "boom"}}, 0),
        (400, {"error": {"type": "invalid_request_error", "message": "bad"}}, 0),
        (200, {"id": "cs_slow", "url": CHECKOUT_URL}, 2.5),
    ],
    ids=["500", "400", "timeout"],
)
def test_stripe_failure_raises_payment_unavailable_and_the_order_can_be_cancelled(
    fake_stripe, order, answer
):
    from marketplace.services.orders import order_cancel_unpaid

    fake_stripe.answers.append(answer)
    with pytest.raises(PaymentUnavailable) as raised:
        stripe_checkout_start(order_id=order.pk, base_url="https://x.vn")
    assert raised.value.message
    order.refresh_from_db()
    assert order.stripe_session_id == ""
    assert set(order.suborders.values_list("status", flat=True)) == {"pending"}
    before = _stock(order)
    assert order_cancel_unpaid(order_id=order.pk, role="gateway", reason=raised.value.message) == 2
    assert set(order.suborders.values_list("status", flat=True)) == {"cancelled"}
    after = _stock(order)
    assert after["Kẹo dừa sáp"] == before["Kẹo dừa sáp"] + 1
    assert after["Bưởi da xanh"] == before["Bưởi da xanh"] + 2


def test_a_retry_carries_the_same_idempotency_key(fake_stripe, order, settings):
    settings.STRIPE_MAX_NETWORK_RETRIES = 1
    fake_stripe.answers.append((500, {"error": {"type": "api_error"}}, 0))
    assert stripe_checkout_start(order_id=order.pk, base_url="https://x.vn") == CHECKOUT_URL
    keys = [r["headers"]["Idempotency-Key"] for r in fake_stripe.requests]
    assert len(keys) == 2 and keys[0] == keys[1]


def test_not_configured_or_not_payable_raises_without_calling_stripe(fake_stripe, order, settings):
    cod = place_order(items=[(ProductFactory(), 1)], payment_method="cod")
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=cod.pk, base_url="https://x.vn")
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=999_999, base_url="https://x.vn")
    Order.objects.filter(pk=order.pk).update(payment_due_at=timezone.now())
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=order.pk, base_url="https://x.vn")
    Order.objects.filter(pk=order.pk).update(
        payment_due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    SubOrder.objects.filter(order=order).update(status=SubOrder.Status.PAID)
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=order.pk, base_url="https://x.vn")
    settings.STRIPE_WEBHOOK_SECRET = ""
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=order.pk, base_url="https://x.vn")
    assert fake_stripe.requests == []


# --- The buyer's "pay by card" button ---------------------------------------------------------


def test_buyer_is_sent_to_stripe(client, fake_stripe, order):
    client.force_login(order.buyer)
    response = client.post(reverse("marketplace:stripe_pay", args=[order.number]))
    assert response.status_code == 302
    assert response["Location"] == CHECKOUT_URL
    success_url = fake_stripe.requests[0]["form"]["success_url"][0]
    assert success_url.startswith("http://testserver/thanh-toan/the/hoan-tat/")


def test_stripe_down_sends_the_buyer_back_with_a_message(client, fake_stripe, order, home):
    fake_stripe.answers.append((503, {"error": {"type": "api_error"}}, 0))
    client.force_login(order.buyer)
    response = client.post(reverse("marketplace:stripe_pay", args=[order.number]), follow=True)
    assert response.status_code == 200
    assert any("card" in str(m).lower() or "thẻ" in str(m) for m in response.context["messages"])


def test_nobody_else_pays_an_order(client, fake_stripe, order):
    url = reverse("marketplace:stripe_pay", args=[order.number])
    assert client.post(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.force_login(order.buyer)
    assert client.get(url).status_code == 405
    assert fake_stripe.requests == []


def test_other_producer_order_is_unchanged(fake_stripe):
    """A VietQR order cannot be sent to Stripe."""
    vietqr = place_order(
        items=[(ProductFactory(producer=ProducerFactory()), 1)], payment_method="vietqr"
    )
    with pytest.raises(PaymentUnavailable):
        stripe_checkout_start(order_id=vietqr.pk, base_url="https://x.vn")
