"""Payment races on PostgreSQL (threads with their own connections): the same notification or
event delivered twice at once is stored once and pays once; partial transfers arriving together
add up under the sub-order's row lock."""

import json
import time

import pytest
import stripe

from marketplace.models import BankTransaction, StripeEvent, SubOrder, SubOrderEvent
from marketplace.payments.bank_webhook import bank_signature
from tests.concurrency import POSTGRES_RACES, run_together
from tests.factories.marketplace import ProductFactory
from tests.factories.marketplace_orders import place_order

pytestmark = POSTGRES_RACES

BANK_SECRET = "bank-secret"
STRIPE_SECRET = "whsec_concurrency"


@pytest.fixture(autouse=True)
def _secrets(settings):
    settings.BANK_WEBHOOK_SECRET = BANK_SECRET
    settings.STRIPE_SECRET_KEY = "sk_test_concurrency"
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET


def _bank_post(body: bytes):
    from django.test import Client

    timestamp = str(int(time.time()))
    return Client().post(
        "/webhooks/ngan-hang/",
        body,
        content_type="application/json",
        HTTP_X_TIMESTAMP=timestamp,
        HTTP_X_SIGNATURE=bank_signature(body=body, timestamp=timestamp, secret=BANK_SECRET),
    )


def _notice(suborder, **extra):
    return {
        "id": "FT-RACE-1",
        "amount": suborder.subtotal,
        "description": f"thanh toan {suborder.payment_reference}",
        "account_number": suborder.producer.bank_account_number,
        **extra,
    }


def test_same_bank_notification_twice_at_once_pays_once():
    suborder = place_order(
        items=[(ProductFactory(price=150_000), 1)], payment_method="vietqr"
    ).suborders.get()
    body = json.dumps(_notice(suborder)).encode()
    responses = run_together(*[lambda: _bank_post(body) for _ in range(4)])
    assert all(getattr(r, "status_code", None) == 200 for r in responses), responses
    replays = sorted(r.json()["results"][0]["replay"] for r in responses)
    assert replays == [False, True, True, True]
    assert BankTransaction.objects.count() == 1
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.PAID
    assert suborder.paid_amount == 150_000
    assert SubOrderEvent.objects.filter(suborder=suborder, to_status="paid").count() == 1


def test_two_partial_transfers_at_once_add_up():
    suborder = place_order(
        items=[(ProductFactory(price=150_000), 1)], payment_method="vietqr"
    ).suborders.get()
    first = json.dumps(_notice(suborder, id="P1", amount=100_000)).encode()
    second = json.dumps(_notice(suborder, id="P2", amount=50_000)).encode()
    responses = run_together(lambda: _bank_post(first), lambda: _bank_post(second))
    assert [r.status_code for r in responses] == [200, 200]
    outcomes = sorted(r.json()["results"][0]["outcome"] for r in responses)
    assert outcomes == ["matched", "partial"]
    suborder.refresh_from_db()
    assert suborder.status == SubOrder.Status.PAID
    assert suborder.paid_amount == 150_000
    assert suborder.payment_flag == ""


def test_same_stripe_event_twice_at_once_pays_once():
    order = place_order(
        items=[(ProductFactory(price=150_000), 1), (ProductFactory(price=20_000), 3)],
        payment_method="stripe",
    )
    order.stripe_session_id = "cs_test_race"
    order.save(update_fields=["stripe_session_id"])
    payload = json.dumps(
        {
            "id": "evt_race",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": "cs_test_race",
                    "object": "checkout.session",
                    "client_reference_id": order.number,
                    "amount_total": order.total,
                    "currency": "vnd",
                    "payment_status": "paid",
                    "payment_intent": "pi_race",
                }
            },
        }
    )

    def deliver():
        from django.test import Client

        header = stripe.WebhookSignature.generate_signature_header(payload, STRIPE_SECRET)
        return Client().post(
            "/webhooks/stripe/",
            payload,
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=header,
        )

    responses = run_together(*[deliver for _ in range(4)])
    assert all(getattr(r, "status_code", None) == 200 for r in responses), responses
    assert sorted(r.json()["replay"] for r in responses) == [False, True, True, True]
    assert StripeEvent.objects.count() == 1
    assert set(order.suborders.values_list("status", flat=True)) == {"paid"}
    assert SubOrderEvent.objects.filter(suborder__order=order, to_status="paid").count() == 2
